"""The award pages: the buyer's decision, each bidder's own result, the public results list."""

from django.urls import path

app_name = "awards"

urlpatterns: list = []

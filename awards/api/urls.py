"""The awards API."""

from django.urls import path

app_name = "awards-api"

urlpatterns: list = []

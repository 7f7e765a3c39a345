from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_overview, name="overview"),
    path("keys.json", views.public_keys_file, name="keys"),
]

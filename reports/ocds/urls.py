from django.urls import path

from reports.ocds import views

app_name = "open-data"

urlpatterns = [
    path("", views.open_data, name="index"),
    path("bulk/<int:pk>/", views.bulk_download, name="bulk"),
    path("extension/<str:name>", views.extension_file, name="extension"),
]

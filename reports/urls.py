from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("verify/<uuid:token>/", views.verify, name="verify"),
    path("verify/<uuid:token>/download/", views.download, name="download"),
]

from django.urls import path

from reports import views_statistics

app_name = "statistics"

urlpatterns = [
    path("", views_statistics.dashboard, name="dashboard"),
    path("officer/", views_statistics.officer_dashboard, name="officer"),
    path("services/", views_statistics.services, name="services"),
]

from django.urls import path

from portal.api import views

urlpatterns = [
    path("services/", views.ServiceListView.as_view(), name="api-portal-services"),
    path("services/<slug:code>/", views.ServiceDetailView.as_view(), name="api-portal-service"),
    path("applications/", views.ApplicationListView.as_view(), name="api-portal-applications"),
    path(
        "applications/<str:reference>/", views.ApplicationDetailView.as_view(), name="api-portal-application"
    ),
    path(
        "applications/<str:reference>/check/",
        views.ApplicationCheckView.as_view(),
        name="api-portal-application-check",
    ),
]

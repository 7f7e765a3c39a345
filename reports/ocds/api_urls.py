from django.urls import path

from reports.ocds import api

urlpatterns = [
    path("releases/", api.ReleasePackageView.as_view(), name="api-ocds-releases"),
    path("records/", api.RecordPackageView.as_view(), name="api-ocds-records"),
    path("records/<str:ocid>/", api.RecordView.as_view(), name="api-ocds-record"),
]

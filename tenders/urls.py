"""Officers' tender pages, included under /tenders/ from config/urls.py."""

from django.urls import path

from tenders import views

app_name = "tenders"

urlpatterns = [
    path("", views.tender_list, name="list"),
    path("new/", views.tender_new, name="new"),
    path("<int:pk>/", views.tender_edit, name="edit"),
    path("<int:pk>/documents/", views.tender_document_upload, name="document-upload"),
    path("<int:pk>/submit/", views.tender_submit, name="submit"),
    path("<int:pk>/questions/", views.tender_questions, name="questions"),
    path("<int:pk>/amend/", views.tender_amend, name="amend"),
    path("<int:pk>/cancel/", views.tender_cancel, name="cancel"),
    path("<int:pk>/failure-notice/", views.failure_notice, name="failure-notice"),
    path("<int:pk>/rerun/", views.tender_rerun, name="rerun"),
]

"""The awards API, included under /api/awards/ from config/urls.py."""

from django.urls import path

from awards.api import views

urlpatterns = [
    path("results/", views.ResultsView.as_view(), name="api-awards-results"),
    path("tenders/<str:reference>/", views.TenderAwardView.as_view(), name="api-awards-tender"),
    path("tenders/<str:reference>/publicity/", views.PublicityView.as_view(), name="api-awards-publicity"),
    path("tenders/<str:reference>/objections/", views.ObjectionsView.as_view(), name="api-awards-objections"),
    path("tenders/<str:reference>/decision/", views.DecisionView.as_view(), name="api-awards-decision"),
    path("tenders/<str:reference>/mine/", views.MyResultView.as_view(), name="api-awards-mine"),
    path(
        "objections/<int:objection_id>/answer/", views.ObjectionAnswerView.as_view(), name="api-awards-answer"
    ),
    path("decisions/<int:decision_id>/announce/", views.AnnounceView.as_view(), name="api-awards-announce"),
]

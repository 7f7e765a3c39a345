"""The awards API, included under /api/awards/ from config/urls.py."""

from django.urls import path

from awards.api import after, views

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
    # After the award (awards/api/after.py).
    path("tenders/<str:reference>/after/", after.AfterAwardView.as_view(), name="api-awards-after"),
    path(
        "tenders/<str:reference>/challenges/",
        after.ChallengeFileView.as_view(),
        name="api-awards-challenge-file",
    ),
    path(
        "challenges/<int:challenge_id>/answer/",
        after.ChallengeAnswerView.as_view(),
        name="api-awards-challenge-answer",
    ),
    path(
        "challenges/<int:challenge_id>/complaint/",
        after.ComplaintLodgeView.as_view(),
        name="api-awards-complaint",
    ),
    path("complaints/", after.ComplaintDecisionsView.as_view(), name="api-awards-complaint-decisions"),
    path(
        "complaints/<int:complaint_id>/status/",
        after.ComplaintStatusView.as_view(),
        name="api-awards-complaint-status",
    ),
    path(
        "complaints/<int:complaint_id>/decision/",
        after.ComplaintDecisionView.as_view(),
        name="api-awards-complaint-decide",
    ),
    path(
        "decisions/<int:decision_id>/contract/",
        after.ContractCreateView.as_view(),
        name="api-awards-contract",
    ),
    path(
        "contracts/<int:contract_id>/performance-security/",
        after.PerformanceSecurityView.as_view(),
        name="api-awards-performance-security",
    ),
    path(
        "contracts/<int:contract_id>/sign/", after.ContractSignView.as_view(), name="api-awards-contract-sign"
    ),
    path(
        "contracts/<int:contract_id>/notice/",
        after.ContractNoticeView.as_view(),
        name="api-awards-contract-notice",
    ),
    path(
        "contracts/<int:contract_id>/acceptance/",
        after.ContractAcceptanceView.as_view(),
        name="api-awards-acceptance",
    ),
    path(
        "securities/<int:release_id>/release/",
        after.SecurityReleaseView.as_view(),
        name="api-awards-security-release",
    ),
]

from django.urls import path

from evaluation.api import views

urlpatterns = [
    path("invitations/<int:member_id>/respond/", views.RespondView.as_view(), name="api-evaluation-respond"),
    path("tenders/<str:reference>/progress/", views.ProgressView.as_view(), name="api-evaluation-progress"),
    path(
        "tenders/<str:reference>/draws/<int:sequence>/",
        views.DrawReplayView.as_view(),
        name="api-evaluation-draw",
    ),
    path(
        "tenders/<str:reference>/bids/<int:opening_id>/form/",
        views.BidFormView.as_view(),
        name="api-evaluation-bid-form",
    ),
    path("tenders/<str:reference>/findings/", views.FindingsView.as_view(), name="api-evaluation-findings"),
    path("tenders/<str:reference>/scores/", views.ScoresView.as_view(), name="api-evaluation-scores"),
]

"""The award pages, included under /awards/ from config/urls.py."""

from django.urls import path

from awards import views, views_after

app_name = "awards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("results/", views.results, name="results"),
    path("tenders/<str:reference>/", views.manage, name="manage"),
    path("tenders/<str:reference>/publicity/", views.publicity_publish, name="publicity"),
    path("tenders/<str:reference>/decision/", views.decision_propose, name="decide"),
    path("tenders/<str:reference>/announce/", views.result_announce, name="announce"),
    path(
        "tenders/<str:reference>/objections/<int:objection_id>/answer/", views.objection_answer, name="answer"
    ),
    path("tenders/<str:reference>/mine/", views.mine, name="mine"),
    path("tenders/<str:reference>/mine/objection/", views.objection_raise, name="object"),
    # After the award: challenges, complaints, contracts, bid securities (awards/views_after.py).
    path("tenders/<str:reference>/after/", views_after.after_award, name="after"),
    path("tenders/<str:reference>/after/<slug:action>/", views_after.after_action, name="after-action"),
    path("tenders/<str:reference>/after/<slug:action>/<int:pk>/", views_after.after_action, name="after-act"),
    path("challenges/<str:reference>/", views_after.challenge_page, name="challenge"),
    path("complaints/", views_after.complaint_decisions, name="complaint-decisions"),
]

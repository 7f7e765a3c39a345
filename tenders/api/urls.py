from django.urls import path

from tenders.api import views

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="api-notices"),
    path("notices/<str:reference>/", views.NoticeDetailView.as_view(), name="api-notice"),
    path(
        "notices/<str:reference>/questions/", views.NoticeQuestionsView.as_view(), name="api-notice-questions"
    ),
    path("subscriptions/", views.SubscriptionView.as_view(), name="api-subscriptions"),
    path("", views.TenderListView.as_view(), name="api-tenders"),
    path("<int:pk>/", views.TenderDetailView.as_view(), name="api-tender"),
    path("<int:pk>/lots/", views.TenderLotsView.as_view(), name="api-tender-lots"),
    path("<int:pk>/criteria/", views.TenderCriteriaView.as_view(), name="api-tender-criteria"),
    path("<int:pk>/custodians/", views.TenderCustodiansView.as_view(), name="api-tender-custodians"),
    path("<int:pk>/documents/", views.TenderDocumentsView.as_view(), name="api-tender-documents"),
    path("<int:pk>/problems/", views.TenderProblemsView.as_view(), name="api-tender-problems"),
    path("<int:pk>/submit/", views.TenderSubmitView.as_view(), name="api-tender-submit"),
    path("<int:pk>/amend/", views.TenderAmendView.as_view(), name="api-tender-amend"),
    path("<int:pk>/cancel/", views.TenderCancelView.as_view(), name="api-tender-cancel"),
    path("<int:pk>/questions/", views.TenderQuestionsView.as_view(), name="api-tender-questions"),
    path(
        "questions/<int:question_id>/answer/", views.QuestionAnswerView.as_view(), name="api-question-answer"
    ),
]

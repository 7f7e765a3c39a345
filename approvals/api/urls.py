from django.urls import path

from approvals.api import views

urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="api-approvals-inbox"),
    path("instances/", views.SubmitView.as_view(), name="api-approval-submit"),
    path("instances/<int:pk>/", views.InstanceView.as_view(), name="api-approval"),
    path("instances/<int:pk>/events/", views.EventsView.as_view(), name="api-approval-events"),
    path("instances/<int:pk>/approve/", views.ApproveView.as_view(), name="api-approval-approve"),
    path("instances/<int:pk>/reject/", views.RejectView.as_view(), name="api-approval-reject"),
    path("instances/<int:pk>/return/", views.ReturnView.as_view(), name="api-approval-return"),
    path("instances/<int:pk>/comment/", views.CommentView.as_view(), name="api-approval-comment"),
    path("instances/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="api-approval-withdraw"),
    path("instances/<int:pk>/reassign/", views.ReassignView.as_view(), name="api-approval-reassign"),
    path("instances/<int:pk>/skip/", views.SkipView.as_view(), name="api-approval-skip"),
    path("instances/<int:pk>/move/", views.MoveView.as_view(), name="api-approval-move"),
    path("instances/<int:pk>/insert/", views.InsertView.as_view(), name="api-approval-insert"),
    path("delegations/", views.DelegationsView.as_view(), name="api-delegations"),
    path("delegations/<int:pk>/revoke/", views.DelegationRevokeView.as_view(), name="api-delegation-revoke"),
    path("definitions/", views.DefinitionsView.as_view(), name="api-flow-definitions"),
    path("definitions/<int:pk>/", views.DefinitionView.as_view(), name="api-flow-definition"),
]

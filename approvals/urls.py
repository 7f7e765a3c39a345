from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("<int:pk>/", views.detail_page, name="detail"),
    path("<int:pk>/timeline/", views.timeline_fragment, name="timeline"),
    path("<int:pk>/history/", views.history_after, name="history"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/reroute/", views.reroute, name="reroute"),
    path("delegations/", views.delegations_page, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation-revoke"),
]

from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("invitations/<int:member_id>/respond/", views.respond, name="respond"),
    path("pool/", views.pool, name="pool"),
    path("declarations/", views.declarations, name="declarations"),
    path("tenders/<str:reference>/", views.tender_committee, name="committee"),
    path("tenders/<str:reference>/settings/", views.tender_settings, name="settings"),
    path("tenders/<str:reference>/draw/", views.committee_draw, name="draw"),
    path("tenders/<str:reference>/draws/<int:sequence>/replay/", views.draw_replay, name="replay"),
    path("tenders/<str:reference>/workspace/", views.workspace, name="workspace"),
    path("tenders/<str:reference>/workspace/<str:action>/", views.workspace_action, name="workspace-action"),
    path("tenders/<str:reference>/bids/<int:opening_id>/", views.bid_form, name="bid"),
    path(
        "tenders/<str:reference>/bids/<int:opening_id>/attachments/<int:index>/",
        views.bid_attachment,
        name="attachment",
    ),
]

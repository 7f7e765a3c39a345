"""Public notice pages, included under /notices/ from config/urls.py."""

from django.urls import path

from tenders import views_public

app_name = "notices"

urlpatterns = [
    path("", views_public.notice_index, name="index"),
    path("feed/", views_public.NoticeFeed(), name="feed"),
    path("subscribe/", views_public.subscribe, name="subscribe"),
    path("unsubscribe/<str:token>/", views_public.unsubscribe, name="unsubscribe"),
    path("subscribe/confirm/<str:token>/", views_public.subscription_confirm, name="subscription-confirm"),
    path("<str:reference>/", views_public.notice_detail, name="detail"),
    path("<str:reference>/check/<int:sequence>/", views_public.notice_check, name="check"),
    path("<str:reference>/documents/<int:version_id>/", views_public.document_download, name="download"),
    path("<str:reference>/questions/", views_public.question_ask, name="ask"),
]

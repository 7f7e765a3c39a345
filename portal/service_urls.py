"""The portal's own pages: services, applications, staff work, consultations, information, the
personal centre, and the single sign-on demo client. (Procurement notices live in tenders/.)"""

from django.urls import path

from portal import navigation, sso_demo, views, views_guide, views_wallet
from portal.feeds import ArticleFeed

app_name = "portal"

urlpatterns = [
    path("services/", views.catalogue, name="catalogue"),
    path("services/<slug:code>/", views.guide, name="guide"),
    path("services/<slug:code>/form.pdf", views.form_pdf, name="blank_form"),
    path("services/<slug:code>/sample.pdf", views.form_pdf, {"sample": True}, name="sample_form"),
    path("services/<slug:code>/save/", views.service_save_toggle, name="service_save"),
    path("services/<slug:code>/apply/", views.apply, name="apply"),
    path("applications/<str:reference>/", views.application_page, name="application"),
    path("applications/<str:reference>/progress/", views.application_progress, name="application_progress"),
    path("applications/<str:reference>/pay/", views.application_pay, name="application_pay"),
    path("applications/<str:reference>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("payments/sandbox/<str:order_id>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("payments/notify/<slug:provider_name>/", views.payment_notify, name="payment_notify"),
    path("payments/notify/<slug:provider_name>/refunds/", views.refund_notify, name="refund_notify"),
    path("staff/", views.staff_home, name="staff"),
    path("staff/applications/<str:reference>/", views.staff_application, name="staff_application"),
    path("staff/services/<slug:code>/", views_guide.guide_edit, name="staff_service_edit"),
    path("staff/enquiries/<str:number>/", views.staff_enquiry, name="staff_enquiry"),
    path("consult/", views.enquiry_new, name="enquiry_new"),
    path("consult/lookup/", views.enquiry_lookup, name="enquiry_lookup"),
    path("consult/qa/", views.public_qa, name="qa"),
    path("info/statistics/", views.statistics, name="statistics"),
    path("info/commitments/", views.commitments, name="commitments"),
    path("info/forms/", views.form_downloads, name="form_downloads"),
    path("info/sitemap/", views.sitemap, name="sitemap"),
    path("info/subscribe/", views.subscribe, name="subscribe"),
    path("info/subscribe/<uuid:token>/confirm/", views.subscription_confirm, name="subscription_confirm"),
    path("info/subscribe/<uuid:token>/cancel/", views.subscription_cancel, name="subscription_cancel"),
    path("info/feeds/<slug:slug>.atom", ArticleFeed(), name="feed"),
    path("info/a/<slug:slug>/", views.article, name="article"),
    path("info/privacy/", views.static_page, {"page": "privacy"}, name="privacy"),
    path("info/accessibility/", views.static_page, {"page": "accessibility"}, name="accessibility"),
    path("info/help/", views.static_page, {"page": "help"}, name="help"),
    path("info/<slug:kind>/", views.articles, name="articles"),
    path("my/", views.my_home, name="my"),
    path("signed-in/", navigation.signed_in, name="signed_in"),
    path("favicon.ico", navigation.favicon, name="favicon"),
    path("my/messages/", views.my_messages, name="my_messages"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("my/preferences/", views.my_preferences, name="my_preferences"),
    path("my/licences/", views_wallet.my_licences, name="my_licences"),
    path("display/", views.display_toggle, name="display_toggle"),
    path("sso-demo/", sso_demo.start, name="sso_demo"),
    path("sso-demo/callback/", sso_demo.callback, name="sso_demo_callback"),
]

# Ratings, tracking without signing in, appointments (portal.citizen_urls)
from portal.citizen_urls import urlpatterns as _citizen_urlpatterns  # noqa: E402

urlpatterns += _citizen_urlpatterns

from django.urls import path

from suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("profile/resubmit/", views.resubmit, name="resubmit"),
    path("qualifications/", views.qualifications, name="qualifications"),
    path("qualifications/<int:pk>/file/", views.qualification_file, name="qualification_file"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:membership_id>/remove/", views.staff_remove, name="staff_remove"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/<str:fingerprint>/download/", views.certificate_download, name="certificate_download"),
    path("certificates/<str:fingerprint>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("crl.der", views.crl, name="crl"),
    path("ca.pem", views.ca_chain, name="ca_chain"),
    path("custodian-keys/", views.custodian_keys, name="custodian_keys"),
    path("custodian-keys/<str:reference>/", views.custodian_key, name="custodian_key"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/", views.verification, name="verification"),
    path("lookup/", views.lookup, name="lookup"),
]

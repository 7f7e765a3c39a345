from django.urls import path

from suppliers.api import views

urlpatterns = [
    path("register/", views.SupplierRegisterView.as_view(), name="api-supplier-register"),
    path("me/", views.MySupplierView.as_view(), name="api-supplier-me"),
    path("lookup/", views.SupplierLookupView.as_view(), name="api-supplier-lookup"),
    path("ca/chain/", views.ChainView.as_view(), name="api-ca-chain"),
    path("ca/crl/", views.CrlView.as_view(), name="api-ca-crl"),
    path("certificates/", views.CertificateListView.as_view(), name="api-certificates"),
    path("certificates/challenge/", views.ChallengeView.as_view(), name="api-certificate-challenge"),
    path("certificates/<str:fingerprint>/", views.CertificateDetailView.as_view(), name="api-certificate"),
    path(
        "certificates/<str:fingerprint>/der/", views.CertificateDerView.as_view(), name="api-certificate-der"
    ),
    path(
        "certificates/<str:fingerprint>/status/",
        views.CertificateStatusView.as_view(),
        name="api-certificate-status",
    ),
    path(
        "certificates/<str:fingerprint>/revoke/",
        views.CertificateRevokeView.as_view(),
        name="api-certificate-revoke",
    ),
    path("custodian-keys/<str:reference>/", views.CustodianKeyView.as_view(), name="api-custodian-key"),
    path(
        "custodian-keys/<str:reference>/replace/",
        views.CustodianKeyReplaceView.as_view(),
        name="api-custodian-key-replace",
    ),
    path(
        "custodian-keys/<str:reference>/confirm/",
        views.CustodianConfirmView.as_view(),
        name="api-custodian-confirm",
    ),
]

from django.urls import path

from bidding.api import views

urlpatterns = [
    path("tenders/<str:reference>/", views.TenderSealingView.as_view(), name="api-bidding-tender"),
    path("tenders/<str:reference>/my-bids/", views.MyBidsView.as_view(), name="api-bidding-my-bids"),
    path("tenders/<str:reference>/seal/", views.SealView.as_view(), name="api-bidding-seal"),
    path("uploads/", views.UploadOpenView.as_view(), name="api-bidding-uploads"),
    path("uploads/<str:bid>/", views.UploadDetailView.as_view(), name="api-bidding-upload"),
    path(
        "uploads/<str:bid>/files/<int:file>/chunks/<int:index>/",
        views.ChunkView.as_view(),
        name="api-bidding-chunk",
    ),
    path("uploads/<str:bid>/finalize/", views.FinalizeView.as_view(), name="api-bidding-finalize"),
    path("withdrawals/", views.WithdrawalView.as_view(), name="api-bidding-withdrawals"),
    path("receipts/verify/", views.ReceiptVerifyView.as_view(), name="api-bidding-receipt-verify"),
]

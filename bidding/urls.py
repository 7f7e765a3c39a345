from django.urls import path

from bidding import views

app_name = "bidding"

urlpatterns = [
    path("", views.my_bids, name="mine"),
    path("verify/", views.receipt_verify_page, name="verify"),
    path("tender/<str:reference>/", views.bid_page, name="bid"),
    path("receipts/<str:bid>.pdf", views.receipt_pdf, name="receipt_pdf"),
]

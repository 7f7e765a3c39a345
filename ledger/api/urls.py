from django.urls import path

from ledger.api import views

urlpatterns = [
    path("entries/", views.EntryListView.as_view(), name="api-ledger-entries"),
    path("entries/range/", views.EntryRangeView.as_view(), name="api-ledger-entry-range"),
    path("entries/<int:index>/", views.EntryDetailView.as_view(), name="api-ledger-entry"),
    path("tree-head/", views.TreeHeadView.as_view(), name="api-ledger-tree-head"),
    path("proofs/inclusion/", views.InclusionProofView.as_view(), name="api-ledger-inclusion"),
    path("proofs/consistency/", views.ConsistencyProofView.as_view(), name="api-ledger-consistency"),
    path("keys/", views.PublicKeysView.as_view(), name="api-ledger-keys"),
]

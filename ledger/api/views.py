"""The public ledger API: entries, signed tree heads, inclusion and consistency proofs, keys.
Anyone may read it; nobody writes through it (services append as part of their own writes)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ledger.api import serializers as s
from ledger.selectors import (
    consistency_proof,
    inclusion_proof,
    ledger_entries,
    ledger_entry_by_leaf_hash,
    ledger_entry_get,
    ledger_entry_range,
)
from ledger.services import tree_head_signed
from ledger.signing import platform_public_keys
from ledger.verify import entries_checked


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


class EntryListView(ListAPIView):
    """Entries in index order, paginated; `kind` filters."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = s.EntryOutput

    def get_queryset(self):
        return ledger_entries(kind=self.request.query_params.get("kind") or None)

    def paginate_queryset(self, queryset):
        return entries_checked(super().paginate_queryset(queryset))

    @extend_schema(parameters=[OpenApiParameter("kind", str, description="only entries of this kind")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EntryRangeView(PublicView):
    """Entries start..end−1 (at most 1,000), each as its index and exact leaf input only: what a
    verifier needs to stream a prefix of the log and recompute its root (docs/ledger.md)."""

    @extend_schema(parameters=[s.EntryRangeQuery], responses=s.EntryRangeOutput)
    def get(self, request):
        query = s.EntryRangeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        entries = entries_checked(ledger_entry_range(start=data["start"], end=data["end"]))
        return Response(s.EntryRangeOutput({**data, "entries": entries}).data)


class EntryDetailView(PublicView):
    @extend_schema(responses=s.EntryOutput)
    def get(self, request, index: int):
        (entry,) = entries_checked([ledger_entry_get(index=index)])
        return Response(s.EntryOutput(entry).data)


class TreeHeadView(PublicView):
    """The signed tree head at `size` (default: the current size), signed on first request."""

    @extend_schema(parameters=[s.TreeHeadQuery], responses=s.SignedTreeHeadOutput)
    def get(self, request):
        query = s.TreeHeadQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(tree_head_signed(size=query.validated_data.get("size")).signed)


class InclusionProofView(PublicView):
    """The audit path of one entry (by index or leaf hash) in the tree of `size` (default: current)."""

    @extend_schema(parameters=[s.InclusionQuery], responses=s.InclusionOutput)
    def get(self, request):
        query = s.InclusionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        index = (
            data["index"] if "index" in data else ledger_entry_by_leaf_hash(leaf_hash=data["leaf_hash"]).index
        )
        return Response(s.InclusionOutput(inclusion_proof(index=index, size=data.get("size"))).data)


class ConsistencyProofView(PublicView):
    @extend_schema(parameters=[s.ConsistencyQuery], responses=s.ConsistencyOutput)
    def get(self, request):
        query = s.ConsistencyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(s.ConsistencyOutput(consistency_proof(**query.validated_data)).data)


class PublicKeysView(PublicView):
    """Every platform Ed25519 public key that ever signed, oldest first (retired ones included)."""

    @extend_schema(responses=s.PublicKeysOutput)
    def get(self, request):
        return Response({"keys": platform_public_keys()})

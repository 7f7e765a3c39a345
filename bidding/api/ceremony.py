"""The opening room over HTTP, for custodians' own tools (`yizhan-client custodian open`): the served
slots with the signed seal statement and its ledger proof, and share submissions. Thin: the rules are
bidding.services.opening's (clock, window, checks on arrival, blame)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding.selectors.ceremony import tender_for_ceremony
from bidding.selectors.proofs import ledger_inclusion
from bidding.services.opening import custodian_slots, shares_submit


class SharesInput(serializers.Serializer):
    envelopes = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=10_000)


class ShareResult(serializers.Serializer):
    handle = serializers.CharField()
    state = serializers.ChoiceField(choices=["accepted", "refused"])
    code = serializers.CharField(allow_blank=True)
    owner = serializers.CharField(allow_blank=True)


class SlotsView(APIView):
    """Custodian j's slots in the share window: {"seal", "seal_ledger_index", "seal_inclusion", "index",
    "slots", "window_ends_at"} (SEALED_BIDS.md Opening 1)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference: str):
        tender = tender_for_ceremony(reference)
        served = custodian_slots(tender_id=tender.pk, user=request.user)
        served["seal_inclusion"] = ledger_inclusion(served["seal_ledger_index"])
        return Response(served)


class SharesView(APIView):
    """Submit signed points with DLEQ proofs; each is accepted or refused with the code and whose fault."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=SharesInput, responses=ShareResult(many=True))
    def post(self, request, reference: str):
        data = SharesInput(data=request.data)
        data.is_valid(raise_exception=True)
        tender = tender_for_ceremony(reference)
        results = shares_submit(
            tender_id=tender.pk, user=request.user, envelopes=data.validated_data["envelopes"]
        )
        return Response(ShareResult(results, many=True).data)

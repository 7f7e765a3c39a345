"""The evaluation API: progress (counts only), a draw's published inputs and replay (public), an
invitation's answer, the workspace's bid forms, findings and scores (visibility as on the pages)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import client_address
from config.exceptions import NotFound
from evaluation import draw as draw_rules
from evaluation import services
from evaluation.api import serializers as s
from evaluation.models import Draw
from evaluation.results import scores_for
from evaluation.selectors import progress, progress_visible, tender_by_reference, workspace_access
from evaluation.services.draws import draw_published_inputs


class ProgressView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference):
        tender = tender_by_reference(reference)
        if not progress_visible(tender=tender, user=request.user):
            raise NotFound()
        return Response({"tender": tender.reference, "status": tender.status, **progress(tender)})


class DrawReplayView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference, sequence):
        tender = tender_by_reference(reference)
        draw = Draw.objects.filter(
            tender=tender, sequence=sequence, reveal_ledger_index__isnull=False
        ).first()
        if draw is None:
            raise NotFound()
        inputs = draw_published_inputs(draw)
        try:
            replayed, matches = draw_rules.draw_replay(commit=inputs["commit"], reveal=inputs["reveal"]), True
        except draw_rules.ReplayMismatch:
            replayed, matches = [], False
        return Response({**inputs, "replayed": replayed, "matches": matches})


class RespondView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.RespondInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, member_id):
        data = s.RespondInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_respond(member_id=member_id, user=request.user, **data.validated_data)
        return Response({"state": member.state})


class BidFormView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference, opening_id):
        tender = tender_by_reference(reference)
        form = services.bid_form_read(
            tender_id=tender.pk, user=request.user, opening_id=opening_id, address=client_address(request)
        )
        return Response(form)


class FindingsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.FindingInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, reference):
        tender = tender_by_reference(reference)
        data = s.FindingInput(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_record(
            tender_id=tender.pk,
            user=request.user,
            opening_id=data.validated_data["opening"],
            compliant=data.validated_data["compliant"],
            reason=data.validated_data["reason"],
        )
        return Response({"opening": finding.opening_id, "compliant": finding.compliant}, status=201)


class ScoresView(APIView):
    """GET: the scores the caller may see (their own until every member has submitted);
    POST: record one score."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ScoreOutput(many=True))
    def get(self, request, reference):
        tender = tender_by_reference(reference)
        access = workspace_access(tender=tender, user=request.user)
        return Response(s.ScoreOutput(scores_for(access), many=True).data)

    @extend_schema(request=s.ScoreInput, responses={201: s.ScoreOutput})
    def post(self, request, reference):
        tender = tender_by_reference(reference)
        data = s.ScoreInput(data=request.data)
        data.is_valid(raise_exception=True)
        score = services.score_record(
            tender_id=tender.pk,
            user=request.user,
            opening_id=data.validated_data["opening"],
            criterion_id=data.validated_data["criterion"],
            points=data.validated_data["points"],
        )
        return Response(s.ScoreOutput(score).data, status=201)

"""The awards API: the officers' view of a tender's award and their actions, a bidder's own result
(its own scores only), and the public list of result announcements."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from awards import selectors, services
from awards.api import serializers as s
from awards.models import CandidateObjection
from config.exceptions import NotAllowed
from ledger.encoding import format_time


def _publicity(tender) -> dict | None:
    publicity = selectors.publicity_of(tender)
    if publicity is None:
        return None
    return {
        "starts_on": publicity.starts_on.isoformat(),
        "ends_on": publicity.ends_on.isoformat(),
        "candidates": publicity.candidates,
        "announcement": publicity.announcement.sequence,
    }


class TenderAwardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference):
        tender = selectors.tender_by_reference(reference)
        if not selectors.may_follow(user=request.user, tender=tender):
            raise NotAllowed()
        result = selectors.result_of(tender)
        return Response(
            {
                "tender": tender.reference,
                "status": tender.status,
                "deadlines": selectors.deadline_rows(tender),
                "candidates": selectors.candidates_data(tender),
                "publicity": _publicity(tender),
                "objections": [
                    {
                        "id": o.pk,
                        "supplier": o.supplier.organisation.name,
                        "text": o.text,
                        "raised_at": o.raised_at.isoformat(),
                        "answer": o.answer,
                        "answered_at": o.answered_at.isoformat() if o.answered_at else None,
                    }
                    for o in CandidateObjection.objects.filter(publicity__tender=tender).select_related(
                        "supplier__organisation"
                    )
                ],
                "decisions": [selectors.decision_data(d) for d in selectors.decisions_of(tender)],
                "result": result.announcement.sequence if result else None,
            }
        )


class PublicityView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, reference):
        tender = selectors.tender_by_reference(reference)
        services.candidate_publicity_publish(tender_id=tender.pk, by=request.user)
        return Response(_publicity(tender), status=201)


class ObjectionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ObjectionInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, reference):
        tender = selectors.tender_by_reference(reference)
        data = s.ObjectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.candidate_objection_raise(
            tender_id=tender.pk, by=request.user, **data.validated_data
        )
        return Response({"id": objection.pk, "raised_at": objection.raised_at.isoformat()}, status=201)


class ObjectionAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ObjectionAnswerInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, objection_id):
        data = s.ObjectionAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.candidate_objection_answer(
            objection_id=objection_id, by=request.user, **data.validated_data
        )
        answered_at = objection.answered_at
        assert answered_at is not None  # the service has just answered it
        return Response({"id": objection.pk, "answered_at": answered_at.isoformat()})


class DecisionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.AwardDecisionInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, reference):
        tender = selectors.tender_by_reference(reference)
        data = s.AwardDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        decision = services.award_decision_propose(
            tender_id=tender.pk,
            by=request.user,
            opening_id=values["opening"],
            reason=values["reason"],
            reason_detail=values["reason_detail"],
        )
        return Response(selectors.decision_data(decision), status=201)


class AnnounceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ResultAnnounceInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, decision_id):
        data = s.ResultAnnounceInput(data=request.data)
        data.is_valid(raise_exception=True)
        items = [
            {**item, "unit_price": item["unit_price"] or ""} for item in data.validated_data["main_items"]
        ]
        result = services.result_announce(
            decision_id=decision_id,
            by=request.user,
            main_items=items,
            agency_fee=data.validated_data["agency_fee"],
        )
        announcement = result.announcement
        return Response(
            {
                "announcement": announcement.sequence,
                "sha256": announcement.payload_sha256,
                "ledger_index": announcement.ledger_index,
            },
            status=201,
        )


class MyResultView(APIView):
    """A bidder's own result: the objection window and its own notice. Nothing of the others."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference):
        tender = selectors.tender_by_reference(reference)
        if not selectors.bidder_suppliers(user=request.user, tender=tender):
            raise NotAllowed()
        return Response(
            {
                "tender": tender.reference,
                "status": tender.status,
                "deadlines": selectors.deadline_rows(tender, ("objections",)),
                "notices": [
                    selectors.notice_data(n) for n in selectors.own_notices(user=request.user, tender=tender)
                ],
            }
        )


class ResultsView(APIView):
    """Every published result announcement, newest first (the same content as the notice page)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.ResultRowOutput(many=True))
    def get(self, request):
        rows = selectors.results_public()[:50]
        return Response(
            [
                {
                    "tender": a.tender.reference,
                    "title": a.title,
                    "published_at": format_time(a.published_at),
                    "url": a.get_absolute_url(),
                    "payload": a.payload,
                    "sha256": a.payload_sha256,
                    "ledger_index": a.ledger_index,
                }
                for a in rows
            ]
        )

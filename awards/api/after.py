"""The awards API after the award: each party's view of a tender's challenges, complaints,
contracts, bid securities and time limits (days left), the actions of each role, and the public
list of complaint decisions. Views validate input, call one service, answer with what changed."""

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from awards import remedy_selectors as after
from awards import selectors
from awards.models import Challenge, Complaint, Contract
from awards.remedy_constants import ChallengeSubject, ComplaintOutcome, ComplaintStatus
from awards.services import challenges, complaints, contracts, securities
from ledger.encoding import format_time


def _time(value: Any) -> str | None:
    return format_time(value) if value else None


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def challenge_data(c: Challenge, *, full: bool) -> dict[str, Any]:
    """A challenge as the API shows it; the challenger's identity and reasons only with `full`."""
    data = {
        "id": c.pk,
        "reference": c.reference,
        "subject": c.subject,
        "lot": c.lot.sb1_id if c.lot is not None else None,
        "status": c.status,
        "filed_at": _time(c.filed_at),
        "answer_due_on": _day(c.answer_due_on),
        "answer": c.answer if c.answered_at else None,
        "answered_at": _time(c.answered_at),
        "answer_sha256": c.answer_sha256 or None,
    }
    if full:
        data |= {
            "challenger": c.supplier.organisation.name,
            "reasons": c.reasons,
            "evidence": [
                {"filename": e.filename, "sha256": e.sha256, "size": e.size} for e in c.evidence.all()
            ],
        }
    return data


def complaint_data(k: Complaint) -> dict[str, Any]:
    return {
        "id": k.pk,
        "reference": k.reference,
        "challenge": k.challenge.reference,
        "status": k.status,
        "history": k.history,
        "decision_due_on": _day(k.decision_due_on),
        "outcome": k.outcome or None,
        "decision": k.decision if k.decided_at else None,
        "decision_sha256": k.decision_sha256 or None,
        "ledger_index": k.decision_ledger_index,
    }


def contract_data(k: Contract) -> dict[str, Any]:
    return {
        "id": k.pk,
        "reference": k.reference,
        "award": k.award_id,
        "status": k.status,
        "supplier": k.supplier.organisation.name,
        "amount": f"{k.amount:.2f}",
        "award_notice_on": _day(k.award_notice_on),
        "sign_due_on": _day(k.sign_due_on),
        "signed_on": _day(k.signed_on),
        "late_reason": k.late_reason or None,
        "performance_security": f"{k.performance_security:.2f}",
        "performance_security_due_on": _day(k.performance_security_due_on),
        "performance_security_received_on": _day(k.performance_security_received_on),
        "notice_due_on": _day(k.notice_due_on),
        "notice": {
            "announcement": k.notice.sequence,
            "sha256": k.notice.payload_sha256,
            "ledger_index": k.notice.ledger_index,
        }
        if k.notice is not None
        else None,
        "accepted_on": _day(k.accepted_on),
        "acceptance_passed": k.acceptance_passed,
    }


class AfterAwardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, reference):
        tender = after.tender_after_award(user=request.user, reference=reference)
        user = request.user
        privileged = selectors.may_follow(user=user, tender=tender)
        own = after.own_supplier_ids(user)
        return Response(
            {
                "tender": tender.reference,
                "deadlines": after.remedy_deadline_rows(user=user, tender=tender),
                "challenges": [
                    challenge_data(c, full=privileged or c.supplier_id in own)
                    for c in after.challenges_visible(user=user, tender=tender)
                ],
                "complaints": [complaint_data(k) for k in after.complaints_visible(user=user, tender=tender)],
                "contracts": [contract_data(k) for k in after.contracts_visible(user=user, tender=tender)],
                "bid_securities": [
                    {
                        "id": r.pk,
                        "supplier": r.supplier.organisation.name,
                        "amount": f"{r.amount:.2f}",
                        "reason": r.reason,
                        "due_on": _day(r.due_on),
                        "released_on": _day(r.released_on),
                        "ledger_index": r.ledger_index,
                    }
                    for r in after.securities_visible(user=user, tender=tender)
                ],
            }
        )


class ChallengeFileInput(serializers.Serializer):
    subject = serializers.ChoiceField(choices=ChallengeSubject.choices)
    known_on = serializers.DateField()
    reasons = serializers.CharField(max_length=10000)
    lot = serializers.IntegerField(required=False, allow_null=True, default=None)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ChallengeFileView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ChallengeFileInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, reference):
        tender = after.tender_after_award(user=request.user, reference=reference)
        data = ChallengeFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        challenge = challenges.challenge_file(
            tender_id=tender.pk,
            by=request.user,
            subject=d["subject"],
            known_on=d["known_on"],
            reasons=d["reasons"],
            lot_id=d["lot"],
            evidence=d["evidence"],
        )
        return Response(challenge_data(challenge, full=True), status=201)


class ChallengeAnswerInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField(max_length=10000)


class ChallengeAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ChallengeAnswerInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, challenge_id):
        data = ChallengeAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        challenge = challenges.challenge_answer(
            challenge_id=challenge_id, by=request.user, **data.validated_data
        )
        return Response(challenge_data(challenge, full=True))


class ComplaintLodgeInput(serializers.Serializer):
    reasons = serializers.CharField(max_length=10000)


class ComplaintLodgeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ComplaintLodgeInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, challenge_id):
        data = ComplaintLodgeInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = complaints.complaint_lodge(
            challenge_id=challenge_id, by=request.user, **data.validated_data
        )
        return Response(complaint_data(complaint), status=201)


class ComplaintStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING, ComplaintStatus.SUSPENDED]
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ComplaintStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ComplaintStatusInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, complaint_id):
        data = ComplaintStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = complaints.complaint_status_set(
            complaint_id=complaint_id, by=request.user, **data.validated_data
        )
        return Response(complaint_data(complaint))


class ComplaintDecisionInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ComplaintOutcome.choices)
    decision = serializers.CharField(max_length=10000)


class ComplaintDecisionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ComplaintDecisionInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, complaint_id):
        data = ComplaintDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = complaints.complaint_decide(
            complaint_id=complaint_id, by=request.user, **data.validated_data
        )
        return Response(complaint_data(complaint))


class ComplaintDecisionsView(APIView):
    """The published decisions on complaints: a list, newest first."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request):
        return Response(
            [
                {
                    "reference": k.reference,
                    "tender": k.challenge.tender.reference,
                    "payload": k.decision_payload,
                    "sha256": k.decision_sha256,
                    "ledger_index": k.decision_ledger_index,
                }
                for k in after.complaint_decisions_public()
            ]
        )


class ContractCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    main_items = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    performance_security = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, default=Decimal("0.00")
    )


class ContractCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ContractCreateInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, decision_id):
        data = ContractCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contracts.contract_create(award_id=decision_id, by=request.user, **data.validated_data)
        return Response(contract_data(contract), status=201)


class DayInput(serializers.Serializer):
    received_on = serializers.DateField()


class PerformanceSecurityView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DayInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, contract_id):
        data = DayInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contracts.performance_security_record(
            contract_id=contract_id, by=request.user, **data.validated_data
        )
        return Response(contract_data(contract))


class ContractSignInput(serializers.Serializer):
    signed_on = serializers.DateField()
    document = serializers.FileField()
    late_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ContractSignView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ContractSignInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, contract_id):
        data = ContractSignInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contracts.contract_sign(contract_id=contract_id, by=request.user, **data.validated_data)
        return Response(contract_data(contract))


class ContractNoticeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, contract_id):
        contract = contracts.contract_notice_publish(contract_id=contract_id, by=request.user)
        return Response(contract_data(contract), status=201)


class AcceptanceInput(serializers.Serializer):
    accepted_on = serializers.DateField()
    passed = serializers.BooleanField()
    report = serializers.CharField(max_length=10000)


class ContractAcceptanceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AcceptanceInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, contract_id):
        data = AcceptanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contracts.contract_acceptance_record(
            contract_id=contract_id, by=request.user, **data.validated_data
        )
        return Response(contract_data(contract))


class SecurityReleaseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, release_id):
        release = securities.bid_security_release(release_id=release_id, by=request.user)
        return Response(
            {"id": release.pk, "released_on": _day(release.released_on), "ledger_index": release.ledger_index}
        )

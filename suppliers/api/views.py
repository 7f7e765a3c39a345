"""Supplier registration, the public lookup, and the platform CA: challenge, enrolment, certificate
download, status and revocation."""

from django.http import HttpResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config import clock
from config.exceptions import DomainError, NotFound
from ledger.encoding import format_time
from suppliers import ca, selectors, services
from suppliers.api.serializers import (
    CertificateOutput,
    CertificateStatusOutput,
    ChainOutput,
    ChallengeInput,
    ChallengeOutput,
    ConfirmationInput,
    CustodianAssignmentOutput,
    EnrolInput,
    OpeningKeyInput,
    OpeningKeyReplaceInput,
    RevokeInput,
    SupplierOutput,
    SupplierPublicOutput,
    SupplierRegisterInput,
)
from suppliers.exceptions import CertificateNotFound, SupplierNotFound


def _with_debarments(suppliers):
    now = clock.now()
    for supplier in suppliers:
        supplier.debarments_in_force = [
            d for d in supplier.debarments.all() if d.starts_at <= now < d.ends_at
        ]
    return suppliers


class SupplierRegisterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SupplierRegisterInput, responses={201: SupplierOutput}, summary="Register an enterprise"
    )
    def post(self, request):
        data = SupplierRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        supplier = services.supplier_register(user=request.user, **data.validated_data)
        return Response(SupplierOutput(_with_debarments([supplier])[0]).data, status=201)


class MySupplierView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SupplierOutput, summary="The enterprise the caller works for")
    def get(self, request):
        supplier = selectors.supplier_of(user=request.user)
        if supplier is None:
            raise SupplierNotFound()
        return Response(SupplierOutput(_with_debarments([supplier])[0]).data)


class SupplierLookupView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="name (part) or credit code")],
        responses=SupplierPublicOutput(many=True),
        summary="Public supplier lookup",
    )
    def get(self, request):
        suppliers = list(selectors.supplier_public_search(query=request.query_params.get("q", ""))[:50])
        return Response(SupplierPublicOutput(_with_debarments(suppliers), many=True).data)


class ChallengeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ChallengeInput, responses={201: ChallengeOutput}, summary="A challenge to enrol a key"
    )
    def post(self, request):
        data = ChallengeInput(data=request.data)
        data.is_valid(raise_exception=True)
        challenge = services.enrolment_challenge_issue(
            user=request.user, purpose=data.validated_data["purpose"]
        )
        return Response(services.challenge_object(challenge), status=201)


class CertificateListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CertificateOutput(many=True), summary="My certificates (and my enterprise's)")
    def get(self, request):
        return Response(
            CertificateOutput(selectors.certificates_visible_to(user=request.user), many=True).data
        )

    @extend_schema(
        request=EnrolInput,
        responses={201: CertificateOutput},
        summary="Enrol: prove possession of the key and receive a certificate",
    )
    def post(self, request):
        data = EnrolInput(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_enrol(user=request.user, **data.validated_data)
        return Response(CertificateOutput(certificate).data, status=201)


def _certificate(fingerprint: str):
    from suppliers.models import Certificate

    certificate = (
        Certificate.objects.select_related("holder", "supplier__organisation")
        .filter(fingerprint=fingerprint)
        .first()
    )
    if certificate is None:
        raise CertificateNotFound()
    return certificate


class CertificateDetailView(APIView):
    """A certificate is public by its fingerprint (it carries no secret; verifiers need it)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=CertificateOutput, summary="A certificate by its fingerprint")
    def get(self, request, fingerprint: str):
        return Response(CertificateOutput(_certificate(fingerprint)).data)


class CertificateDerView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={(200, "application/pkix-cert"): OpenApiTypes.BINARY},
        summary="Download a certificate (DER)",
    )
    def get(self, request, fingerprint: str):
        certificate = _certificate(fingerprint)
        response = HttpResponse(bytes(certificate.der), content_type="application/pkix-cert")
        response["Content-Disposition"] = f'attachment; filename="yizhan-{certificate.serial_number}.cer"'
        return response


class CertificateStatusView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("at", OpenApiTypes.DATETIME, description="moment to judge (default now)")
        ],
        responses=CertificateStatusOutput,
        summary="Certificate status at a moment",
    )
    def get(self, request, fingerprint: str):
        at_text = request.query_params.get("at")
        at = parse_datetime(at_text) if at_text else clock.now()
        if at is None or at.tzinfo is None:
            raise DomainError(_("`at` must be an ISO 8601 time with a time zone."), code="invalid_time")
        status = selectors.certificate_status(fingerprint, at)
        revoked_at = status.certificate.revoked_at if status.certificate else None
        return Response(
            {"fingerprint": fingerprint, "at": at, "status": status.state, "revoked_at": revoked_at}
        )


class CertificateRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RevokeInput, responses=CertificateOutput, summary="Revoke a certificate")
    def post(self, request, fingerprint: str):
        data = RevokeInput(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(
            certificate=_certificate(fingerprint), by=request.user, reason=data.validated_data["reason"]
        )
        return Response(CertificateOutput(certificate).data)


class ChainView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ChainOutput, summary="The platform CA chain (issuing, root)")
    def get(self, request):
        return Response({"chain_pem": ca.chain_pem().decode()})


class CrlView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={(200, "application/pkix-crl"): OpenApiTypes.BINARY},
        summary="The certificate revocation list (DER, signed by the issuing CA)",
    )
    def get(self, request):
        return HttpResponse(selectors.certificate_revocation_list(), content_type="application/pkix-crl")


def _assignment(user, reference: str, signer: str) -> dict:
    from bidding.selectors.keys import (
        confirmation_current,
        confirmation_expected,
        custodianship_get,
        opening_key_of,
    )

    custodian = custodianship_get(user=user, reference=reference)
    if custodian is None:
        raise NotFound(_("You are not a key custodian of this tender."))
    tender = custodian.tender
    key = opening_key_of(tender=tender, index=custodian.index, user=user)
    replaced = selectors.opening_keys_replaced(tender=tender, custodian=custodian)
    return {
        "tender": tender.reference,
        "title": tender.title,
        "status": tender.status,
        "index": custodian.index,
        "threshold": tender.threshold_k,
        "custodian_count": tender.custodians.count(),
        "registration": key.envelope if key else None,
        "confirmation_to_sign": confirmation_expected(tender, signer=signer),
        "confirmed": confirmation_current(tender, custodian) is not None,
        "replaced": [
            {
                "key_id": r.key_id,
                "replaced_by": r.replaced_by_key_id,
                "replaced_at": format_time(r.replaced_at),
            }
            for r in replaced
        ],
        "replaceable": selectors.opening_key_replaceable(tender),
    }


class CustodianKeyView(APIView):
    """A custodian's opening key for one tender (SEALED_BIDS.md "Keys"). The private key never comes here."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "signer", str, description="your certificate fingerprint, to fill in the confirmation to sign"
            )
        ],
        responses=CustodianAssignmentOutput,
        summary="My place among a tender's custodians",
    )
    def get(self, request, reference: str):
        return Response(_assignment(request.user, reference, request.query_params.get("signer", "")))

    @extend_schema(
        request=OpeningKeyInput,
        responses={201: CustodianAssignmentOutput},
        summary="Register my opening key for the tender",
    )
    def post(self, request, reference: str):
        from bidding.services.keys import opening_key_register

        data = OpeningKeyInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The envelope is stored exactly as sent (it is signed), not as the serializer reshaped it.
        key = opening_key_register(user=request.user, reference=reference, envelope=dict(request.data))
        return Response(_assignment(request.user, reference, key.signer), status=201)


class CustodianKeyReplaceView(APIView):
    """Replace a lost opening key before the tender is published (every custodian then confirms again)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=OpeningKeyReplaceInput,
        responses={200: CustodianAssignmentOutput},
        summary="Replace my opening key for the tender (before publication)",
    )
    def post(self, request, reference: str):
        data = OpeningKeyReplaceInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The registration is stored exactly as sent (it is signed); the reason travels beside it.
        envelope = {k: v for k, v in request.data.items() if k != "reason"}
        services.opening_key_replace(
            user=request.user, reference=reference, envelope=envelope, reason=data.validated_data["reason"]
        )
        return Response(_assignment(request.user, reference, envelope["registration"]["signer"]))


class CustodianConfirmView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ConfirmationInput,
        responses={201: CustodianAssignmentOutput},
        summary="Confirm the tender's custodians, threshold, deadline and share window",
    )
    def post(self, request, reference: str):
        from bidding.services.keys import custodian_confirm

        data = ConfirmationInput(data=request.data)
        data.is_valid(raise_exception=True)
        confirmation = custodian_confirm(user=request.user, reference=reference, envelope=dict(request.data))
        return Response(_assignment(request.user, reference, confirmation.signer), status=201)

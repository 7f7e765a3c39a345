"""The sealed-bid API: open an upload, PUT chunks (raw bytes with X-Chunk-SHA256), ask which chunks
the server holds, finalize with the manifest and signature, withdraw; the tender's SB1 parameters;
the bidder's own bids with proofs; the seal statement; the public receipt check. Thin: every rule
lives in bidding.services / bidding.selectors."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding.api import serializers as s
from bidding.arrival import SCOPE_KEY, finalize_arrival
from bidding.constants import CHUNK_HEADER
from bidding.exceptions import NotABidder, NotSealedYet, TenderUnknown, UploadUnknown
from bidding.sb1.sealing import CHUNK_SIZE, TAG_SIZE
from bidding.selectors.proofs import ledger_inclusion, receipt_sha256, receipt_verify, sb1_notice_entry
from bidding.selectors.submission import (
    bid_limits,
    bidder_supplier,
    bidder_tender_summary,
    upload_of,
    upload_summary,
)
from bidding.services.seal import seal_ensure
from bidding.services.submission import bid_chunk_put, bid_finalize, bid_upload_open, bid_withdraw
from config import clock
from config.exceptions import DomainError
from config.parsers import read_limited
from ledger.encoding import EncodingError, b64u_decode, format_time
from tenders import readout
from tenders.constants import PUBLIC_STATUSES
from tenders.models import Tender


class OctetStreamParser(BaseParser):
    """A chunk's ciphertext, as raw bytes: never more than one full chunk (SB1 chunk plus its tag)
    is read; the service then checks the exact length the chunk must have."""

    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None):
        return read_limited(stream, CHUNK_SIZE + TAG_SIZE, parser_context)


def _receipt_response(receipt, created: bool) -> Response:
    return Response(
        {"receipt": receipt.envelope, "receipt_sha256": receipt.receipt_sha256},
        status=201 if created else 200,
    )


def _public_tender(reference: str) -> Tender:
    tender = Tender.objects.filter(reference=reference, status__in=PUBLIC_STATUSES).first()
    if tender is None:
        raise TenderUnknown()
    return tender


class TenderSealingView(APIView):
    """What a client needs to seal a bid for a tender: the SB1 notice as logged, lots, limits."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.TenderSealingOutput, tags=["bidding"])
    def get(self, request, reference: str):
        tender = _public_tender(reference)
        entry = sb1_notice_entry(tender)
        if entry is None:
            raise TenderUnknown()
        limits = bid_limits(tender)
        now = clock.now()
        return Response(
            {
                "tender": tender.reference,
                "title": tender.title,
                "lots": [{"id": lot.sb1_id, "title": lot.title} for lot in tender.lots.order_by("number")],
                "readout": list(tender.readout_fields),
                "readout_items": readout.tender_items(tender),
                "deadline": format_time(tender.bid_deadline),
                "server_time": format_time(now),
                "open": tender.is_open_for_bids(now),
                "max_bytes": limits.max_bytes,
                "max_files": limits.max_files,
                "notice": entry.document,
                "notice_ledger_index": entry.index,
            }
        )


class UploadOpenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.UploadOpenInput, responses={201: s.UploadOutput, 200: s.UploadOutput}, tags=["bidding"]
    )
    def post(self, request):
        data = s.UploadOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload, created = bid_upload_open(
            user=request.user,
            tender_reference=data.validated_data["tender"],
            lot=data.validated_data["lot"],
            bid=data.validated_data["bid"],
            file_sizes=data.validated_data["file_sizes"],
        )
        return Response(s.UploadOutput(upload_summary(upload)).data, status=201 if created else 200)


class UploadDetailView(APIView):
    """Which chunks the server holds (to resume), and the receipt once finalized."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.UploadOutput, tags=["bidding"])
    def get(self, request, bid: str):
        upload = upload_of(user=request.user, bid=bid)
        if upload is None:
            raise UploadUnknown()
        return Response(s.UploadOutput(upload_summary(upload)).data)


class ChunkView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [OctetStreamParser]

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter(
                CHUNK_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="b64u SHA-256 of the body",
            )
        ],
        responses={201: s.ChunkOutput, 200: s.ChunkOutput},
        tags=["bidding"],
    )
    def put(self, request, bid: str, file: int, index: int):
        chunk, created = bid_chunk_put(
            user=request.user,
            bid=bid,
            file_index=file,
            index=index,
            # Through OctetStreamParser (bounded), not request.body: an empty body parses to {}.
            data=request.data if isinstance(request.data, bytes) else b"",
            sha256=request.headers.get(CHUNK_HEADER, ""),
        )
        return Response(s.ChunkOutput(chunk).data, status=201 if created else 200)


class FinalizeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.FinalizeInput, responses={201: s.ReceiptOutput, 200: s.ReceiptOutput}, tags=["bidding"]
    )
    def post(self, request, bid: str):
        # The time of receipt: stamped by FinalizeArrivalMiddleware when the body's last byte came in
        # (ASGI), else now, before anything else is done with the request.
        stamped = (getattr(request, "scope", None) or {}).get(SCOPE_KEY)
        with finalize_arrival(bid=bid, received_at=stamped) as received_at:
            data = s.FinalizeInput(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                manifest = b64u_decode(data.validated_data["manifest"])
            except EncodingError:
                raise DomainError(
                    code="manifest_encoding", message="The manifest is not unpadded base64url."
                ) from None
            receipt, created = bid_finalize(
                user=request.user,
                bid=bid,
                manifest=manifest,
                signature=data.validated_data["signature"],
                received_at=received_at,
            )
        return _receipt_response(receipt, created)


class WithdrawalView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.WithdrawalInput, responses={201: s.ReceiptOutput, 200: s.ReceiptOutput}, tags=["bidding"]
    )
    def post(self, request):
        # The envelope goes to the service as sent: it checks every part (and refuses an unsigned one).
        receipt, created = bid_withdraw(user=request.user, envelope=request.data)
        return _receipt_response(receipt, created)


class MyBidsView(APIView):
    """The bidder's own versions in a tender, with status; after the deadline the seal and the proofs."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MyBidsOutput, tags=["bidding"])
    def get(self, request, reference: str):
        supplier = bidder_supplier(user=request.user)
        if supplier is None:
            raise NotABidder()
        tender = _public_tender(reference)
        seal = seal_ensure(tender)
        summary = bidder_tender_summary(supplier=supplier, tender=tender, seal=seal, now=clock.now())
        for row in summary["versions"]:
            row["received_at"] = format_time(row["received_at"])
        for row in summary["unfinalized"]:
            row["opened_at"] = format_time(row["opened_at"])
        return Response(summary)


class SealView(APIView):
    """The tender's signed seal statement and its ledger proof (written now if no job has yet)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.SealOutput, tags=["bidding"])
    def get(self, request, reference: str):
        seal = seal_ensure(_public_tender(reference))
        if seal is None:
            raise NotSealedYet()
        return Response({"seal": seal.envelope, "ledger_proof": ledger_inclusion(seal.ledger_index)})


class ReceiptVerifyView(APIView):
    """Check any receipt: the signature; after the deadline its ledger entry and the sealed set."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=s.ReceiptVerifyInput, responses=s.ReceiptCheckOutput, tags=["bidding"])
    def post(self, request):
        data = s.ReceiptVerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        check = receipt_verify(data.validated_data["receipt"])
        body = dict(check.__dict__)
        body["findings"] = [str(f) for f in check.findings]
        if check.ok:
            body["receipt_sha256"] = receipt_sha256(data.validated_data["receipt"])
        return Response(body)

"""Reads about sealed bids, with SB1's secrecy rule: before the deadline a bid is visible to its own
supplier's staff only (officers included, nobody else learns that it exists); after the seal the
receipts, the sealed set and the proofs are public through the ledger."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Subquery

from bidding.constants import DEFAULT_MAX_BID_BYTES, DEFAULT_MAX_BID_FILES
from bidding.models import BidChunk, BidLimit, BidReceipt, BidUpload, BidVersion, BidWithdrawal, SealStatement
from bidding.sb1.sealing import CustodianKey
from bidding.selectors.keys import opening_keys_current
from ledger.encoding import b64u_decode
from suppliers.models import Supplier
from suppliers.selectors import supplier_of, suppliers_of
from tenders.models import Tender


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_files: int


def bid_limits(tender: Tender) -> Limits:
    row = BidLimit.objects.filter(tender=tender).first()
    if row is None:
        return Limits(DEFAULT_MAX_BID_BYTES, DEFAULT_MAX_BID_FILES)
    return Limits(row.max_bytes, row.max_files)


def tender_custodian_keys(tender: Tender) -> list[CustodianKey]:
    """The custodians' opening keys as the published notice fixes them (they cannot change after)."""
    return [CustodianKey(k.index, b64u_decode(k.key), k.key_id) for k in opening_keys_current(tender) or []]


def tender_lot_ids(tender: Tender) -> list[str]:
    return [lot.sb1_id for lot in tender.lots.order_by("number")]


def bidder_supplier(*, user: Any) -> Supplier | None:
    return supplier_of(user=user) if user.is_authenticated else None


def upload_of(*, user: Any, bid: str) -> BidUpload | None:
    """The upload with this bid id if it belongs to the user's supplier, else None (whether it
    exists for someone else is never told). One query (every chunk of a bid asks it): the user's
    supplier is `supplier_of`'s, as a subquery; the tender, supplier and version come with it."""
    if not user.is_authenticated:
        return None
    first_supplier = suppliers_of(user=user).order_by("pk").values("pk")[:1]
    return (
        BidUpload.objects.filter(bid=bid, supplier=Subquery(first_supplier))
        .select_related("tender", "supplier", "version")
        .first()
    )


def upload_chunks_present(upload: BidUpload) -> list[BidChunk]:
    return list(BidChunk.objects.filter(upload=upload).order_by("file_index", "index"))


def version_current(*, tender: Tender, supplier: Supplier, lot: str | None) -> BidVersion | None:
    """The supplier's latest version for the lot (withdrawn or not)."""
    return (
        BidVersion.objects.filter(tender=tender, supplier=supplier, lot=lot)
        .order_by("-received_at", "-pk")
        .first()
    )


def version_is_withdrawn(version: BidVersion) -> bool:
    return BidWithdrawal.objects.filter(version=version).exists()


def versions_counting(tender: Tender) -> list[BidVersion]:
    """The sealed set: per supplier and lot, the latest version unless it is withdrawn."""
    latest: dict[tuple[int, str | None], BidVersion] = {}
    for version in BidVersion.objects.filter(tender=tender).order_by("received_at", "pk"):
        latest[(version.supplier_id, version.lot)] = version
    withdrawn = set(BidWithdrawal.objects.filter(version__tender=tender).values_list("version_id", flat=True))
    return [v for v in latest.values() if v.pk not in withdrawn]


def versions_of_supplier(*, supplier: Supplier, tender: Tender | None = None) -> QuerySet[BidVersion]:
    qs = BidVersion.objects.filter(supplier=supplier).select_related("tender", "receipt", "submitted_by")
    if tender is not None:
        qs = qs.filter(tender=tender)
    return qs.order_by("tender", "lot", "received_at", "pk")


def uploads_unfinalized(*, supplier: Supplier, tender: Tender | None = None) -> QuerySet[BidUpload]:
    """Uploads the supplier opened but never finalized (they count for nothing)."""
    qs = BidUpload.objects.filter(supplier=supplier, version__isnull=True).select_related("tender")
    if tender is not None:
        qs = qs.filter(tender=tender)
    return qs.order_by("-opened_at")


def receipts_of_supplier(*, supplier: Supplier, tender: Tender) -> QuerySet[BidReceipt]:
    return BidReceipt.objects.filter(supplier=supplier, tender=tender).order_by("sequence")


def seal_of(tender: Tender) -> SealStatement | None:
    return SealStatement.objects.filter(tender=tender).first()


def upload_summary(upload: BidUpload) -> dict[str, Any]:
    """What a client resuming an upload needs: the chunk lengths, which chunks are held, the receipt."""
    from bidding.sb1.sealing import expected_chunk_lengths

    version = BidVersion.objects.filter(upload=upload).select_related("receipt").first()
    return {
        "tender": upload.tender,
        "lot": upload.lot,
        "bid": upload.bid,
        "file_sizes": upload.file_sizes,
        "chunk_lengths": [expected_chunk_lengths(size) for size in upload.file_sizes],
        "present": [[c.file_index, c.index] for c in upload_chunks_present(upload)],
        "finalized": version is not None,
        "receipt": version.receipt.envelope if version is not None else None,
    }


def bidder_tender_summary(
    *, supplier: Supplier, tender: Tender, seal: SealStatement | None, now: Any
) -> dict[str, Any]:
    """The supplier's own versions, withdrawals and unfinalized uploads in one tender, each with its
    status; after the seal, the proofs (the caller has called `seal_ensure`)."""
    from bidding.selectors.proofs import ledger_inclusion, seal_membership

    counting = {v.pk for v in versions_counting(tender)}
    latest: dict[str | None, int] = {}
    versions = list(versions_of_supplier(supplier=supplier, tender=tender))
    for v in versions:
        latest[v.lot] = v.pk
    withdrawals = {
        w.version_id: w for w in BidWithdrawal.objects.filter(version__in=versions).select_related("receipt")
    }
    past = tender.bid_deadline is not None and now >= tender.bid_deadline
    rows = []
    for v in versions:
        withdrawal = withdrawals.get(v.pk)
        if withdrawal is not None:
            status = "withdrawn"
        elif v.pk in counting:
            status = "sealed" if seal is not None else "counting"
        else:
            status = "replaced"
        row = {
            "bid": v.bid,
            "lot": v.lot,
            "manifest_sha256": v.manifest_sha256,
            "received_at": v.received_at,
            "replaces": v.replaces.manifest_sha256 if v.replaces_id else None,
            "status": status,
            "receipt": v.receipt.envelope,
            "receipt_sha256": v.receipt.receipt_sha256,
            "submitted_by": str(v.submitted_by),
            "withdrawal_receipt": withdrawal.receipt.envelope if withdrawal else None,
            "membership": None,
            "receipt_ledger": None,
        }
        if seal is not None:
            row["membership"] = seal_membership(seal, v.manifest_sha256)
            if v.receipt.ledger_index is not None:
                row["receipt_ledger"] = ledger_inclusion(v.receipt.ledger_index)
        rows.append(row)
    unfinalized = [
        {
            "bid": u.bid,
            "lot": u.lot,
            "opened_at": u.opened_at,
            "chunks_present": u.chunks.count(),
            "chunks_needed": sum(len(expected_lengths) for expected_lengths in _lengths(u.file_sizes)),
            "counts": False,
            "deadline_passed": past,
        }
        for u in uploads_unfinalized(supplier=supplier, tender=tender)
    ]
    seal_view = None
    if seal is not None:
        seal_view = {"statement": seal.envelope, "ledger_proof": ledger_inclusion(seal.ledger_index)}
    return {
        "tender": tender.reference,
        "sealed": seal is not None,
        "deadline_passed": past,
        "versions": rows,
        "unfinalized": unfinalized,
        "seal": seal_view,
    }


def _lengths(file_sizes: list[int]) -> list[list[int]]:
    from bidding.sb1.sealing import expected_chunk_lengths

    return [expected_chunk_lengths(size) for size in file_sizes]

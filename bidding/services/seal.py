"""The seal at the deadline (SEALED_BIDS.md "The seal at the deadline"): from the clock alone, once
per tender, every receipt and withdrawal receipt goes into the ledger in order of `received_at`,
`supplier`, `sequence`, then the platform-signed seal statement with the Merkle root of the sealed
set and the custodians' slot roots. Run by Celery beat and by the first request that needs it.

The seal waits while a finalize of the tender received before the deadline is still being checked
(`bidding.arrival`), for at most `FINALIZE_GRACE` after the deadline."""

import datetime as dt

from django.db import transaction

from bidding.arrival import finalizes_arriving
from bidding.constants import FINALIZE_GRACE, SEAL
from bidding.exceptions import NotSealedYet
from bidding.models import BidReceipt, BidUpload, SealStatement
from bidding.sb1.manifest import manifest_parse
from bidding.sb1.seal import CountingBid, seal_statement_build
from bidding.selectors.keys import opening_keys_current
from bidding.selectors.submission import seal_of, versions_counting
from config import clock
from ledger.encoding import format_time
from ledger.services import ledger_append, ledger_append_many
from tenders.constants import PUBLIC_STATUSES, TenderStatus
from tenders.models import Tender


def finalizes_in_time_pending(tender: Tender, now: dt.datetime) -> bool:
    """A finalize of this tender whose request arrived before the deadline is still being checked,
    and the grace after the deadline has not run out: the seal must wait for it."""
    if now >= tender.bid_deadline + FINALIZE_GRACE:
        return False
    bids = [bid for bid, received_at in finalizes_arriving() if received_at < tender.bid_deadline]
    return bool(bids) and BidUpload.objects.filter(tender=tender, bid__in=bids).exists()


def tender_is_sealable(tender: Tender, now) -> bool:
    """The deadline has passed (by the clock) for a tender that took bids until then: published and
    not cancelled before its deadline; and no finalize received in time is still being checked
    (waited for up to FINALIZE_GRACE after the deadline)."""
    if tender.bid_deadline is None or now < tender.bid_deadline or tender.status not in PUBLIC_STATUSES:
        return False
    if tender.status == TenderStatus.CANCELLED and (
        tender.cancelled_at is None or tender.cancelled_at < tender.bid_deadline
    ):
        return False
    return not finalizes_in_time_pending(tender, now)


@transaction.atomic
def tender_seal(*, tender_id: int) -> SealStatement:
    """Seal the tender's bids. Idempotent: the first call writes, every later one returns the same seal.

    Before: the clock is at or past the deadline, and no finalize received before it is still being
    checked unless the grace after the deadline has run out (finalizes take the same tender lock and
    refuse once the tender is sealed, so none can commit after this has read the receipts).
    After: receipts (both kinds) appended to the ledger in the spec's order, each row noting its
    ledger index; then the signed statement {"type":"SB1/seal",...} appended and stored."""
    tender = Tender.objects.select_for_update().get(pk=tender_id)
    existing = seal_of(tender)
    if existing is not None:
        return existing
    now = clock.now()
    if not tender_is_sealable(tender, now):
        raise NotSealedYet()
    receipts = list(
        BidReceipt.objects.filter(tender=tender).order_by("received_at", "supplier_code", "sequence")
    )
    entries = ledger_append_many(items=[(r.kind, r.envelope) for r in receipts])
    for receipt, entry in zip(receipts, entries, strict=True):
        receipt.ledger_index = entry.index
    BidReceipt.objects.bulk_update(receipts, ["ledger_index"], batch_size=500)
    counting = [CountingBid.of(manifest_parse(bytes(v.manifest))) for v in versions_counting(tender)]
    payload = seal_statement_build(
        tender=tender.reference,
        deadline=format_time(tender.bid_deadline),
        sealed_at=format_time(now),
        counting=counting,
        custodian_count=len(opening_keys_current(tender) or []),
        receipts=len(receipts),
    )
    entry = ledger_append(kind=SEAL, payload=payload)
    return SealStatement.objects.create(
        tender=tender,
        envelope=entry.document,
        ledger_index=entry.index,
        sealed_at=now,
        count=payload["count"],
    )


def seal_ensure(tender: Tender) -> SealStatement | None:
    """The tender's seal if its deadline has passed (writing it now if no job has yet), else None."""
    existing = seal_of(tender)
    if existing is not None:
        return existing
    if not tender_is_sealable(tender, clock.now()):
        return None
    return tender_seal(tender_id=tender.pk)


def seals_due() -> int:
    """Seal every tender whose deadline has passed and that has no seal yet; returns how many."""
    now = clock.now()
    due = Tender.objects.filter(
        bid_deadline__lte=now, status__in=PUBLIC_STATUSES, seal_statement__isnull=True
    )
    sealed = 0
    for tender in due:
        if tender_is_sealable(tender, now):
            tender_seal(tender_id=tender.pk)
            sealed += 1
    return sealed

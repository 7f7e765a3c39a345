"""What the opening left for the evaluation committee, read through the at-rest contents key: the
opened bids of a tender, whether the opening record is issued, each bid's form and attachments, and
who took part in the opening. Public for the apps above bidding (evaluation); callers audit reads."""

import hashlib
import json
from typing import Any

from bidding import at_rest
from bidding.ceremony_constants import BidOpeningState, CeremonyRole
from bidding.models import BidOpening, CeremonyCheckIn, CeremonyRoom
from bidding.sb1.manifest import manifest_parse
from bidding.storage import bid_storage
from tenders.models import Tender


def opening_room(*, tender_id: int) -> CeremonyRoom | None:
    return CeremonyRoom.objects.filter(tender_id=tender_id).first()


def opening_record_issued(*, tender_id: int) -> bool:
    """True once the signed opening record exists (the ceremony closed and its PDF is in the ledger)."""
    return CeremonyRoom.objects.filter(tender_id=tender_id, record__isnull=False).exists()


def bid_openings(*, tender_id: int) -> list[BidOpening]:
    """Every counting bid of the tender's opening, opened or failed, in read-out order."""
    return list(
        BidOpening.objects.filter(room__tender_id=tender_id)
        .select_related("supplier__organisation", "version", "room__tender")
        .order_by("position")
    )


def opened_bid_form(opening: BidOpening) -> dict[str, Any]:
    """The opened bid form (SEALED_BIDS.md "The form") of an opened bid."""
    if opening.state != BidOpeningState.OPENED or opening.sealed_form is None:
        return {}
    label = f"form/{opening.room.tender.reference}/{opening.manifest_sha256}"
    return json.loads(at_rest.contents_unseal(bytes(opening.sealed_form), label=label))


def opened_attachment(opening: BidOpening, index: int) -> bytes:
    """Attachment `index` (1..m) of an opened bid, in plain text, from the chunks kept sealed at rest."""
    manifest = manifest_parse(bytes(opening.version.manifest))
    if opening.state != BidOpeningState.OPENED or not 1 <= index < len(manifest.files):
        raise KeyError(index)
    storage, parts = bid_storage(), []
    for chunk in range(manifest.files[index].chunks):
        name = f"opened/{opening.room.tender_id}/{opening.manifest_sha256}/{index}/{chunk}"
        with storage.open(name, "rb") as fh:
            parts.append(at_rest.contents_unseal(fh.read(), label=name))
    return b"".join(parts)


def opened_attachment_digests(opening: BidOpening) -> list[tuple[int, str, str]]:
    """(index, name, SHA-256 hex of the plaintext) of every attachment of an opened bid."""
    rows = []
    for item in opened_bid_form(opening).get("attachments", []):
        digest = hashlib.sha256(opened_attachment(opening, int(item["index"]))).hexdigest()
        rows.append((int(item["index"]), str(item["name"]), digest))
    return rows


def opening_participants(*, tender: Tender) -> set[int]:
    """Users who took part in running the opening: its custodians and whoever checked in as host."""
    users = set(tender.custodians.values_list("user_id", flat=True))
    users |= set(
        CeremonyCheckIn.objects.filter(room__tender=tender, role=CeremonyRole.HOST).values_list(
            "user_id", flat=True
        )
    )
    return users


def bidders_of(*, tender: Tender) -> list[int]:
    """Supplier ids of the tender's counting bids at the opening (the sealed set)."""
    return sorted(set(BidOpening.objects.filter(room__tender=tender).values_list("supplier_id", flat=True)))

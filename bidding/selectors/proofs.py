"""What lets anyone check a bid after the seal: the inclusion proof of a manifest hash in the sealed
set, ledger inclusion proofs under a signed tree head, and the check of a receipt (its signature;
after the deadline its ledger entry and whether its bid is in the sealed set)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from bidding.constants import RECEIPT, WITHDRAWAL_RECEIPT
from bidding.models import SealStatement
from ledger.encoding import b64u_decode, b64u_encode, jcs, parse_time
from ledger.exceptions import EntryNotFound
from ledger.merkle import inclusion_path, leaf_hash
from ledger.models import LedgerEntry
from ledger.selectors import inclusion_proof
from ledger.signing import platform_verify
from tenders.constants import PUBLIC_STATUSES
from tenders.models import Tender

RECEIPT_KEYS = {
    "type",
    "suite",
    "tender",
    "lot",
    "bid",
    "supplier",
    "manifest_sha256",
    "received_at",
    "sequence",
}
WITHDRAWAL_RECEIPT_KEYS = RECEIPT_KEYS | {"withdrawal_sha256"}


def sb1_notice_entry(tender: Tender) -> LedgerEntry | None:
    """The tender's latest SB1 notice in the ledger (a moved deadline makes a new one)."""
    return (
        LedgerEntry.objects.filter(kind="SB1/notice", document__payload__tender=tender.reference)
        .order_by("-index")
        .first()
    )


def ledger_inclusion(index: int) -> dict[str, Any]:
    """Entry `index`'s RFC 9162 audit path to the current tree, with that size's signed tree head."""
    from ledger.services import tree_head_signed

    proof = inclusion_proof(index=index)
    head = tree_head_signed(size=proof.tree_size)
    return {
        "index": index,
        "tree_size": proof.tree_size,
        "leaf_hash": b64u_encode(proof.leaf_hash),
        "path": [b64u_encode(node) for node in proof.path],
        "tree_head": head.signed,
    }


def seal_membership(seal: SealStatement, manifest_sha256: str) -> dict[str, Any] | None:
    """The inclusion proof of a manifest hash among the seal's `bids` (leaf input = the 32 bytes),
    or None when the bid is not in the sealed set."""
    bids = seal.envelope["payload"]["bids"]
    if manifest_sha256 not in bids:
        return None
    position = bids.index(manifest_sha256)
    leaves = [b64u_decode(b) for b in bids]
    return {
        "manifest_sha256": manifest_sha256,
        "leaf_index": position,
        "tree_size": len(leaves),
        "path": [b64u_encode(node) for node in inclusion_path(position, leaves)],
        "root": seal.envelope["payload"]["root"],
    }


def receipt_sha256(envelope: dict[str, Any]) -> str:
    """The receipt hash printed (and QR-coded) on a receipt: b64u(SHA-256(JCS(envelope)))."""
    import hashlib

    return b64u_encode(hashlib.sha256(jcs(envelope)).digest())


@dataclass
class ReceiptCheck:
    """The outcome of checking a receipt; `findings` are sentences for people, `ok` the verdict."""

    ok: bool
    kind: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    sealed: bool = False
    in_ledger: bool | None = None
    ledger_index: int | None = None
    counting: bool | None = None
    findings: list[Any] = field(default_factory=list)
    ledger_proof: dict[str, Any] | None = None
    membership: dict[str, Any] | None = None
    seal_ledger_index: int | None = None


def receipt_verify(envelope: Any) -> ReceiptCheck:
    """Check a receipt anyone may hold. Before the deadline: the platform signature only (and nothing
    about other bids is looked up, so the answer reveals nothing). After it (sealing now if no job
    has): the receipt's ledger entry before the seal statement, and for a bid receipt whether its
    manifest is in the sealed set."""
    from bidding.services.seal import seal_ensure

    if not isinstance(envelope, dict) or set(envelope) != {"payload", "key_id", "signature"}:
        return ReceiptCheck(False, findings=[_("This is not a platform-signed receipt.")])
    payload = envelope["payload"]
    kind = payload.get("type") if isinstance(payload, dict) else None
    keys = {RECEIPT: RECEIPT_KEYS, WITHDRAWAL_RECEIPT: WITHDRAWAL_RECEIPT_KEYS}.get(kind)
    if keys is None or set(payload) != keys:
        return ReceiptCheck(False, findings=[_("This is not an SB1 receipt.")])
    if not platform_verify(envelope):
        return ReceiptCheck(
            False,
            kind=kind,
            payload=payload,
            findings=[_("The platform signature does NOT verify: this receipt was altered or forged.")],
        )
    check = ReceiptCheck(True, kind=kind, payload=payload, findings=[_("The platform signature verifies.")])
    tender = Tender.objects.filter(reference=payload["tender"], status__in=PUBLIC_STATUSES).first()
    seal = seal_ensure(tender) if tender is not None else None
    if seal is None:
        check.findings.append(
            _(
                "The tender is not sealed yet: after its deadline this receipt can also be "
                "checked against the public ledger."
            )
        )
        return check
    check.sealed, check.seal_ledger_index = True, seal.ledger_index
    try:
        entry = LedgerEntry.objects.filter(leaf_hash=leaf_hash(jcs(envelope))).order_by("index").first()
        if entry is None:
            raise EntryNotFound()
    except EntryNotFound:
        entry = None
    if entry is None or entry.index > seal.ledger_index:
        check.ok, check.in_ledger = False, False
        check.findings.append(
            _(
                "This validly signed receipt is NOT in the ledger before the tender's seal "
                "statement: that is evidence of misconduct by the platform. Keep it and report it."
            )
        )
        return check
    check.in_ledger, check.ledger_index = True, entry.index
    check.ledger_proof = ledger_inclusion(entry.index)
    check.findings.append(
        _("The receipt is entry %(index)d of the public ledger, before the seal statement (entry %(seal)d).")
        % {"index": entry.index, "seal": seal.ledger_index}
    )
    if kind == RECEIPT:
        check.membership = seal_membership(seal, payload["manifest_sha256"])
        check.counting = check.membership is not None
        check.findings.append(
            _("This bid version is in the sealed set.")
            if check.counting
            else _(
                "This bid version is not in the sealed set: a later version or a withdrawal of the same lot replaced it."
            )
        )
    parse_time(payload["received_at"])
    return check

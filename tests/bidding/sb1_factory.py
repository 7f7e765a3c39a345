"""Builds SB1 bids with test custodian keys for the SB1 tests (no database)."""

import io
import os
import uuid
from dataclasses import dataclass, field

from bidding.sb1 import p256
from bidding.sb1.custodian import opening_key_generate, opening_key_id, share_submission_build
from bidding.sb1.manifest import manifest_parse_and_check
from bidding.sb1.opening import MemoryChunks, share_submission_check
from bidding.sb1.seal import CountingBid, seal_statement_build, served_slot_check, slots_serve
from bidding.sb1.sealing import Attachment, BidSealer, CustodianKey, manifest_bytes, manifest_sign
from bidding.sb1.wire import b64u, b64u_field

TENDER = "ZB-2026-0099"
SUPPLIER = "91350100M000100Y43"
READOUT_FIELDS = ["price", "currency"]
SIGNER = b64u(b"\x07" * 32)


@dataclass
class Tender:
    threshold: int = 2
    count: int = 3
    opening_keys: dict = field(default_factory=dict)
    signing_keys: dict = field(default_factory=dict)
    custodians: list = field(default_factory=list)

    def __post_init__(self):
        for j in range(1, self.count + 1):
            self.opening_keys[j] = opening_key_generate()
            self.signing_keys[j] = opening_key_generate()
            public = p256.public_key_bytes(self.opening_keys[j])
            self.custodians.append(CustodianKey(j, public, opening_key_id(public)))


@dataclass
class SealedBid:
    sealer: BidSealer
    raw: bytes
    signature: bytes
    bidder_key: object
    chunks: MemoryChunks
    attachments: dict


def seal_bid(
    tender: Tender, *, attachments: dict | None = None, lot=None, price="99.50", **sealer_overrides
) -> SealedBid:
    """attachments: {name: (media_type, bytes)}."""
    attachments = attachments or {}
    specs = [
        Attachment(i, name, media, len(data))
        for i, (name, (media, data)) in enumerate(attachments.items(), 1)
    ]
    sealer = BidSealer(
        tender=TENDER,
        lot=lot,
        bid=str(uuid.uuid4()),
        supplier=SUPPLIER,
        readout={"price": price, "currency": "CNY"},
        readout_fields=READOUT_FIELDS,
        attachments=specs,
        custodians=tender.custodians,
        threshold=tender.threshold,
        **sealer_overrides,
    )
    files = {0: list(sealer.seal_file(0))}
    for i, (_media, data) in enumerate(attachments.values(), 1):
        files[i] = list(sealer.seal_file(i, io.BytesIO(data)))
    manifest = sealer.manifest(replaces=None, signer=SIGNER, created="2026-11-25T09:30:12.345Z")
    raw = manifest_bytes(manifest)
    bidder_key = opening_key_generate()
    return SealedBid(
        sealer, raw, manifest_sign(raw, bidder_key), bidder_key, MemoryChunks(files), dict(attachments)
    )


def accept(tender: Tender, bid: SealedBid):
    return manifest_parse_and_check(
        bid.raw,
        tender_custodians=tender.custodians,
        threshold=tender.threshold,
        tender=TENDER,
        lot=bid.sealer.lot,
        bid=bid.sealer.bid,
        supplier=SUPPLIER,
        signature=bid.signature,
        public_key=p256.public_key_bytes(bid.bidder_key),
    )


def answer_all(tender: Tender, manifests, *, indexes=None) -> dict[int, dict[bytes, bytes]]:
    """Every custodian (in `indexes`) answers every slot, the server checks each answer.
    Returns {j: {ctx: Z_j}}."""
    counting = [CountingBid.of(m) for m in manifests]
    seal = seal_statement_build(
        tender=TENDER,
        deadline="2026-11-26T06:00:00.000Z",
        sealed_at="2026-11-26T06:00:00.010Z",
        counting=counting,
        custodian_count=tender.count,
        receipts=len(counting),
    )
    points = {}
    for j in indexes or range(1, tender.count + 1):
        served = slots_serve(tender=TENDER, counting=counting, index=j)
        handles = {b64u_field(s["handle"]) for s in served}
        points[j] = {}
        for slot_obj in served:
            slot = served_slot_check(slot_obj, tender=TENDER, index=j, seal=seal)
            envelope = share_submission_build(
                slot=slot,
                opening_key=tender.opening_keys[j],
                signing_key=tender.signing_keys[j],
                signer=SIGNER,
                created="2026-11-26T06:01:00.000Z",
            )
            accepted = share_submission_check(
                envelope,
                tender=TENDER,
                index=j,
                custodian_key=tender.custodians[j - 1].key,
                signing_public_key=p256.public_key_bytes(tender.signing_keys[j]),
                slot_handles=handles,
            )
            points[j][accepted.ctx] = accepted.point
    return points


def random_bytes(size: int) -> bytes:
    return os.urandom(size)

"""Published tenders with custodian keys, bidders with certificates, and bids sealed with the SB1
client code and sent through the submission services, for the submission tests."""

import io
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from bidding.sb1 import p256
from bidding.sb1.sealing import Attachment, BidSealer, manifest_bytes, withdrawal_build
from bidding.selectors.submission import tender_custodian_keys
from bidding.services.submission import bid_chunk_put, bid_finalize, bid_upload_open, bid_withdraw
from config import clock
from ledger.encoding import b64u_encode, format_time
from tenders import services as tender_services
from tests.suppliers.factories import enrol, opening_keys_ready, supplier_make
from tests.tenders.factories import at, make_tender

ISSUE = at("2026-11-02", "09:00")


@contextmanager
def _enrolment_on_postgresql():
    """suppliers.services.certificate_enrol locks its challenge with select_related over a nullable
    foreign key, which PostgreSQL refuses ("FOR UPDATE cannot be applied to the nullable side of an
    outer join"). Until that is fixed there (FOR UPDATE OF the challenge row only), enrolments made by
    these factories lock only the queried table, which is all that code needs."""
    from django.db import connection
    from django.db.models.query import QuerySet

    if connection.vendor != "postgresql":
        yield
        return
    original = QuerySet.select_for_update

    def own_rows_only(self, nowait=False, skip_locked=False, of=(), no_key=False):
        return original(self, nowait=nowait, skip_locked=skip_locked, of=of or ("self",), no_key=no_key)

    QuerySet.select_for_update = own_rows_only
    try:
        yield
    finally:
        QuerySet.select_for_update = original


DEADLINE = at("2026-12-01", "09:30")


def published_tender(
    demo,
    *,
    lots: int = 2,
    deadline=DEADLINE,
    title: str = "上海市第一中学智慧教室设备采购项目",
    **tender_fields,
):
    """A tender published through approval with its custodians' keys registered and confirmed
    (call with the clock at ISSUE). Returns (tender, {index: opening private key})."""
    tender = make_tender(demo, issue=ISSUE, deadline=deadline, lots=lots, title=title, **tender_fields)
    with _enrolment_on_postgresql():
        opening = opening_keys_ready(tender)
    # Submitted, then published as the approval flow's outcome would (the flow itself is tested in tenders).
    tender_services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
    tender = tender_services.tender_publish(tender_id=tender.pk, by=demo.users["director"])
    tender.refresh_from_db()
    return tender, opening


@dataclass
class Bidder:
    user: Any
    supplier: Any
    key: ec.EllipticCurvePrivateKey
    certificate: Any

    @property
    def code(self) -> str:
        return self.supplier.credit_code


def bidder_make(*, verified: bool = True) -> Bidder:
    from suppliers.constants import VerificationStatus
    from suppliers.models import Supplier

    # Verified directly: the verification flow is the suppliers' tests' business.
    supplier = supplier_make(verified=False)
    if verified:
        Supplier.objects.filter(pk=supplier.pk).update(
            verification_status=VerificationStatus.VERIFIED, verification_decided_at=clock.now()
        )
        supplier.refresh_from_db()
    user = supplier.organisation.memberships.get().user
    with _enrolment_on_postgresql():
        key, certificate = enrol(user, "bidder") if verified else (None, None)
    return Bidder(user, supplier, key, certificate)


@dataclass
class Sealed:
    sealer: BidSealer
    chunks: dict[int, list[bytes]]
    manifest: dict[str, Any]
    raw: bytes
    signature: str
    file_sizes: list[int] = field(default_factory=list)

    @property
    def bid(self) -> str:
        return self.sealer.bid


def seal(
    tender,
    bidder: Bidder,
    *,
    lot: str | None = "1",
    price: str = "100.00",
    attachments=None,
    replaces: bytes | None = None,
    signing_key=None,
    signer: str | None = None,
    supplier: str | None = None,
    tender_reference: str | None = None,
    custodians=None,
    threshold: int | None = None,
    **sealer_overrides,
) -> Sealed:
    """attachments: {name: (media_type, bytes)}."""
    attachments = attachments or {}
    specs = [
        Attachment(i, name, media, len(data))
        for i, (name, (media, data)) in enumerate(attachments.items(), 1)
    ]
    readout = {name: "0" for name in tender.readout_fields}
    readout.update({"price": price, "currency": "CNY"})
    sealer = BidSealer(
        tender=tender_reference or tender.reference,
        lot=lot,
        bid=str(uuid.uuid4()),
        supplier=supplier or bidder.code,
        readout=readout,
        readout_fields=list(tender.readout_fields),
        attachments=specs,
        custodians=custodians or tender_custodian_keys(tender),
        threshold=threshold or tender.threshold_k,
        **sealer_overrides,
    )
    chunks = {0: list(sealer.seal_file(0))}
    for i, (_media, data) in enumerate(attachments.values(), 1):
        chunks[i] = list(sealer.seal_file(i, io.BytesIO(data)))
    manifest = sealer.manifest(
        replaces=replaces, signer=signer or bidder.certificate.fingerprint, created=format_time(clock.now())
    )
    raw = manifest_bytes(manifest)
    signature = p256.ecdsa_sign(signing_key or bidder.key, "SB1/manifest", raw)
    sizes = [sealer.file_size(i) for i in range(len(specs) + 1)]
    return Sealed(sealer, chunks, manifest, raw, b64u_encode(signature), sizes)


def sha(data: bytes) -> str:
    import hashlib

    return b64u_encode(hashlib.sha256(data).digest())


def upload(tender, bidder: Bidder, sealed: Sealed, *, skip=(), file_sizes=None, lot: str | None = "1"):
    bid_upload_open(
        user=bidder.user,
        tender_reference=tender.reference,
        lot=lot,
        bid=sealed.bid,
        file_sizes=file_sizes or sealed.file_sizes,
    )
    for f, chunks in sealed.chunks.items():
        for i, data in enumerate(chunks):
            if (f, i) not in skip:
                bid_chunk_put(
                    user=bidder.user, bid=sealed.bid, file_index=f, index=i, data=data, sha256=sha(data)
                )


def submit(tender, bidder: Bidder, sealed: Sealed, *, lot: str | None = "1", raw: bytes | None = None):
    upload(tender, bidder, sealed, lot=lot)
    return bid_finalize(
        user=bidder.user, bid=sealed.bid, manifest=raw or sealed.raw, signature=sealed.signature
    )


def withdrawal(
    bidder: Bidder,
    sealed: Sealed,
    *,
    key=None,
    tender=None,
    lot: str | None = "1",
    manifest_sha256: bytes | None = None,
) -> dict:
    return withdrawal_build(
        tender=tender or sealed.sealer.tender,
        lot=lot,
        bid=sealed.bid,
        supplier=bidder.code,
        manifest_sha256=manifest_sha256 or __import__("hashlib").sha256(sealed.raw).digest(),
        signer=bidder.certificate.fingerprint,
        created=format_time(clock.now()),
        private_key=key or bidder.key,
    )


def withdraw(bidder: Bidder, envelope: dict):
    return bid_withdraw(user=bidder.user, envelope=envelope)


def tender_open_now(demo, *, days: int = 30, title: str = "上海市第一中学智慧教室设备采购项目"):
    """A published tender whose deadline lies `days` ahead of the real clock, for tests that talk to a
    server process (which runs on the real clock)."""
    import datetime as dt

    import time_machine

    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=days), tick=False):
        tender, opening = published_tender(demo, deadline=now + dt.timedelta(days=days), title=title)
    return tender, opening

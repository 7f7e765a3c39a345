"""Submitting sealed bids (SEALED_BIDS.md "Submitting"): the accepted path, every refusal of the
issue's list (each leaving nothing changed), resends, replacement, withdrawal and the deadline."""

import datetime as dt
import hashlib
import json

import pytest
import time_machine

from bidding.exceptions import (
    BidIdReused,
    BidRefused,
    BidTooLarge,
    CertificateRefused,
    ChunkDiffers,
    DeadlinePassed,
    EphemeralReused,
    ReplacesNotCurrent,
    SupplierIneligible,
    WithdrawalNotCurrent,
)
from bidding.models import (
    BidChunk,
    BidLimit,
    BidReceipt,
    BidUpload,
    BidVersion,
    BidWithdrawal,
    EphemeralKeyUse,
)
from bidding.sb1 import p256
from bidding.sb1.errors import SB1Error
from bidding.sb1.sealing import CustodianKey, manifest_bytes, withdrawal_build
from bidding.selectors.submission import tender_custodian_keys, versions_counting
from bidding.services.submission import bid_chunk_put, bid_finalize, bid_upload_open
from bidding.storage import bid_storage
from config import clock
from ledger.encoding import b64u_decode, b64u_encode, format_time, jcs
from ledger.models import LedgerEntry
from ledger.signing import platform_verify
from tests.bidding.submission_factory import (
    DEADLINE,
    ISSUE,
    bidder_make,
    published_tender,
    seal,
    sha,
    submit,
    upload,
    withdraw,
    withdrawal,
)
from tests.suppliers.factories import officer_make

pytestmark = pytest.mark.django_db

BIDDING = ISSUE + dt.timedelta(days=10)


@pytest.fixture
def clock_at():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tender(demo, clock_at):
    tender, _opening = published_tender(demo)
    clock_at.move_to(BIDDING)
    return tender


@pytest.fixture
def bidder(tender):
    return bidder_make()


def state() -> dict:
    """Everything a refusal must leave as it was."""
    root = bid_storage().path("")
    import os

    files = sum(len(names) for _dir, _dirs, names in os.walk(root)) if os.path.isdir(root) else 0
    return {
        "uploads": BidUpload.objects.count(),
        "chunks": BidChunk.objects.count(),
        "files": files,
        "versions": BidVersion.objects.count(),
        "receipts": BidReceipt.objects.count(),
        "ephemerals": EphemeralKeyUse.objects.count(),
        "withdrawals": BidWithdrawal.objects.count(),
        "ledger": LedgerEntry.objects.count(),
    }


def refused(call, error, code: str | None = None):
    before = state()
    with pytest.raises(error) as raised:
        call()
    assert state() == before, "a refusal changed something"
    if code is not None:
        assert raised.value.code == code
    return raised.value


# ---------------------------------------------------------------- accepted


def test_a_bid_is_accepted_with_a_signed_receipt_and_nothing_reaches_the_ledger(tender, bidder):
    ledger_before = LedgerEntry.objects.count()
    sealed = seal(tender, bidder, attachments={"技术方案.pdf": ("application/pdf", b"%PDF" * 300_000)})
    receipt, created = submit(tender, bidder, sealed)
    assert created
    payload = receipt.envelope["payload"]
    assert platform_verify(receipt.envelope)
    assert payload == {
        "type": "SB1/receipt",
        "suite": "SB1",
        "tender": tender.reference,
        "lot": "1",
        "bid": sealed.bid,
        "supplier": bidder.code,
        "manifest_sha256": b64u_encode(hashlib.sha256(sealed.raw).digest()),
        "received_at": "2026-11-12T01:00:00.000Z",
        "sequence": 1,
    }
    assert LedgerEntry.objects.count() == ledger_before  # secret until the deadline
    # Resending the same manifest gives the same receipt, even after the deadline.
    again, created = bid_finalize(
        user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
    )
    assert not created and again.pk == receipt.pk
    with time_machine.travel(DEADLINE + dt.timedelta(hours=1), tick=False):
        late, created = bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        )
    assert not created and late.envelope == receipt.envelope


def test_chunks_resume_and_an_acknowledged_chunk_never_changes(tender, bidder):
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"x" * 2_500_000)})
    upload(tender, bidder, sealed, skip={(1, 1), (1, 2)})
    present = set(BidChunk.objects.values_list("file_index", "index"))
    assert present == {(0, 0), (1, 0)}
    data = sealed.chunks[1][0]
    chunk, created = bid_chunk_put(
        user=bidder.user, bid=sealed.bid, file_index=1, index=0, data=data, sha256=sha(data)
    )
    assert not created  # the same bytes again: acknowledged again
    other = bytes([data[0] ^ 1]) + data[1:]
    refused(
        lambda: bid_chunk_put(
            user=bidder.user, bid=sealed.bid, file_index=1, index=0, data=other, sha256=sha(other)
        ),
        ChunkDiffers,
    )
    with bid_storage().open(chunk.name) as fh:
        assert fh.read() == data


# ---------------------------------------------------------------- chunk refusals


def test_bad_chunk_hash_wrong_length_and_out_of_range_chunks_are_refused(tender, bidder):
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"y" * 1_500_000)})
    bid_upload_open(
        user=bidder.user,
        tender_reference=tender.reference,
        lot="1",
        bid=sealed.bid,
        file_sizes=sealed.file_sizes,
    )
    data = sealed.chunks[1][0]
    put = bid_chunk_put
    refused(
        lambda: put(
            user=bidder.user, bid=sealed.bid, file_index=1, index=0, data=data, sha256=sha(data[:-1] + b"\0")
        ),
        BidRefused,
        "chunk_hash",
    )
    refused(
        lambda: put(
            user=bidder.user, bid=sealed.bid, file_index=1, index=0, data=data[:-1], sha256=sha(data[:-1])
        ),
        BidRefused,
        "chunk_length",
    )
    refused(
        lambda: put(user=bidder.user, bid=sealed.bid, file_index=1, index=2, data=data, sha256=sha(data)),
        BidRefused,
        "chunk_index",
    )  # an extra chunk
    refused(
        lambda: put(user=bidder.user, bid=sealed.bid, file_index=2, index=0, data=data, sha256=sha(data)),
        BidRefused,
        "chunk_index",
    )


def test_a_missing_chunk_is_refused_at_finalize(tender, bidder):
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"z" * 1_200_000)})
    upload(tender, bidder, sealed, skip={(1, 1)})
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        BidRefused,
        "chunks_missing",
    )


def test_extra_chunks_or_a_wrong_chunk_count_are_refused_at_finalize(tender, bidder):
    """The upload was opened for a 2-chunk attachment, the manifest says 1 chunk."""
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"z" * 1000)})
    fake = list(sealed.file_sizes)
    fake[1] = 1_048_576 + 1000
    bid_upload_open(
        user=bidder.user, tender_reference=tender.reference, lot="1", bid=sealed.bid, file_sizes=fake
    )
    for data, (f, i) in [(sealed.chunks[0][0], (0, 0)), (b"\1" * 1_048_592, (1, 0)), (b"\2" * 1016, (1, 1))]:
        bid_chunk_put(user=bidder.user, bid=sealed.bid, file_index=f, index=i, data=data, sha256=sha(data))
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        BidRefused,
    )


def test_a_wrong_chunk_length_or_count_in_the_manifest_is_refused(tender, bidder):
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"q" * 5000)})
    upload(tender, bidder, sealed)
    manifest = json.loads(sealed.raw)
    manifest["files"][1]["chunks"] = 2  # does not fit the size
    raw = manifest_bytes(manifest)
    sig = b64u_encode(p256.ecdsa_sign(bidder.key, "SB1/manifest", raw))
    refused(
        lambda: bid_finalize(user=bidder.user, bid=sealed.bid, manifest=raw, signature=sig),
        SB1Error,
        "chunks",
    )
    manifest = json.loads(sealed.raw)
    manifest["files"][1]["size"] = 5001  # one byte more than the stored chunk holds
    raw = manifest_bytes(manifest)
    sig = b64u_encode(p256.ecdsa_sign(bidder.key, "SB1/manifest", raw))
    refused(
        lambda: bid_finalize(user=bidder.user, bid=sealed.bid, manifest=raw, signature=sig),
        SB1Error,
        "chunks",
    )


def test_a_wrong_digest_is_refused(tender, bidder):
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"d" * 5000)})
    bid_upload_open(
        user=bidder.user,
        tender_reference=tender.reference,
        lot="1",
        bid=sealed.bid,
        file_sizes=sealed.file_sizes,
    )
    forged = bytes(len(sealed.chunks[1][0]))  # the right length, other bytes
    for f, i, data in [(0, 0, sealed.chunks[0][0]), (1, 0, forged)]:
        bid_chunk_put(user=bidder.user, bid=sealed.bid, file_index=f, index=i, data=data, sha256=sha(data))
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        SB1Error,
        "digest",
    )


# ---------------------------------------------------------------- manifest refusals


def _finalize_with(tender, bidder, sealed, raw, key=None):
    upload(tender, bidder, sealed)
    sig = b64u_encode(p256.ecdsa_sign(key or bidder.key, "SB1/manifest", raw))
    return lambda: bid_finalize(user=bidder.user, bid=sealed.bid, manifest=raw, signature=sig)


def test_non_canonical_manifest_bytes_are_refused(tender, bidder):
    sealed = seal(tender, bidder)
    raw = json.dumps(json.loads(sealed.raw), indent=1).encode()
    refused(_finalize_with(tender, bidder, sealed, raw), SB1Error, "not_canonical")


def test_an_off_curve_point_is_refused(tender, bidder):
    sealed = seal(tender, bidder)
    manifest = json.loads(sealed.raw)
    point = bytearray(b64u_decode(manifest["custodians"][0]["ephemeral"]))
    point[-1] ^= 1
    manifest["custodians"][0]["ephemeral"] = b64u_encode(bytes(point))
    refused(_finalize_with(tender, bidder, sealed, manifest_bytes(manifest)), SB1Error, "point")


def test_a_bad_signature_is_refused(tender, bidder):
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    other = p256.ecdsa_sign(
        p256.random_private_key()
        if hasattr(p256, "random_private_key")
        else __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).generate_private_key(
            __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).SECP256R1()
        ),
        "SB1/manifest",
        sealed.raw,
    )
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=b64u_encode(other)
        ),
        SB1Error,
        "signature",
    )


@pytest.mark.parametrize("what", ["tender", "lot", "bid", "supplier"])
def test_a_manifest_naming_another_tender_lot_bid_or_supplier_is_refused(demo, tender, bidder, what):
    sealed = seal(tender, bidder)
    manifest = json.loads(sealed.raw)
    manifest[what] = {
        "tender": "ZB-2099-0001",
        "lot": "2",
        "bid": "7f1c1a40-2a4f-4b5e-9a5c-0d0e0f101112",
        "supplier": "91350100M000100Y43",
    }[what]
    # Re-made so the manifest is consistent in itself (pok proofs bind ctx): only the naming is wrong.
    overrides = (
        {"tender_reference": manifest["tender"]}
        if what == "tender"
        else {"supplier": manifest["supplier"]}
        if what == "supplier"
        else {}
    )
    resealed = seal(tender, bidder, lot=manifest["lot"], **overrides)
    # The chunks go to `sealed`'s upload (tender, lot 1, its bid id, this supplier); the manifest is
    # resealed's, which names something else.
    refused(_finalize_with(tender, bidder, sealed, resealed.raw), SB1Error, "mismatch")


def test_custodians_or_threshold_other_than_the_tenders_are_refused(tender, bidder):
    keys = tender_custodian_keys(tender)
    stranger = p256.public_key_bytes(
        __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).generate_private_key(
            __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).SECP256R1()
        )
    )
    from bidding.sb1 import key_id

    swapped = [keys[0], keys[1], CustodianKey(3, stranger, key_id(stranger))]
    sealed = seal(tender, bidder, custodians=swapped)
    refused(_finalize_with(tender, bidder, sealed, sealed.raw), SB1Error, "custodians")
    sealed = seal(tender, bidder, threshold=3)
    refused(_finalize_with(tender, bidder, sealed, sealed.raw), SB1Error, "threshold")


def test_a_reused_bid_id_and_a_reused_ephemeral_key_are_refused(tender, bidder):
    first = seal(tender, bidder)
    submit(tender, bidder, first)
    # A second version under the same bid id cannot even open an upload with other sizes...
    second = seal(
        tender,
        bidder,
        replaces=hashlib.sha256(first.raw).digest(),
        attachments={"b.txt": ("text/plain", b"b")},
    )
    second.sealer.bid = first.bid
    refused(
        lambda: bid_upload_open(
            user=bidder.user,
            tender_reference=tender.reference,
            lot="1",
            bid=first.bid,
            file_sizes=second.file_sizes,
        ),
        BidIdReused,
    )
    # ...and another supplier cannot take it either.
    other = bidder_make()
    refused(
        lambda: bid_upload_open(
            user=other.user,
            tender_reference=tender.reference,
            lot="1",
            bid=first.bid,
            file_sizes=first.file_sizes,
        ),
        BidIdReused,
    )
    # The same ephemeral scalars in a new bid (e.g. a copied E_j) are refused.
    scalars = {c.index: 1000 + c.index for c in tender_custodian_keys(tender)}
    a = seal(tender, bidder, replaces=hashlib.sha256(first.raw).digest(), ephemeral_scalars=scalars)
    submit(tender, bidder, a)
    b = seal(tender, bidder, replaces=hashlib.sha256(a.raw).digest(), ephemeral_scalars=scalars)
    refused(_finalize_with(tender, bidder, b, b.raw), EphemeralReused)


def test_replaces_must_name_the_current_version(tender, bidder):
    first = seal(tender, bidder)
    submit(tender, bidder, first)
    stale = seal(tender, bidder)  # replaces null although a version exists
    refused(_finalize_with(tender, bidder, stale, stale.raw), ReplacesNotCurrent)
    second = seal(tender, bidder, replaces=hashlib.sha256(first.raw).digest())
    receipt, _ = submit(tender, bidder, second)
    assert receipt.envelope["payload"]["sequence"] == 2
    third = seal(tender, bidder, replaces=hashlib.sha256(first.raw).digest())  # names the replaced one
    refused(_finalize_with(tender, bidder, third, third.raw), ReplacesNotCurrent)
    assert [v.bid for v in versions_counting(tender)] == [second.bid]
    assert BidVersion.objects.count() == 2  # every version kept


# ---------------------------------------------------------------- certificates and eligibility


def test_an_expired_or_revoked_certificate_is_refused(tender, bidder, clock_at):
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    from suppliers.models import Certificate

    Certificate.objects.filter(pk=bidder.certificate.pk).update(
        not_after=clock.now() - dt.timedelta(seconds=1)
    )
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        CertificateRefused,
    )
    Certificate.objects.filter(pk=bidder.certificate.pk).update(
        not_after=clock.now() + dt.timedelta(days=300), revoked_at=clock.now() - dt.timedelta(minutes=1)
    )
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        CertificateRefused,
    )


def test_the_certificate_of_another_supplier_or_person_is_refused(tender, bidder):
    other = bidder_make()
    sealed = seal(tender, bidder, signing_key=other.key, signer=other.certificate.fingerprint)
    refused(_finalize_with(tender, bidder, sealed, sealed.raw, key=other.key), CertificateRefused)


def test_an_ineligible_or_debarred_supplier_is_refused(tender, bidder):
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    from suppliers.models import Debarment

    Debarment.objects.create(
        supplier=bidder.supplier,
        starts_at=clock.now() - dt.timedelta(days=1),
        ends_at=clock.now() + dt.timedelta(days=100),
        reason="串通投标",
        decided_by=officer_make(),
        decided_at=clock.now(),
    )
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        SupplierIneligible,
    )
    fresh = seal(tender, bidder)
    refused(
        lambda: bid_upload_open(
            user=bidder.user,
            tender_reference=tender.reference,
            lot="1",
            bid=fresh.bid,
            file_sizes=fresh.file_sizes,
        ),
        SupplierIneligible,
    )
    # A supplier whose verification was withdrawn after it enrolled its key is not eligible either.
    from suppliers.constants import VerificationStatus
    from suppliers.models import Supplier

    other = bidder_make()
    late = seal(tender, other)
    upload(tender, other, late)
    Supplier.objects.filter(pk=other.supplier.pk).update(verification_status=VerificationStatus.PENDING)
    refused(
        lambda: bid_finalize(user=other.user, bid=late.bid, manifest=late.raw, signature=late.signature),
        SupplierIneligible,
    )


def test_size_limits_are_refused_before_anything_is_uploaded(tender, bidder):
    BidLimit.objects.create(tender=tender, max_bytes=3 * 1024**2, max_files=2)
    big = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"0" * (4 * 1024**2))})
    error = refused(
        lambda: bid_upload_open(
            user=bidder.user,
            tender_reference=tender.reference,
            lot="1",
            bid=big.bid,
            file_sizes=big.file_sizes,
        ),
        BidTooLarge,
    )
    assert "at most 3.0 MiB" in str(error)
    many = seal(tender, bidder, attachments={"a": ("text/plain", b"a"), "b": ("text/plain", b"b")})
    refused(
        lambda: bid_upload_open(
            user=bidder.user,
            tender_reference=tender.reference,
            lot="1",
            bid=many.bid,
            file_sizes=many.file_sizes,
        ),
        BidTooLarge,
    )


# ---------------------------------------------------------------- withdrawal


def test_withdrawal_signed_by_the_bidder_leaves_nothing_counting(tender, bidder):
    sealed = seal(tender, bidder)
    submit(tender, bidder, sealed)
    envelope = withdrawal(bidder, sealed)
    receipt, created = withdraw(bidder, envelope)
    assert created and receipt.envelope["payload"]["type"] == "SB1/withdrawal-receipt"
    assert receipt.envelope["payload"]["sequence"] == 2
    assert receipt.envelope["payload"]["withdrawal_sha256"] == b64u_encode(
        hashlib.sha256(jcs(envelope["statement"])).digest()
    )
    assert versions_counting(tender) == []
    again, created = withdraw(bidder, envelope)
    assert not created and again.pk == receipt.pk
    # A later version starts afresh with replaces: null.
    fresh = seal(tender, bidder)
    submit(tender, bidder, fresh)
    assert [v.bid for v in versions_counting(tender)] == [fresh.bid]


def test_unsigned_wrongly_signed_or_stale_withdrawals_are_refused(tender, bidder):
    first = seal(tender, bidder)
    submit(tender, bidder, first)
    envelope = withdrawal(bidder, first)
    unsigned = {"statement": envelope["statement"]}
    refused(lambda: withdraw(bidder, unsigned), SB1Error)
    stranger = __import__(
        "cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]
    ).generate_private_key(
        __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).SECP256R1()
    )
    refused(lambda: withdraw(bidder, withdrawal(bidder, first, key=stranger)), SB1Error, "signature")
    second = seal(tender, bidder, replaces=hashlib.sha256(first.raw).digest())
    submit(tender, bidder, second)
    refused(lambda: withdraw(bidder, withdrawal(bidder, first)), WithdrawalNotCurrent)
    assert versions_counting(tender)[0].bid == second.bid


def test_another_supplier_cannot_withdraw_a_bid_it_did_not_make(tender, bidder):
    """Supplier B holds supplier A's bid id (say, from a leaked receipt): neither a withdrawal in
    its own name nor one naming A, signed with B's key, touches A's bid."""
    sealed = seal(tender, bidder)
    submit(tender, bidder, sealed)
    other = bidder_make()
    in_own_name = withdrawal(other, sealed)
    refused(lambda: withdraw(other, in_own_name), WithdrawalNotCurrent)
    naming_a = withdrawal_build(
        tender=sealed.sealer.tender,
        lot="1",
        bid=sealed.bid,
        supplier=bidder.code,
        manifest_sha256=hashlib.sha256(sealed.raw).digest(),
        signer=other.certificate.fingerprint,
        created=format_time(clock.now()),
        private_key=other.key,
    )
    assert refused(lambda: withdraw(other, naming_a), SB1Error).code == "mismatch"
    assert [v.bid for v in versions_counting(tender)] == [sealed.bid]


# ---------------------------------------------------------------- the deadline


def test_one_millisecond_before_the_deadline_is_accepted_and_at_the_deadline_refused(
    tender, bidder, clock_at
):
    early = seal(tender, bidder)
    late = seal(tender, bidder, lot="2")
    upload(tender, bidder, early)
    upload(tender, bidder, late, lot="2")
    clock_at.move_to(DEADLINE - dt.timedelta(milliseconds=1))
    receipt, created = bid_finalize(
        user=bidder.user, bid=early.bid, manifest=early.raw, signature=early.signature
    )
    assert created and receipt.envelope["payload"]["received_at"].endswith("01:29:59.999Z")
    clock_at.move_to(DEADLINE)
    error = refused(
        lambda: bid_finalize(user=bidder.user, bid=late.bid, manifest=late.raw, signature=late.signature),
        DeadlinePassed,
    )
    assert error.status_code == 409
    another = seal(tender, bidder, lot="2")
    refused(
        lambda: bid_upload_open(
            user=bidder.user,
            tender_reference=tender.reference,
            lot="2",
            bid=another.bid,
            file_sizes=another.file_sizes,
        ),
        DeadlinePassed,
    )
    data = late.chunks[0][0]
    refused(
        lambda: bid_chunk_put(
            user=bidder.user, bid=late.bid, file_index=0, index=0, data=data, sha256=sha(data)
        ),
        DeadlinePassed,
    )
    refused(lambda: withdraw(bidder, withdrawal(bidder, early)), DeadlinePassed)

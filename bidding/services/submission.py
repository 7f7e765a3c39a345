"""Receiving sealed bids (SEALED_BIDS.md "Submitting"): upload sessions, chunks stored durably
before they are acknowledged, the finalize that runs every check in one transaction against the
one clock and answers with a platform-signed receipt, replacement and signed withdrawal.

Nothing here writes to the ledger: before the deadline nothing about a bid may be public. The
receipts go into the ledger at the seal (`bidding.services.seal`)."""

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bidding.constants import FINALIZE_GRACE, RECEIPT, WITHDRAWAL_RECEIPT
from bidding.digests import running_digest, running_digest_add, running_digests_forget
from bidding.exceptions import (
    BidIdReused,
    BidRefused,
    BidTooLarge,
    CertificateRefused,
    ChunkDiffers,
    ChunkNotStored,
    DeadlinePassed,
    EphemeralReused,
    NotABidder,
    ReplacesNotCurrent,
    SupplierIneligible,
    TenderNotOpen,
    TenderUnknown,
    UploadUnknown,
    VerificationLate,
    WithdrawalNotCurrent,
)
from bidding.models import BidChunk, BidReceipt, BidUpload, BidVersion, BidWithdrawal, EphemeralKeyUse
from bidding.sb1.errors import SB1Error
from bidding.sb1.manifest import Manifest, manifest_parse, manifest_parse_and_check
from bidding.sb1.sealing import FORM_BLOCK, TAG_SIZE, chunk_count, expected_chunk_lengths, withdrawal_check
from bidding.sb1.wire import bid_id as bid_id_check
from bidding.selectors.submission import (
    bid_limits,
    bidder_supplier,
    seal_of,
    tender_custodian_keys,
    tender_lot_ids,
    upload_of,
    version_current,
    version_is_withdrawn,
)
from bidding.storage import bid_storage
from config import clock
from ledger.encoding import EncodingError, b64u_decode, b64u_encode, format_time, jcs
from ledger.signing import platform_sign
from suppliers.constants import CertificatePurpose
from suppliers.models import Supplier
from suppliers.selectors import certificate_status, supplier_ineligibility_reason
from tenders.constants import PUBLIC_STATUSES, TenderStatus
from tenders.models import Tender

logger = logging.getLogger(__name__)


def _open_or_refuse(tender: Tender, now) -> None:
    """Bids are taken while the tender is published and the clock is before its deadline (to the
    microsecond: at the deadline itself nothing is accepted)."""
    if (
        tender.status == TenderStatus.PUBLISHED
        and tender.bid_deadline is not None
        and now < tender.bid_deadline
    ):
        return
    if tender.bid_deadline is not None and now >= tender.bid_deadline and tender.status in PUBLIC_STATUSES:
        raise DeadlinePassed()
    raise TenderNotOpen()


def _supplier_of(user: User) -> Supplier:
    supplier = bidder_supplier(user=user)
    if supplier is None:
        raise NotABidder()
    return supplier


def _eligible_or_refuse(supplier: Supplier, now, tender: Tender) -> None:
    reason = supplier_ineligibility_reason(supplier, now, tender=tender)
    if reason is not None:
        raise SupplierIneligible(reason)


def _upload(user: User, bid: str) -> BidUpload:
    upload = upload_of(user=user, bid=bid)
    if upload is None:
        raise UploadUnknown()
    return upload


def _sha256_b64u(data: bytes) -> str:
    return b64u_encode(hashlib.sha256(data).digest())


def _ciphertext_size(file_sizes: list[int]) -> int:
    return sum(size + TAG_SIZE * chunk_count(size) for size in file_sizes)


def _human_size(size: int) -> str:
    return f"{size / 1024**2:,.1f} MiB" if size >= 1024**2 else f"{size:,} bytes"


@transaction.atomic
def bid_upload_open(
    *, user: User, tender_reference: str, lot: str | None, bid: str, file_sizes: list[int]
) -> tuple[BidUpload, bool]:
    """Open the upload of one bid version (or return it again, unchanged, when the same one is
    asked for twice: a client that lost the answer simply repeats the call).

    Before: the tender is published and the clock before its deadline; the user works for an
    eligible supplier; `lot` is one of the tender's lots (None when it has none); `bid` is a fresh
    lowercase UUIDv4; `file_sizes` (plaintext bytes of the form, then each attachment) fit the
    tender's limits, the form padded to a multiple of 4,096.
    After: an empty upload exists, visible to the supplier's staff only. Returns (upload, created)."""
    now = clock.now()
    supplier = _supplier_of(user)
    tender = Tender.objects.filter(reference=tender_reference, status__in=PUBLIC_STATUSES).first()
    if tender is None:
        raise TenderUnknown()
    _open_or_refuse(tender, now)
    lots = tender_lot_ids(tender)
    if (lot is None) != (not lots) or (lot is not None and lot not in lots):
        raise BidRefused(
            _("Choose one of the tender's lots.") if lots else _("This tender has no lots."), code="lot"
        )
    bid_id_check(bid)
    if (
        not isinstance(file_sizes, list)
        or not file_sizes
        or any(type(s) is not int or s < 0 for s in file_sizes)
        or file_sizes[0] == 0
        or file_sizes[0] % FORM_BLOCK
    ):
        raise BidRefused(
            _("The file sizes are not valid (the bid form first, padded to a multiple of 4,096 bytes)."),
            code="file_sizes",
        )
    limits = bid_limits(tender)
    if len(file_sizes) > limits.max_files:
        raise BidTooLarge(
            _("This tender accepts at most %(count)d attachments a bid; yours has %(yours)d.")
            % {"count": limits.max_files - 1, "yours": len(file_sizes) - 1}
        )
    total = _ciphertext_size(file_sizes)
    if total > limits.max_bytes:
        raise BidTooLarge(
            _(
                "This tender accepts bids of at most %(limit)s (all files together, sealed); "
                "yours would be %(size)s. Nothing was uploaded."
            )
            % {"limit": _human_size(limits.max_bytes), "size": _human_size(total)}
        )
    _eligible_or_refuse(supplier, now, tender)
    existing = BidUpload.objects.filter(bid=bid).first()
    if existing is not None:
        same = (existing.supplier_id, existing.tender_id, existing.lot, existing.file_sizes) == (
            supplier.pk,
            tender.pk,
            lot,
            file_sizes,
        )
        if not same:
            raise BidIdReused()
        return existing, False
    storage = bid_storage()
    if hasattr(storage, "directory_prepare"):  # a local directory: its folders exist before any chunk
        for index in range(len(file_sizes)):
            storage.directory_prepare(_chunk_directory(tender.pk, bid, index))
    try:
        with transaction.atomic():
            return BidUpload.objects.create(
                tender=tender,
                lot=lot,
                bid=bid,
                supplier=supplier,
                opened_by=user,
                file_sizes=file_sizes,
                opened_at=now,
            ), True
    except IntegrityError:
        raise BidIdReused() from None


def _chunk_directory(tender_pk: int, bid: str, file_index: int) -> str:
    return f"{tender_pk}/{bid}/{file_index}"


def bid_chunk_put(
    *, user: User, bid: str, file_index: int, index: int, data: bytes, sha256: str
) -> tuple[BidChunk, bool]:
    """Store one ciphertext chunk and acknowledge it (or acknowledge it again when the same bytes come
    twice).

    Before: the upload is the user's supplier's and not finalized; the tender open; `file_index` and
    `index` within the declared files; `data` exactly the chunk's length (1,048,592 bytes, or the
    last chunk's own) and its SHA-256 equal to `sha256` (b64u, from the client).
    After: the bytes are written and fsynced under a fresh storage name, then the row committed;
    only then does the caller answer. An acknowledged chunk never changes: other bytes for it are
    refused. Returns (chunk, created)."""
    upload = _upload(user, bid)
    if hasattr(upload, "version"):
        raise BidRefused(_("This bid was finalized; its chunks cannot change."), code="finalized")
    _open_or_refuse(upload.tender, clock.now())
    sizes = upload.file_sizes
    if not 0 <= file_index < len(sizes):
        raise BidRefused(
            _("There is no file %(file)d in this bid.") % {"file": file_index}, code="chunk_index"
        )
    lengths = expected_chunk_lengths(sizes[file_index])
    if not 0 <= index < len(lengths):
        raise BidRefused(
            _("File %(file)d has no chunk %(index)d (it has %(count)d).")
            % {"file": file_index, "index": index, "count": len(lengths)},
            code="chunk_index",
        )
    if len(data) != lengths[index]:
        raise BidRefused(
            _("Chunk %(index)d of file %(file)d must be %(want)d bytes, not %(got)d.")
            % {"index": index, "file": file_index, "want": lengths[index], "got": len(data)},
            code="chunk_length",
        )
    try:
        claimed = b64u_decode(sha256)
    except EncodingError:
        claimed = b""
    digest = _sha256_b64u(data)
    if len(claimed) != 32 or b64u_encode(claimed) != digest:
        raise BidRefused(
            _("The chunk's bytes do not match the SHA-256 sent with it; send it again."), code="chunk_hash"
        )
    # A chunk sent again (rare: a resuming client asks first which chunks the server holds) is told
    # apart by the unique constraint below, not by a query on every chunk.
    storage = bid_storage()
    # A fresh name every time (the storage never overwrites): a racing put of other bytes for the
    # same chunk can never replace bytes that were acknowledged.
    try:
        name = storage.save(
            f"{_chunk_directory(upload.tender_id, upload.bid, file_index)}/{index}", ContentFile(data)
        )
    except OSError as failure:  # a full disk, a lost volume: nothing was kept, nothing is acknowledged
        logger.warning("chunk %s/%s of bid %s not stored: %s", file_index, index, upload.bid, failure)
        raise ChunkNotStored() from failure
    try:
        with transaction.atomic():
            now = clock.now()
            # Judged again once the bytes are on disk (the deadline may have passed meanwhile); the
            # tender read with the upload a moment ago (a status change is judged at finalize).
            _open_or_refuse(upload.tender, now)
            chunk = BidChunk.objects.create(
                upload=upload,
                file_index=file_index,
                index=index,
                length=len(data),
                sha256=digest,
                name=name,
                stored_at=now,
            )
    except (IntegrityError, DeadlinePassed, TenderNotOpen) as refusal:
        storage.delete(name)
        if not isinstance(refusal, IntegrityError):
            raise
        existing = BidChunk.objects.get(upload=upload, file_index=file_index, index=index)
        if existing.sha256 != digest:
            raise ChunkDiffers() from None
        return existing, False
    running_digest_add(upload_id=upload.pk, file_index=file_index, index=index, data=data, sha256=digest)
    return chunk, True


def _bidder_certificate(*, signer: str, supplier: Supplier, user: User, now) -> bytes:
    """The P-256 public key of `signer`, which must be a bidder certificate of this supplier and
    person, valid and unrevoked at `now`."""
    status = certificate_status(signer, now)
    certificate = status.certificate
    if certificate is None:
        raise CertificateRefused(_("The signing certificate is unknown."))
    if not status.is_valid:
        raise CertificateRefused(
            _("The signing certificate is not valid (%(state)s).") % {"state": status.state.label}
        )
    if certificate.purpose != CertificatePurpose.BIDDER or certificate.supplier_id != supplier.pk:
        raise CertificateRefused(_("The signing certificate is not a bidder certificate of your enterprise."))
    if certificate.holder_id != user.pk:
        raise CertificateRefused(_("The signing certificate is not yours: sign with your own key."))
    return b64u_decode(certificate.public_key)


def _chunks_match(upload: BidUpload, manifest: Manifest) -> str:
    """Every file's stored chunks: exactly the ones the manifest's sizes call for (none missing, none
    extra), each of the right length, and the SHA-256 over the ciphertext in order equal to the
    manifest's digest. A file's digest comes from the running digest this process kept while its
    chunks arrived in order (`bidding.digests`); otherwise (a gap, another process, a restart) the
    stored bytes are read back (acknowledged chunks never change). Returns "running" when no byte
    had to be read back, else "reread"."""
    stored = {(c.file_index, c.index): c for c in BidChunk.objects.filter(upload=upload)}
    expected: dict[tuple[int, int], int] = {}
    for file in manifest.files:
        for i, length in enumerate(expected_chunk_lengths(file.size)):
            expected[(file.index, i)] = length
    missing = sorted(set(expected) - set(stored))
    if missing:
        f, i = missing[0]
        raise BidRefused(
            _(
                "%(count)d chunk(s) are missing (the first: file %(file)d, chunk %(index)d); "
                "upload them, then finalize again."
            )
            % {"count": len(missing), "file": f, "index": i},
            code="chunks_missing",
        )
    extra = sorted(set(stored) - set(expected))
    if extra:
        f, i = extra[0]
        raise BidRefused(
            _(
                "The server holds chunks the manifest does not describe (file %(file)d, chunk %(index)d): "
                "the manifest's file sizes or chunk counts are wrong."
            )
            % {"file": f, "index": i},
            code="chunks_extra",
        )
    if any(stored[key].length != length for key, length in expected.items()):
        raise SB1Error("chunks")
    storage = bid_storage()
    path = "running"
    for file in manifest.files:
        running = running_digest(
            upload_id=upload.pk,
            file_index=file.index,
            chunk_sha256s=[stored[(file.index, i)].sha256 for i in range(file.chunks)],
        )
        if running is not None:
            if running != file.sha256:
                raise SB1Error("digest")
            continue
        path = "reread"
        digest = hashlib.sha256()
        for i in range(file.chunks):
            with storage.open(stored[(file.index, i)].name, "rb") as fh:
                data = fh.read()
            if len(data) != stored[(file.index, i)].length:
                raise SB1Error("chunks")
            digest.update(data)
        if digest.digest() != file.sha256:
            raise SB1Error("digest")
    return path


def _receipt_issue(*, tender: Tender, supplier: Supplier, kind: str, body: dict[str, Any], now) -> BidReceipt:
    """Sign and store the next receipt of this supplier in this tender (caller holds the tender lock)."""
    last = BidReceipt.objects.filter(tender=tender, supplier=supplier).aggregate(m=Max("sequence"))["m"] or 0
    payload = {"type": kind, "suite": "SB1", **body, "received_at": format_time(now), "sequence": last + 1}
    envelope = platform_sign(payload)
    return BidReceipt.objects.create(
        tender=tender,
        supplier=supplier,
        supplier_code=supplier.credit_code,
        sequence=last + 1,
        kind=kind,
        envelope=envelope,
        receipt_sha256=_sha256_b64u(jcs(envelope)),
        received_at=now,
    )


def _claimed_signer(raw: bytes) -> str:
    """The manifest's `signer`, read only to find the certificate whose key checks the signature
    (everything, this field included, is then checked by `manifest_parse_and_check`; parsing fully
    here too would verify every proof twice). Bytes that are not a JSON object with a string signer
    get `manifest_parse`'s own refusal."""
    try:
        signer = json.loads(raw).get("signer")
    except (ValueError, AttributeError):
        signer = None
    if not isinstance(signer, str):
        manifest_parse(raw)  # raises the precise SB1 refusal
        raise SB1Error("keys")
    return signer


def _resent_receipt(*, manifest_sha256: str, supplier: Supplier) -> BidReceipt | None:
    version = (
        BidVersion.objects.filter(manifest_sha256=manifest_sha256, supplier=supplier)
        .select_related("receipt")
        .first()
    )
    return version.receipt if version is not None else None


def _verify(
    *, upload: BidUpload, user: User, raw: bytes, signature: bytes, received_at: dt.datetime
) -> tuple[str, Manifest]:
    """The checks that depend on the bid alone, the heavy part of a finalize (outside any
    transaction and lock: certificates, the manifest, proofs, signature and acknowledged chunks are
    read, never written): the certificate valid at the time of receipt, the manifest canonical and
    well formed with every proof and the signature verifying, the stored chunks matching every file.
    Returns (signer, manifest). Any failure here refuses the bid whenever it is found."""
    supplier = upload.supplier
    signer = _claimed_signer(raw)
    public_key = _bidder_certificate(signer=signer, supplier=supplier, user=user, now=received_at)
    tender = upload.tender
    parsed = manifest_parse_and_check(
        raw,
        tender_custodians=tender_custodian_keys(tender),
        threshold=tender.threshold_k,
        tender=tender.reference,
        lot=upload.lot,
        bid=upload.bid,
        supplier=supplier.credit_code,
        signature=signature,
        public_key=public_key,
    )
    path = _chunks_match(upload, parsed)
    logger.info("finalize %s: file digests %s", upload.bid, path)
    return signer, parsed


def _in_time_or_refuse(tender: Tender, *, received_at: dt.datetime, now: dt.datetime) -> None:
    """A finalize is in time when its request was complete before the deadline (`received_at`), and
    its checks ended while the seal could still wait for it: before the deadline plus
    `FINALIZE_GRACE`, and before the tender was sealed (caller holds the tender's lock)."""
    _open_or_refuse(tender, received_at)
    if now >= tender.bid_deadline + FINALIZE_GRACE or seal_of(tender) is not None:
        raise VerificationLate(
            received_at=format_time(received_at), grace_seconds=int(FINALIZE_GRACE.total_seconds())
        )


def bid_finalize(
    *, user: User, bid: str, manifest: bytes, signature: str, received_at: dt.datetime | None = None
) -> tuple[BidReceipt, bool]:
    """Accept a bid version: the manifest and the bidder's signature over it, after its chunks.

    `received_at` is the time of receipt: when the last byte of the finalize request arrived, read
    from the one clock before any work (`bidding.arrival`); now when not given. The bid is judged
    against it, however long the checks take.

    Before: (checked first, outside the transaction, since they depend on the bid alone) the
    manifest bytes are canonical JCS; identifiers, points and every pok_j are well formed; no two
    ephemerals share an x-coordinate; the signer is a bidder certificate of this supplier and person,
    valid at `received_at`, and the signature verifies; the stored chunks match every file's count,
    lengths and digest; custodians and threshold are the tender's; tender, lot, bid and supplier are
    this upload's. Then in ONE transaction, under the tender's lock (the seal takes it too):
    `received_at` is before the deadline, the clock is before the deadline plus `FINALIZE_GRACE` and
    the tender is not sealed; no accepted manifest used any of the ephemerals; the bid id is new;
    `replaces` names the supplier's current version for the lot (null if none), and no receipt of
    this supplier in the tender is later than `received_at`; the certificate is still valid and
    the supplier eligible at `received_at`.
    After: the version and its receipt, both carrying `received_at`, are committed (durable) before
    the caller answers. A resent manifest (same SHA-256, never compared by signature bytes) returns
    the stored receipt, at any time. Returns (receipt, created)."""
    received_at = received_at or clock.now()
    upload = _upload(user, bid)
    supplier = upload.supplier
    raw = bytes(manifest)
    resent = _resent_receipt(manifest_sha256=_sha256_b64u(raw), supplier=supplier)
    if resent is not None:
        return resent, False
    try:
        signature_bytes = b64u_decode(signature)
    except EncodingError:
        raise SB1Error("b64u") from None
    _open_or_refuse(upload.tender, received_at)  # fail fast; judged again under the lock below

    signer, parsed = _verify(
        upload=upload, user=user, raw=raw, signature=signature_bytes, received_at=received_at
    )
    with transaction.atomic():
        # Everything below depends on other bids and on the seal: take the tender's lock (the seal
        # takes it too), then judge the time of receipt, and the grace against the clock read now.
        tender = Tender.objects.select_for_update().get(pk=upload.tender_id)
        now = clock.now()
        resent = _resent_receipt(manifest_sha256=b64u_encode(parsed.sha256), supplier=supplier)
        if resent is not None:
            return resent, False
        _in_time_or_refuse(tender, received_at=received_at, now=now)
        _bidder_certificate(signer=signer, supplier=supplier, user=user, now=received_at)
        _eligible_or_refuse(supplier, received_at, tender)
        if BidVersion.objects.filter(bid=upload.bid).exists():
            raise BidIdReused()
        xs = [b64u_encode(x) for x in parsed.ephemeral_xs]
        if EphemeralKeyUse.objects.filter(x__in=xs).exists():
            raise EphemeralReused()
        current = version_current(tender=tender, supplier=supplier, lot=upload.lot)
        if current is not None and version_is_withdrawn(current):
            current = None
        named = None if parsed.replaces is None else b64u_encode(parsed.replaces)
        if named != (current.manifest_sha256 if current is not None else None):
            raise ReplacesNotCurrent()
        # A lot's versions and withdrawals keep the order of their times of receipt (the counting
        # version is the latest received): a request that arrived before a later-received one of the
        # same supplier and lot was accepted cannot have been based on it.
        if (
            BidVersion.objects.filter(
                tender=tender, supplier=supplier, lot=upload.lot, received_at__gt=received_at
            ).exists()
            or BidWithdrawal.objects.filter(
                version__tender=tender,
                version__supplier=supplier,
                version__lot=upload.lot,
                received_at__gt=received_at,
            ).exists()
        ):
            raise ReplacesNotCurrent()
        manifest_hash = b64u_encode(parsed.sha256)
        receipt = _receipt_issue(
            tender=tender,
            supplier=supplier,
            kind=RECEIPT,
            now=received_at,
            body={
                "tender": tender.reference,
                "lot": upload.lot,
                "bid": upload.bid,
                "supplier": supplier.credit_code,
                "manifest_sha256": manifest_hash,
            },
        )
        version = BidVersion.objects.create(
            tender=tender,
            lot=upload.lot,
            bid=upload.bid,
            supplier=supplier,
            upload=upload,
            submitted_by=user,
            manifest=raw,
            signature=signature,
            signer=signer,
            manifest_sha256=manifest_hash,
            replaces=current,
            receipt=receipt,
            received_at=received_at,
        )
        try:
            with transaction.atomic():
                EphemeralKeyUse.objects.bulk_create([EphemeralKeyUse(x=x, version=version) for x in xs])
        except IntegrityError:
            raise EphemeralReused() from None
    running_digests_forget(upload_id=upload.pk)
    return receipt, True


def bid_withdraw(*, user: User, envelope: Any) -> tuple[BidReceipt, bool]:
    """Withdraw the supplier's current version of a lot with a statement its bidder signed.

    Before: `envelope` is {"statement": w, "signature"} with w naming this supplier's current
    (unwithdrawn) version of the lot; the signer is a valid, unrevoked bidder certificate of the
    same supplier and the signature verifies; the clock is before the deadline (under the lock).
    After: the withdrawal and its receipt are stored; nothing of the lot counts until a new version
    (with `replaces: null`) arrives. A resent statement (same withdrawal_sha256) returns the stored
    receipt at any time. Returns (receipt, created)."""
    supplier = _supplier_of(user)
    statement = envelope.get("statement") if isinstance(envelope, dict) else None
    if isinstance(statement, dict):
        try:
            earlier = BidWithdrawal.objects.filter(
                withdrawal_sha256=_sha256_b64u(jcs(statement)), version__supplier=supplier
            ).first()
        except (TypeError, ValueError):
            earlier = None
        if earlier is not None:
            return earlier.receipt, False
    signer = statement.get("signer") if isinstance(statement, dict) else None
    with transaction.atomic():
        status = certificate_status(signer if isinstance(signer, str) else "", clock.now())
        certificate = status.certificate
        if certificate is None or not status.is_valid:
            raise CertificateRefused(_("The withdrawal is not signed with a valid certificate."))
        if certificate.purpose != CertificatePurpose.BIDDER or certificate.supplier_id != supplier.pk:
            raise CertificateRefused(
                _("The withdrawal is not signed by your enterprise's bidder certificate.")
            )
        statement, withdrawal_hash = withdrawal_check(
            envelope, public_key=b64u_decode(certificate.public_key)
        )
        if statement["supplier"] != supplier.credit_code:
            raise SB1Error("mismatch")
        version = (
            BidVersion.objects.filter(bid=statement["bid"], supplier=supplier)
            .select_related("tender")
            .first()
        )
        if version is None or (version.tender.reference, version.lot) != (
            statement["tender"],
            statement["lot"],
        ):
            raise WithdrawalNotCurrent()
        tender = Tender.objects.select_for_update().get(pk=version.tender_id)
        now = clock.now()
        _open_or_refuse(tender, now)
        if certificate_status(signer, now).state != status.state:
            raise CertificateRefused(_("The withdrawal is not signed with a valid certificate."))
        current = version_current(tender=tender, supplier=supplier, lot=version.lot)
        if (
            current is None
            or current.pk != version.pk
            or version_is_withdrawn(version)
            or statement["manifest_sha256"] != version.manifest_sha256
        ):
            raise WithdrawalNotCurrent()
        receipt = _receipt_issue(
            tender=tender,
            supplier=supplier,
            kind=WITHDRAWAL_RECEIPT,
            now=now,
            body={
                "tender": tender.reference,
                "lot": version.lot,
                "bid": version.bid,
                "supplier": supplier.credit_code,
                "manifest_sha256": version.manifest_sha256,
                "withdrawal_sha256": b64u_encode(withdrawal_hash),
            },
        )
        BidWithdrawal.objects.create(
            version=version,
            envelope=envelope,
            signer=signer,
            withdrawal_sha256=b64u_encode(withdrawal_hash),
            submitted_by=user,
            receipt=receipt,
            received_at=now,
        )
    return receipt, True

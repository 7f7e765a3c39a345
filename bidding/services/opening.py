"""The cryptographic side of the opening (SEALED_BIDS.md "Opening"): the sealed set taken into the
room at the seal, the slots served to each custodian, share submissions checked on arrival (a bad
proof refused and recorded against the custodian by name), each bid opened by a background task once
the share window has closed (and never before), the read-out, and the signed opening record.

The room, its event log and its phases are bidding.services.ceremony."""

import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bidding import at_rest
from bidding.ceremony_constants import Audience, BidOpeningState, CeremonyPhase, CeremonyRole, ShareState
from bidding.models import (
    BidChunk,
    BidOpening,
    BidVersion,
    CeremonyEvent,
    CeremonyRoom,
    OpeningKey,
    ShareSubmission,
)
from bidding.sb1.errors import SB1Error
from bidding.sb1.manifest import manifest_parse
from bidding.sb1.opening import bid_open, share_submission_check
from bidding.sb1.seal import CountingBid, slot_leaf, slots_serve
from bidding.sb1.wire import canonical
from bidding.selectors.ceremony import room_member
from bidding.selectors.submission import tender_custodian_keys
from bidding.services.ceremony import (
    CeremonyRefused,
    _room_locked,
    ceremony_advance,
    event_record,
    room_ensure,
)
from bidding.storage import bid_storage
from config import clock
from config.exceptions import DomainError, NotAllowed
from config.money import amount_in_words
from ledger.encoding import b64u_decode, b64u_encode, format_time
from ledger.services import ledger_append, ledger_append_many
from tenders import readout
from tenders.models import Tender
from tenders.rules import normalise_readout


class ShareRefused(DomainError):
    """A share submission refused on arrival; `owner` says whose fault (SEALED_BIDS.md Opening 2)."""

    status_code = 422
    code = "share_refused"


# ---------------------------------------------------------------- the sealed set enters the room


def sealed_set_load(*, tender_id: int) -> CeremonyRoom | None:
    """At the deadline: seal the tender (if no job has yet) and take its sealed set into the room,
    one BidOpening a counting bid in read-out order (receipt time, supplier code, lot). Idempotent.
    Returns None before the deadline."""
    from bidding.services.seal import seal_ensure

    tender = Tender.objects.get(pk=tender_id)
    seal = seal_ensure(tender)
    if seal is None:
        return None
    room = room_ensure(tender=tender)
    if room.seal_statement is not None:
        return room
    payload = seal.envelope.get("payload", seal.envelope)
    versions = list(
        BidVersion.objects.filter(tender=tender, manifest_sha256__in=payload["bids"]).select_related(
            "supplier__organisation"
        )
    )
    versions.sort(key=lambda v: (v.received_at, v.supplier.organisation.credit_code or "", v.lot or ""))
    custodian_count = len(payload["slots"])
    with transaction.atomic():
        room = _room_locked(room.pk)
        if room.seal_statement is not None:
            return room
        for position, version in enumerate(versions, 1):
            manifest = manifest_parse(bytes(version.manifest))
            counting = CountingBid.of(manifest)
            handles = {
                str(j): b64u_encode(slot_leaf(counting.ctx, j, counting.ephemerals[j]))
                for j in range(1, custodian_count + 1)
            }
            BidOpening.objects.create(
                room=room,
                version=version,
                manifest_sha256=version.manifest_sha256,
                supplier=version.supplier,
                lot=version.lot or "",
                received_at=version.received_at,
                position=position,
                handles=handles,
            )
        room.seal_statement = seal.envelope
        room.seal_count = payload["count"]
        room.seal_root = payload["root"]
        room.save(update_fields=["seal_statement", "seal_count", "seal_root"])
    return room


def slots_total(room: CeremonyRoom) -> int:
    return room.bid_openings.count() * room.tender.custodians.count()


def _accepted_handles(room: CeremonyRoom) -> dict[int, set[str]]:
    accepted: dict[int, set[str]] = {}
    for index, handle in ShareSubmission.objects.filter(room=room, state=ShareState.ACCEPTED).values_list(
        "index", "handle"
    ):
        accepted.setdefault(index, set()).add(handle)
    return accepted


def custodians_complete(room: CeremonyRoom) -> set[int]:
    """The custodians with an accepted point for every slot."""
    accepted = _accepted_handles(room)
    openings = list(room.bid_openings.values_list("handles", flat=True))
    indexes = room.tender.custodians.values_list("index", flat=True)
    return {j for j in indexes if all(h[str(j)] in accepted.get(j, set()) for h in openings)}


def shares_sufficient(room: CeremonyRoom) -> bool:
    """Every bid has at least k accepted points (so the window's end can close it without the host)."""
    accepted = _accepted_handles(room)
    k = room.tender.threshold_k
    for handles in room.bid_openings.values_list("handles", flat=True):
        if sum(1 for j, h in handles.items() if h in accepted.get(int(j), set())) < k:
            return False
    return True


# ---------------------------------------------------------------- serving slots, receiving shares


def _custodian_of(user: User, room: CeremonyRoom) -> int:
    member = room_member(user=user, tender=room.tender, room=room)
    if member.role != CeremonyRole.CUSTODIAN:
        raise NotAllowed(_("Only the tender's key custodians take part in opening the bids."))
    return member.custodian_index


def _in_share_window(room: CeremonyRoom) -> None:
    now = clock.now()
    if room.phase in (CeremonyPhase.LOBBY, CeremonyPhase.SEAL) or now < room.tender.bid_deadline:
        raise CeremonyRefused(
            _("Custodians act only after the bid deadline, on the sealed set."), code="too_early"
        )
    if room.phase != CeremonyPhase.SHARES or now >= room.share_window_ends_at:
        raise CeremonyRefused(_("The share window is closed."), code="window_closed")


def custodian_slots(*, tender_id: int, user: User) -> dict[str, Any]:
    """What custodian j is served in the share window (Opening 1): the signed seal statement with its
    ledger index, and one slot object a counting bid (nothing about the bidder or the manifest).
    The first serving is logged (the custodian's own event), so a later dispute over a slot can be
    settled from the log."""
    room = ceremony_advance(tender_id=tender_id)
    index = _custodian_of(user, room)
    _in_share_window(room)
    from bidding.selectors.submission import seal_of

    seal = seal_of(room.tender)
    counting = []
    for opening in room.bid_openings.select_related("version"):
        counting.append(CountingBid.of(manifest_parse(bytes(opening.version.manifest))))
    slots = slots_serve(tender=room.tender.reference, counting=counting, index=index)
    handles = [s["handle"] for s in slots]
    with transaction.atomic():
        locked = _room_locked(room.pk)
        served = CeremonyEvent.objects.filter(
            room=locked, kind="slots_served", audience=Audience.CUSTODIAN, audience_key=str(index)
        )
        if not any(e.payload.get("handles") == handles for e in served):
            event_record(
                room=locked,
                kind="slots_served",
                payload={"index": index, "handles": handles},
                audience=Audience.CUSTODIAN,
                audience_key=index,
            )
    return {
        "seal": seal.envelope,
        "seal_ledger_index": seal.ledger_index,
        "index": index,
        "slots": slots,
        "window_ends_at": room.share_window_ends_at.isoformat(),
    }


def _served_handles(room: CeremonyRoom, index: int) -> set[bytes]:
    served: set[bytes] = set()
    for payload in CeremonyEvent.objects.filter(
        room=room, kind="slots_served", audience=Audience.CUSTODIAN, audience_key=str(index)
    ).values_list("payload", flat=True):
        served |= {b64u_decode(h) for h in payload.get("handles", [])}
    return served


def shares_submit(*, tender_id: int, user: User, envelopes: list[Any]) -> list[dict[str, Any]]:
    """Custodian j submits signed points with DLEQ proofs (Opening 2), one or many at once.

    Before: share phase, inside the window (by the clock), the user is custodian j.
    After: each submission is stored with its point only sealed under the share key (a resend of an
    accepted slot returns the stored answer); a refused one with the code and whose fault, announced
    to the custodian and the host by name, the whole signed submission sealed until the window closes
    (its point may be good: only the proof was bad), when it goes into the ledger as evidence
    (`refusals_publish`). Progress is announced to everyone. Returns one
    {"handle","state","code","owner"} each."""
    from bidding.services.keys import _custodian_signing_key

    room = ceremony_advance(tender_id=tender_id)
    index = _custodian_of(user, room)
    _in_share_window(room)
    if not isinstance(envelopes, list) or not envelopes or len(envelopes) > 10_000:
        raise ShareRefused(_("Send a list of share submissions."), code="share_malformed")
    tender = room.tender
    key_row = OpeningKey.objects.get(tender=tender, index=index)
    slot_handles = {b64u_decode(h[str(index)]) for h in room.bid_openings.values_list("handles", flat=True)}
    served = _served_handles(room, index)
    results: list[dict[str, Any]] = []
    with transaction.atomic():
        room = _room_locked(room.pk)
        _in_share_window(room)
        accepted_now = 0
        for envelope in envelopes:
            submission = envelope.get("submission") if isinstance(envelope, dict) else None
            signer = submission.get("signer") if isinstance(submission, dict) else None
            handle = (
                submission.get("handle")
                if isinstance(submission, dict) and isinstance(submission.get("handle"), str)
                else ""
            )
            try:
                signing_key = _custodian_signing_key(user=user, signer=signer)
                accepted = share_submission_check(
                    envelope,
                    tender=tender.reference,
                    index=index,
                    custodian_key=b64u_decode(key_row.key),
                    signing_public_key=signing_key,
                    slot_handles=slot_handles,
                    served_handles=served,
                )
            except SB1Error as error:
                results.append(
                    _share_refuse(room, user, index, handle[:43], envelope, error.code, error.owner)
                )
                continue
            except DomainError as error:  # the certificate: the custodian's own to fix
                results.append(
                    _share_refuse(room, user, index, handle[:43], envelope, error.code, "custodian")
                )
                continue
            handle = b64u_encode(accepted.handle)
            existing = ShareSubmission.objects.filter(
                room=room, index=index, handle=handle, state=ShareState.ACCEPTED
            ).first()
            if existing is None:
                ShareSubmission.objects.create(
                    room=room,
                    custodian=user,
                    index=index,
                    handle=handle,
                    envelope=_without_point(envelope),
                    state=ShareState.ACCEPTED,
                    received_at=clock.now(),
                    sealed_point=at_rest.point_seal(
                        accepted.point, room_id=room.pk, index=index, handle=handle
                    ),
                )
                accepted_now += 1
            results.append({"handle": handle, "state": ShareState.ACCEPTED, "code": "", "owner": ""})
        if accepted_now:
            done = ShareSubmission.objects.filter(room=room, index=index, state=ShareState.ACCEPTED).count()
            event_record(
                room=room,
                kind="share_progress",
                payload={
                    "index": index,
                    "custodian": user.full_name or user.username,
                    "accepted": done,
                    "slots": room.bid_openings.count(),
                },
            )
    transaction.on_commit(lambda: ceremony_advance(tender_id=tender_id))
    return results


def _share_refuse(
    room: CeremonyRoom, user: User, index: int, handle: str, envelope: Any, code: str, owner: str | None
) -> dict[str, Any]:
    owner = owner or "custodian"
    # Not an object at all: kept (sealed) for auditors, but nothing a ledger reader could re-check.
    received = envelope if isinstance(envelope, dict) else {"raw": str(envelope)[:2000]}
    ShareSubmission.objects.create(
        room=room,
        custodian=user,
        index=index,
        handle=handle,
        envelope=_without_point(envelope) if isinstance(envelope, dict) else {"malformed": True},
        state=ShareState.REFUSED,
        refusal_code=code,
        refusal_owner=owner,
        received_at=clock.now(),
        sealed_point=at_rest.refused_seal(
            json.dumps(received, ensure_ascii=False).encode(), room_id=room.pk, index=index, handle=handle
        ),
    )
    name = user.full_name or user.username
    event_record(
        room=room,
        kind="share_refused",
        payload={
            "index": index,
            "custodian": name,
            "handle": handle,
            "code": code,
            "owner": owner,
            "evidence": _without_point(envelope) if isinstance(envelope, dict) else None,
        },
        audience=Audience.CUSTODIAN,
        audience_key=index,
    )
    return {"handle": handle, "state": ShareState.REFUSED, "code": code, "owner": owner}


def _without_point(envelope: dict[str, Any]) -> dict[str, Any]:
    """A submission as it may rest in the database or an event: without its point Z_j, which with
    k−1 others (or any k) rebuilds a bid's key (SEALED_BIDS.md Opening 2). The point itself rests
    only sealed under the share key, and `_envelope_restored` puts it back after the window closes."""
    submission = envelope.get("submission")
    if not isinstance(submission, dict) or "point" not in submission:
        return envelope
    return {**envelope, "submission": {k: v for k, v in submission.items() if k != "point"}}


def _envelope_restored(row: ShareSubmission) -> dict[str, Any]:
    """The signed submission exactly as received. Only after the window has closed."""
    if row.state == ShareState.REFUSED:
        sealed = at_rest.refused_unseal(
            bytes(row.sealed_point), room_id=row.room_id, index=row.index, handle=row.handle
        )
        return json.loads(sealed)
    point = at_rest.point_unseal(
        bytes(row.sealed_point), room_id=row.room_id, index=row.index, handle=row.handle
    )
    submission = {**row.envelope["submission"], "point": b64u_encode(point)}
    return {**row.envelope, "submission": submission}


def refusals_publish(*, room: CeremonyRoom) -> None:
    """At the close of the share window, and not before: every refused submission, whole and as
    received (its point included, so anyone can re-check the blame), into the ledger in the order
    received (time, then custodian index, then arrival). Until then anyone could collect points.

    Before: the window is closing, in the caller's transaction under the room lock (so once)."""
    rows = ShareSubmission.objects.filter(room=room, state=ShareState.REFUSED).order_by(
        "received_at", "index", "pk"
    )
    items = [
        (
            "yizhan/share-refused",
            {
                "type": "yizhan/share-refused",
                "tender": room.tender.reference,
                "index": row.index,
                "code": row.refusal_code,
                "owner": row.refusal_owner,
                "submission": None if row.envelope.get("malformed") else _envelope_restored(row),
                "at": format_time(row.received_at),
            },
        )
        for row in rows
    ]
    if items:
        ledger_append_many(items=items)


# ---------------------------------------------------------------- opening each bid


def bid_openings_queue(*, room: CeremonyRoom, opening_ids: list[int]) -> None:
    """Queue the decryption task of each bid after the commit (tasks are idempotent)."""
    if not opening_ids:
        return
    BidOpening.objects.filter(pk__in=opening_ids).update(queued_at=clock.now())

    def queue() -> None:
        from bidding.tasks import bid_open_task

        for opening_id in opening_ids:
            bid_open_task.delay(opening_id)

    transaction.on_commit(queue)


class VersionChunks:
    """The stored ciphertext of one accepted version (SB1 ChunkSource), read from the bid storage."""

    def __init__(self, version: BidVersion) -> None:
        self.storage = bid_storage()
        self.names: dict[int, list[str]] = {}
        for chunk in BidChunk.objects.filter(upload_id=version.upload_id).order_by("file_index", "index"):
            self.names.setdefault(chunk.file_index, []).append(chunk.name)

    def chunk_count(self, file_index: int) -> int:
        return len(self.names.get(file_index, []))

    def read_chunk(self, file_index: int, chunk_index: int) -> bytes:
        try:
            with self.storage.open(self.names[file_index][chunk_index], "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return b""  # a lost chunk: its length and digest no longer match (the platform's fault)


def _opened_name(opening: BidOpening, file_index: int, chunk_index: int) -> str:
    return f"opened/{opening.room.tender_id}/{opening.manifest_sha256}/{file_index}/{chunk_index}"


def bid_opening_run(*, opening_id: int) -> BidOpening:
    """Open one bid (Opening 3–4). Idempotent: a bid already processed is returned unchanged, and a
    run killed before its commit leaves nothing recorded, so running it again is always safe.

    Before: the share window has closed (judged from the room, whose close is judged from the clock):
    there is no path to decryption before it. After: the bid is opened or failed with reason and
    owner; blamed shares and the manifest in the ledger; attachments and form re-encrypted at rest
    under the contents key, K kept sealed; the room told (progress only, never contents)."""
    from django.core.files.base import ContentFile

    opening = BidOpening.objects.select_related("room__tender", "version").get(pk=opening_id)
    if opening.state != BidOpeningState.PENDING:
        return opening
    room = opening.room
    if room.share_window_closed_at is None or room.phase in (
        CeremonyPhase.LOBBY,
        CeremonyPhase.SEAL,
        CeremonyPhase.SHARES,
    ):
        raise CeremonyRefused(_("Bids are opened only after the share window has closed."), code="too_early")
    tender = room.tender
    version = opening.version
    manifest = manifest_parse(bytes(version.manifest))
    points: dict[int, bytes] = {}
    for j, handle in opening.handles.items():
        row = ShareSubmission.objects.filter(
            room=room, index=int(j), handle=handle, state=ShareState.ACCEPTED
        ).first()
        if row is not None:
            points[int(j)] = at_rest.point_unseal(
                bytes(row.sealed_point), room_id=room.pk, index=int(j), handle=handle
            )
    storage = bid_storage()
    written: list[str] = []

    def keep_sealed(file_index: int, chunk_index: int, plaintext: bytes) -> None:
        name = _opened_name(opening, file_index, chunk_index)
        if storage.exists(name):  # left by a run that was killed: replaced, never doubled
            storage.delete(name)
        sealed = at_rest.contents_seal(plaintext, label=name)
        written.append(storage.save(name, ContentFile(sealed)))

    result = bid_open(
        manifest=manifest,
        custodians=tender_custodian_keys(tender),
        points=points,
        chunks=VersionChunks(version),
        readout_fields=normalise_readout(list(tender.readout_fields)),
        window_closed_early=room.share_window_closed_early,
        plaintext_sink=keep_sealed,
    )
    if not result.opened:
        for name in written:
            storage.delete(name)
    with transaction.atomic():
        locked_room = _room_locked(room.pk)
        opening = BidOpening.objects.select_for_update().get(pk=opening_id)
        if opening.state != BidOpeningState.PENDING:
            return opening
        opening.share_states = {str(j): s for j, s in sorted(result.shares.items())}
        opening.processed_at = clock.now()
        label = f"{tender.reference}/{opening.manifest_sha256}"
        if result.key is not None:
            opening.sealed_content_key = at_rest.contents_seal(result.key, label=f"key/{label}")
        if result.opened:
            opening.state = BidOpeningState.OPENED
            opening.readout = dict(result.readout)
            opening.price = _price(result.readout.get("price"))
            opening.sealed_form = at_rest.contents_seal(canonical(result.form), label=f"form/{label}")
            opening.remarks = _remarks(tender, opening.price)
        else:
            failure = result.failures[0]
            opening.state = BidOpeningState.FAILED
            opening.reason, opening.owner = failure.code, failure.owner
            opening.blamed_custodians = list(failure.custodians)
        opening.save()
        if result.blamed_shares:
            # Opening 3: the bid's signed manifest, then each blamed signed submission, so anyone
            # can re-check that the bidder's own values were wrong.
            items: list[tuple[str, dict[str, Any]]] = [
                ("SB1/manifest", {"manifest": manifest.data, "signature": version.signature})
            ]
            for j in result.blamed_shares:
                row = ShareSubmission.objects.get(
                    room=locked_room, index=j, handle=opening.handles[str(j)], state=ShareState.ACCEPTED
                )
                items.append(("SB1/share", _envelope_restored(row)))
            ledger_append_many(items=items)
        event_record(
            room=locked_room,
            kind="bid_processed",
            payload={
                "position": opening.position,
                "state": opening.state,
                "reason": opening.reason,
                "owner": opening.owner,
                "processed": locked_room.bid_openings.exclude(state=BidOpeningState.PENDING).count(),
                "total": locked_room.bid_openings.count(),
            },
        )
    transaction.on_commit(lambda: ceremony_advance(tender_id=tender.pk))
    return opening


def _price(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _remarks(tender: Tender, price: Decimal | None) -> list[dict[str, str]]:
    # Codes, not sentences: each reader sees them in its own language (pages, ceremony.mjs, the record).
    if price is not None and tender.max_price is not None and price > tender.max_price:
        return [{"code": "above_max_price", "max": str(tender.max_price)}]
    return []


def remark_text(remark: dict[str, str]) -> str:
    if remark.get("code") == "above_max_price":
        return gettext("Above the maximum price (%(max)s CNY)") % {"max": remark.get("max", "")}
    return remark.get("code", "")


FAILURE_TEXT = {
    "shares_missing": _("Too few custodians' shares to rebuild the key"),
    "key_commit": _("The rebuilt key does not match the bidder's key commitment"),
    "shamir": _("The bidder's shares are not consistent"),
    "chunks": _("Stored ciphertext is missing or has the wrong length"),
    "digest": _("Stored ciphertext no longer matches the accepted manifest"),
    "decrypt": _("The ciphertext does not decrypt"),
    "form": _("The bid form is not valid"),
    "padding": _("The bid form is not valid"),
    "mismatch": _("The bid form names another tender, lot, bid or supplier"),
    "readout": _("The read-out values are not valid"),
    "attachment": _("The attachments do not match the files"),
}
OWNER_TEXT = {
    "bidder": _("the bidder's fault (counts as revoked)"),
    "custodian": _("a key custodian's fault (counts as withdrawn)"),
    "platform": _("the platform's fault (counts as withdrawn)"),
}


def readout_build(room: CeremonyRoom) -> list[dict[str, Any]]:
    """The read-out (唱标): every counting bid in its stable order, failed ones marked with the reason
    and whose fault, bids above the maximum price marked, none dropped."""
    fields = [
        f for f in normalise_readout(list(room.tender.readout_fields)) if f not in ("price", "currency")
    ]
    custodians = {
        c.index: c.user.full_name or c.user.username for c in room.tender.custodians.select_related("user")
    }
    rows = []
    for opening in room.bid_openings.select_related("supplier__organisation").order_by("position"):
        reason = ""
        if opening.state == BidOpeningState.FAILED:
            reason = (
                str(FAILURE_TEXT.get(opening.reason, opening.reason))
                + " — "
                + str(OWNER_TEXT.get(opening.owner, opening.owner))
            )
            if opening.blamed_custodians and opening.owner == "custodian":
                reason += ": " + "、".join(custodians.get(j, str(j)) for j in opening.blamed_custodians)
        rows.append(
            {
                "position": opening.position,
                "supplier": opening.supplier.organisation.name,
                "credit_code": opening.supplier.organisation.credit_code or "",
                "lot": opening.lot,
                "received_at": opening.received_at.isoformat(),
                "state": opening.state,
                "price": str(opening.price) if opening.price is not None else None,
                "currency": (opening.readout or {}).get("currency", ""),
                "fields": {f: (opening.readout or {}).get(f, "") for f in fields},
                "remarks": [remark_text(r) for r in opening.remarks],
                "remark_codes": opening.remarks,
                "reason": reason,
                "reason_code": opening.reason,
                "owner": opening.owner,
                "blamed": [custodians.get(j, str(j)) for j in opening.blamed_custodians],
            }
        )
    return rows


# ---------------------------------------------------------------- the opening record


def opening_record_issue(*, room_id: int) -> CeremonyRoom:
    """The signed opening record (EBM Art 32, MOF87 Art 42). Idempotent.

    Before: the ceremony is closed. After: a PAdES-signed PDF listing the tender, the seal root,
    every bid (bidder, receipt time, read-out, status), the custodians' submissions, objections with
    answers and confirmations; its SHA-256 in the ledger; the room points to it; everyone is told."""
    from reports.services import signed_document_issue

    with transaction.atomic():
        room = _room_locked(room_id)
        if room.record_id is not None or room.phase != CeremonyPhase.CLOSED:
            return room
        tender = room.tender
        with translation.override("zh-hans"):  # the record is issued in Chinese (English labels beside)
            context = opening_record_context(room)
        document = signed_document_issue(
            kind="opening_record",
            title=gettext("Opening record of %(ref)s") % {"ref": tender.reference},
            template_name="bidding/opening_record.html",
            context=context,
            subject_ref=f"tenders.tender:{tender.reference}",
            filename=f"opening-record-{tender.reference}.pdf",
            public=True,  # EBM Art 32: the opening record is published
        )
        entry = ledger_append(
            kind="yizhan/opening-record",
            payload={
                "type": "yizhan/opening-record",
                "tender": tender.reference,
                "sha256": document.sha256,
                "seal_root": room.seal_root,
                "document": str(document.token),
                "issued_at": format_time(document.issued_at),
            },
        )
        room.record = document
        room.record_ledger_index = entry.index
        room.save(update_fields=["record", "record_ledger_index"])
        event_record(
            room=room,
            kind="record_published",
            payload={"sha256": document.sha256, "ledger_index": entry.index, "token": str(document.token)},
        )
    return room


def opening_record_context(room: CeremonyRoom) -> dict[str, Any]:
    tender = room.tender
    custodians = []
    for custodian in tender.custodians.select_related("user").order_by("index"):
        rows = room.share_submissions.filter(index=custodian.index)
        custodians.append(
            {
                "index": custodian.index,
                "name": custodian.user.full_name or custodian.user.username,
                "accepted": rows.filter(state=ShareState.ACCEPTED).count(),
                "refused": list(
                    rows.filter(state=ShareState.REFUSED).values(
                        "refusal_code", "refusal_owner", "received_at"
                    )
                ),
            }
        )
    events = list(room.events.filter(kind__in=["share_window_extended"]).order_by("sequence"))
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    items = {item["name"]: item for item in readout.tender_items(tender)}
    rows = readout_build(room)
    for row in rows:  # Beijing time, labelled read-out values and the price in capitals
        row["received_local"] = timezone.localtime(parse_datetime(row["received_at"])).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        row["fields_shown"] = [readout.display(items[name], value) for name, value in row["fields"].items()]
        row["price_words"] = amount_in_words(row["price"]) if row["price"] else ""
    return {
        "tender": tender,
        "room": room,
        "rows": rows,
        "readout_fields": [
            readout.heading(item) for name, item in items.items() if name not in ("price", "currency")
        ],
        "custodians": custodians,
        "extensions": [e.payload for e in events],
        "objections": list(
            room.objections.select_related("supplier__organisation", "raised_by", "answered_by")
        ),
        "confirmations": list(
            room.confirmations.select_related("supplier__organisation", "user").order_by("decided_at")
        ),
        "seal_sha256": hashlib.sha256(canonical(room.seal_statement)).hexdigest()
        if room.seal_statement
        else "",
        "generated_at": clock.now(),
    }

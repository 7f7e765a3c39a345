"""The opening ceremony's room (RULES.md "Opening"): the event log, the phases moved by the clock, and
the people's acts in the room (check-in, extending or closing the share window, confirming, objecting,
answering). The cryptographic side (slots, shares, decryption, the record) is bidding.services.opening.

Every event is stored with the room's next sequence number under the room's row lock and sent to its
audience's channel-layer group only after the commit, so any server process can move the ceremony
and a client that reconnects gets, from the log, exactly what it missed. Nothing is held in a
process's memory: `ceremony_advance` reads the clock and the database each time and is idempotent,
so the Celery beat tick, a connecting client or any action may call it at any moment."""

import os
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bidding.ceremony_constants import (
    CEREMONY_TRANSITIONS,
    MINIMUM_BIDS,
    Audience,
    BidOpeningState,
    CeremonyPhase,
    CeremonyRole,
    ConfirmationDecision,
)
from bidding.models import (
    CeremonyCheckIn,
    CeremonyEvent,
    CeremonyRoom,
    Objection,
    ReadoutConfirmation,
    ShareSubmission,
)
from bidding.selectors.ceremony import event_wire, group_name, room_member, stream_of
from config import clock
from config.exceptions import Conflict, DomainError, NotAllowed, NotFound
from ledger.encoding import format_time
from ledger.services import ledger_append
from tenders.constants import TenderStatus
from tenders.models import Tender

# How long bidders have to confirm or object after the read-out (a tender may not set its own yet).
CONFIRMATION_WINDOW_S = int(
    getattr(settings, "CEREMONY_CONFIRMATION_WINDOW_S", 0)
    or os.environ.get("YIZHAN_CEREMONY_CONFIRMATION_S", 30 * 60)
)
# A bid whose decryption task was queued this long ago and has not finished is queued again by the
# tick (the task is idempotent; a worker killed mid-task may leave its message unacknowledged for long).
REQUEUE_AFTER_S = int(
    getattr(settings, "CEREMONY_REQUEUE_AFTER_S", 0) or os.environ.get("YIZHAN_CEREMONY_REQUEUE_S", 30)
)
MAX_EXTENSION_MINUTES = 24 * 60


class CeremonyRefused(Conflict):
    code = "ceremony_refused"


class PhaseTransitionRefused(Conflict):
    code = "phase_transition_refused"


# ---------------------------------------------------------------- the room and its log


def room_ensure(*, tender: Tender) -> CeremonyRoom:
    """The tender's room, made on first use. Before: the tender is public with a deadline."""
    room = CeremonyRoom.objects.filter(tender=tender).first()
    if room is not None:
        return room
    try:
        with transaction.atomic():
            return CeremonyRoom.objects.create(
                tender=tender, created_at=clock.now(), phase_changed_at=clock.now()
            )
    except IntegrityError:  # another process made it first
        return CeremonyRoom.objects.get(tender=tender)


def _room_locked(room_id: int) -> CeremonyRoom:
    return CeremonyRoom.objects.select_for_update().select_related("tender").get(pk=room_id)


def event_record(
    *,
    room: CeremonyRoom,
    kind: str,
    payload: dict[str, Any] | None = None,
    audience: str = Audience.PUBLIC,
    audience_key: Any = "",
) -> CeremonyEvent:
    """Store one event with the room's next sequence number and its stream's next number, and send it
    to its audience after commit.

    Before: `room` was read with `_room_locked` in the caller's transaction (the lock orders the numbers).
    After: the event is in the log; once the transaction commits, it goes to the audience's group."""
    key = str(audience_key) if audience in (Audience.CUSTODIAN, Audience.BIDDER) else ""
    stream = stream_of(audience, key)
    # Numbers under the room's lock: the room-wide order (server-side only) and the stream's own.
    room.last_sequence += 1
    room.save(update_fields=["last_sequence"])
    last_in_stream = CeremonyEvent.objects.filter(room=room, stream=stream).aggregate(
        n=Max("stream_sequence")
    )
    event = CeremonyEvent.objects.create(
        room=room,
        sequence=room.last_sequence,
        kind=kind,
        audience=audience,
        audience_key=str(audience_key),
        stream=stream,
        stream_sequence=(last_in_stream["n"] or 0) + 1,
        payload=payload or {},
        created_at=clock.now(),
    )
    group = group_name(room.pk, audience, key)
    # `order` lets a connection fill a gap from the log in room order; it is never sent on.
    message = {"type": "ceremony.event", "order": event.sequence, "event": event_wire(event)}
    transaction.on_commit(lambda: _group_send(group, message))
    return event


def _group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def _phase_move(room: CeremonyRoom, target: str, **payload: Any) -> None:
    """The one guard of the room's state machine; every move is an event everyone sees."""
    if target not in CEREMONY_TRANSITIONS[room.phase]:
        raise PhaseTransitionRefused(
            _("The ceremony cannot move from %(a)s to %(b)s.")
            % {"a": CeremonyPhase(room.phase).label, "b": CeremonyPhase(target).label}
        )
    room.phase, room.phase_changed_at = target, clock.now()
    room.save(update_fields=["phase", "phase_changed_at"])
    event_record(room=room, kind="phase", payload={"phase": target, **payload})


# ---------------------------------------------------------------- the clock moves the ceremony


def ceremony_advance(*, tender_id: int) -> CeremonyRoom:
    """Make every transition the clock and the records call for, and nothing else. Idempotent.

    lobby → seal at the deadline (the seal statement; < 3 counting bids → failed);
    seal → shares; shares → decryption when every custodian answered every slot, or at the
    window's end when every bid has k accepted points (else announce the shortfall once and wait for
    the host); decryption → readout → confirmation when every bid was processed;
    confirmation → closed at the window's end once every objection is answered."""
    tender = Tender.objects.get(pk=tender_id)
    if tender.bid_deadline is None or tender.status not in (
        TenderStatus.PUBLISHED,
        TenderStatus.OPENING,
        TenderStatus.EVALUATION,
        TenderStatus.AWAITING_AWARD,
        TenderStatus.FAILED,
    ):
        raise NotFound()
    room = room_ensure(tender=tender)
    if room.phase in (CeremonyPhase.CLOSED, CeremonyPhase.FAILED):
        if room.phase == CeremonyPhase.CLOSED and room.record_id is None:
            _record_queue(room.pk)
        return room
    if room.phase == CeremonyPhase.LOBBY and clock.now() >= tender.bid_deadline:
        from bidding.services.opening import sealed_set_load

        sealed_set_load(tender_id=tender.pk)  # outside the room lock: sealing writes the ledger
    with transaction.atomic():
        room = _room_locked(room.pk)
        for _step in range(8):
            if not _advance_one(room):
                break
    return room


def _advance_one(room: CeremonyRoom) -> bool:
    """One transition, if due. True when the room moved."""
    from bidding.services.opening import (
        bid_openings_queue,
        custodians_complete,
        readout_build,
        shares_sufficient,
        slots_total,
    )

    tender, now = room.tender, clock.now()
    if room.phase == CeremonyPhase.LOBBY:
        if now < tender.bid_deadline or room.seal_statement is None:
            return False
        _phase_move(room, CeremonyPhase.SEAL, count=room.seal_count, root=room.seal_root)
        return True
    if room.phase == CeremonyPhase.SEAL:
        if room.seal_count < MINIMUM_BIDS:
            reason = gettext(
                "Fewer than %(n)d bids were received by the deadline (%(count)d): "
                "there is no opening and the procurement has failed."
            ) % {"n": MINIMUM_BIDS, "count": room.seal_count}
            room.failure_reason = reason
            room.save(update_fields=["failure_reason"])
            _tender_fail(tender, reason)
            _phase_move(room, CeremonyPhase.FAILED, reason=reason, count=room.seal_count)
            return True
        from tenders.services import tender_opening_start

        if tender.status == TenderStatus.PUBLISHED:
            tender_opening_start(tender_id=tender.pk, by=None)
        room.share_window_ends_at = tender.bid_deadline + timedelta(seconds=tender.share_window_s)
        room.save(update_fields=["share_window_ends_at"])
        _phase_move(
            room,
            CeremonyPhase.SHARES,
            window_ends_at=room.share_window_ends_at.isoformat(),
            slots=slots_total(room),
        )
        return True
    if room.phase == CeremonyPhase.SHARES:
        complete = custodians_complete(room)
        everyone = len(complete) == tender.custodians.count()
        if not everyone and now < room.share_window_ends_at:
            return False
        if not everyone and not shares_sufficient(room):
            if room.shortfall_announced_for != room.share_window_ends_at:
                room.shortfall_announced_for = room.share_window_ends_at
                room.save(update_fields=["shortfall_announced_for"])
                event_record(
                    room=room,
                    kind="share_window_short",
                    payload={"complete": sorted(complete), "threshold": tender.threshold_k},
                )
            return False
        _share_window_close(room, early=False)
        return True
    if room.phase == CeremonyPhase.DECRYPTION:
        pending = room.bid_openings.filter(state=BidOpeningState.PENDING)
        if pending.exists():
            stale = now - timedelta(seconds=REQUEUE_AFTER_S)
            again = list(pending.filter(queued_at__lt=stale).values_list("pk", flat=True))
            if again:
                bid_openings_queue(room=room, opening_ids=again)
            return False
        _phase_move(room, CeremonyPhase.READOUT)
        event_record(room=room, kind="readout", payload={"rows": readout_build(room)})
        return True
    if room.phase == CeremonyPhase.READOUT:
        room.confirmation_ends_at = now + timedelta(seconds=CONFIRMATION_WINDOW_S)
        room.save(update_fields=["confirmation_ends_at"])
        _phase_move(room, CeremonyPhase.CONFIRMATION, ends_at=room.confirmation_ends_at.isoformat())
        return True
    if room.phase == CeremonyPhase.CONFIRMATION:
        if now < room.confirmation_ends_at or room.objections.filter(answered_at__isnull=True).exists():
            return False
        answered = set(room.confirmations.values_list("supplier_id", flat=True))
        for supplier_id in sorted(set(room.bid_openings.values_list("supplier_id", flat=True)) - answered):
            ReadoutConfirmation.objects.create(
                room=room,
                supplier_id=supplier_id,
                user=None,
                decision=ConfirmationDecision.DEEMED,
                decided_at=now,
            )
            event_record(
                room=room,
                kind="confirmation",
                payload={"supplier": _supplier_name(supplier_id), "decision": ConfirmationDecision.DEEMED},
                audience=Audience.PARTICIPANTS,
            )
        from tenders.services import tender_evaluation_start

        if tender.status == TenderStatus.OPENING:
            tender_evaluation_start(tender_id=tender.pk, by=None)
        _phase_move(room, CeremonyPhase.CLOSED)
        room_id = room.pk
        transaction.on_commit(lambda: _record_queue(room_id))
        return True
    return False


def _tender_fail(tender: Tender, reason: str) -> None:
    from tenders.services import tender_fail, tender_opening_start

    if tender.status == TenderStatus.PUBLISHED:
        tender_opening_start(tender_id=tender.pk, by=None)
    tender_fail(tender_id=tender.pk, by=None, reason=reason)
    ledger_append(
        kind="yizhan/opening-failed",
        payload={
            "type": "yizhan/opening-failed",
            "tender": tender.reference,
            "reason": reason,
            "at": format_time(clock.now()),
        },
    )


def _record_queue(room_id: int) -> None:
    from bidding.tasks import opening_record_issue_task

    opening_record_issue_task.delay(room_id)


def _share_window_close(room: CeremonyRoom, *, early: bool) -> None:
    from bidding.services.opening import bid_openings_queue, refusals_publish

    room.share_window_closed_at = clock.now()
    room.share_window_closed_early = early
    room.save(update_fields=["share_window_closed_at", "share_window_closed_early"])
    refusals_publish(room=room)  # blame evidence, with its points, only now that the window is shut
    _phase_move(room, CeremonyPhase.DECRYPTION, bids=room.bid_openings.count())
    bid_openings_queue(room=room, opening_ids=list(room.bid_openings.values_list("pk", flat=True)))


def _supplier_name(supplier_id: int) -> str:
    from suppliers.models import Supplier

    return Supplier.objects.select_related("organisation").get(pk=supplier_id).organisation.name


# ---------------------------------------------------------------- people's acts in the room


def _room_for(tender_id: int) -> tuple[CeremonyRoom, Tender]:
    room = ceremony_advance(tender_id=tender_id)
    return room, room.tender


@transaction.atomic
def check_in(*, tender_id: int, user: User) -> CeremonyCheckIn:
    """A bidder's representative (or custodian, host, supervisor) says it is present.

    Before: the user has a role in the room other than observer. After: one check-in (a repeat
    returns the first); a bidder's check-in is told to that bidder only, since before the deadline
    nobody else may learn that it bids."""
    room, tender = _room_for(tender_id)
    room = _room_locked(room.pk)
    member = room_member(user=user, tender=tender, room=room)
    if member.role == CeremonyRole.OBSERVER:
        raise NotAllowed(_("Observers watch the opening; they do not check in."))
    existing = CeremonyCheckIn.objects.filter(room=room, user=user).first()
    if existing is not None:
        return existing
    row = CeremonyCheckIn.objects.create(
        room=room, user=user, role=member.role, supplier_id=member.supplier_id, checked_in_at=clock.now()
    )
    payload = {"role": member.role, "name": user.full_name or user.username}
    if member.supplier_id is not None:
        event_record(
            room=room,
            kind="check_in",
            payload={**payload, "supplier": _supplier_name(member.supplier_id)},
            audience=Audience.BIDDER,
            audience_key=member.supplier_id,
        )
    else:
        event_record(room=room, kind="check_in", payload=payload, audience=Audience.PARTICIPANTS)
    return row


def _require_host(user: User, room: CeremonyRoom) -> None:
    if room_member(user=user, tender=room.tender, room=room).role != CeremonyRole.HOST:
        raise NotAllowed(_("Only the host of the opening may do this."))


@transaction.atomic
def share_window_extend(*, tender_id: int, by: User, minutes: int, reason: str = "") -> CeremonyRoom:
    """The host extends the share window because too few custodians have answered.

    Before: share phase, the window has ended (or ends within it) with some bid short of k points;
    1 ≤ minutes ≤ 1440. After: a later window end, an event and a ledger entry say so."""
    room, tender = _room_for(tender_id)
    room = _room_locked(room.pk)
    _require_host(by, room)
    if room.phase != CeremonyPhase.SHARES:
        raise CeremonyRefused(_("The share window can only be extended while shares are being submitted."))
    if not 1 <= int(minutes) <= MAX_EXTENSION_MINUTES:
        raise DomainError(_("Give an extension between 1 and 1440 minutes."), code="extension_invalid")
    from bidding.services.opening import shares_sufficient

    if shares_sufficient(room):
        raise CeremonyRefused(
            _("Every bid already has enough shares to open: the window need not be extended.")
        )
    base = max(room.share_window_ends_at, clock.now())
    room.share_window_ends_at = base + timedelta(minutes=int(minutes))
    room.save(update_fields=["share_window_ends_at"])
    event_record(
        room=room,
        kind="share_window_extended",
        payload={
            "ends_at": room.share_window_ends_at.isoformat(),
            "minutes": int(minutes),
            "reason": reason.strip(),
            "by": by.full_name or by.username,
        },
    )
    ledger_append(
        kind="yizhan/share-window-extended",
        payload={
            "type": "yizhan/share-window-extended",
            "tender": tender.reference,
            "ends_at": format_time(room.share_window_ends_at),
            "reason": reason.strip(),
        },
    )
    return room


@transaction.atomic
def share_window_close(*, tender_id: int, by: User) -> CeremonyRoom:
    """The host closes a share window that ended short, so the bids that can open do, and the others
    fail with the missing custodians named. Before: share phase, the window's end has passed."""
    room, tender = _room_for(tender_id)
    room = _room_locked(room.pk)
    _require_host(by, room)
    if room.phase != CeremonyPhase.SHARES:
        raise CeremonyRefused(_("The share window is not open."))
    if clock.now() < room.share_window_ends_at:
        raise CeremonyRefused(_("The share window has not ended yet; shares may still arrive."))
    _share_window_close(room, early=False)
    return room


def _bidder_in_confirmation(user: User, tender_id: int) -> tuple[CeremonyRoom, int]:
    room, tender = _room_for(tender_id)
    room = _room_locked(room.pk)
    member = room_member(user=user, tender=tender, room=room)
    if member.role != CeremonyRole.BIDDER:
        raise NotAllowed(_("Only a bidder's representative may confirm the read-out or object to it."))
    if room.phase != CeremonyPhase.CONFIRMATION or clock.now() >= room.confirmation_ends_at:
        raise CeremonyRefused(
            _("The read-out can be confirmed or objected to only during the confirmation window.")
        )
    return room, member.supplier_id


@transaction.atomic
def readout_confirm(*, tender_id: int, user: User) -> ReadoutConfirmation:
    """A bidder confirms the read-out. Before: confirmation window, the bidder has not answered yet
    (an objection is its answer). After: recorded and announced to the participants."""
    room, supplier_id = _bidder_in_confirmation(user, tender_id)
    if ReadoutConfirmation.objects.filter(room=room, supplier_id=supplier_id).exists():
        raise CeremonyRefused(_("Your company has already answered the read-out."))
    row = ReadoutConfirmation.objects.create(
        room=room,
        supplier_id=supplier_id,
        user=user,
        decision=ConfirmationDecision.CONFIRMED,
        decided_at=clock.now(),
    )
    event_record(
        room=room,
        kind="confirmation",
        payload={
            "supplier": _supplier_name(supplier_id),
            "decision": ConfirmationDecision.CONFIRMED,
            "by": user.full_name or user.username,
        },
        audience=Audience.PARTICIPANTS,
    )
    return row


@transaction.atomic
def objection_raise(*, tender_id: int, user: User, text: str) -> Objection:
    """A bidder objects to the opening in writing. Before: confirmation window, non-empty text.
    After: the objection is recorded (it stands as the bidder's answer), the room is told, the host
    must answer it before the ceremony closes."""
    room, supplier_id = _bidder_in_confirmation(user, tender_id)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what you object to."), code="objection_empty")
    if len(text) > 4000:
        raise DomainError(_("Keep the objection under 4,000 characters."), code="objection_long")
    objection = Objection.objects.create(
        room=room, supplier_id=supplier_id, raised_by=user, text=text, raised_at=clock.now()
    )
    if not ReadoutConfirmation.objects.filter(room=room, supplier_id=supplier_id).exists():
        ReadoutConfirmation.objects.create(
            room=room,
            supplier_id=supplier_id,
            user=user,
            decision=ConfirmationDecision.OBJECTED,
            decided_at=clock.now(),
        )
    event_record(
        room=room,
        kind="objection",
        payload={
            "id": objection.pk,
            "supplier": _supplier_name(supplier_id),
            "text": text,
            "by": user.full_name or user.username,
        },
        audience=Audience.PARTICIPANTS,
    )
    return objection


@transaction.atomic
def objection_answer(*, objection_id: int, by: User, answer: str) -> Objection:
    """The host answers an objection in the room. Before: unanswered, the ceremony not closed.
    After: the answer is recorded and the room is told."""
    objection = Objection.objects.select_related("room").filter(pk=objection_id).first()
    if objection is None:
        raise NotFound(_("No such objection."))
    room = _room_locked(objection.room_id)
    _require_host(by, room)
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    if objection.answered_at is not None:
        raise CeremonyRefused(_("This objection has already been answered."))
    if room.phase not in (CeremonyPhase.CONFIRMATION,):
        raise CeremonyRefused(_("Objections are answered during the confirmation window."))
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write the answer."), code="answer_empty")
    objection.answer, objection.answered_by, objection.answered_at = answer, by, clock.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    event_record(
        room=room,
        kind="objection_answered",
        payload={"id": objection.pk, "answer": answer, "by": by.full_name or by.username},
        audience=Audience.PARTICIPANTS,
    )
    return objection


def ceremony_tick() -> int:
    """Advance every room that is not finished (and start rooms whose deadline has passed). Returns
    how many tenders were looked at. Called by Celery beat; safe to run in several places at once."""
    now = clock.now()
    tender_ids = set(
        Tender.objects.filter(
            status__in=[TenderStatus.PUBLISHED, TenderStatus.OPENING], bid_deadline__lte=now
        ).values_list("pk", flat=True)
    )
    tender_ids |= set(
        CeremonyRoom.objects.exclude(phase__in=[CeremonyPhase.FAILED])
        .filter(record__isnull=True)
        .values_list("tender_id", flat=True)
    )
    for tender_id in sorted(tender_ids):
        try:
            ceremony_advance(tender_id=tender_id)
        except DomainError:
            continue
    return len(tender_ids)


__all__ = [
    "ShareSubmission",
    "ceremony_advance",
    "ceremony_tick",
    "check_in",
    "event_record",
    "objection_answer",
    "objection_raise",
    "readout_confirm",
    "room_ensure",
    "share_window_close",
    "share_window_extend",
]

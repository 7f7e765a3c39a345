"""Who is in a tender's opening room and as what, and which of the room's events each of them may see.

The host is the tender's officer, custodians are the tender's, any supervisor may watch, a bidder is
a supplier's staff (before the seal any supplier's: who bids is secret until the deadline; after it,
suppliers with a bid in the sealed set), evaluation experts are kept out (MOF87 Art 40), and anyone
else, signed in or not, may observe the public events of a public tender."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet

from accounts.constants import Role
from accounts.selectors import user_has_role
from bidding.ceremony_constants import Audience, CeremonyPhase, CeremonyRole
from bidding.models import BidOpening, CeremonyEvent, CeremonyRoom
from config.exceptions import NotAllowed, NotFound
from suppliers.selectors import supplier_of
from tenders.constants import PUBLIC_STATUSES
from tenders.models import Custodian, Tender
from tenders.permissions import is_tender_officer


@dataclass(frozen=True)
class RoomMember:
    """One person's place in a room: the role and, for a custodian or bidder, which one."""

    role: str
    user_id: int | None
    custodian_index: int | None = None
    supplier_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in (CeremonyRole.HOST, CeremonyRole.SUPERVISOR)


def tender_for_ceremony(reference: str) -> Tender:
    tender = Tender.objects.filter(reference=reference).first()
    if tender is None or tender.status not in PUBLIC_STATUSES or tender.bid_deadline is None:
        raise NotFound()
    return tender


def room_member(*, user: Any, tender: Tender, room: CeremonyRoom | None = None) -> RoomMember:
    """The user's role in the tender's room. Raises NotAllowed for evaluation experts."""
    if not user.is_authenticated:
        return RoomMember(CeremonyRole.OBSERVER, None)
    if is_tender_officer(user=user, tender=tender):
        return RoomMember(CeremonyRole.HOST, user.pk)
    custodian = Custodian.objects.filter(tender=tender, user=user).first()
    if custodian is not None:
        return RoomMember(CeremonyRole.CUSTODIAN, user.pk, custodian_index=custodian.index)
    if user_has_role(user=user, role=Role.EVALUATION_EXPERT):
        raise NotAllowed(_experts_kept_out())
    if user_has_role(user=user, role=Role.SUPERVISOR):
        return RoomMember(CeremonyRole.SUPERVISOR, user.pk)
    supplier = supplier_of(user=user)
    if supplier is not None:
        sealed = room is not None and room.phase not in (CeremonyPhase.LOBBY,)
        if not sealed or BidOpening.objects.filter(room=room, supplier=supplier).exists():
            return RoomMember(CeremonyRole.BIDDER, user.pk, supplier_id=supplier.pk)
    return RoomMember(CeremonyRole.OBSERVER, user.pk)


def _experts_kept_out() -> str:
    from django.utils.translation import gettext as _

    return _("Evaluation experts do not take part in the opening.")


def member_groups(*, room_id: int, member: RoomMember, custodian_count: int) -> list[str]:
    """The channel-layer groups the member's connection joins: one group per audience, so an event is
    only ever sent to those allowed to see it."""
    groups = [group_name(room_id, Audience.PUBLIC)]
    if member.role == CeremonyRole.OBSERVER:
        return groups
    groups.append(group_name(room_id, Audience.PARTICIPANTS))
    if member.is_staff:
        groups.append(group_name(room_id, Audience.STAFF))
        groups += [group_name(room_id, Audience.CUSTODIAN, j) for j in range(1, custodian_count + 1)]
    if member.custodian_index is not None:
        groups.append(group_name(room_id, Audience.CUSTODIAN, member.custodian_index))
    if member.supplier_id is not None:
        groups.append(group_name(room_id, Audience.BIDDER, member.supplier_id))
    return groups


def group_name(room_id: int, audience: str, key: Any = "") -> str:
    return f"ceremony.{room_id}.{audience}" + (f".{key}" if key != "" else "")


def event_visible_filter(member: RoomMember) -> Q:
    visible = Q(audience=Audience.PUBLIC)
    if member.role == CeremonyRole.OBSERVER:
        return visible
    visible |= Q(audience=Audience.PARTICIPANTS)
    if member.is_staff:
        visible |= Q(audience__in=[Audience.STAFF, Audience.CUSTODIAN])
    if member.custodian_index is not None:
        visible |= Q(audience=Audience.CUSTODIAN, audience_key=str(member.custodian_index))
    if member.supplier_id is not None:
        visible |= Q(audience=Audience.BIDDER, audience_key=str(member.supplier_id))
    return visible


def stream_of(audience: str, key: Any = "") -> str:
    """The stream an event of this audience is numbered in (its channel-layer group's suffix)."""
    return f"{audience}.{key}" if audience in (Audience.CUSTODIAN, Audience.BIDDER) else str(audience)


def _after(cursor: Mapping[str, int] | int | None) -> Q:
    """Events past the cursor: {stream: last number seen, ...} and, for the streams it does not
    name, "": a number for all of them (0 when absent). A bare number means it for every stream."""
    if not isinstance(cursor, Mapping):
        return Q(stream_sequence__gt=cursor or 0)
    named = {stream: last for stream, last in cursor.items() if stream != ""}
    condition = ~Q(stream__in=list(named)) & Q(stream_sequence__gt=cursor.get("", 0))
    for stream, last in named.items():
        condition |= Q(stream=stream, stream_sequence__gt=last)
    return condition


def events_visible(
    *,
    room_id: int,
    member: RoomMember,
    after: Mapping[str, int] | int | None = None,
    upto: int | None = None,
    after_order: int = 0,
) -> QuerySet[CeremonyEvent]:
    """The room's events the member may see, past the cursor `after` (see `_after`), in room order;
    `upto` and `after_order` bound the room-wide order (the server's own paging, never a client's)."""
    qs = CeremonyEvent.objects.filter(room_id=room_id, sequence__gt=after_order).filter(
        event_visible_filter(member), _after(after)
    )
    if upto is not None:
        qs = qs.filter(sequence__lte=upto)
    return qs.order_by("sequence")


def last_sequences(*, room_id: int, member: RoomMember) -> dict[str, int]:
    """The last number of each stream the member may see (streams with no event yet are absent)."""
    rows = (
        CeremonyEvent.objects.filter(room_id=room_id)
        .filter(event_visible_filter(member))
        .values("stream")
        .annotate(last=Max("stream_sequence"))
    )
    return {row["stream"]: row["last"] for row in rows}


def event_wire(event: CeremonyEvent) -> dict[str, Any]:
    """An event as clients receive it: its stream and its number there, never the room's count."""
    return {
        "stream": event.stream,
        "seq": event.stream_sequence,
        "kind": event.kind,
        "at": event.created_at.isoformat(),
        "payload": event.payload,
    }


def readout_rows(room: CeremonyRoom) -> list[BidOpening]:
    return list(room.bid_openings.select_related("supplier__organisation").order_by("position"))

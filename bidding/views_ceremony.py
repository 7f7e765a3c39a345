"""The opening room's pages: one page for every role (what it shows and offers follows the role the
room selector gives), filled live by frontend/js/ceremony.mjs from the room's event log, and the
public page of the signed opening record."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from bidding.ceremony_constants import CeremonyPhase, CeremonyRole
from bidding.models import CeremonyRoom
from bidding.selectors.ceremony import (
    RoomMember,
    last_sequences,
    readout_rows,
    room_member,
    tender_for_ceremony,
)
from bidding.services.ceremony import ceremony_advance, room_ensure
from config import clock
from config.exceptions import NotAllowed
from tenders import readout


def room_state(room: CeremonyRoom, member: RoomMember) -> dict[str, Any]:
    """What a client needs besides the event log: who it is, the clock, and the room's times."""
    tender = room.tender
    return {
        "role": member.role,
        "custodian_index": member.custodian_index,
        "supplier_id": member.supplier_id,
        "tender": tender.reference,
        "phase": room.phase,
        "server_time": clock.now().isoformat(),
        "deadline": tender.bid_deadline.isoformat(),
        "share_window_ends_at": room.share_window_ends_at.isoformat() if room.share_window_ends_at else None,
        "confirmation_ends_at": room.confirmation_ends_at.isoformat() if room.confirmation_ends_at else None,
        # Per stream the member may see: nothing here counts events of another audience.
        "last_sequences": last_sequences(room_id=room.pk, member=member),
        "threshold": tender.threshold_k,
        # What each read-out item is called and counted in (tenders/readout.py).
        "readout_items": readout.tender_items(tender),
        "custodians": [
            {"index": c.index, "name": c.user.full_name or c.user.username}
            for c in tender.custodians.select_related("user").order_by("index")
        ],
    }


def ceremony_room(request: HttpRequest, reference: str) -> HttpResponse:
    tender = tender_for_ceremony(reference)
    room = room_ensure(tender=tender)
    member = room_member(user=request.user, tender=tender, room=room)
    if member.role != CeremonyRole.OBSERVER:
        room = ceremony_advance(tender_id=tender.pk)
        member = room_member(user=request.user, tender=tender, room=room)
    state = room_state(room, member)
    return render(
        request,
        "bidding/ceremony_room.html",
        {
            "tender": tender,
            "room": room,
            "member": member,
            "state": state,
            "role_label": CeremonyRole(member.role).label,
            "phase_label": CeremonyPhase(room.phase).label,
            "phases": [(p.value, p.label) for p in CeremonyPhase if p != CeremonyPhase.FAILED],
            "ws_path": f"/ws/ceremony/{tender.reference}/",
            "record_url": reverse("ceremony:record", args=[tender.reference]),
        },
    )


def opening_record(request: HttpRequest, reference: str) -> HttpResponse:
    """The published opening record: anyone may download it, check its signature and find its hash
    in the ledger."""
    tender = tender_for_ceremony(reference)
    room = CeremonyRoom.objects.filter(tender=tender).select_related("record").first()
    if room is None:
        raise NotAllowed()
    rows = readout_rows(room) if room.phase in (CeremonyPhase.CONFIRMATION, CeremonyPhase.CLOSED) else []
    return render(
        request,
        "bidding/opening_record_page.html",
        {
            "tender": tender,
            "room": room,
            "record": room.record,
            "rows": rows,
            "verify_url": reverse("reports:verify", args=[room.record.token]) if room.record else None,
            "ledger_url": reverse("ledger:overview"),
        },
    )

"""The opening room over a WebSocket (ws/ceremony/<reference>/): thin, as STYLE.md has it. Access is
checked in `connect` through the room selector, the connection joins one channel-layer group per
audience it may see (observers only the public one), and every act is a service call.

Every audience is a stream with its own numbers (`{"stream","seq",...}`), so a member never sees a
number that counts events it may not see. A client sends {"type":"resume","after":{stream: n, ...}}
with the last number it saw in each stream ({} at first) and gets what it missed from the stored
log, in room order, then live events; this connection never sends a stream's number twice or out of
order, and fills any gap from the log, so what a client sees does not depend on which server process
it is connected to."""

from typing import Any

from channels.db import database_sync_to_async

from config.exceptions import DomainError
from config.params import int_param
from config.websocket import JsonFrameConsumer

REPLAY_BATCH = 500
# More streams than any member sees (public, participants, staff and one per custodian, ≤ 255).
MAX_STREAMS = 300


class CeremonyConsumer(JsonFrameConsumer):
    async def connect(self) -> None:
        self.reference = self.scope["url_route"]["kwargs"]["reference"]
        self.groups_joined: list[str] = []
        # The last number sent in each stream; `cursor_base` for streams not named (a client that
        # resumes with one number means it for every stream).
        self.cursor: dict[str, int] = {}
        self.cursor_base = 0
        self.resumed = False
        joined = await self._join()
        if joined is None:
            await self.close(code=4403)
            return
        self.room_id, self.member, groups, hello = joined
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        await self.accept()
        await self.send_json(hello)

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    @database_sync_to_async
    def _join(self) -> tuple[int, Any, list[str], dict[str, Any]] | None:
        from bidding.selectors.ceremony import member_groups, room_member, tender_for_ceremony
        from bidding.services.ceremony import ceremony_advance, room_ensure
        from bidding.views_ceremony import room_state

        user = self.scope.get("user")
        try:
            tender = tender_for_ceremony(self.reference)
            room = room_ensure(tender=tender)
            member = room_member(user=user, tender=tender, room=room)
            if member.role != "observer":  # participants' arrivals move a clock-due phase along
                room = ceremony_advance(tender_id=tender.pk)
                member = room_member(user=user, tender=tender, room=room)
        except DomainError:
            return None
        groups = member_groups(room_id=room.pk, member=member, custodian_count=tender.custodians.count())
        return room.pk, member, groups, {"type": "hello", **room_state(room, member)}

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content["type"]  # JsonFrameConsumer passes only objects with a string "type"
        if kind == "resume":
            self._cursor_set(content.get("after"))
            await self._replay()
            self.resumed = True
            return
        if kind == "ping":
            await self.send_json({"type": "pong", "server_time": await self._now()})
            return
        try:
            answer = await self._act(kind, content)
        except DomainError as error:
            await self.send_error(
                code=error.code, message=str(error.message), request=kind, id=content.get("id")
            )
            return
        await self.send_json({"type": "ok", "request": kind, "id": content.get("id"), "result": answer})

    @database_sync_to_async
    def _now(self) -> str:
        from config import clock

        return clock.now().isoformat()

    @database_sync_to_async
    def _act(self, kind: str | None, content: dict[str, Any]) -> Any:
        from bidding.selectors.ceremony import tender_for_ceremony
        from bidding.services import ceremony, opening

        user = self.scope.get("user")
        tender = tender_for_ceremony(self.reference)
        if kind == "tick":
            ceremony.ceremony_advance(tender_id=tender.pk)
            return None
        if user is None or not user.is_authenticated:
            raise DomainError("Sign in to take part.", code="not_signed_in")
        if kind == "check_in":
            ceremony.check_in(tender_id=tender.pk, user=user)
        elif kind == "confirm":
            ceremony.readout_confirm(tender_id=tender.pk, user=user)
        elif kind == "object":
            ceremony.objection_raise(tender_id=tender.pk, user=user, text=str(content.get("text", "")))
        elif kind == "answer":
            ceremony.objection_answer(
                objection_id=int_param(content.get("objection"), default=0, name="objection"),
                by=user,
                answer=str(content.get("text", "")),
            )
        elif kind == "extend":
            ceremony.share_window_extend(
                tender_id=tender.pk,
                by=user,
                minutes=int_param(content.get("minutes"), default=0, name="minutes"),
                reason=str(content.get("reason", "")),
            )
        elif kind == "close_window":
            ceremony.share_window_close(tender_id=tender.pk, by=user)
        elif kind == "slots":
            return opening.custodian_slots(tender_id=tender.pk, user=user)
        elif kind == "shares":
            return opening.shares_submit(tender_id=tender.pk, user=user, envelopes=content.get("envelopes"))
        else:
            raise DomainError("Unknown request.", code="unknown_request")
        return None

    def _cursor_set(self, after: Any) -> None:
        if isinstance(after, dict):
            self.cursor = {
                str(stream)[:64]: n
                for stream, n in list(after.items())[:MAX_STREAMS]
                if isinstance(n, int) and not isinstance(n, bool) and n >= 0
            }
        elif isinstance(after, int) and not isinstance(after, bool) and after >= 0:
            self.cursor_base = after

    def _last(self, stream: str) -> int:
        return self.cursor.get(stream, self.cursor_base)

    @database_sync_to_async
    def _events(self, after_order: int, upto: int | None) -> list[tuple[int, dict[str, Any]]]:
        from bidding.selectors.ceremony import event_wire, events_visible

        qs = events_visible(
            room_id=self.room_id,
            member=self.member,
            after={**self.cursor, "": self.cursor_base},
            upto=upto,
            after_order=after_order,
        )
        return [(e.sequence, event_wire(e)) for e in qs[:REPLAY_BATCH]]

    async def _replay(self, upto: int | None = None) -> None:
        """Send from the log every visible event past the cursor (up to room order `upto`)."""
        after_order = 0
        while True:
            batch = await self._events(after_order, upto)
            for order, event in batch:
                after_order = order
                if event["seq"] > self._last(event["stream"]):
                    await self.send_json({"type": "event", **event})
                    self.cursor[event["stream"]] = event["seq"]
            if len(batch) < REPLAY_BATCH:
                return

    async def ceremony_event(self, message: dict[str, Any]) -> None:
        """A live event from a group. Before the client resumed, the replay will carry it; a number
        already sent is dropped; a jump past numbers of its stream is filled from the log."""
        if not self.resumed:
            return
        event = message["event"]
        stream, seq = event["stream"], event["seq"]
        last = self._last(stream)
        if seq <= last:
            return
        if seq == last + 1:
            await self.send_json({"type": "event", **event})
            self.cursor[stream] = seq
            return
        await self._replay(upto=message.get("order"))

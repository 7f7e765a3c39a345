"""Live evaluation progress: counts only (drawn, confirmed, findings and scores submitted), never a
finding or a score, so nothing here can reveal another member's scores. Who may follow: the
tender's committee, supervisors and procurement officers, checked on connect and again per event."""

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer


class ProgressConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.reference = self.scope["url_route"]["kwargs"]["reference"]
        self.user = self.scope.get("user")
        current = await self._progress()
        if current is None:
            await self.close(code=4403)
            return
        self.group = f"evaluation.{current['tender_id']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "progress", **current["counts"]})

    @database_sync_to_async
    def _progress(self) -> dict[str, Any] | None:
        from config.exceptions import DomainError
        from evaluation.selectors import progress, progress_visible, tender_by_reference

        if self.user is None or not self.user.is_authenticated:
            return None
        try:
            tender = tender_by_reference(self.reference)
        except DomainError:
            return None
        if not progress_visible(tender=tender, user=self.user):
            return None
        return {"tender_id": tender.pk, "counts": progress(tender)}

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def progress_changed(self, event: dict[str, Any]) -> None:
        current = await self._progress()
        if current is None:
            await self.close(code=4403)
            return
        await self.send_json({"type": "progress", **current["counts"]})

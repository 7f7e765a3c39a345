"""Live approval page: each event recorded on the approval is pushed as the history row the viewer
sees (in their language), and the browser refetches the timeline region when told of it. Access
is checked again for every event, so someone who may no longer see the approval stops hearing of
it; a page that reconnects fetches the rows after the last one it shows."""

from dataclasses import asdict
from typing import Any

from channels.db import database_sync_to_async
from django.utils import translation

from config.exceptions import DomainError
from config.websocket import JsonFrameConsumer, scope_language


class ApprovalConsumer(JsonFrameConsumer):
    async def connect(self) -> None:
        self.instance_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.user = self.scope.get("user")
        if not await self._may_follow():
            await self.close(code=4403)
            return
        self.language = scope_language(self.scope)
        self.group = f"approval.{self.instance_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _may_follow(self) -> bool:
        from approvals.selectors import approval_get

        if self.user is None or not self.user.is_authenticated:
            return False
        try:
            approval_get(instance_id=self.instance_id, user=self.user)
        except DomainError:
            return False
        return True

    @database_sync_to_async
    def _history_entry(self, seq: int) -> dict[str, Any] | None:
        """The event `seq` as this viewer's history row; None when they may no longer see it."""
        from approvals.selectors import approval_get, history_entries

        try:
            instance = approval_get(instance_id=self.instance_id, user=self.user)
        except DomainError:
            return None
        with translation.override(self.language):
            entries = history_entries(instance=instance, after_seq=seq - 1, through_seq=seq)
        return asdict(entries[0]) if entries else {}

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def approval_event(self, event: dict[str, Any]) -> None:
        entry = await self._history_entry(event["seq"])
        if entry is None:
            await self.close(code=4403)
            return
        message: dict[str, Any] = {"type": "changed", "seq": event["seq"], "kind": event["kind"]}
        if entry:
            message["entry"] = entry
        await self.send_json(message)

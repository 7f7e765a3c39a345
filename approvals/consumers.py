"""Live approval page: the browser is told when something was recorded on the approval, then
fetches the timeline region again (so it always shows what the server renders; a reconnecting
page fetches once and has caught up)."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from config.exceptions import DomainError


class ApprovalConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        instance_id = self.scope["url_route"]["kwargs"]["pk"]
        if not await self._may_follow(self.scope.get("user"), instance_id):
            await self.close(code=4403)
            return
        self.group = f"approval.{instance_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _may_follow(self, user, instance_id: int) -> bool:
        from approvals.selectors import approval_get

        if user is None or not user.is_authenticated:
            return False
        try:
            approval_get(instance_id=instance_id, user=user)
        except DomainError:
            return False
        return True

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def approval_event(self, event: dict) -> None:
        await self.send_json({"type": "changed", "seq": event["seq"], "kind": event["kind"]})

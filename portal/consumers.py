"""Live progress of one application: the page is told when the portal or the approval engine
recorded something, and fetches the progress region again (so what it shows is always what the
server renders, and a reconnecting page simply fetches once)."""

from channels.db import database_sync_to_async

from config.exceptions import DomainError
from config.websocket import JsonFrameConsumer


class ApplicationProgressConsumer(JsonFrameConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        reference = self.scope["url_route"]["kwargs"]["reference"]
        groups = await self._groups(user, reference)
        if groups is None:
            await self.close(code=4403)
            return
        self.groups_joined = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _groups(self, user, reference: str) -> list[str] | None:
        from portal.selectors import application_for

        try:
            application = application_for(user=user, reference=reference)
        except DomainError:
            return None
        groups = [f"portal-application-{application.pk}"]
        if application.approval_flow_id:
            groups.append(f"approval.{application.approval_flow_id}")
        return groups

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def application_event(self, event: dict) -> None:
        # Acceptance starts the approval: follow its group from now on as well.
        if not any(g.startswith("approval.") for g in self.groups_joined):
            groups = await self._groups(
                self.scope.get("user"), self.scope["url_route"]["kwargs"]["reference"]
            )
            for group in set(groups or []) - set(self.groups_joined):
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        await self.send_json({"type": "changed", "source": "portal", "seq": event["seq"]})

    async def approval_event(self, event: dict) -> None:
        await self.send_json({"type": "changed", "source": "approval", "seq": event["seq"]})

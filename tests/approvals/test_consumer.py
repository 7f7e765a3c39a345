"""The live approval page's socket: who may follow it, and the event the services announce."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from accounts.constants import Role
from approvals import services
from approvals.routing import websocket_urlpatterns
from tests.approvals.factories import flow


@pytest.mark.django_db(transaction=True)
def test_followers_hear_of_decisions_and_outsiders_are_refused(subject_adapter, orgs, people):
    async_to_sync(_follow)(subject_adapter, orgs, people)


async def _follow(subject_adapter, orgs, people):
    definition = await sync_to_async(flow)(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
    )
    instance = await sync_to_async(services.approval_submit)(
        subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
    )
    app = URLRouter(websocket_urlpatterns)

    outsider = WebsocketCommunicator(app, f"/ws/approvals/{instance.pk}/")
    outsider.scope["user"] = people["supplier1"]
    connected, code = await outsider.connect()
    assert not connected and code == 4403

    submitter = WebsocketCommunicator(app, f"/ws/approvals/{instance.pk}/")
    submitter.scope["user"] = people["officer"]
    connected, _ = await submitter.connect()
    assert connected
    await sync_to_async(services.approval_approve)(instance_id=instance.pk, user=people["approver"])
    message = await submitter.receive_json_from(timeout=5)
    assert message["type"] == "changed" and message["kind"] in {"approved", "completed"}
    await submitter.disconnect()

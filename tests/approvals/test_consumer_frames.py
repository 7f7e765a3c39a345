"""The live approval socket takes no requests: any frame, well-formed or not, gets an error event
in the viewer's language and the connection keeps pushing updates; nothing is logged as an error."""

import logging

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from accounts.constants import Role
from approvals import services
from approvals.routing import websocket_urlpatterns
from tests.approvals.factories import flow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        from accounts.management.commands.load_demo import demo_build

        return demo_build()


def test_bad_frames_get_an_error_and_updates_keep_coming(subject_adapter, orgs, people, caplog):
    definition = flow({"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]})
    instance = services.approval_submit(
        subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
    )

    async def follow():
        client = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns),
            f"/ws/approvals/{instance.pk}/",
            headers=[(b"accept-language", b"zh-hans")],
        )
        client.scope["user"] = people["officer"]
        connected, _ = await client.connect()
        assert connected
        for frame in ["[1,2]", '"str"', "{oops", '{"type": "extend", "minutes": "abc"}']:
            await client.send_to(text_data=frame)
            answer = await client.receive_json_from(timeout=10)
            assert answer["type"] == "error", frame
            assert any("\u4e00" <= ch <= "\u9fff" for ch in answer["message"]), answer  # in Chinese
        from asgiref.sync import sync_to_async

        await sync_to_async(services.approval_comment)(
            instance_id=instance.pk, user=people["officer"], comment="still there?"
        )
        pushed = await client.receive_json_from(timeout=10)
        assert pushed["type"] == "changed"
        await client.disconnect()

    with caplog.at_level(logging.WARNING):
        async_to_sync(follow)()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

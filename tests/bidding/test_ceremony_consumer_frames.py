"""Malformed frames in the opening room get an error event; the connection stays up and answers
the next request; nothing is logged as a server error (config/websocket.py)."""

import datetime as dt
import logging

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from bidding.routing import websocket_urlpatterns
from tests.bidding.ceremony_factory import ceremony_make

pytestmark = pytest.mark.django_db(transaction=True)

BAD_FRAMES = [
    ("[1,2]", "malformed_frame"),
    ('"str"', "malformed_frame"),
    ("not json {", "malformed_request"),
    ('{"no": "type"}', "malformed_frame"),
    ('{"type": 5}', "malformed_frame"),
    ("[" * 5000 + "]" * 5000, "json_too_deep"),
    ('{"type": "extend", "minutes": "abc"}', "bad_parameter"),
    ('{"type": "answer", "objection": [1], "text": "x"}', "bad_parameter"),
    ('{"type": "no-such-thing"}', "unknown_request"),
]


@pytest.fixture
def demo(db):
    # Built on a fixed day, so the test does not depend on today's date.
    with time_machine.travel("2026-10-08 09:00 +0800", tick=False):
        from accounts.management.commands.load_demo import demo_build

        return demo_build()


def test_bad_frames_get_an_error_and_the_room_stays_open(demo, caplog):
    ceremony = ceremony_make(demo, bids=3)
    after_deadline = time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=True)
    with after_deadline, caplog.at_level(logging.WARNING):
        async_to_sync(_send_bad_frames)(demo, ceremony)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def _send_bad_frames(demo, ceremony):
    client = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns),
        f"/ws/ceremony/{ceremony.tender.reference}/",
    )
    client.scope["cookies"] = {"django_language": "en"}  # the user chose English
    client.scope["user"] = demo.users["officer"]  # the host, who may extend the window
    connected, _ = await client.connect()
    assert connected
    assert (await client.receive_json_from(timeout=10))["type"] == "hello"
    for frame, code in BAD_FRAMES:
        await client.send_to(text_data=frame)
        answer = await client.receive_json_from(timeout=10)
        assert answer["type"] == "error" and answer["code"] == code, (frame, answer)
        assert answer["message"]
    await client.send_to(bytes_data=b"\x00\x01")
    answer = await client.receive_json_from(timeout=10)
    assert answer["type"] == "error" and "binary" in answer["message"]
    # Still connected, and still serving.
    await client.send_json_to({"type": "ping"})
    assert (await client.receive_json_from(timeout=10))["type"] == "pong"
    await client.disconnect()

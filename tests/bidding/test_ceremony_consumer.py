"""The opening room's socket: experts kept out, each audience receives only its events, numbered in
its own stream so nobody can count what it cannot see, live events follow the replay without loss or
duplicates, and a client that reconnects with the last number it saw in each stream gets exactly what
it missed."""

import datetime as dt

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from bidding.routing import websocket_urlpatterns
from bidding.selectors.ceremony import RoomMember, events_visible
from bidding.services import ceremony as ceremony_services
from tests.bidding.ceremony_factory import ceremony_make, custodian_submits
from tests.bidding.test_ceremony import tamper_proof

pytestmark = pytest.mark.django_db(transaction=True)


async def joined(app, path, user, after=None):
    client = WebsocketCommunicator(app, path)
    client.scope["user"] = user
    connected, code = await client.connect()
    assert connected, code
    hello = await client.receive_json_from(timeout=10)
    assert hello["type"] == "hello"
    await client.send_json_to({"type": "resume", "after": after or {}})
    return client, hello


async def drain(client, timeout=1.0):
    events = []
    # receive_nothing waits without cancelling the application (a timed-out receive would).
    while not await client.receive_nothing(timeout=timeout):
        message = await client.receive_json_from()
        if message["type"] == "event":
            events.append(message)
    return events


def test_each_audience_gets_its_events_in_order_and_a_reconnect_misses_nothing(demo):
    ceremony = ceremony_make(demo, bids=3)
    # The clock ticks here: asyncio's timeouts need it to.
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=True):
        async_to_sync(_room)(demo, ceremony)


async def _room(demo, ceremony):
    app = URLRouter(websocket_urlpatterns)
    path = f"/ws/ceremony/{ceremony.tender.reference}/"
    expert = WebsocketCommunicator(app, path)
    expert.scope["user"] = demo.users["expert1"]
    connected, code = await expert.connect()
    assert not connected and code == 4403

    bidder = ceremony.bidders[0]
    host, hello = await joined(app, path, demo.users["officer"])
    assert hello["role"] == "host" and hello["phase"] == "shares"  # the host's arrival moved the room on
    observer, hello = await joined(app, path, AnonymousUser())
    assert hello["role"] == "observer"
    bidder_client, hello = await joined(app, path, bidder.user)
    assert hello["role"] == "bidder"
    await sync_to_async(ceremony_services.check_in)(tender_id=ceremony.tender.pk, user=bidder.user)
    await sync_to_async(custodian_submits)(ceremony, 1, tamper=tamper_proof)  # refused: custodian 1 named
    seen = {
        "host": await drain(host),
        "observer": await drain(observer),
        "bidder": await drain(bidder_client),
    }
    last_seen_by_bidder = {e["stream"]: e["seq"] for e in seen["bidder"]}
    await bidder_client.disconnect()

    await sync_to_async(custodian_submits)(ceremony, 1)
    await sync_to_async(custodian_submits)(ceremony, 2)  # k reached for every bid, window still open
    bidder_client, _ = await joined(app, path, bidder.user, after=last_seen_by_bidder)
    for name, client in (("host", host), ("observer", observer), ("bidder", bidder_client)):
        seen[name] += await drain(client)
    await sync_to_async(custodian_submits)(ceremony, 3)  # the last custodian: the bids open, read-out
    for name, client in (("host", host), ("observer", observer), ("bidder", bidder_client)):
        seen[name] += await drain(client, timeout=3)
        await client.disconnect()

    room_id = await sync_to_async(lambda: ceremony.tender.ceremony.pk)()
    members = {
        "host": RoomMember("host", demo.users["officer"].pk),
        "observer": RoomMember("observer", None),
        "bidder": RoomMember("bidder", bidder.user.pk, supplier_id=bidder.supplier.pk),
    }
    for name, member in members.items():
        stored = await sync_to_async(
            lambda m=member: [
                (e.stream, e.stream_sequence) for e in events_visible(room_id=room_id, member=m)
            ]
        )()
        got = [(e["stream"], e["seq"]) for e in seen[name]]
        assert got == stored, name  # every event this member may see, once each, in order
    kinds = {name: {e["kind"] for e in events} for name, events in seen.items()}
    assert "share_refused" in kinds["host"]
    assert "share_refused" not in kinds["observer"] | kinds["bidder"]
    assert "check_in" in kinds["bidder"] and "check_in" not in kinds["host"] | kinds["observer"]
    assert "readout" in kinds["observer"] and "readout" in kinds["bidder"]
    refused = next(e for e in seen["host"] if e["kind"] == "share_refused")
    assert refused["payload"]["custodian"] == ceremony.custodians[1].user.full_name


def streams_dense(events) -> dict[str, list[int]]:
    by_stream: dict[str, list[int]] = {}
    for event in events:
        by_stream.setdefault(event["stream"], []).append(event["seq"])
    return by_stream


def test_before_the_deadline_nobody_can_count_events_it_may_not_see(demo):
    ceremony = ceremony_make(demo, bids=3)
    with time_machine.travel(ceremony.deadline - dt.timedelta(minutes=10), tick=True):
        async_to_sync(_lobby)(demo, ceremony)


async def _lobby(demo, ceremony):
    app = URLRouter(websocket_urlpatterns)
    path = f"/ws/ceremony/{ceremony.tender.reference}/"
    tender_id = ceremony.tender.pk
    bidding, rival_bidder = ceremony.bidders[0], ceremony.bidders[1]
    observer, observer_hello = await joined(app, path, AnonymousUser())
    rival, rival_hello = await joined(app, path, rival_bidder.user)
    assert rival_hello["phase"] == "lobby" and rival_hello["last_sequences"] == {}

    # A bidder checks in (its own event: before the deadline nobody else may learn that it bids),
    # then the host does (an event every participant sees).
    await sync_to_async(ceremony_services.check_in)(tender_id=tender_id, user=bidding.user)
    await sync_to_async(ceremony_services.check_in)(tender_id=tender_id, user=demo.users["officer"])
    seen_by_rival = await drain(rival)
    assert [(e["kind"], e["stream"], e["seq"]) for e in seen_by_rival] == [("check_in", "participants", 1)]
    assert await drain(observer) == []
    await rival.disconnect()
    await observer.disconnect()

    # Arriving now, the rival bidder and an observer are told numbers of their own streams only: the
    # bidder's check-in shows neither as a gap nor in a total.
    rival, rival_hello = await joined(app, path, rival_bidder.user)
    assert rival_hello["last_sequences"] == {"participants": 1}
    replayed = await drain(rival)
    assert streams_dense(replayed) == {"participants": [1]}
    observer, observer_hello = await joined(app, path, AnonymousUser())
    assert observer_hello["last_sequences"] == {} and await drain(observer) == []
    # The bidder itself sees its check-in, in its own stream.
    own, own_hello = await joined(app, path, bidding.user)
    assert own_hello["last_sequences"] == {f"bidder.{bidding.supplier.pk}": 1, "participants": 1}
    assert {(e["stream"], e["seq"]) for e in await drain(own)} == {
        (f"bidder.{bidding.supplier.pk}", 1),
        ("participants", 1),
    }

    # Resuming from what it saw, the rival gets what it missed and nothing twice.
    await rival.disconnect()
    await sync_to_async(ceremony_services.check_in)(tender_id=tender_id, user=ceremony.custodians[1].user)
    rival, _ = await joined(app, path, rival_bidder.user, after={"participants": 1})
    assert [(e["stream"], e["seq"]) for e in await drain(rival)] == [("participants", 2)]
    for client in (rival, observer, own):
        await client.disconnect()

"""The opening across processes: two Daphne servers and a Celery worker on one PostgreSQL database and
one Redis (channel layer and broker); the host, three custodians, three bidders and observers spread
over both servers; one server and the worker killed in the middle and started again. Every client ends
with exactly the events it may see, once each, in the room's order, and the record is complete."""

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from bidding.sb1.custodian import share_submission_build
from bidding.sb1.seal import served_slot_check
from config import clock
from ledger.encoding import format_time

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "YIZHAN_CEREMONY_CONFIRMATION_S": "20",
        "YIZHAN_CEREMONY_REQUEUE_S": "5",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def _daphne(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _worker() -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-c",
            "1",
            "-P",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(port: int) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start")


def _cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class Participant:
    """One person's page: reconnects by itself with the last number it saw, like ceremony.mjs."""

    def __init__(self, name, port, cookie, member):
        self.name, self.port, self.cookie, self.member = name, port, cookie, member
        self.events: list[dict] = []
        self.ws = None
        self.answers: asyncio.Queue = asyncio.Queue()
        self.reconnects = 0

    @property
    def seen(self) -> dict[str, int]:
        return {e["stream"]: e["seq"] for e in self.events}  # the last number of each stream

    async def run(self):
        import websockets

        while True:
            try:
                headers = {"Cookie": self.cookie} if self.cookie else {}
                async with websockets.connect(
                    f"ws://127.0.0.1:{self.port}/ws/ceremony/{self.reference}/",
                    origin="http://127.0.0.1",
                    additional_headers=headers,
                    max_size=2**24,
                ) as ws:
                    self.ws = ws
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] == "hello":
                            await ws.send(json.dumps({"type": "resume", "after": self.seen}))
                        elif message["type"] == "event":
                            last = self.seen.get(message["stream"], 0)
                            assert message["seq"] > last, (self.name, message["stream"], message["seq"], last)
                            self.events.append(message)
                        elif message["type"] in ("ok", "error"):
                            await self.answers.put(message)
            except (TimeoutError, OSError, websockets.ConnectionClosed, websockets.InvalidHandshake):
                self.ws = None
                self.reconnects += 1
                await asyncio.sleep(0.5)

    async def ask(self, type_, **body):
        while self.ws is None:
            await asyncio.sleep(0.2)
        await self.ws.send(json.dumps({"type": type_, "id": 1, **body}))
        answer = await asyncio.wait_for(self.answers.get(), timeout=60)
        assert answer["type"] == "ok", (self.name, answer)
        return answer.get("result")

    def kinds(self):
        return [e["kind"] for e in self.events]


def test_a_full_ceremony_over_two_servers_survives_a_killed_server_and_worker(demo):
    if not os.environ.get("REDIS_URL"):
        pytest.skip(reason="needs REDIS_URL (the channel layer and the Celery broker)")
    from tests.bidding.ceremony_factory import ceremony_make

    deadline = clock.now() + dt.timedelta(seconds=45)
    ceremony = ceremony_make(demo, bids=3, deadline=deadline)
    ports = [_port(), _port()]
    servers = [_daphne(p) for p in ports]
    worker = _worker()
    try:
        for p in ports:
            _wait(p)
        asyncio.run(_ceremony(demo, ceremony, ports, servers, worker))
        from bidding.models import CeremonyRoom
        from bidding.selectors.ceremony import events_visible
        from reports.pdf import verify_pdf

        room = CeremonyRoom.objects.get(tender=ceremony.tender)
        assert room.phase == "closed" and room.record is not None
        assert verify_pdf(room.record.file.open("rb").read()).valid
        assert room.events.filter(kind="bid_processed").count() == 3  # each bid recorded once
        assert {o.state for o in room.bid_openings.all()} == {"opened"}
        assert room.objections.get().answer
        for participant in _ceremony.participants:
            stored = [
                (e.stream, e.stream_sequence)
                for e in events_visible(room_id=room.pk, member=participant.member)
            ]
            got = [(e["stream"], e["seq"]) for e in participant.events]
            # Each stream complete and in order (streams may interleave differently across servers).
            assert sorted(got) == sorted(stored) and len(set(got)) == len(got), participant.name
        public = [
            [
                e["seq"]
                for e in p.events
                if e["kind"] in ("phase", "readout", "bid_processed", "record_published")
            ]
            for p in _ceremony.participants
        ]
        assert all(p == public[0] for p in public)
    finally:
        for process in [*servers, worker]:
            process.terminate()
        for process in [*servers, worker]:
            process.wait(timeout=20)


async def _ceremony(demo, ceremony, ports, servers, worker):
    from asgiref.sync import sync_to_async

    from bidding.selectors.ceremony import RoomMember

    reference = ceremony.tender.reference
    Participant.reference = reference
    cookie = sync_to_async(_cookie)
    people = [Participant("host", ports[0], await cookie(demo.users["officer"]), RoomMember("host", 0))]
    for j, keys in ceremony.custodians.items():
        people.append(
            Participant(
                f"custodian{j}",
                ports[j % 2],
                await cookie(keys.user),
                RoomMember("custodian", 0, custodian_index=j),
            )
        )
    for i, bidder in enumerate(ceremony.bidders):
        people.append(
            Participant(
                f"bidder{i}",
                ports[(i + 1) % 2],
                await cookie(bidder.user),
                RoomMember("bidder", 0, supplier_id=bidder.supplier.pk),
            )
        )
    people += [Participant(f"observer{n}", ports[n], "", RoomMember("observer", None)) for n in (0, 1)]
    _ceremony.participants = people
    tasks = [asyncio.create_task(p.run()) for p in people]

    async def until(condition, what, seconds=120):
        end = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > end:
                raise AssertionError(f"timed out waiting for {what}")
            for p in people[:1]:
                if p.ws is not None:
                    await p.ws.send(json.dumps({"type": "tick"}))
            await asyncio.sleep(1)

    host = people[0]
    await until(
        lambda: "phase" in host.kinds()
        and any(e["payload"].get("phase") == "shares" for e in host.events if e["kind"] == "phase"),
        "shares",
    )
    for j, keys in ceremony.custodians.items():
        custodian = people[j]
        served = await custodian.ask("slots")
        envelopes = []
        for slot_object in served["slots"]:
            slot = served_slot_check(slot_object, tender=reference, index=j, seal=served["seal"]["payload"])
            envelopes.append(
                share_submission_build(
                    slot=slot,
                    opening_key=keys.opening_key,
                    signing_key=keys.signing_key,
                    signer=keys.certificate.fingerprint,
                    created=format_time(clock.now()),
                )
            )
        results = await custodian.ask("shares", envelopes=envelopes)
        assert {r["state"] for r in results} == {"accepted"}
    # The last custodian's shares closed the window and queued the decryptions: kill a server and the
    # worker now, in the middle of them.
    worker.send_signal(signal.SIGKILL)
    servers[1].send_signal(signal.SIGKILL)
    worker.wait()
    servers[1].wait()
    await asyncio.sleep(3)
    servers[1] = _daphne(ports[1])
    new_worker = _worker()
    worker.__dict__.update(new_worker.__dict__)  # the caller terminates whichever worker runs now
    _wait(ports[1])
    await until(lambda: "readout" in host.kinds(), "the read-out", seconds=180)
    bidders = [p for p in people if p.name.startswith("bidder")]
    await bidders[0].ask("confirm")
    await bidders[1].ask("object", text="第二包报价唱错，请核实。")
    await until(lambda: any(e["kind"] == "objection" for e in host.events), "the objection")
    objection = next(e for e in host.events if e["kind"] == "objection")
    await host.ask("answer", objection=objection["payload"]["id"], text="经核对，唱标无误。")
    await until(
        lambda: all("record_published" in p.kinds() for p in people), "the record everywhere", seconds=180
    )
    await asyncio.sleep(1)
    for task in tasks:
        task.cancel()
    assert any(p.reconnects for p in people if p.port == ports[1])

"""The deadline rush (issue 21): a bid whose finalize request was complete before the deadline is
judged at that time of receipt however long the platform takes to check it; the seal waits for such
finalizes within the grace and never takes one received after the deadline; a verification failure
refuses the bid whenever it is found; file digests come from the running digest kept at upload."""

import asyncio
import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from bidding import arrival, digests
from bidding.constants import FINALIZE_GRACE
from bidding.exceptions import DeadlinePassed, VerificationLate
from bidding.models import BidVersion
from bidding.sb1.errors import SB1Error
from bidding.services import submission
from bidding.services.seal import seal_ensure
from bidding.services.submission import bid_chunk_put, bid_finalize
from bidding.storage import DurableFileSystemStorage
from config import clock
from ledger.encoding import b64u_encode, format_time
from tests.bidding.submission_factory import (
    DEADLINE,
    ISSUE,
    bidder_make,
    published_tender,
    seal,
    sha,
    upload,
)
from tests.bidding.test_submission import refused

pytestmark = pytest.mark.django_db

BIDDING = ISSUE + dt.timedelta(days=10)


@pytest.fixture
def clock_at():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tender(demo, clock_at):
    tender, _opening = published_tender(demo)
    clock_at.move_to(BIDDING)
    return tender


def _slow_verification(monkeypatch, clock_at, *, until: dt.datetime, during=None):
    """The test hook: verification (certificate, proofs, chunk digests) takes until `until` by the
    clock; `during` runs while it is still going (the clock already at `until`)."""
    real = submission._verify

    def slow(**kwargs):
        clock_at.move_to(until)
        if during is not None:
            during()
        return real(**kwargs)

    monkeypatch.setattr(submission, "_verify", slow)


def _finalize_api(client: APIClient, sealed):
    return client.post(
        f"/api/bidding/uploads/{sealed.bid}/finalize/",
        {"manifest": b64u_encode(sealed.raw), "signature": sealed.signature},
        format="json",
    )


def test_finalizes_received_before_the_deadline_are_accepted_however_slow_the_checks(
    tender, clock_at, monkeypatch
):
    arrivals = [dt.timedelta(seconds=-4), dt.timedelta(seconds=-1), dt.timedelta(milliseconds=-1)]
    bidders = [bidder_make() for _ in range(len(arrivals) + 1)]
    bids = [seal(tender, b) for b in bidders]
    for b, sealed in zip(bidders, bids, strict=True):
        upload(tender, b, sealed)
    seals_seen = []
    # Each check ends 5 s after the deadline; while it runs the seal is asked for and must wait.
    _slow_verification(
        monkeypatch,
        clock_at,
        until=DEADLINE + dt.timedelta(seconds=5),
        during=lambda: seals_seen.append(seal_ensure(tender)),
    )
    for offset, b, sealed in zip(arrivals, bidders, bids, strict=False):
        clock_at.move_to(DEADLINE + offset)
        client = APIClient()
        client.force_authenticate(b.user)
        response = _finalize_api(client, sealed)
        assert response.status_code == 201, response.json()
        payload = response.json()["receipt"]["payload"]
        assert payload["received_at"] == format_time(DEADLINE + offset)
        assert payload["received_at"] < format_time(DEADLINE)
    assert seals_seen == [None, None, None]  # the seal waited for every finalize received in time

    # One millisecond after the deadline: refused, whatever the checks would say.
    late_bidder, late = bidders[-1], bids[-1]
    clock_at.move_to(DEADLINE + dt.timedelta(milliseconds=1))
    client = APIClient()
    client.force_authenticate(late_bidder.user)
    response = _finalize_api(client, late)
    assert response.status_code == 409 and response.json()["code"] == "deadline_passed"
    assert not BidVersion.objects.filter(bid=late.bid).exists()

    # Nothing is being checked any more: the seal is written at once, with exactly the three in time.
    statement = seal_ensure(tender)
    assert statement is not None and statement.count == 3
    assert sorted(statement.envelope["payload"]["bids"]) == sorted(
        v.manifest_sha256 for v in BidVersion.objects.all()
    )


def test_a_finalize_received_one_millisecond_after_the_deadline_is_refused_even_if_quick(tender, clock_at):
    bidder = bidder_make()
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    clock_at.move_to(DEADLINE - dt.timedelta(seconds=1))
    refused(
        lambda: bid_finalize(
            user=bidder.user,
            bid=sealed.bid,
            manifest=sealed.raw,
            signature=sealed.signature,
            received_at=DEADLINE + dt.timedelta(milliseconds=1),
        ),
        DeadlinePassed,
    )


def test_checks_that_outlast_the_grace_are_refused_as_the_platforms_failure(tender, clock_at, monkeypatch):
    bidder = bidder_make()
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    _slow_verification(monkeypatch, clock_at, until=DEADLINE + FINALIZE_GRACE)
    clock_at.move_to(DEADLINE - dt.timedelta(seconds=2))
    error = refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        VerificationLate,
    )
    assert error.status_code == 409 and "01:29:58.000Z" in str(error.message)
    # The seal no longer waits once the grace has run out.
    assert seal_ensure(tender) is not None


def test_the_seal_waits_for_a_finalize_in_flight_at_most_the_grace(tender, clock_at):
    bidder = bidder_make()
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    # A finalize received just before the deadline whose process was killed mid-check left its marker.
    marker = arrival.marker_create(bid=sealed.bid, received_at=DEADLINE - dt.timedelta(milliseconds=5))
    try:
        clock_at.move_to(DEADLINE + dt.timedelta(seconds=10))
        assert seal_ensure(tender) is None
        clock_at.move_to(DEADLINE + FINALIZE_GRACE)
        statement = seal_ensure(tender)
        assert statement is not None and statement.count == 0
    finally:
        arrival.marker_remove(marker)


def test_a_marker_received_after_the_deadline_does_not_hold_the_seal(tender, clock_at):
    bidder = bidder_make()
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    marker = arrival.marker_create(bid=sealed.bid, received_at=DEADLINE)
    try:
        clock_at.move_to(DEADLINE + dt.timedelta(milliseconds=1))
        assert seal_ensure(tender) is not None
    finally:
        arrival.marker_remove(marker)


def test_a_verification_failure_found_after_the_deadline_still_refuses(tender, clock_at, monkeypatch):
    bidder = bidder_make()
    sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"d" * 5000)})
    upload(tender, bidder, sealed, skip={(1, 0)})
    forged = bytes(len(sealed.chunks[1][0]))  # the right length, other bytes
    bid_chunk_put(user=bidder.user, bid=sealed.bid, file_index=1, index=0, data=forged, sha256=sha(forged))
    _slow_verification(monkeypatch, clock_at, until=DEADLINE + dt.timedelta(seconds=3))
    clock_at.move_to(DEADLINE - dt.timedelta(seconds=1))
    refused(
        lambda: bid_finalize(
            user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
        ),
        SB1Error,
        "digest",
    )


def _count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = DurableFileSystemStorage.open

    def counting(self, name, mode="rb"):
        reads.append(name)
        return real(self, name, mode)

    monkeypatch.setattr(DurableFileSystemStorage, "open", counting)
    return reads


def test_chunks_received_in_order_are_not_read_back_at_finalize(tender, clock_at, monkeypatch):
    bidder = bidder_make()
    sealed = seal(tender, bidder, attachments={"offer.pdf": ("application/pdf", b"\x07" * 2_200_000)})
    upload(tender, bidder, sealed)
    reads = _count_reads(monkeypatch)
    receipt, created = bid_finalize(
        user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature
    )
    assert created and reads == []


def test_after_a_gap_or_a_restart_the_chunks_are_read_back_and_checked(tender, clock_at, monkeypatch):
    bidder = bidder_make()
    attachments = {"offer.pdf": ("application/pdf", b"\x07" * 2_200_000)}
    gap = seal(tender, bidder, attachments=attachments)
    restart = seal(tender, bidder, lot="2", attachments=attachments)
    # Gap: chunk 1 of the attachment first, then 0 and 2.
    upload(tender, bidder, gap, skip={(1, 0)})
    data = gap.chunks[1][0]
    bid_chunk_put(user=bidder.user, bid=gap.bid, file_index=1, index=0, data=data, sha256=sha(data))
    upload(tender, bidder, restart, lot="2")
    reads = _count_reads(monkeypatch)
    assert bid_finalize(user=bidder.user, bid=gap.bid, manifest=gap.raw, signature=gap.signature)[1]
    assert len(reads) == 3  # only the attachment, which had a gap (the form was hashed in order)
    reads.clear()
    digests._running.clear()  # what a process restart leaves
    assert bid_finalize(user=bidder.user, bid=restart.bid, manifest=restart.raw, signature=restart.signature)[
        1
    ]
    assert len(reads) == 4  # everything: the form's chunk and the attachment's three


def test_the_asgi_layer_stamps_the_last_byte_and_holds_a_marker_while_the_request_runs(clock_at):
    bid = "3f2a4c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
    first_byte = DEADLINE - dt.timedelta(seconds=3)
    last_byte = DEADLINE - dt.timedelta(milliseconds=2)
    clock_at.move_to(first_byte)
    seen = {}

    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        clock_at.move_to(DEADLINE + dt.timedelta(seconds=4))  # the view is slow
        seen["received_at"] = scope[arrival.SCOPE_KEY]
        seen["arriving"] = arrival.finalizes_arriving()

    messages = [
        {"type": "http.request", "body": b"{", "more_body": True},
        {"type": "http.request", "body": b"}", "more_body": False},
    ]

    async def receive():
        message = messages.pop(0)
        if not message["more_body"]:
            clock_at.move_to(last_byte)
        return message

    async def send(message):
        pass

    scope = {"type": "http", "method": "POST", "path": f"/api/bidding/uploads/{bid}/finalize/"}
    asyncio.run(arrival.FinalizeArrivalMiddleware(app)(scope, receive, send))
    assert seen["received_at"] == last_byte
    assert seen["arriving"] == [(bid, last_byte)]
    assert arrival.finalizes_arriving() == []
    assert clock.now() > DEADLINE

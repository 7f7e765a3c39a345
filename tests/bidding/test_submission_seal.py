"""The seal at the deadline (written once, from the clock, receipts in the spec's order, the right
root and slots), the API end to end, receipt verification and the secrecy of bids before it."""

import datetime as dt
import hashlib
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from bidding.models import BidReceipt, BidVersion, SealStatement
from bidding.sb1.manifest import manifest_parse
from bidding.sb1.seal import CountingBid, seal_statement_build, seal_statement_check
from bidding.selectors.proofs import receipt_verify
from bidding.services.seal import tender_seal
from bidding.tasks import seals_due
from ledger.encoding import b64u_decode, b64u_encode
from ledger.merkle import verify_inclusion
from ledger.models import LedgerEntry
from ledger.signing import platform_verify
from tests.bidding.submission_factory import (
    DEADLINE,
    ISSUE,
    bidder_make,
    published_tender,
    seal,
    sha,
    submit,
    withdraw,
    withdrawal,
)

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


def _digest(sealed) -> bytes:
    return hashlib.sha256(sealed.raw).digest()


def test_the_seal_logs_every_receipt_in_order_then_one_signed_statement(tender, clock_at):
    a, b, c = bidder_make(), bidder_make(), bidder_make()
    a1 = seal(tender, a)
    submit(tender, a, a1)
    clock_at.shift(dt.timedelta(minutes=1))
    b1 = seal(tender, b)
    submit(tender, b, b1)
    a2 = seal(tender, a, replaces=_digest(a1))
    submit(tender, a, a2)  # the same millisecond as b1: ordered by supplier, then sequence
    clock_at.shift(dt.timedelta(minutes=1))
    c1 = seal(tender, c, lot="2")
    submit(tender, c, c1, lot="2")
    withdraw(c, withdrawal(c, c1, lot="2"))
    b2 = seal(tender, b, lot="2")
    submit(tender, b, b2, lot="2")
    ledger_before = LedgerEntry.objects.count()

    clock_at.move_to(DEADLINE + dt.timedelta(seconds=30))
    assert seals_due.apply().get() >= 1  # the beat job's task, run here (the demo's tenders may be due too)
    assert seals_due.apply().get() == 0  # written once
    seal_row = SealStatement.objects.get(tender=tender)
    entries = [  # this tender's entries (receipts and its seal name it)
        entry
        for entry in LedgerEntry.objects.filter(index__gte=ledger_before).order_by("index")
        if entry.document.get("payload", {}).get("tender") == tender.reference
    ]
    receipts = list(BidReceipt.objects.filter(tender=tender))
    assert len(entries) == len(receipts) + 1 == 7
    expected = sorted(receipts, key=lambda r: (r.received_at, r.supplier_code, r.sequence))
    assert [e.document for e in entries[:-1]] == [r.envelope for r in expected]
    assert [e.kind for e in entries[:-1]].count("SB1/withdrawal-receipt") == 1
    statement = entries[-1].document
    assert entries[-1].kind == "SB1/seal" and platform_verify(statement)
    payload = statement["payload"]
    seal_statement_check(payload, tender=tender.reference, custodian_count=3)
    counting = [CountingBid.of(manifest_parse(s.raw)) for s in (a2, b1, b2)]
    rebuilt = seal_statement_build(
        tender=tender.reference,
        deadline="2026-12-01T01:30:00.000Z",
        sealed_at="2026-12-01T01:30:30.000Z",
        counting=counting,
        custodian_count=3,
        receipts=6,
    )
    assert payload == rebuilt
    assert payload["bids"] == sorted(payload["bids"], key=b64u_decode)
    assert seal_row.ledger_index == entries[-1].index and seal_row.count == 3

    # The first request after the deadline sees the same seal; nothing is appended twice.
    ledger_after = LedgerEntry.objects.count()
    assert tender_seal(tender_id=tender.pk).pk == seal_row.pk
    assert LedgerEntry.objects.count() == ledger_after


def test_the_seal_waits_for_the_deadline_and_a_request_writes_it_if_no_job_did(tender, clock_at):
    bidder = bidder_make()
    sealed = seal(tender, bidder)
    receipt, _ = submit(tender, bidder, sealed)
    client = APIClient()
    assert client.get(f"/api/bidding/tenders/{tender.reference}/seal/").status_code == 409
    check = receipt_verify(receipt.envelope)
    assert check.ok and not check.sealed and check.in_ledger is None
    clock_at.move_to(DEADLINE)
    response = client.get(f"/api/bidding/tenders/{tender.reference}/seal/")
    assert response.status_code == 200
    body = response.json()
    assert body["seal"]["payload"]["bids"] == [b64u_encode(_digest(sealed))]
    proof = body["ledger_proof"]
    assert platform_verify(proof["tree_head"])
    # The receipt is now in the ledger before the seal, and its bid in the sealed set.
    check = client.post("/api/bidding/receipts/verify/", {"receipt": receipt.envelope}, format="json").json()
    assert check["ok"] and check["in_ledger"] and check["counting"]
    membership = check["membership"]
    assert verify_inclusion(
        _digest(sealed),
        membership["leaf_index"],
        membership["tree_size"],
        [b64u_decode(p) for p in membership["path"]],
        b64u_decode(membership["root"]),
    )
    # A forged receipt fails; a validly signed receipt missing from the ledger is reported as misconduct.
    forged = {**receipt.envelope, "payload": {**receipt.envelope["payload"], "sequence": 9}}
    assert not receipt_verify(forged).ok
    from ledger.signing import platform_sign

    phantom = platform_sign({**receipt.envelope["payload"], "sequence": 9})
    result = receipt_verify(phantom)
    assert not result.ok and result.in_ledger is False
    with translation.override("en"):  # the API calls above left the request's language active
        assert "misconduct" in str(result.findings[-1])


def test_the_api_takes_a_bid_chunk_by_chunk_and_resumes(tender):
    bidder = bidder_make()
    sealed = seal(
        tender, bidder, attachments={"报价单.xlsx": ("application/vnd.ms-excel", b"\x01" * 1_100_000)}
    )
    client = APIClient()
    client.force_authenticate(bidder.user)
    opened = client.post(
        "/api/bidding/uploads/",
        {"tender": tender.reference, "lot": "1", "bid": sealed.bid, "file_sizes": sealed.file_sizes},
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    assert opened.json()["chunk_lengths"] == [
        [len(sealed.chunks[0][0])],
        [1_048_592, 1_100_000 - 1_048_576 + 16],
    ]
    url = f"/api/bidding/uploads/{sealed.bid}/files/1/chunks/0/"
    data = sealed.chunks[1][0]
    bad = client.put(
        url, data=data, content_type="application/octet-stream", HTTP_X_CHUNK_SHA256=sha(b"other")
    )
    assert bad.status_code == 400 and bad.json()["code"] == "chunk_hash"
    ok = client.put(url, data=data, content_type="application/octet-stream", HTTP_X_CHUNK_SHA256=sha(data))
    assert ok.status_code == 201
    status = client.get(f"/api/bidding/uploads/{sealed.bid}/").json()
    assert status["present"] == [[1, 0]] and not status["finalized"]
    early = client.post(
        f"/api/bidding/uploads/{sealed.bid}/finalize/",
        {"manifest": b64u_encode(sealed.raw), "signature": sealed.signature},
        format="json",
    )
    assert early.status_code == 400 and early.json()["code"] == "chunks_missing"
    for f, i in [(0, 0), (1, 1)]:
        chunk = sealed.chunks[f][i]
        r = client.put(
            f"/api/bidding/uploads/{sealed.bid}/files/{f}/chunks/{i}/",
            data=chunk,
            content_type="application/octet-stream",
            HTTP_X_CHUNK_SHA256=sha(chunk),
        )
        assert r.status_code == 201
    done = client.post(
        f"/api/bidding/uploads/{sealed.bid}/finalize/",
        {"manifest": b64u_encode(sealed.raw), "signature": sealed.signature},
        format="json",
    )
    assert done.status_code == 201
    again = client.post(
        f"/api/bidding/uploads/{sealed.bid}/finalize/",
        {"manifest": b64u_encode(sealed.raw), "signature": sealed.signature},
        format="json",
    )
    assert again.status_code == 200 and again.json() == done.json()
    mine = client.get(f"/api/bidding/tenders/{tender.reference}/my-bids/").json()
    assert [v["status"] for v in mine["versions"]] == ["counting"]


def test_after_the_deadline_the_api_answers_409_with_a_reason(tender, clock_at):
    bidder = bidder_make()
    sealed = seal(tender, bidder)
    client = APIClient()
    client.force_authenticate(bidder.user)
    clock_at.move_to(DEADLINE)
    response = client.post(
        "/api/bidding/uploads/",
        {"tender": tender.reference, "lot": "1", "bid": sealed.bid, "file_sizes": sealed.file_sizes},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert (
        response.json()["code"] == "deadline_passed" and "deadline has passed" in response.json()["message"]
    )


def test_before_the_deadline_nobody_but_the_bidder_learns_that_a_bid_exists(demo, tender):
    bidder, rival = bidder_make(), bidder_make()
    sealed = seal(tender, bidder)
    submit(tender, bidder, sealed)
    ledger = LedgerEntry.objects.count()
    officer = demo.users["officer"]
    for user in (officer, demo.users["buyer"], demo.users["custodian1"], rival.user):
        client = APIClient()
        client.force_authenticate(user)
        assert client.get(f"/api/bidding/uploads/{sealed.bid}/").status_code == 404
        chunk = client.put(
            f"/api/bidding/uploads/{sealed.bid}/files/0/chunks/0/",
            data=b"x",
            content_type="application/octet-stream",
            HTTP_X_CHUNK_SHA256=sha(b"x"),
        )
        assert chunk.status_code in (403, 404)
        mine = client.get(f"/api/bidding/tenders/{tender.reference}/my-bids/")
        assert mine.status_code == 403 or mine.json()["versions"] == []
        assert client.get(f"/api/bidding/tenders/{tender.reference}/seal/").status_code == 409
        resend = client.post(
            f"/api/bidding/uploads/{sealed.bid}/finalize/",
            {"manifest": b64u_encode(sealed.raw), "signature": sealed.signature},
            format="json",
        )
        assert resend.status_code in (403, 404)
        info = client.get(f"/api/bidding/tenders/{tender.reference}/").json()
        assert str(sealed.bid) not in str(info) and "count" not in info
    assert LedgerEntry.objects.count() == ledger
    assert BidVersion.objects.count() == 1


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_finalizes_of_different_versions_racing_leave_exactly_one_counting(demo):
    from bidding.selectors.submission import versions_counting
    from bidding.services.submission import bid_finalize
    from tests.bidding.submission_factory import upload

    with time_machine.travel(ISSUE, tick=False) as clock_at:
        tender, _ = published_tender(demo)
        clock_at.move_to(BIDDING)
        bidder = bidder_make()
        first, second = seal(tender, bidder), seal(tender, bidder)
        upload(tender, bidder, first)
        upload(tender, bidder, second)
        results = _race(
            [
                lambda s=s: bid_finalize(user=bidder.user, bid=s.bid, manifest=s.raw, signature=s.signature)
                for s in (first, second)
            ]
        )
    accepted = [r for r in results if isinstance(r, tuple)]
    assert len(accepted) == 1, results
    assert [type(r).__name__ for r in results if not isinstance(r, tuple)] == ["ReplacesNotCurrent"]
    assert len(versions_counting(tender)) == 1 and BidVersion.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_seal_is_written_once_when_many_ask_at_the_deadline(demo):
    with time_machine.travel(ISSUE, tick=False) as clock_at:
        tender, _ = published_tender(demo)
        clock_at.move_to(BIDDING)
        bidder = bidder_make()
        submit(tender, bidder, seal(tender, bidder))
        clock_at.move_to(DEADLINE + dt.timedelta(seconds=1))
        results = _race([lambda: tender_seal(tender_id=tender.pk) for _ in range(4)])
    assert all(isinstance(r, SealStatement) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert LedgerEntry.objects.filter(kind="SB1/seal").count() == 1
    assert LedgerEntry.objects.filter(kind="SB1/receipt").count() == 1

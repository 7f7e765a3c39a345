"""yizhan-client bid …, run in process against the API (an adapter in place of HTTP): seal, submit
with resume, status, withdraw, and verify-receipt before and after the seal, the client checking
every signature and proof itself. Also the bid pages: the PDF receipt and who sees what."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from bidding.client import bid as client_bid
from bidding.models import BidChunk, BidVersion
from tests.bidding.submission_factory import DEADLINE, ISSUE, bidder_make, published_tender, seal, submit
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db


class InProcessApi:
    """What bidding.client.cli.Api offers, over Django's test client."""

    def __init__(self, user=None) -> None:
        self.client = APIClient()
        if user is not None:
            self.client.force_authenticate(user)
        self.fail_after: int | None = None
        self.puts = 0

    def _json(self, response):
        if response.status_code >= 400:
            raise client_bid.BidClientError(f"{response.status_code} {response.json()}")
        return response.json()

    def get(self, path):
        return self._json(self.client.get(path))

    def post(self, path, body):
        return self._json(self.client.post(path, body, format="json"))

    def put_bytes(self, path, data, headers):
        self.puts += 1
        if self.fail_after is not None and self.puts > self.fail_after:
            raise ConnectionError("the line went down")
        return self._json(
            self.client.put(
                path,
                data=data,
                content_type="application/octet-stream",
                HTTP_X_CHUNK_SHA256=headers["X-Chunk-SHA256"],
            )
        )


@pytest.fixture
def clock_at():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tender(demo, clock_at):
    tender, _ = published_tender(demo)
    clock_at.move_to(ISSUE + dt.timedelta(days=10))
    return tender


def test_the_client_seals_submits_with_resume_withdraws_and_verifies(tender, clock_at, tmp_path, capsys):
    bidder = bidder_make()
    api = InProcessApi(bidder.user)
    info = client_bid.tender_for_sealing(api, tender.reference)
    attachment = tmp_path / "offer.pdf"
    attachment.write_bytes(b"%PDF" + bytes(2_200_000))
    state = client_bid.bid_seal(
        info=info,
        lot="1",
        readout={"price": "99.00", "currency": "CNY", "delivery_days": "10", "_supplier": bidder.code},
        attachments=[attachment],
        signing_key=bidder.key,
        signer=bidder.certificate.fingerprint,
        replaces=None,
        out=tmp_path / "bid",
    )
    api.fail_after = 2
    with pytest.raises(ConnectionError):
        client_bid.bid_submit(api, tmp_path / "bid", progress=lambda m: None)
    assert BidChunk.objects.count() == 2
    api.fail_after = None
    said = []
    receipt = client_bid.bid_submit(api, tmp_path / "bid", progress=said.append)
    assert said[0] == "resuming: the server already holds 2 of 4 chunks"
    assert json.loads((tmp_path / "bid" / "receipt.json").read_text()) == receipt
    assert receipt["payload"]["manifest_sha256"] == state["manifest_sha256"]

    findings = client_bid.receipt_check(InProcessApi(), receipt)
    assert findings[-1].startswith("the tender is not sealed yet")

    clock_at.move_to(DEADLINE + dt.timedelta(minutes=5))
    findings = client_bid.receipt_check(InProcessApi(), receipt)
    assert findings[-1] == "the bid is in the sealed set (the root recomputed)"
    assert any("proof verified" in f for f in findings)


def test_the_client_refuses_a_receipt_it_cannot_verify(tender):
    bidder = bidder_make()
    receipt, _ = submit(tender, bidder, seal(tender, bidder))
    forged = json.loads(json.dumps(receipt.envelope))
    forged["payload"]["received_at"] = "2026-11-01T00:00:00.000Z"
    with pytest.raises(client_bid.BidClientError, match="does NOT verify"):
        client_bid.receipt_check(InProcessApi(), forged)


def test_pages_show_a_bid_to_its_supplier_only_and_the_receipt_pdf_is_signed(demo, tender):
    bidder, rival = bidder_make(), bidder_make()
    sealed = seal(tender, bidder)
    submit(tender, bidder, sealed)
    version = BidVersion.objects.get()
    own = Client()
    own.force_login(bidder.user)
    page = own.get(f"/bids/tender/{tender.reference}/")
    assert page.status_code == 200 and version.manifest_sha256 in page.content.decode()
    assert version.manifest_sha256 in own.get("/bids/").content.decode()
    pdf = own.get(f"/bids/receipts/{sealed.bid}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from reports.pdf import verify_pdf

    assert verify_pdf(pdf.content).valid

    other = Client()
    other.force_login(rival.user)
    assert version.manifest_sha256 not in other.get(f"/bids/tender/{tender.reference}/").content.decode()
    assert other.get(f"/bids/receipts/{sealed.bid}.pdf").status_code == 404
    assert version.manifest_sha256 not in other.get("/bids/").content.decode()
    officer = Client()
    officer.force_login(demo.users["officer"])
    assert officer.get(f"/bids/tender/{tender.reference}/").status_code == 403
    assert officer.get(f"/bids/receipts/{sealed.bid}.pdf").status_code == 403
    # The public notice page says nothing of bids either.
    notice = Client().get(tender.get_absolute_url()).content.decode()
    assert sealed.bid not in notice and version.manifest_sha256 not in notice


def test_the_client_withdraws_the_counting_version_with_a_signed_statement(tender, tmp_path, capsys):
    import argparse

    from bidding.selectors.submission import versions_counting

    bidder = bidder_make()
    submit(tender, bidder, seal(tender, bidder))
    args = argparse.Namespace(
        tender=tender.reference, lot="1", key="k", certificate="c", out=str(tmp_path / "withdrawal.json")
    )
    client_bid.cmd_withdraw(
        args,
        InProcessApi(bidder.user),
        lambda _path: bidder.key,
        lambda _path, _key: (bidder.certificate.fingerprint, bidder.code),
    )
    receipt = json.loads((tmp_path / "withdrawal.json").read_text())
    assert receipt["payload"]["type"] == "SB1/withdrawal-receipt"
    assert versions_counting(tender) == []
    client_bid.cmd_status(argparse.Namespace(tender=tender.reference), InProcessApi(bidder.user))
    assert "withdrawn" in capsys.readouterr().out


def test_an_upload_not_finalized_by_the_deadline_does_not_count_and_the_page_says_so(tender, clock_at):
    from django.utils import translation

    from bidding.exceptions import BidRefused
    from bidding.services.submission import bid_chunk_put, bid_upload_open
    from tests.bidding.submission_factory import sha

    bidder = bidder_make()
    done, unfinished = seal(tender, bidder), seal(tender, bidder, lot="2")
    submit(tender, bidder, done)
    bid_upload_open(
        user=bidder.user,
        tender_reference=tender.reference,
        lot="2",
        bid=unfinished.bid,
        file_sizes=unfinished.file_sizes,
    )
    chunk = done.chunks[0][0]
    with pytest.raises(BidRefused):  # a finalized bid's chunks never change
        bid_chunk_put(user=bidder.user, bid=done.bid, file_index=0, index=0, data=chunk, sha256=sha(chunk))
    clock_at.move_to(DEADLINE + dt.timedelta(seconds=1))
    page = Client()
    page.force_login(bidder.user)
    choose_english(page)
    with translation.override("en"):
        html = page.get(f"/bids/tender/{tender.reference}/").content.decode()
    assert "One upload was not finalized by the deadline: it does not count as a bid." in html
    assert "no longer takes bids" in html
    from bidding.models import SealStatement

    seal_row = SealStatement.objects.get(tender=tender)
    assert seal_row.count == 1  # the page's request wrote the seal
    # The bidder's page shows its version in the sealed set with the proofs.
    assert seal_row.envelope["payload"]["root"] in html
    assert "In the sealed set: leaf 0 of 1" in html
    assert f"Entry {seal_row.ledger_index}, proven in the signed tree" in html


def test_the_client_names_each_bad_read_out_value_by_its_label_before_sealing(tender):
    """The CLI judges values as the bid page does (tenders/readout.py patterns from the API)."""
    api = InProcessApi(bidder_make().user)
    info = client_bid.tender_for_sealing(api, tender.reference)
    assert [i["label_en"] for i in info["readout_items"]] == ["Bid price", "Currency", "Delivery time"]
    problems = client_bid.readout_problems(
        info, {"price": "12,000", "currency": "CNY", "delivery_days": "30天"}
    )
    assert problems == [
        "price (Bid price) must be an amount with two decimals and no separators, e.g. 1284500.00, not '12,000'",
        "delivery_days (Delivery time) must be a whole number of days, e.g. 30, not '30天'",
    ]
    assert client_bid.readout_problems(info, {"price": "12000.00", "currency": "CNY"}) == [
        "give --readout delivery_days=… (Delivery time, days)"
    ]
    assert (
        client_bid.readout_problems(info, {"price": "12000.00", "currency": "CNY", "delivery_days": "30"})
        == []
    )

"""A supplier reaches the bid form by clicking: the notice page offers 投标 to a verified supplier on
an open tender (and says why not to one that may not bid yet), and "my bids" lists the open tenders
it may bid in, followed ones first, each linked to its bid page. The tender editor refuses
suppliers before showing any form."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tenders.models import DocumentHolder, Subscription
from tests.bidding.submission_factory import ISSUE, bidder_make, published_tender, seal, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock_at():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tender(demo, clock_at):
    tender, _ = published_tender(demo)
    clock_at.move_to(ISSUE + dt.timedelta(days=10))
    return tender


def _client(user=None) -> Client:
    """A browser that chose English (the site is Chinese unless one chooses)."""
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_the_notice_page_offers_the_bid_form_to_a_verified_supplier_only(tender, clock_at):
    bid_url = f"/bids/tender/{tender.reference}/"
    verified = _client(bidder_make().user).get(tender.get_absolute_url()).content.decode()
    assert f'href="{bid_url}"' in verified and 'id="bid-start"' in verified

    unverified = _client(bidder_make(verified=False).user).get(tender.get_absolute_url()).content.decode()
    assert bid_url not in unverified
    assert "has not been verified by a procurement officer" in unverified

    visitor = _client().get(tender.get_absolute_url()).content.decode()
    assert bid_url not in visitor and "/accounts/login/?next=" in visitor

    clock_at.move_to(tender.bid_deadline + dt.timedelta(minutes=1))
    closed = _client(bidder_make().user).get(tender.get_absolute_url()).content.decode()
    assert 'id="bid-start"' not in closed


def test_my_bids_lists_open_tenders_followed_first_with_links_to_the_bid_form(demo, tender, clock_at):
    with time_machine.travel(ISSUE, tick=False):
        other, _ = published_tender(demo, title="浦东新区图书馆书架采购项目")
    bidder = bidder_make()
    DocumentHolder.objects.create(tender=other, user=bidder.user)
    page = _client(bidder.user).get("/bids/").content.decode()
    assert f'href="/bids/tender/{tender.reference}/"' in page
    assert f'href="/bids/tender/{other.reference}/"' in page
    # The followed tender (documents obtained) comes first and is marked.
    assert page.index(other.reference) < page.index(tender.reference)
    assert "Followed" in page

    # A tender the supplier already bid in is listed with its versions, not again as "open".
    submit(tender, bidder, seal(tender, bidder))
    page = _client(bidder.user).get("/bids/").content.decode()
    assert page.count(f'href="/bids/tender/{tender.reference}/"') == 1

    # A subscription of the signed-in person also counts as following.
    rival = bidder_make()
    Subscription.objects.create(
        email="r@example.com", user=rival.user, category_prefix=tender.category_code[:3], token="t" * 43
    )
    page = _client(rival.user).get("/bids/").content.decode()
    assert "Followed" in page

    clock_at.move_to(tender.bid_deadline + dt.timedelta(minutes=1))
    page = _client(rival.user).get("/bids/").content.decode()
    assert tender.reference not in page and other.reference not in page


def test_the_tender_editor_refuses_a_supplier_before_showing_a_form(demo):
    supplier = bidder_make(verified=False)
    response = _client(supplier.user).get("/tenders/new/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only a procurement officer" in body and "<form" not in body.split("<main", 1)[-1]
    assert _client(demo.users["officer"]).get("/tenders/new/").status_code == 200


def test_a_missing_notice_is_titled_not_found(db):
    response = _client().get("/notices/NO-SUCH-REF/")
    assert response.status_code == 404
    assert "<title>Not found" in response.content.decode()


def test_the_receipt_check_shows_the_time_received_in_beijing_time(tender):
    import json

    from bidding.models import BidVersion

    bidder = bidder_make()
    submit(tender, bidder, seal(tender, bidder))
    envelope = BidVersion.objects.get().receipt.envelope
    assert envelope["payload"]["received_at"] == "2026-11-12T01:00:00.000Z"  # 09:00 Beijing, ISSUE + 10 days
    page = _client().post("/bids/verify/", {"receipt": json.dumps(envelope)}).content.decode()
    assert "Received at (Beijing time)" in page and "2026-11-12 09:00:00" in page
    assert "(UTC)" not in page

"""Eligibility for one tender: a qualification the tender requires must still be valid on its bid
deadline's day. Judged through the submission services, the API the bid page calls, and the
supplier's own pages, which warn ahead of time."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from bidding.exceptions import SupplierIneligible
from bidding.models import BidUpload, BidVersion
from bidding.services.submission import bid_finalize
from suppliers import selectors, services
from suppliers.constants import QualificationKind
from tenders.models import DocumentHolder, Tender
from tests.bidding.submission_factory import (
    ISSUE,
    bidder_make,
    published_tender,
    seal,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db

BIDDING = ISSUE + dt.timedelta(days=10)
DEADLINE_DAY = dt.date(2026, 12, 1)  # DEADLINE is 2026-12-01 09:30 Beijing time


@pytest.fixture
def clock_at():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tender(demo, clock_at):
    tender, _opening = published_tender(demo)
    # As if the notice had listed them (the notice's own fields are the tenders app's business).
    Tender.objects.filter(pk=tender.pk).update(required_documents=["营业执照", "财务审计报告"])
    tender.refresh_from_db()
    clock_at.move_to(BIDDING)
    return tender


@pytest.fixture
def bidder(tender):
    return bidder_make()


def _qualification(
    bidder, *, expires_on, kind=QualificationKind.BUSINESS_LICENCE, title="营业执照", category=""
):
    return services.qualification_add(
        supplier=bidder.supplier,
        by=bidder.user,
        kind=kind,
        title=title,
        number=f"No-{title}-{expires_on}",
        category=category,
        expires_on=expires_on,
        file=ContentFile(b"%PDF-1.4 scan", name="scan.pdf"),
    )


def test_a_licence_valid_through_the_deadline_day_is_accepted(tender, bidder):
    _qualification(bidder, expires_on=DEADLINE_DAY)
    receipt, created = submit(tender, bidder, seal(tender, bidder))
    assert created
    assert selectors.supplier_is_eligible(bidder.supplier, BIDDING, tender=tender)


def test_a_licence_that_expired_the_day_before_the_deadline_is_refused_with_its_name(tender, bidder):
    _qualification(bidder, expires_on=DEADLINE_DAY - dt.timedelta(days=1))
    sealed = seal(tender, bidder)
    with pytest.raises(SupplierIneligible) as refused:
        submit(tender, bidder, sealed)
    message = str(refused.value.message)
    assert "“营业执照”" in message and "2026-11-30" in message and "2026-12-01 09:30" in message
    assert not BidUpload.objects.filter(bid=sealed.bid).exists()
    # Valid today, so not ineligible in general: only for this tender, whose deadline is later.
    assert selectors.supplier_is_eligible(bidder.supplier, BIDDING)
    assert not selectors.supplier_is_eligible(bidder.supplier, BIDDING, tender=tender)


def test_a_renewed_record_next_to_the_expired_one_answers_the_requirement(tender, bidder):
    _qualification(bidder, expires_on=dt.date(2026, 1, 1))
    _qualification(bidder, expires_on=DEADLINE_DAY + dt.timedelta(days=1))
    assert selectors.qualifications_lapsed(supplier=bidder.supplier, tender=tender, at=BIDDING) == []
    assert submit(tender, bidder, seal(tender, bidder))[1]


def test_an_expired_qualification_the_tender_does_not_require_does_not_block(tender, bidder):
    _qualification(
        bidder,
        expires_on=dt.date(2026, 1, 1),
        kind=QualificationKind.CATEGORY_LICENCE,
        title="医疗器械经营许可证",
        category="医疗器械",
    )
    assert submit(tender, bidder, seal(tender, bidder))[1]
    # The same licence blocks a tender that lists it, by title or by category, in either language's spelling.
    for requirement in ("医疗器械经营许可证", " 医疗器械 ", "Category Licence"):
        Tender.objects.filter(pk=tender.pk).update(required_documents=[requirement])
        tender.refresh_from_db()
        assert not selectors.supplier_is_eligible(bidder.supplier, BIDDING, tender=tender), requirement


def test_a_requirement_the_platform_holds_no_record_of_does_not_block(tender, bidder):
    """A bidder with no record of the document attaches it to the bid; the committee reviews it."""
    assert selectors.qualifications_required(supplier=bidder.supplier, tender=tender) == []
    assert submit(tender, bidder, seal(tender, bidder))[1]


def test_a_licence_lapsing_between_upload_and_finalize_is_refused_at_finalize(tender, bidder):
    licence = _qualification(bidder, expires_on=DEADLINE_DAY)
    sealed = seal(tender, bidder)
    upload(tender, bidder, sealed)
    # The supplier's administrator corrects the date on file (e.g. the scan showed an earlier one).
    type(licence).objects.filter(pk=licence.pk).update(expires_on=DEADLINE_DAY - dt.timedelta(days=5))
    with pytest.raises(SupplierIneligible):
        bid_finalize(user=bidder.user, bid=sealed.bid, manifest=sealed.raw, signature=sealed.signature)
    assert not BidVersion.objects.filter(bid=sealed.bid).exists()


def test_the_bidder_sees_the_reason_from_the_api_in_chinese(tender, bidder):
    _qualification(bidder, expires_on=DEADLINE_DAY - dt.timedelta(days=1))
    sealed = seal(tender, bidder)
    client = APIClient()
    client.force_authenticate(bidder.user)
    response = client.post(
        "/api/bidding/uploads/",
        {"tender": tender.reference, "lot": "1", "bid": sealed.bid, "file_sizes": sealed.file_sizes},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    # The bid page shows `message` as it comes (frontend/js/bid_page.mjs).
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "supplier_ineligible"
    assert "本项目要求提供“营业执照”" in body["message"] and "2026-11-30" in body["message"]
    english = client.post(
        "/api/bidding/uploads/",
        {"tender": tender.reference, "lot": "1", "bid": sealed.bid, "file_sizes": sealed.file_sizes},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["message"]
    assert english.startswith("This tender requires “营业执照”: your qualification “营业执照”")


def test_the_suppliers_pages_warn_before_the_bid_is_refused(tender, bidder, client):
    _qualification(bidder, expires_on=DEADLINE_DAY - dt.timedelta(days=1))  # valid today, not at the deadline
    client.force_login(bidder.user)
    page = client.get("/suppliers/qualifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="qualifications-to-renew"' in page and 'id="tenders-at-risk"' not in page

    DocumentHolder.objects.create(tender=tender, user=bidder.user)  # the bidder downloaded the documents
    reason = selectors.supplier_ineligibility_reason(bidder.supplier, BIDDING, tender=tender)
    for path in ("/suppliers/qualifications/", "/suppliers/profile/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="tenders-at-risk"' in page and tender.reference in page
        assert reason.replace("“", "&ldquo;") in page or reason in page

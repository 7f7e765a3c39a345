"""Fewer than 3 bids at the seal: the ceremony fails the procurement and the platform drafts the
failure notice, with the count from the signed seal statement, for the host to publish."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from bidding.ceremony_constants import CeremonyPhase
from bidding.services import ceremony as ceremony_services
from ledger.models import LedgerEntry
from tenders.constants import AnnouncementKind
from tenders.models import NoticeDraft
from tests.bidding.ceremony_factory import ceremony_make

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_seal_leaves_a_drafted_failure_notice_the_host_publishes(demo):
    ceremony = ceremony_make(demo, bids=2)
    tender = ceremony.tender
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=1), tick=False):
        room = ceremony_services.ceremony_advance(tender_id=tender.pk)
        room.refresh_from_db()
        assert room.phase == CeremonyPhase.FAILED
        draft = NoticeDraft.objects.get(tender=tender, kind=AnnouncementKind.FAILURE)
        # The count comes from the seal statement in the ledger, the reason from the ceremony.
        assert draft.payload["bids_received"] == 2 == room.seal_count
        assert draft.payload["reason"] == room.failure_reason
        assert tender.reference in draft.body and "2 份" in draft.body
        assert not tender.announcements.filter(kind=AnnouncementKind.FAILURE).exists()

        host = Client()
        host.force_login(demo.users["officer"])
        room_page = host.get(f"/opening/{tender.reference}/").content.decode()
        assert f"/tenders/{tender.pk}/failure-notice/" in room_page
        observer = Client()
        observer.force_login(demo.users["supplier3"])
        assert "/failure-notice/" not in observer.get(f"/opening/{tender.reference}/").content.decode()

        response = host.post(
            f"/tenders/{tender.pk}/failure-notice/",
            {"title": draft.title, "body": draft.body, "publish": "1"},
        )
        assert response.status_code == 302
    notice = tender.announcements.get(kind=AnnouncementKind.FAILURE)
    assert LedgerEntry.objects.get(index=notice.ledger_index).kind == "tender/failure"
    assert draft.body.splitlines()[0] in Client().get(f"/notices/{tender.reference}/").content.decode()


def test_the_host_room_holds_the_failure_notice_link_hidden_until_the_failed_phase(demo):
    """The room's script reveals the link when the "failed" phase arrives live; before any failure it
    is in the host's page, hidden, and nobody else's page has it."""
    ceremony = ceremony_make(demo, bids=2)
    tender = ceremony.tender
    host = Client()
    host.force_login(demo.users["officer"])
    bidder = Client()
    bidder.force_login(demo.users["supplier1"])
    with time_machine.travel(ceremony.deadline - dt.timedelta(hours=1), tick=False):  # before the seal
        page = host.get(f"/opening/{tender.reference}/").content.decode()
        assert re.search(r'<p class="govuk-body" id="failure-notice-link" hidden>', page)
        assert "failure-notice-link" not in bidder.get(f"/opening/{tender.reference}/").content.decode()
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=1), tick=False):
        ceremony_services.ceremony_advance(tender_id=tender.pk)
        page = host.get(f"/opening/{tender.reference}/").content.decode()
    assert re.search(r'<p class="govuk-body" id="failure-notice-link">', page)

"""The demo: one tender carried to its announced result, loaded twice without change."""

import pytest
import time_machine
from django.test import Client, override_settings

from awards import demo as awards_demo
from awards.constants import AwardStatus
from awards.models import AwardDecision, BidderNotice
from evaluation import demo as evaluation_demo
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.models import Announcement, Tender

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(EVALUATION_DEMO_TENDER=True)
def test_the_demo_tender_has_its_result_announced(demo):
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):
        evaluation_demo.load(demo)
        awards_demo.load(demo)
        awards_demo.load(demo)  # twice changes nothing
    tender = Tender.objects.get(title=awards_demo.RESULT_TITLE)
    assert tender.status == TenderStatus.AWARDED
    decision = AwardDecision.objects.get(tender=tender)
    assert decision.status == AwardStatus.ANNOUNCED and decision.rank == 1
    assert Announcement.objects.filter(tender=tender, kind=AnnouncementKind.RESULT).count() == 1
    assert BidderNotice.objects.filter(decision=decision).count() == 3
    page = Client().get("/awards/results/", {"q": "录播教室"}).content.decode()
    assert awards_demo.RESULT_TITLE in page

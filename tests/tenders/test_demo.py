import pytest

from tenders.constants import AnnouncementKind, TenderStatus
from tenders.demo import DEMO_TENDERS
from tenders.models import Announcement, Tender

pytestmark = pytest.mark.django_db


def test_demo_has_a_dozen_tenders_across_methods_and_states_and_loads_twice(demo):
    from accounts.management.commands.load_demo import demo_build

    titles = [row[0] for row in DEMO_TENDERS]
    tenders = Tender.objects.filter(title__in=titles)
    assert tenders.count() == 12
    assert {t.method.code for t in tenders} == {
        "open_tender",
        "invitation",
        "competitive_negotiation",
        "competitive_consultation",
        "enquiry",
        "single_source",
    }
    statuses = {t.status for t in tenders}
    assert {
        TenderStatus.DRAFT,
        TenderStatus.IN_APPROVAL,
        TenderStatus.PUBLISHED,
        TenderStatus.CANCELLED,
    } <= statuses
    kinds = set(Announcement.objects.filter(tender__in=tenders).values_list("kind", flat=True))
    # Every demo tender is before its deadline, so none can have failed yet: no failure notice; the
    # award's announcements are published by awards/ (its own demo tender has a result).
    awards_kinds = {AnnouncementKind.CANDIDATES, AnnouncementKind.RESULT, AnnouncementKind.CONTRACT}
    assert kinds == set(AnnouncementKind.values) - {AnnouncementKind.FAILURE} - awards_kinds
    demo_build()
    assert Tender.objects.filter(title__in=titles).count() == 12

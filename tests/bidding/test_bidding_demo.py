"""The demo: with the publication guard of the custodians' keys in force, bidding's demo registers
and confirms the keys, so the demo tenders reach the states the tenders demo wants; twice is once."""

import pytest

from ledger.models import LedgerEntry
from tenders.demo import DEMO_TENDERS
from tenders.models import Tender

pytestmark = pytest.mark.django_db


def test_demo_tenders_are_published_with_their_keys_and_loading_twice_changes_nothing(demo):
    from accounts.management.commands.load_demo import demo_build

    published = Tender.objects.filter(title__in=[row[0] for row in DEMO_TENDERS], status="published")
    assert published.count() >= 6
    for tender in published:
        assert LedgerEntry.objects.filter(
            kind="SB1/notice", document__payload__tender=tender.reference
        ).exists()
    entries = LedgerEntry.objects.count()
    demo_build()
    assert LedgerEntry.objects.count() == entries

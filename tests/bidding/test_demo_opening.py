"""`manage.py demo_opening`: refused where no custodian key may be kept; on a demo installation a
published tender closing minutes from now, three receipts in the ledger, the custodians' key files
kept, and the walkthrough on the home page."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from bidding import demo as bidding_demo
from bidding.models import BidReceipt
from tenders.constants import TenderStatus
from tests.tenders.factories import at

NOW = at("2026-12-08", "10:00")


def test_refused_where_custodian_keys_may_not_be_kept(demo, settings):
    settings.DEMO_KEY_FILES_ALLOWED = False
    with pytest.raises(CommandError, match="not a demo"):
        call_command("demo_opening", "--minutes", "3", stdout=StringIO())


def test_publishes_a_tender_closing_in_minutes_with_three_sealed_bids(demo, monkeypatch, tmp_path, client):
    from bidding.demo_opening import demo_opening_make
    from ledger.models import LedgerEntry

    monkeypatch.setattr(bidding_demo, "demo_key_dir", lambda: tmp_path)
    with time_machine.travel(NOW, tick=False):
        opening = demo_opening_make(demo, minutes=5)
    tender = opening.tender
    assert tender.status == TenderStatus.PUBLISHED
    assert tender.bid_deadline == NOW + dt.timedelta(minutes=5)
    assert tender.rule_set["demo_periods_waived"] is True
    assert "法定期限已为演示豁免" in tender.description  # the notice says the periods were waived
    assert BidReceipt.objects.filter(tender=tender).count() == 3
    assert LedgerEntry.objects.filter(kind="tender/tender_notice").exists()
    for name in ("custodian1", "custodian2", "custodian3"):
        assert (tmp_path / name / "signing-key.json").exists()
        assert (tmp_path / name / f"{tender.reference}-opening-key.json").exists()
    assert "10:05:00" in opening.steps[0]  # Beijing time

    home = client.get("/").content.decode()
    assert "make demo-opening" in home and tender.reference in home

"""RULES.md "Opening": the minimum number of bids at the seal is the method's own (GPL Art 31,
MOF74 Art 12, 财库〔2015〕124号). Before: `MINIMUM_BIDS = 3` for every method, so a single-source
procurement with its one bid failed at the seal."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from bidding.ceremony_constants import CeremonyPhase
from bidding.services import ceremony as ceremony_services
from tenders.constants import TenderStatus
from tests.bidding.ceremony_factory import ceremony_make

pytestmark = pytest.mark.django_db(transaction=True)

SOLE = {"sole_supplier": "上海智联教育科技有限公司", "sole_supplier_reason": "原有系统的专利扩容，只能由原供应商提供。"}


def phase_after_the_deadline(ceremony):
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=1), tick=False), translation.override(
        "zh-hans"
    ):
        room = ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
    room.refresh_from_db()
    ceremony.tender.refresh_from_db()
    return room


def test_single_source_opens_with_its_one_bid(demo):
    ceremony = ceremony_make(demo, bids=1, method="single_source", **SOLE)
    room = phase_after_the_deadline(ceremony)
    assert room.phase == CeremonyPhase.SHARES and room.failure_reason == ""
    assert ceremony.tender.status == TenderStatus.OPENING


def test_single_source_without_a_bid_fails_citing_its_own_article(demo):
    ceremony = ceremony_make(demo, bids=0, method="single_source", **SOLE)
    room = phase_after_the_deadline(ceremony)
    assert room.phase == CeremonyPhase.FAILED
    assert "少于 1 家" in room.failure_reason and "政府采购法第三十一条" in room.failure_reason


def test_open_tender_with_two_bids_fails_citing_blr_art_44(demo):
    ceremony = ceremony_make(demo, bids=2)
    room = phase_after_the_deadline(ceremony)
    assert room.phase == CeremonyPhase.FAILED and ceremony.tender.status == TenderStatus.FAILED
    assert "少于 3 家（2 家）" in room.failure_reason
    assert "招标投标法实施条例第四十四条" in room.failure_reason


def test_consultation_goes_on_with_two_in_a_declared_124_case(demo):
    ceremony = ceremony_make(
        demo, bids=2, method="competitive_consultation", kind="services", consultation_case="services"
    )
    assert ceremony.tender.rule_set["min_bids_two_supplier_cases"] == 2
    room = phase_after_the_deadline(ceremony)
    assert room.phase == CeremonyPhase.SHARES


def test_consultation_without_a_declared_case_needs_three(demo):
    ceremony = ceremony_make(demo, bids=2, method="competitive_consultation", kind="services")
    room = phase_after_the_deadline(ceremony)
    assert room.phase == CeremonyPhase.FAILED and "竞争性磋商办法第二十一条" in room.failure_reason

"""GPLR Art 38, MOF74 Art 38: single source where the budget reaches the open-tender threshold is
publicised (project, sole supplier, reason) for 5 working days before it goes on; objections are
recorded. Before: no publicity at all. National Day 2026: 1–7 Oct off, Saturday 10 Oct worked."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from ledger.models import LedgerEntry
from procurement.constants import GovernmentLevel, MethodApprovalStatus
from procurement.methods import procurement_methods_ensure
from procurement.models import MethodApproval, OpenTenderThreshold
from tenders import services
from tenders.exceptions import DeadlinePassed
from tenders.services import tender_problems
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-09-30", "09:00")  # publicity working days: 8, 9, 10 (make-up), 12, 13 Oct
SOLE = {"sole_supplier": "上海智联教育科技有限公司", "sole_supplier_reason": "原有系统扩容，须与原设备兼容。"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(ISSUE, tick=False):
        yield


@pytest.fixture
def threshold(db):
    return OpenTenderThreshold.objects.create(
        level=GovernmentLevel.PROVINCIAL, amount=Decimal("1000000.00"), valid_from=date(2026, 1, 1), source="测试"
    )


def single_source(demo, deadline, **fields):
    # At the threshold single source also needs the finance department's approval (GPL Art 27).
    approval = MethodApproval.objects.create(
        buyer=demo.orgs["buyer"],
        title="智慧黑板扩容",
        method=procurement_methods_ensure()["single_source"],
        budget=Decimal("1000000.00"),
        reason=SOLE["sole_supplier_reason"],
        status=MethodApprovalStatus.APPROVED,
        created_by=demo.users["buyer"],
        created_at=ISSUE,
    )
    return make_tender(
        demo,
        method="single_source",
        issue=ISSUE,
        deadline=deadline,
        method_approval=approval,
        **{**SOLE, **fields},
    )


def problems(tender):
    with translation.override("zh-hans"):
        return {v.rule: str(v.message) for v in tender_problems(tender=tender)}


def test_deadline_the_day_after_five_working_days_accepted(demo, threshold):
    assert problems(single_source(demo, at("2026-10-14"))) == {}


def test_deadline_on_the_last_publicity_day_refused_citing_gplr_38(demo, threshold):
    refused = problems(single_source(demo, at("2026-10-13", "17:00")))
    assert set(refused) == {"publicity_working_days"}
    assert "2026-10-14" in refused["publicity_working_days"]
    assert "政府采购法实施条例第三十八条" in refused["publicity_working_days"]


def test_under_the_threshold_no_publicity_period(demo, threshold):
    OpenTenderThreshold.objects.update(amount=Decimal("1000000.01"))
    assert problems(single_source(demo, at("2026-10-08", "17:00"))) == {}


def test_the_sole_supplier_and_reason_are_named(demo):
    missing = problems(single_source(demo, at("2026-10-14"), sole_supplier="", sole_supplier_reason=""))
    assert set(missing) == {"sole_supplier_missing", "sole_supplier_reason_missing"}


def test_objections_recorded_until_the_end_of_the_publicity(demo, threshold):
    tender = publish(demo, single_source(demo, at("2026-10-14")))
    notice = tender.announcements.get(kind="tender_notice")
    assert notice.payload["sole_supplier"]["name"] == SOLE["sole_supplier"]
    with time_machine.travel(at("2026-10-13", "23:59"), tick=False):
        objection = services.publicity_objection_raise(
            tender_id=tender.pk, by=demo.users["supplier2"], text="我公司同样可以提供兼容设备。"
        )
    entry = LedgerEntry.objects.get(index=objection.ledger_index)
    assert entry.kind == "tender/publicity-objection" and "supplier2" not in str(entry.document)
    assert "兼容设备" not in str(entry.document)
    with time_machine.travel(at("2026-10-14", "00:00"), tick=False), pytest.raises(DeadlinePassed):
        services.publicity_objection_raise(tender_id=tender.pk, by=demo.users["supplier2"], text="晚了")
    assert tender.publicity_objections.count() == 1

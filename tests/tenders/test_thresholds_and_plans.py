"""GPL Arts 27–28: open-tender thresholds as data per level of government and category with validity
dates; another method at or above them needs the finance department's approval; the approved plan's
method and budget bind the tender; split purchases are flagged. Before: a 询价 with a CNY 50 million
budget published, and a tender under a plan approved as 公开招标 / CNY 1 million published as 谈判 /
CNY 2 million."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from procurement.constants import GovernmentLevel, MethodApprovalStatus
from procurement.methods import procurement_methods_ensure
from procurement.models import MethodApproval, OpenTenderThreshold, ProcurementPlan
from procurement.thresholds import government_level, split_purchase_warnings
from tenders.services import tender_problems
from tests.tenders.factories import at, make_tender

pytestmark = pytest.mark.django_db

NOV = at("2026-11-02", "09:00")
DEADLINE = at("2026-11-23")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOV, tick=False):
        yield


def shanghai_threshold(amount, valid_from=date(2026, 1, 1), valid_until=None, **fields):
    # The demo buyer's region is 310000: a province-level budget unit.
    return OpenTenderThreshold.objects.create(
        level=GovernmentLevel.PROVINCIAL,
        amount=Decimal(amount),
        valid_from=valid_from,
        valid_until=valid_until,
        source="沪财采〔2026〕1号",
        **fields,
    )


def problems(tender):
    with translation.override("zh-hans"):
        return {v.rule: str(v.message) for v in tender_problems(tender=tender)}


def test_level_of_government_from_the_region_code():
    assert [government_level(r) for r in ("", "310000", "320500", "320506")] == [
        "central",
        "provincial",
        "municipal",
        "county",
    ]


def test_enquiry_at_the_threshold_is_refused_one_yuan_under_accepted(demo):
    shanghai_threshold("1000000.00", procurement_kind="goods")  # the factory's budget is 1,000,000.00
    refused = problems(make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE))
    assert set(refused) == {"open_tender_threshold"}
    assert "1,000,000.00" in refused["open_tender_threshold"] and "政府采购法第二十七条" in refused["open_tender_threshold"]
    OpenTenderThreshold.objects.update(amount=Decimal("1000000.01"))
    assert problems(make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE)) == {}
    # Open tender itself is never refused by the threshold.
    OpenTenderThreshold.objects.update(amount=Decimal("1.00"))
    assert problems(make_tender(demo, issue=NOV, deadline=DEADLINE)) == {}


def test_validity_dates_and_category_decide_which_threshold_applies(demo):
    shanghai_threshold("1000000.00", valid_until=date(2026, 11, 2))  # ended the day before issue
    shanghai_threshold("1000000.00", valid_from=date(2026, 11, 3))  # starts the day after
    shanghai_threshold("1000000.00", category_prefix="C")  # services only
    assert problems(make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE)) == {}
    shanghai_threshold("1000000.00", valid_from=date(2026, 11, 2), category_prefix="A02")
    assert set(problems(make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE))) == {
        "open_tender_threshold"
    }


def test_an_approved_method_approval_lets_the_method_through(demo):
    shanghai_threshold("500000.00")
    methods = procurement_methods_ensure()
    approval = MethodApproval.objects.create(
        buyer=demo.orgs["buyer"],
        title="智慧黑板",
        method=methods["enquiry"],
        budget=Decimal("1000000.00"),
        reason="规格标准统一、现货货源充足。",
        created_by=demo.users["buyer"],
        created_at=NOV,
    )
    pending = make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE, method_approval=approval)
    assert set(problems(pending)) == {"open_tender_threshold"}
    MethodApproval.objects.filter(pk=approval.pk).update(status=MethodApprovalStatus.APPROVED)
    approval.refresh_from_db()
    assert problems(make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE, method_approval=approval)) == {}
    # Approved for less than the budget, or for another method: refused.
    MethodApproval.objects.filter(pk=approval.pk).update(budget=Decimal("999999.99"))
    approval.refresh_from_db()
    assert set(
        problems(make_tender(demo, method="enquiry", issue=NOV, deadline=DEADLINE, method_approval=approval))
    ) == {"open_tender_threshold"}


def plan(demo, *, method="open_tender", budget="1000000.00", category="A02", buyer="buyer", title="计划"):
    return ProcurementPlan.objects.create(
        buyer=demo.orgs[buyer],
        year=2026,
        title=title,
        category_code=category,
        method=procurement_methods_ensure()[method],
        budget=Decimal(budget),
        status="approved",
        created_by=demo.users["buyer"],
    )


def test_the_plan_binds_method_and_budget(demo):
    assert problems(make_tender(demo, issue=NOV, deadline=DEADLINE, plan=plan(demo))) == {}
    other_method = problems(make_tender(demo, method="competitive_negotiation", issue=NOV, deadline=DEADLINE, plan=plan(demo)))
    assert set(other_method) == {"plan_method"} and "公开招标" in other_method["plan_method"]
    over = problems(make_tender(demo, issue=NOV, deadline=DEADLINE, plan=plan(demo, budget="999999.99")))
    assert set(over) == {"plan_budget"}


def test_split_purchase_is_flagged(demo):
    shanghai_threshold("2000000.00")
    plan(demo, budget="1200000.00", title="第一批")
    plan(demo, budget="800000.00", title="第二批")
    plan(demo, budget="1500000.00", category="C01", title="服务")  # another category: alone
    [warning] = split_purchase_warnings(year=2026)
    assert warning.category_code == "A02" and warning.total == Decimal("2000000.00")
    assert [p.title for p in warning.plans] == ["第一批", "第二批"]
    ProcurementPlan.objects.filter(title="第二批").update(budget=Decimal("799999.99"))
    assert split_purchase_warnings(year=2026) == []


def test_the_split_is_shown_to_the_supervisor_on_the_plan_approval(demo):
    from procurement.plans import PlanApproval

    shanghai_threshold("2000000.00")
    first = plan(demo, budget="1200000.00", title="第一批")
    plan(demo, budget="800000.00", title="第二批")
    with translation.override("zh-hans"):
        summary = PlanApproval().summary(first)
    assert "疑似化整为零" in summary and "2,000,000.00" in summary
    assert PlanApproval().can_view(demo.users["supervisor"], first)

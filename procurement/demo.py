"""Demo procurement methods (RULES.md defaults) and one plan per demo buyer, put through the
`procurement-plan` approval flow when approvals' demo defined it (idempotent)."""

from decimal import Decimal

from procurement.methods import procurement_methods_ensure
from procurement.models import MethodCode, ProcurementPlan
from procurement.plans import plan_create, plan_submit


def load(demo) -> None:
    methods = procurement_methods_ensure()
    title = "2026年度教育信息化设备采购计划"
    if ProcurementPlan.objects.filter(buyer=demo.orgs["buyer"], title=title).exists():
        return
    plan = plan_create(
        by=demo.users["buyer"],
        buyer=demo.orgs["buyer"],
        year=2026,
        title=title,
        method=methods[MethodCode.OPEN_TENDER],
        budget=Decimal("12000000.00"),
        category_code="A02",
    )
    from approvals.models import FlowDefinition

    if FlowDefinition.objects.filter(code="procurement-plan", published_at__isnull=False).exists():
        plan_submit(plan_id=plan.pk, by=demo.users["buyer"])

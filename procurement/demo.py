"""Demo procurement methods (RULES.md defaults) and one approved plan per demo buyer (idempotent)."""

from decimal import Decimal

from django.db import transaction

from procurement.methods import procurement_methods_ensure
from procurement.models import MethodCode, PlanStatus, ProcurementPlan


@transaction.atomic
def load(demo) -> None:
    methods = procurement_methods_ensure()
    demo.methods = methods
    buyer = demo.orgs["buyer"]
    officer = demo.users["buyer"]
    ProcurementPlan.objects.get_or_create(
        buyer=buyer, year=2026, title="2026年度教育信息化设备采购计划",
        defaults={"category_code": "A02", "method": methods[MethodCode.OPEN_TENDER], "budget": Decimal("12000000.00"),
                  "status": PlanStatus.APPROVED, "created_by": officer},
    )

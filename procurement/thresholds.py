"""Open-tender thresholds (公开招标数额标准, GPL Arts 27–28) and the finance department's approval of
another method: which threshold applies to a buyer's purchase, the approval flow
`procurement-method-approval` (the regulator's approvers) and the split-purchase warning."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganisationKind, Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from approvals.constants import HandlerKind, Outcome, StepMode
from approvals.models import FlowDefinition
from approvals.registry import ApprovalSubject
from approvals.services import approval_submit, flow_definition_ensure
from config import clock
from config.exceptions import Conflict, NotAllowed, NotFound
from ledger.services import ledger_append
from procurement.constants import GovernmentLevel, MethodApprovalStatus, MethodCode
from procurement.models import (
    MethodApproval,
    OpenTenderThreshold,
    PlanStatus,
    ProcurementMethod,
    ProcurementPlan,
)

METHOD_FLOW = "procurement-method-approval"

# RULES.md default: central budget units, goods and services, CNY 2 million (国办发〔2019〕41号).
DEFAULT_THRESHOLDS = [
    {
        "level": GovernmentLevel.CENTRAL,
        "procurement_kind": kind,
        "amount": Decimal("2000000.00"),
        "valid_from": date(2020, 1, 1),
        "source": "国办发〔2019〕41号",
    }
    for kind in ("goods", "services")
]


def thresholds_ensure() -> None:
    """The RULES.md default thresholds, when no threshold is set (administrators add the rest)."""
    if not OpenTenderThreshold.objects.exists():
        OpenTenderThreshold.objects.bulk_create(OpenTenderThreshold(**row) for row in DEFAULT_THRESHOLDS)


def government_level(region: str) -> str:
    """The level of a budget unit from its region code (GB/T 2260): see `GovernmentLevel`."""
    if not region:
        return GovernmentLevel.CENTRAL
    if region.endswith("0000"):
        return GovernmentLevel.PROVINCIAL
    if region.endswith("00"):
        return GovernmentLevel.MUNICIPAL
    return GovernmentLevel.COUNTY


# 政府采购品目分类目录: A goods, B works, C services.
_KIND_OF_CATEGORY = {"A": "goods", "B": "works", "C": "services"}


def open_tender_threshold(
    *, region: str, procurement_kind: str, category_code: str, on: date
) -> OpenTenderThreshold | None:
    """The threshold valid on `on` for the level of `region`, the kind and the category: the row
    with the longest matching category prefix, then one for the kind before one for all kinds. An
    empty kind is read from the category code's first letter."""
    procurement_kind = procurement_kind or _KIND_OF_CATEGORY.get((category_code or " ")[0].upper(), "")
    rows = OpenTenderThreshold.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=on),
        level=government_level(region),
        valid_from__lte=on,
        procurement_kind__in=["", procurement_kind],
    )
    matching = [row for row in rows if (category_code or "").startswith(row.category_prefix)]
    if not matching:
        return None
    return max(matching, key=lambda row: (len(row.category_prefix), bool(row.procurement_kind), row.valid_from))


def finance_department(buyer: Organisation) -> Organisation | None:
    """The regulator (finance department) of the buyer's region, else the nearest one above it."""
    regulators = Organisation.objects.filter(kind=OrganisationKind.REGULATOR)
    region = buyer.region or ""
    for prefix in (region, region[:4], region[:2], ""):
        found = regulators.filter(region__startswith=prefix).order_by("id").first()
        if found is not None:
            return found
    return None


def method_approval_usable(
    *, approval: MethodApproval | None, buyer_id: int, method: ProcurementMethod, budget: Decimal
) -> bool:
    """An approved finance-department approval for this buyer, this method, at least this budget."""
    return bool(
        approval is not None
        and approval.status == MethodApprovalStatus.APPROVED
        and approval.buyer_id == buyer_id
        and approval.method_id == method.pk
        and budget <= approval.budget
    )


@transaction.atomic
def method_approval_request(
    *,
    by: User,
    buyer: Organisation,
    title: str,
    method: ProcurementMethod,
    budget: Decimal,
    reason: str,
    from_method: ProcurementMethod | None = None,
    category_code: str = "",
    rerun_of_reference: str = "",
) -> MethodApproval:
    """Ask the finance department to approve `method` for a purchase of `budget`.

    Before: `by` is a procurement officer of `buyer`; a reason is given; the method differs from
    open tender or from the method it replaces. After: a method approval in the flow
    `procurement-method-approval` (the regulator's approvers decide; every event in the ledger)."""
    if not user_has_role(user=by, role=Role.PROCUREMENT_OFFICER, organisation=buyer.pk):
        raise NotAllowed(_("Only a procurement officer of the buyer may ask for a method approval."))
    if not reason.strip():
        raise Conflict(_("Give the reason for the method."))
    if budget <= 0:
        raise Conflict(_("The budget must be more than zero."))
    if method.code == MethodCode.OPEN_TENDER or (from_method is not None and from_method.pk == method.pk):
        raise Conflict(_("Open tender, or keeping the method, needs no finance approval."))
    approval = MethodApproval.objects.create(
        buyer=buyer,
        title=title,
        from_method=from_method,
        method=method,
        budget=budget,
        category_code=category_code,
        rerun_of_reference=rerun_of_reference,
        reason=reason.strip(),
        created_by=by,
        created_at=clock.now(),
    )
    method_flow_ensure()
    approval_submit(subject=approval, flow_code=METHOD_FLOW, submitter=by)
    return approval


@transaction.atomic
def method_approval_decided(*, approval_id: int, approved: bool) -> MethodApproval:
    """The flow's outcome; an approval is also recorded in the ledger as `procurement/method-approval`
    with the facts a reader needs (buyer by its credit code, methods, budget), no personal data."""
    try:
        approval = MethodApproval.objects.select_for_update().get(pk=approval_id)
    except MethodApproval.DoesNotExist:
        raise NotFound(_("No such method approval.")) from None
    if approval.status != MethodApprovalStatus.IN_APPROVAL:
        raise Conflict(_("This method approval has already been decided."))
    approval.status = MethodApprovalStatus.APPROVED if approved else MethodApprovalStatus.REFUSED
    approval.decided_at = clock.now()
    approval.save(update_fields=["status", "decided_at"])
    ledger_append(
        kind="procurement/method-approval",
        payload={
            "approval": approval.pk,
            "buyer": approval.buyer.credit_code or approval.buyer.name,
            "project": approval.title,
            "from_method": approval.from_method.code if approval.from_method else None,
            "method": approval.method.code,
            "budget": f"{approval.budget:.2f}",
            "rerun_of": approval.rerun_of_reference or None,
            "decision": approval.status,
            "at": approval.decided_at.isoformat(),
        },
    )
    return approval


class MethodApprovalSubject(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        regulator = finance_department(obj.buyer)
        return {
            "budget": f"{obj.budget:.2f}",
            "buyer_id": obj.buyer_id,
            "finance_department_id": regulator.pk if regulator else None,
            "method": obj.method.code,
            "from_method": obj.from_method.code if obj.from_method else None,
            "rerun_of": obj.rerun_of_reference,
            "reason": obj.reason,
        }

    def title(self, obj: Any) -> str:
        return f"{obj.title} · {obj.method.name}"

    def summary(self, obj: Any) -> str:
        before = f"{obj.from_method.name} → " if obj.from_method else ""
        return f"{obj.buyer.name} · {before}{obj.method.name} · ¥{obj.budget:,.2f}"

    def can_submit(self, user: Any, obj: Any) -> bool:
        return user_has_role(user=user, role=Role.PROCUREMENT_OFFICER, organisation=obj.buyer_id)

    def can_view(self, user: Any, obj: Any) -> bool:
        return self.can_submit(user, obj) or user_has_role(user=user, role=Role.SUPERVISOR)

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        method_approval_decided(approval_id=obj.pk, approved=outcome == Outcome.APPROVED)


def method_flow_ensure() -> FlowDefinition:
    """The default flow: one approver of the buyer's finance department (the regulator)."""
    return flow_definition_ensure(
        code=METHOD_FLOW,
        name="采购方式变更审批 Procurement method approval",
        description="The finance department approves a method other than open tender (GPL Arts 27, 36–37).",
        steps=[
            {
                "key": "finance-approval",
                "name": "财政部门审批 Finance department's approval",
                "position": 1,
                "mode": StepMode.SINGLE,
                "handler_kind": HandlerKind.ROLE,
                "role": Role.APPROVER,
                "organisation_field": "finance_department_id",
            }
        ],
    )


@dataclass(frozen=True)
class SplitPurchase:
    """Plans of one buyer, category and year, each under the threshold and together at or over it."""

    buyer: Organisation
    category_code: str
    year: int
    plans: list[ProcurementPlan]
    total: Decimal
    threshold: Decimal


def split_purchase_warnings(*, year: int) -> list[SplitPurchase]:
    """GPL Art 28 forbids splitting a purchase to get under the threshold: the plans of one buyer,
    category and year that are each under the threshold but together reach it are flagged to the
    supervisor (plans at or over it go to open tender anyway and are not part of the sum)."""
    plans_by_group: dict[tuple[int, str], list[ProcurementPlan]] = {}
    plans = (
        ProcurementPlan.objects.filter(year=year)
        .exclude(status=PlanStatus.RETURNED)
        .exclude(category_code="")
        .select_related("buyer")
        .order_by("id")
    )
    for plan in plans:
        plans_by_group.setdefault((plan.buyer_id, plan.category_code), []).append(plan)
    warnings = []
    for (_buyer_id, category_code), group in plans_by_group.items():
        buyer = group[0].buyer
        threshold = open_tender_threshold(
            region=buyer.region, procurement_kind="", category_code=category_code, on=date(year, 1, 1)
        )
        if threshold is None:
            continue
        under = [p for p in group if p.budget < threshold.amount]
        total = sum((p.budget for p in under), Decimal(0))
        if len(under) >= 2 and total >= threshold.amount:
            warnings.append(SplitPurchase(buyer, category_code, year, under, total, threshold.amount))
    return warnings

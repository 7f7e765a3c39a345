"""Procurement plans: a buyer drafts its planned purchase for a year and puts it through the
approval flow `procurement-plan` (approvals app); tenders are then drafted under the approved plan."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from approvals.constants import Outcome
from approvals.registry import ApprovalSubject
from config import clock
from config.exceptions import Conflict, NotAllowed, NotFound
from procurement.models import PLAN_TRANSITIONS, PlanStatus, ProcurementMethod, ProcurementPlan
from procurement.thresholds import split_purchase_warnings

PLAN_FLOW = "procurement-plan"


def _is_plan_officer(user: User, buyer_id: int) -> bool:
    return user_has_role(user=user, role=Role.PROCUREMENT_OFFICER, organisation=buyer_id)


def _locked(plan_id: int) -> ProcurementPlan:
    try:
        return ProcurementPlan.objects.select_for_update().get(pk=plan_id)
    except ProcurementPlan.DoesNotExist:
        raise NotFound(_("No such procurement plan.")) from None


def _transition(plan: ProcurementPlan, target: str) -> None:
    if target not in PLAN_TRANSITIONS[plan.status]:
        raise Conflict(
            _("A plan in state “%(current)s” cannot become “%(target)s”.")
            % {"current": PlanStatus(plan.status).label, "target": PlanStatus(target).label}
        )
    plan.status = target


@transaction.atomic
def plan_create(
    *,
    by: User,
    buyer: Organisation,
    year: int,
    title: str,
    method: ProcurementMethod,
    budget: Decimal,
    category_code: str = "",
) -> ProcurementPlan:
    """A draft plan. Before: `by` is a procurement officer of `buyer`; the budget is positive."""
    if not _is_plan_officer(by, buyer.pk):
        raise NotAllowed(_("Only a procurement officer of the buyer may draft its plans."))
    if budget <= 0:
        raise Conflict(_("The budget must be more than zero."))
    return ProcurementPlan.objects.create(
        buyer=buyer,
        year=year,
        title=title,
        method=method,
        budget=budget,
        category_code=category_code,
        created_by=by,
    )


@transaction.atomic
def plan_submit(*, plan_id: int, by: User) -> ProcurementPlan:
    """Put a draft (or returned) plan into the `procurement-plan` approval flow."""
    from approvals.services import approval_submit

    plan = _locked(plan_id)
    if not _is_plan_officer(by, plan.buyer_id):
        raise NotAllowed(_("Only a procurement officer of the buyer may submit its plans."))
    _transition(plan, PlanStatus.IN_APPROVAL)
    plan.submitted_at, plan.return_reason = clock.now(), ""
    plan.save(update_fields=["status", "submitted_at", "return_reason"])
    approval_submit(subject=plan, flow_code=PLAN_FLOW, submitter=by)
    return plan


@transaction.atomic
def plan_decided(*, plan_id: int, approved: bool, reason: str = "") -> ProcurementPlan:
    """The approval's outcome: approved, or returned to the buyer to change and submit again."""
    plan = _locked(plan_id)
    _transition(plan, PlanStatus.APPROVED if approved else PlanStatus.RETURNED)
    plan.decided_at, plan.return_reason = clock.now(), reason
    plan.save(update_fields=["status", "decided_at", "return_reason"])
    return plan


class PlanApproval(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        return {
            "budget": f"{obj.budget:.2f}",
            "buyer_id": obj.buyer_id,
            "year": obj.year,
            "method": obj.method.code,
            "category_code": obj.category_code,
        }

    def title(self, obj: Any) -> str:
        return f"{obj.year} {obj.title}"

    def summary(self, obj: Any) -> str:
        """Shown to the approvers and the supervisor, with the split-purchase warning (GPL Art 28)."""
        text = f"{obj.buyer.name} · {obj.method.name} · ¥{obj.budget:,.2f}"
        for split in split_purchase_warnings(year=obj.year):
            if obj in split.plans:
                text += " · " + str(
                    _(
                        "Possible split purchase (GPL Art 28): %(count)s plans of this buyer in category "
                        "%(category)s for %(year)s are each under the open-tender threshold of CNY "
                        "%(threshold)s but together CNY %(total)s."
                    )
                    % {
                        "count": len(split.plans),
                        "category": split.category_code,
                        "year": split.year,
                        "threshold": f"{split.threshold:,.2f}",
                        "total": f"{split.total:,.2f}",
                    }
                )
        return text

    def can_submit(self, user: Any, obj: Any) -> bool:
        return _is_plan_officer(user, obj.buyer_id)

    def can_view(self, user: Any, obj: Any) -> bool:
        return _is_plan_officer(user, obj.buyer_id) or user_has_role(user=user, role=Role.SUPERVISOR)

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        if outcome == Outcome.APPROVED:
            plan_decided(plan_id=obj.pk, approved=True)
        else:
            plan_decided(plan_id=obj.pk, approved=False, reason=str(outcome.label))

"""Award decisions go through the approval engine: the adapter the engine asks about a decision,
starting its flow, and the flow's default definition (an administrator may publish a new version)."""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import user_has_role
from approvals.constants import HandlerKind, Outcome, StepMode
from approvals.models import FlowDefinition
from approvals.registry import ApprovalSubject
from approvals.services import flow_definition_ensure
from tenders.permissions import is_tender_officer

AWARD_FLOW = "award-decision"
# The approver's own step is due within 2 working days, and never after the legal limit of the
# decision itself (awards.services.decision sets the earlier of the two).
STEP_WORKING_DAYS = 2


class AwardDecisionApproval(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        return {
            "tender": obj.tender.reference,
            "buyer_id": obj.tender.buyer_id,
            "agency_id": obj.tender.agency_id,
            "supplier_id": obj.supplier_id,
            "rank": obj.rank,
            "reason": obj.reason,
            "amount": f"{obj.amount:.2f}",
            "budget": f"{obj.tender.budget:.2f}",
        }

    def title(self, obj: Any) -> str:
        return f"{obj.tender.reference} {obj.tender.title}"

    def url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("awards:manage", args=[obj.tender.reference])

    def summary(self, obj: Any) -> str:
        return gettext("Award to %(supplier)s (rank %(rank)s), CNY %(amount)s; reason: %(reason)s") % {
            "supplier": obj.supplier.organisation.name,
            "rank": obj.rank,
            "amount": f"{obj.amount:,.2f}",
            "reason": obj.get_reason_display(),
        }

    def can_submit(self, user: Any, obj: Any) -> bool:
        return is_tender_officer(user=user, tender=obj.tender)

    def can_view(self, user: Any, obj: Any) -> bool:
        return is_tender_officer(user=user, tender=obj.tender) or user_has_role(
            user=user, role=Role.SUPERVISOR
        )

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        from awards.services.decision import award_decision_approved, award_decision_returned

        if outcome == Outcome.APPROVED:
            award_decision_approved(decision_id=obj.pk)
        elif outcome == Outcome.REJECTED:
            award_decision_returned(
                decision_id=obj.pk, reason=str(_("The approval was rejected; see its history."))
            )
        else:
            award_decision_returned(decision_id=obj.pk, reason=str(_("The submission was withdrawn.")))


def award_flow_ensure(by: User | None = None) -> FlowDefinition:
    """The default decision flow, if none is published: one approver of the tender's buyer."""
    return flow_definition_ensure(
        code=AWARD_FLOW,
        name="中标/成交结果确定审批 Award decision",
        description="The buyer's approver confirms the winner chosen from the recommended order.",
        steps=[
            {
                "key": "buyer-approval",
                "name": "采购人确认 Buyer's confirmation",
                "position": 1,
                "mode": StepMode.SINGLE,
                "handler_kind": HandlerKind.ROLE,
                "role": Role.APPROVER,
                "organisation_field": "buyer_id",
                "time_limit_working_days": STEP_WORKING_DAYS,
            }
        ],
    )

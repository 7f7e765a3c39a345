"""Tenders go to publication through the approval engine: the adapter the engine asks about a
tender, starting its flow, and the flow's default definition (an administrator may publish a new
version of it in the approvals admin)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import user_has_role
from approvals.constants import HandlerKind, Outcome, StepMode
from approvals.models import FlowDefinition
from approvals.registry import ApprovalSubject
from approvals.services import approval_submit, flow_definition_ensure
from tenders.permissions import is_tender_officer

TENDER_FLOW = "tender-publication"


class TenderApproval(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        return {
            "reference": obj.reference,
            "budget": f"{obj.budget:.2f}",
            "buyer_id": obj.buyer_id,
            "agency_id": obj.agency_id,
            "method": obj.method.code,
            "procurement_kind": obj.procurement_kind,
            "region": obj.region,
            "category_code": obj.category_code,
        }

    def state_hash(self, obj: Any) -> str:
        """What the approvers approve is the whole notice as it would be published."""
        import hashlib

        from ledger.encoding import jcs
        from tenders.services import notice_payload

        return hashlib.sha256(jcs(notice_payload(obj))).hexdigest()

    def title(self, obj: Any) -> str:
        return f"{obj.reference} {obj.title}"

    def url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("tenders:edit", args=[obj.pk])

    def summary(self, obj: Any) -> str:
        return gettext("Tender, %(method)s, budget CNY %(budget)s, bid deadline %(deadline)s") % {
            "method": obj.method.name,
            "budget": f"{obj.budget:,.2f}",
            "deadline": timezone.localtime(obj.bid_deadline).strftime("%Y-%m-%d %H:%M")
            if obj.bid_deadline
            else "—",
        }

    def can_submit(self, user: Any, obj: Any) -> bool:
        return is_tender_officer(user=user, tender=obj)

    def can_view(self, user: Any, obj: Any) -> bool:
        return is_tender_officer(user=user, tender=obj) or user_has_role(user=user, role=Role.SUPERVISOR)

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        from tenders.services import tender_publish, tender_return_to_draft

        if outcome == Outcome.APPROVED:
            tender_publish(tender_id=obj.pk, by=None)
        elif outcome == Outcome.REJECTED:
            tender_return_to_draft(
                tender_id=obj.pk, by=None, reason=str(_("The approval was rejected; see its history."))
            )
        else:
            tender_return_to_draft(tender_id=obj.pk, by=None, reason=str(_("The submission was withdrawn.")))


def tender_approval_start(*, tender: Any, by: User) -> None:
    approval_submit(subject=tender, flow_code=TENDER_FLOW, submitter=by)


def tender_flow_ensure() -> FlowDefinition:
    """The default publication flow, if none is published: one approver of the tender's buyer."""
    return flow_definition_ensure(
        code=TENDER_FLOW,
        name="招标公告发布审批 Tender publication",
        description="The buyer's approver approves the notice.",
        steps=[
            {
                "key": "buyer-approval",
                "name": "采购人审批 Buyer's approval",
                "position": 1,
                "mode": StepMode.SINGLE,
                "handler_kind": HandlerKind.ROLE,
                "role": Role.APPROVER,
                "organisation_field": "buyer_id",
            }
        ],
    )

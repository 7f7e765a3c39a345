"""Applications as subjects of the approvals engine.

All services share one flow, `portal-application` (data, published by a platform administrator;
`portal.demo` publishes the first version): a step for the lead department and one for each joint
department (up to MAX_JOINT), all at the same position, so the departments decide in parallel and
the application is approved only when every one of them approves. Any approver of a department may
decide its step. The step time limit is the service's legal time limit in working days."""

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import User
from approvals.constants import EventKind, HandlerKind, InstanceStatus, Outcome, StepMode
from approvals.models import ApprovalInstance, FlowDefinition
from approvals.registry import ApprovalSubject
from approvals.selectors import is_approvals_admin
from approvals.services import approval_submit, flow_definition_ensure
from approvals.services import approval_withdraw as _approval_withdraw
from config.exceptions import NotAllowed

FLOW_CODE = "portal-application"
MAX_JOINT = 3


def _application_model():
    from portal.models import Application

    return Application


class ApplicationApproval(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        service = obj.service
        joint = list(service.joint_departments.order_by("id").values_list("id", flat=True))[:MAX_JOINT]
        data: dict[str, Any] = {
            "service": service.code,
            "department_id": service.department_id,
            "joint_count": len(joint),
            "legal_time_limit": service.legal_time_limit,
            "fee": str(service.fee_total),
        }
        for n in range(1, MAX_JOINT + 1):
            data[f"joint_{n}_id"] = joint[n - 1] if n <= len(joint) else 0
        return data

    def state_hash(self, obj: Any) -> str:
        from portal.services import _state_hash

        return _state_hash(obj)

    def title(self, obj: Any) -> str:
        return f"{obj.reference} {obj.service.name}"

    def url(self, obj: Any) -> str:
        return reverse("portal:staff_application", args=[obj.reference])

    def summary(self, obj: Any) -> str:
        return f"{obj.service.name} · {obj.applicant}"

    def can_submit(self, user: Any, obj: Any) -> bool:
        # The applicant is the submitter (they follow and may withdraw it); acceptance puts it in.
        return user.pk == obj.applicant_id

    def can_view(self, user: Any, obj: Any) -> bool:
        from portal.selectors import is_application_staff

        return is_application_staff(user=user, application=obj)

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        from portal.constants import ApplicationStatus
        from portal.services import application_outcome

        if outcome == Outcome.WITHDRAWN or obj.status != ApplicationStatus.IN_REVIEW:
            return  # withdrawn by the applicant through the portal, which has already recorded it
        instance = _instance(obj)
        reasons, actor = "", None
        if outcome == Outcome.REJECTED and instance is not None:
            rejected = instance.events.filter(kind=EventKind.REJECTED).order_by("-seq").first()
            if rejected is not None:
                reasons, actor = rejected.comment, rejected.actor
        application_outcome(
            application=obj, approved=outcome == Outcome.APPROVED, reasons=reasons, actor=actor
        )


def _instance(application: Model) -> ApprovalInstance | None:
    if not application.approval_flow_id:
        return None
    return ApprovalInstance.objects.filter(pk=application.approval_flow_id).first()


def approval_instance(application: Model) -> ApprovalInstance | None:
    return _instance(application)


def approval_start(*, application: Model, accepted_by: User) -> ApprovalInstance:
    """Called by `application_accept` inside its transaction."""
    instance = approval_submit(
        subject=application,
        flow_code=FLOW_CODE,
        submitter=application.applicant,
        comment=f"受理人 / accepted by: {accepted_by}",
    )
    type(application).objects.filter(pk=application.pk).update(approval_flow_id=instance.pk)
    application.approval_flow_id = instance.pk
    return instance


def approval_withdraw(*, application: Model, user: User) -> None:
    instance = _instance(application)
    if instance is not None and instance.status == InstanceStatus.RUNNING:
        _approval_withdraw(
            instance_id=instance.pk, user=user, reason="申请人撤回 / withdrawn by the applicant"
        )


def flow_publish(*, by: User, time_limit: int = 20) -> FlowDefinition:
    """The shared flow: the lead department and up to MAX_JOINT joint departments decide in parallel."""
    if not is_approvals_admin(user=by):
        raise NotAllowed(_("Only an administrator may publish an approval flow."))
    step = {
        "position": 1,
        "mode": StepMode.ANY_ONE,
        "handler_kind": HandlerKind.ROLE,
        "role": Role.APPROVER,
        "time_limit_working_days": time_limit,
    }
    return flow_definition_ensure(
        code=FLOW_CODE,
        name="政务服务事项审批（牵头部门与联办部门并联审批）",
        description="Lead department and joint departments decide in parallel; every one must approve.",
        steps=[{**step, "key": "lead", "name": "牵头部门审批", "organisation_field": "department_id"}]
        + [
            {
                **step,
                "key": f"joint-{n}",
                "name": f"联办部门审批（{n}）",
                "organisation_field": f"joint_{n}_id",
                "condition": {"field": "joint_count", "op": ">=", "value": n},
            }
            for n in range(1, MAX_JOINT + 1)
        ],
    )

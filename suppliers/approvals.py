"""Supplier verification goes through the approvals engine: the adapter the engine asks about a
supplier, the default flow (any one procurement officer of the first procurement agency; an
administrator may publish another version), and the one entry point pages use to decide.

Where no flow can be made (no agency exists yet), no approval is started and an officer decides
from the verification queue directly; `supplier_verification_decide` covers both."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _g

from accounts.constants import OrganisationKind, Role
from accounts.models import Organisation, User
from accounts.selectors import user_is_platform_admin
from approvals.constants import HandlerKind, InstanceStatus, Outcome, StepMode
from approvals.models import ApprovalInstance, FlowDefinition
from approvals.registry import ApprovalSubject
from approvals.selectors import flow_definition_current
from approvals.services import flow_definition_ensure
from suppliers.models import Supplier
from suppliers.selectors import user_is_supplier_admin, user_may_verify_suppliers

VERIFICATION_FLOW = "supplier-verification"


class SupplierVerification(ApprovalSubject):
    def subject_data(self, obj: Any) -> dict[str, Any]:
        return {
            "credit_code": obj.credit_code,
            "name": obj.name,
            "legal_representative": obj.legal_representative,
            "address": obj.address,
            "size_class": obj.size_class,
        }

    def title(self, obj: Any) -> str:
        return f"{obj.name} ({obj.credit_code})"

    def url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("suppliers:verification", args=[obj.pk])

    def summary(self, obj: Any) -> str:
        return _g("Supplier registration: legal representative %(person)s, %(address)s, size %(size)s") % {
            "person": obj.legal_representative,
            "address": obj.address,
            "size": obj.get_size_class_display(),
        }

    def can_submit(self, user: Any, obj: Any) -> bool:
        return user_is_supplier_admin(user=user, supplier=obj) or user_is_platform_admin(user=user)

    def can_view(self, user: Any, obj: Any) -> bool:
        return user_may_verify_suppliers(user=user) or user_is_supplier_admin(user=user, supplier=obj)

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        from suppliers.services import supplier_reject, supplier_verify

        instance = verification_instance(obj, running=False)
        event = instance.events.filter(actor__isnull=False).order_by("-pk").first() if instance else None
        if outcome == Outcome.APPROVED:
            supplier_verify(supplier=obj, by=None, decided_by=event.actor if event else None)
        elif outcome == Outcome.REJECTED:
            reason = (event.comment if event else "") or _g("The verification was rejected; see its history.")
            supplier_reject(supplier=obj, by=None, reason=reason, decided_by=event.actor if event else None)
        # Withdrawn: the supplier stays pending; its administrator may submit again.


def verification_instance(supplier: Supplier, *, running: bool = True) -> ApprovalInstance | None:
    qs = ApprovalInstance.objects.filter(
        subject_type=ContentType.objects.get_for_model(Supplier), subject_id=str(supplier.pk)
    )
    if running:
        qs = qs.filter(status=InstanceStatus.RUNNING)
    return qs.order_by("-pk").first()


@transaction.atomic
def verification_flow_ensure() -> FlowDefinition | None:
    """The default verification flow, if none is published: any one procurement officer of the first
    procurement agency. None when there is no agency to take the officers from."""
    current = flow_definition_current(code=VERIFICATION_FLOW)
    if current is not None:
        return current
    agency = Organisation.objects.filter(kind=OrganisationKind.AGENCY).order_by("pk").first()
    if agency is None:
        return None
    return flow_definition_ensure(
        code=VERIFICATION_FLOW,
        name="供应商注册审核 Supplier verification",
        description="A procurement officer checks the registration against its documents.",
        steps=[
            {
                "key": "officer-check",
                "name": "采购中心审核 Officer's check",
                "position": 1,
                "mode": StepMode.ANY_ONE,
                "handler_kind": HandlerKind.ROLE,
                "role": Role.PROCUREMENT_OFFICER,
                "organisation": agency,
            }
        ],
    )


def verification_flow_start(*, supplier: Supplier, submitted_by: User) -> None:
    """Start the approval of a supplier's registration (inside the caller's transaction)."""
    from approvals.services import approval_submit

    if verification_flow_ensure() is None or verification_instance(supplier) is not None:
        return
    approval_submit(subject=supplier, flow_code=VERIFICATION_FLOW, submitter=submitted_by)


@transaction.atomic
def supplier_verification_decide(
    *, supplier: Supplier, by: User, approve: bool, reason: str = ""
) -> Supplier:
    """An officer decides: through the running approval when there is one (its history records it and
    its outcome sets the status), else directly."""
    from approvals.services import approval_approve, approval_reject
    from suppliers.services import supplier_reject, supplier_verify

    instance = verification_instance(supplier)
    if instance is not None:
        if approve:
            approval_approve(instance_id=instance.pk, user=by)
        else:
            approval_reject(instance_id=instance.pk, user=by, reason=reason)
        return Supplier.objects.get(pk=supplier.pk)
    if approve:
        return supplier_verify(supplier=supplier, by=by)
    return supplier_reject(supplier=supplier, by=by, reason=reason)

"""Flows and a subject for the approval tests: `accounts.Organisation` stands in for a subject
model (registered through the registry inside the test), so no test-only app is needed."""

from typing import Any

import factory

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.services import membership_grant
from approvals.constants import HandlerKind, StepMode
from approvals.models import FlowDefinition, StepDefinition
from approvals.registry import ApprovalSubject
from config import clock


class OrganisationSubject(ApprovalSubject):
    """An organisation "asking" for approval of a budget the test sets; records outcomes."""

    def __init__(self) -> None:
        self.budgets: dict[int, str] = {}
        self.outcomes: list[tuple[int, str]] = []

    def subject_data(self, obj: Organisation) -> dict[str, Any]:
        return {"budget": self.budgets.get(obj.pk, "0"), "name": obj.name, "parent_id": obj.parent_id}

    def title(self, obj: Organisation) -> str:
        return f"Budget of {obj.name}"

    def url(self, obj: Organisation) -> str:
        return f"/admin/accounts/organisation/{obj.pk}/change/"

    def summary(self, obj: Organisation) -> str:
        return f"CNY {self.budgets.get(obj.pk, '0')}"

    def can_submit(self, user: User, obj: Organisation) -> bool:
        return user.memberships.filter(
            organisation=obj, role=Role.PROCUREMENT_OFFICER, is_active=True
        ).exists()

    def on_outcome(self, obj: Organisation, outcome: str) -> None:
        self.outcomes.append((obj.pk, str(outcome)))


class FlowDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlowDefinition

    code = factory.Sequence(lambda n: f"flow-{n}")
    name = factory.Sequence(lambda n: f"Flow {n}")
    published_at = factory.LazyFunction(clock.now)


def flow(*steps: dict[str, Any], code: str | None = None) -> FlowDefinition:
    """A published definition; each step dict gives at least key, position and a handler."""
    definition = FlowDefinitionFactory(**({"code": code} if code else {}))
    for spec in steps:
        spec = {"name": spec["key"].replace("-", " ").title(), "mode": StepMode.SINGLE, **spec}
        spec.setdefault("handler_kind", HandlerKind.PERSON if spec.get("person") else HandlerKind.ROLE)
        StepDefinition.objects.create(definition=definition, **spec)
    return definition


def staff(username: str, organisation: Organisation, role: str = Role.APPROVER) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": username.title(), "email": f"{username}@test.example"}
    )
    membership_grant(user=user, organisation=organisation, role=role)
    return user

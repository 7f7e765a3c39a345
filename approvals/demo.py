"""Demo flow definitions (published, version 1; loading twice changes nothing).

- `procurement-plan`: agency approver → the plan's buyer's director when the budget is at
  least CNY 4,000,000 → the regulator's supervisor. The subject gives "budget" and "buyer_id".
- `joint-licence`: two departments review in parallel, then the regulator decides."""

from django.db import transaction

from accounts.constants import Role
from accounts.demo import Demo
from approvals.constants import HandlerKind, StepMode
from approvals.models import FlowDefinition, StepDefinition
from config import clock


def _definition(code: str, name: str, description: str, steps: list[dict]) -> FlowDefinition:
    definition, created = FlowDefinition.objects.get_or_create(
        code=code, version=1, defaults={"name": name, "description": description}
    )
    if created:
        for step in steps:
            StepDefinition.objects.create(definition=definition, handler_kind=HandlerKind.ROLE, **step)
        definition.published_at = clock.now()
        definition.save(update_fields=["published_at"])
    return definition


@transaction.atomic
def load(demo: Demo) -> None:
    orgs = demo.orgs
    _definition(
        "procurement-plan",
        "采购计划审批 Procurement plan approval",
        "Agency approver, the buyer's director for budgets of CNY 4,000,000 or more, then the regulator.",
        [
            {
                "key": "agency-approval",
                "name": "采购中心审核 Agency approval",
                "position": 1,
                "role": Role.APPROVER,
                "organisation": orgs["agency"],
                "time_limit_working_days": 3,
            },
            {
                "key": "buyer-director",
                "name": "采购人负责人审批 Buyer's director",
                "position": 2,
                "role": Role.APPROVER,
                "organisation_field": "buyer_id",
                "time_limit_working_days": 3,
                "condition": {"field": "budget", "op": ">=", "value": "4000000"},
            },
            {
                "key": "regulator",
                "name": "财政部门备案 Regulator",
                "position": 3,
                "role": Role.SUPERVISOR,
                "organisation": orgs["regulator"],
                "time_limit_working_days": 5,
            },
        ],
    )
    _definition(
        "joint-licence",
        "联合审批 Joint licence review",
        "Civil affairs and market regulation review in parallel (either officer of each may decide), "
        "then the regulator decides.",
        [
            {
                "key": "civil-affairs",
                "name": "民政局审查 Civil affairs review",
                "position": 1,
                "mode": StepMode.ANY_ONE,
                "role": Role.APPROVER,
                "organisation": orgs["civil_affairs"],
                "time_limit_working_days": 5,
            },
            {
                "key": "market",
                "name": "市场监管局审查 Market regulation review",
                "position": 1,
                "mode": StepMode.ANY_ONE,
                "role": Role.APPROVER,
                "organisation": orgs["market"],
                "time_limit_working_days": 5,
            },
            {
                "key": "decision",
                "name": "决定 Decision",
                "position": 2,
                "role": Role.APPROVER,
                "organisation": orgs["regulator"],
                "time_limit_working_days": 10,
            },
        ],
    )

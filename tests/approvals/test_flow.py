"""A whole approval: submitted, three steps across two organisations, approved; the ledger verifies."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.constants import Role
from approvals import services
from approvals.constants import EventKind, InstanceStatus
from ledger.models import LedgerEntry
from tests.approvals.factories import flow

pytestmark = pytest.mark.django_db


def test_three_steps_across_two_organisations_then_the_ledger_verifies(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency-approver", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {
            "key": "director",
            "position": 2,
            "role": Role.APPROVER,
            "organisation": orgs["buyer"],
            "condition": {"field": "budget", "op": ">=", "value": "4000000"},
        },
        {"key": "regulator", "position": 3, "role": Role.SUPERVISOR, "organisation": orgs["regulator"]},
    )
    subject_adapter.budgets[orgs["agency"].pk] = "4500000.00"
    instance = services.approval_submit(
        subject=orgs["agency"],
        flow_code=definition.code,
        submitter=people["officer"],
        comment="Plan for 2027 IT equipment",
    )
    services.approval_approve(instance_id=instance.pk, user=people["approver"], comment="Agency: agreed")
    services.approval_approve(instance_id=instance.pk, user=people["director"], comment="Buyer: agreed")
    services.approval_approve(instance_id=instance.pk, user=people["supervisor"], comment="Regulator: agreed")

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    assert subject_adapter.outcomes == [(orgs["agency"].pk, "approved")]
    decisions = instance.events.filter(kind=EventKind.APPROVED).order_by("seq")
    assert [(e.actor.username, e.step.key) for e in decisions] == [
        ("approver", "agency-approver"),
        ("director", "director"),
        ("supervisor", "regulator"),
    ]
    logged = [
        e
        for e in LedgerEntry.objects.filter(kind__startswith="approvals/")
        if e.document["payload"].get("approval") == instance.pk
    ]
    assert [e.index for e in logged] == list(instance.events.values_list("ledger_index", flat=True))

    out = StringIO()
    call_command("ledger_verify", stdout=out)
    assert "ledger verified" in out.getvalue()

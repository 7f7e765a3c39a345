"""Two countersigners deciding at the same moment are each counted once (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from accounts.constants import Role
from approvals import services
from approvals.constants import AssignmentStatus, EventKind, InstanceStatus, StepMode
from tests.approvals.factories import flow, staff


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_countersigners_at_the_same_moment_both_count_once(subject_adapter, orgs, people):
    second = staff("second_approver", orgs["agency"])
    definition = flow(
        {
            "key": "countersign",
            "position": 1,
            "mode": StepMode.COUNTERSIGN,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
        },
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": orgs["buyer"]},
    )
    subject_adapter.budgets[orgs["agency"].pk] = "100"
    instance = services.approval_submit(
        subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
    )

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def decide(user):
        try:
            start.wait()
            services.approval_approve(instance_id=instance.pk, user=user, comment=f"{user.username} agrees")
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(user,)) for user in (people["approver"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    step = instance.steps.get(key="countersign")
    assert step.status == "approved"
    assert sorted(step.assignments.values_list("status", flat=True)) == [AssignmentStatus.APPROVED] * 2
    assert instance.events.filter(kind=EventKind.APPROVED).count() == 2
    # The director's step started exactly once, not once per decision.
    assert instance.events.filter(kind=EventKind.STEP_STARTED, step__key="director").count() == 1
    assert instance.steps.get(key="director").assignments.count() == 1
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RUNNING
    assert list(instance.events.values_list("seq", flat=True)) == list(range(1, instance.last_event_seq + 1))

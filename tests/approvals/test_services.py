"""The approval engine's behaviour through its services: modes, conditions, parallel branches,
returns, delegation, rerouting, deadlines, permissions."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from accounts.constants import Role
from approvals import services
from approvals.constants import AssignmentStatus, EventKind, InstanceStatus, StepMode, StepStatus
from approvals.exceptions import InvalidCondition, NoHandler, NotEntitled, WrongState
from approvals.models import ApprovalEvent, Assignment
from approvals.selectors import inbox, inbox_counts, timeline
from config.exceptions import DomainError, NotAllowed
from ledger.commitments import ledger_commit
from ledger.models import LedgerEntry
from tests.approvals.factories import flow, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def tasks(user, instance):
    """The user's inbox, for this approval (the demo data of other apps has approvals too)."""
    return inbox(user=user).filter(step__instance=instance)


def submit(adapter, orgs, people, definition, budget="1000000"):
    adapter.budgets[orgs["agency"].pk] = budget
    return services.approval_submit(
        subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
    )


def statuses(instance):
    return {step.key: step.status for step in instance.steps.all()}


def test_single_step_goes_to_one_person_even_when_a_role_has_several(subject_adapter, orgs, people):
    second = staff("second_approver", orgs["agency"])
    definition = flow({"key": "check", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]})
    instance = submit(subject_adapter, orgs, people, definition)
    assert [a.assignee for a in Assignment.objects.filter(step__instance=instance)] == [people["approver"]]
    assert not tasks(second, instance).exists()
    with pytest.raises(NotEntitled):
        services.approval_approve(instance_id=instance.pk, user=second)
    services.approval_approve(instance_id=instance.pk, user=people["approver"], comment="fine")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    assert subject_adapter.outcomes == [(orgs["agency"].pk, "approved")]


def test_countersign_needs_everyone_and_any_one_needs_the_first(subject_adapter, orgs, people):
    second = staff("second_approver", orgs["agency"])
    definition = flow(
        {
            "key": "countersign",
            "position": 1,
            "mode": StepMode.COUNTERSIGN,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
        },
        {
            "key": "any-one",
            "position": 2,
            "mode": StepMode.ANY_ONE,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
        },
    )
    instance = submit(subject_adapter, orgs, people, definition)
    services.approval_approve(instance_id=instance.pk, user=people["approver"])
    assert statuses(instance) == {"countersign": StepStatus.ACTIVE, "any-one": StepStatus.WAITING}
    with pytest.raises(NotEntitled):  # the same person cannot count twice
        services.approval_approve(instance_id=instance.pk, user=people["approver"])
    services.approval_approve(instance_id=instance.pk, user=second)
    assert statuses(instance) == {"countersign": StepStatus.APPROVED, "any-one": StepStatus.ACTIVE}

    # Any one of: both are asked; the second approver's decision ends the step for both.
    assert tasks(people["approver"], instance).count() == 1 and tasks(second, instance).count() == 1
    services.approval_approve(instance_id=instance.pk, user=second)
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    assert not tasks(people["approver"], instance).exists()
    step = instance.steps.get(key="any-one")
    assert set(step.assignments.values_list("status", flat=True)) == {
        AssignmentStatus.APPROVED,
        AssignmentStatus.SUPERSEDED,
    }


def test_director_step_only_when_budget_reaches_four_million(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {
            "key": "director",
            "position": 2,
            "role": Role.APPROVER,
            "organisation": orgs["buyer"],
            "condition": {"field": "budget", "op": ">=", "value": "4000000"},
        },
    )
    small = submit(subject_adapter, orgs, people, definition, budget="3999999.99")
    assert statuses(small)["director"] == StepStatus.SKIPPED
    services.approval_approve(instance_id=small.pk, user=people["approver"])
    small.refresh_from_db()
    assert small.status == InstanceStatus.APPROVED

    large = submit(subject_adapter, orgs, people, definition, budget="4000000.00")  # Decimal: equal counts
    assert statuses(large)["director"] == StepStatus.WAITING
    services.approval_approve(instance_id=large.pk, user=people["approver"])
    assert tasks(people["director"], large).count() == 1


def test_a_condition_on_a_field_the_subject_lacks_is_refused(subject_adapter, orgs, people):
    definition = flow(
        {
            "key": "x",
            "position": 1,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
            "condition": {"field": "budjet", "op": ">", "value": 1},
        }
    )
    with pytest.raises(InvalidCondition):
        submit(subject_adapter, orgs, people, definition)


def test_parallel_branches_join_before_the_next_step(subject_adapter, orgs, people):
    definition = flow(
        {"key": "finance", "position": 1, "role": Role.APPROVER, "organisation": orgs["regulator"]},
        {"key": "legal", "position": 1, "role": Role.APPROVER, "organisation": orgs["buyer"]},
        {"key": "final", "position": 2, "role": Role.APPROVER, "organisation": orgs["agency"]},
    )
    instance = submit(subject_adapter, orgs, people, definition)
    assert statuses(instance) == {"finance": "active", "legal": "active", "final": "waiting"}
    services.approval_approve(instance_id=instance.pk, user=people["director"])
    assert statuses(instance)["final"] == StepStatus.WAITING  # the other branch is still open
    services.approval_approve(instance_id=instance.pk, user=people["supervisor"])
    assert statuses(instance) == {"finance": "approved", "legal": "approved", "final": "active"}
    assert [entry.parallel for entry in timeline(instance=instance)] == [True, True, False]


def test_return_for_changes_asks_the_earlier_step_again(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": orgs["buyer"]},
    )
    instance = submit(subject_adapter, orgs, people, definition)
    services.approval_approve(instance_id=instance.pk, user=people["approver"])
    agency_step = instance.steps.get(key="agency")
    with pytest.raises(DomainError):  # a return says what must change
        services.approval_return(
            instance_id=instance.pk, user=people["director"], to_step_id=agency_step.pk, reason=" "
        )
    services.approval_return(
        instance_id=instance.pk,
        user=people["director"],
        to_step_id=agency_step.pk,
        reason="Add the quotation",
    )
    assert statuses(instance) == {"agency": "active", "director": "waiting"}
    assert tasks(people["approver"], instance).count() == 1
    services.approval_approve(instance_id=instance.pk, user=people["approver"], comment="quotation added")
    services.approval_approve(instance_id=instance.pk, user=people["director"])
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    kinds = list(instance.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.APPROVED) == 3 and EventKind.RETURNED in kinds


def test_reject_needs_a_reason_and_goes_back_to_the_submitter(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {"key": "later", "position": 2, "person": people["director"]},
    )
    instance = submit(subject_adapter, orgs, people, definition)
    with pytest.raises(DomainError):
        services.approval_reject(instance_id=instance.pk, user=people["approver"], reason="")
    services.approval_reject(instance_id=instance.pk, user=people["approver"], reason="Budget not justified")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.REJECTED
    assert statuses(instance) == {"agency": "rejected", "later": "cancelled"}
    assert subject_adapter.outcomes == [(orgs["agency"].pk, "rejected")]
    again = submit(subject_adapter, orgs, people, definition)  # the submitter may try again
    assert again.status == InstanceStatus.RUNNING


def test_only_the_submitter_withdraws(subject_adapter, orgs, people):
    definition = flow({"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]})
    instance = submit(subject_adapter, orgs, people, definition)
    with pytest.raises(NotAllowed):
        services.approval_withdraw(instance_id=instance.pk, user=people["approver"])
    with pytest.raises(WrongState):
        submit(subject_adapter, orgs, people, definition)  # one running approval per subject
    services.approval_withdraw(instance_id=instance.pk, user=people["officer"], reason="wrong figures")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.WITHDRAWN
    assert subject_adapter.outcomes == [(orgs["agency"].pk, "withdrawn")]
    assert not tasks(people["approver"], instance).exists()


def test_an_unentitled_decision_is_refused_and_changes_nothing(subject_adapter, orgs, people):
    definition = flow({"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]})
    instance = submit(subject_adapter, orgs, people, definition)
    before = (
        list(Assignment.objects.values_list("pk", "status", "decided_by")),
        ApprovalEvent.objects.count(),
        LedgerEntry.objects.count(),
        statuses(instance),
    )
    for outsider in (people["director"], people["officer"], people["supplier1"]):
        with pytest.raises(NotEntitled):
            services.approval_approve(instance_id=instance.pk, user=outsider, comment="sneaky")
        with pytest.raises(NotEntitled):
            services.approval_reject(instance_id=instance.pk, user=outsider, reason="sneaky")
    after = (
        list(Assignment.objects.values_list("pk", "status", "decided_by")),
        ApprovalEvent.objects.count(),
        LedgerEntry.objects.count(),
        statuses(instance),
    )
    assert after == before


def test_delegate_decides_for_the_delegator_until_the_delegation_ends(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": orgs["buyer"]},
    )
    deputy = staff("deputy", orgs["buyer"], Role.PROCUREMENT_OFFICER)
    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        instance = submit(subject_adapter, orgs, people, definition)
        services.delegation_create(
            delegator=people["approver"],
            delegate=deputy,
            starts_at=datetime(2026, 9, 1, 0, 0, tzinfo=SHANGHAI),
            ends_at=datetime(2026, 9, 5, 0, 0, tzinfo=SHANGHAI),
            reason="leave",
        )
        services.delegation_create(
            delegator=people["director"],
            delegate=deputy,
            starts_at=datetime(2026, 9, 1, 0, 0, tzinfo=SHANGHAI),
            ends_at=datetime(2026, 9, 2, 0, 0, tzinfo=SHANGHAI),
            reason="trip",
        )
        assert tasks(deputy, instance).exclude(assignee=deputy).count() == 1
        services.approval_approve(instance_id=instance.pk, user=deputy, comment="for Sun Lei")
    event = instance.events.get(kind=EventKind.APPROVED)
    assert (event.actor, event.on_behalf_of) == (deputy, people["approver"])
    decided = Assignment.objects.get(step__key="agency", step__instance=instance)
    assert (decided.assignee, decided.decided_by) == (people["approver"], deputy)

    with time_machine.travel(datetime(2026, 9, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        events = instance.events.count()
        with pytest.raises(NotEntitled) as refused, translation.override("en"):
            services.approval_approve(instance_id=instance.pk, user=deputy)
        assert "ended" in str(refused.value)
        assert instance.events.count() == events
        assert statuses(instance)["director"] == StepStatus.ACTIVE
        assert not tasks(deputy, instance).exists()


def test_administrator_reroutes_a_running_approval(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": orgs["buyer"]},
        {"key": "regulator", "position": 3, "role": Role.APPROVER, "organisation": orgs["regulator"]},
    )
    instance = submit(subject_adapter, orgs, people, definition)
    admin = people["admin"]
    director_step = instance.steps.get(key="director")
    with pytest.raises(NotAllowed):
        services.approval_step_skip(
            instance_id=instance.pk, step_id=director_step.pk, by=people["approver"], reason="x"
        )
    with pytest.raises(DomainError):
        services.approval_step_skip(instance_id=instance.pk, step_id=director_step.pk, by=admin, reason="")

    services.approval_step_skip(
        instance_id=instance.pk, step_id=director_step.pk, by=admin, reason="director absent"
    )
    inserted = services.approval_step_insert(
        instance_id=instance.pk,
        by=admin,
        reason="legal review needed",
        position=3,
        name="Legal",
        person=people["civil_staff"],
    )
    regulator_step = instance.steps.get(key="regulator")
    assert regulator_step.position == 4
    with pytest.raises(WrongState):  # not into the past
        services.approval_step_move(
            instance_id=instance.pk, step_id=regulator_step.pk, to_position=1, by=admin, reason="x"
        )
    services.approval_step_move(
        instance_id=instance.pk,
        step_id=regulator_step.pk,
        to_position=3,
        by=admin,
        reason="in parallel with legal",
    )
    other = staff("other_agency_approver", orgs["agency"])
    services.approval_reassign(
        instance_id=instance.pk,
        step_id=instance.steps.get(key="agency").pk,
        from_user=people["approver"],
        to_user=other,
        by=admin,
        reason="on leave",
    )
    with pytest.raises(NotEntitled):
        services.approval_approve(instance_id=instance.pk, user=people["approver"])
    services.approval_approve(instance_id=instance.pk, user=other)
    assert statuses(instance) == {
        "agency": "approved",
        "director": "skipped",
        inserted.key: "active",
        "regulator": "active",
    }
    kinds = set(instance.events.values_list("kind", flat=True))
    assert {
        EventKind.STEP_SKIPPED,
        EventKind.STEP_INSERTED,
        EventKind.STEP_MOVED,
        EventKind.REASSIGNED,
    } <= kinds


def test_overdue_step_is_reminded_then_escalated_once_across_national_day(
    subject_adapter, orgs, people, mailoutbox, django_capture_on_commit_callbacks
):
    definition = flow(
        {
            "key": "agency",
            "position": 1,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
            "time_limit_working_days": 2,
        }
    )
    boss = staff("agency_supervisor", orgs["agency"], Role.SUPERVISOR)
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        instance = submit(subject_adapter, orgs, people, definition)
    step = instance.steps.get()
    step.refresh_from_db()
    assert str(step.due_on) == "2026-10-09"  # 1–7 October are the holiday: due on the 2nd working day after

    with time_machine.travel(datetime(2026, 10, 6, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert services.approval_deadlines_check() == {"reminded": 0, "escalated": 0}  # holiday: not yet due
    with time_machine.travel(datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert services.approval_deadlines_check() == {"reminded": 1, "escalated": 0}
        assert services.approval_deadlines_check() == {"reminded": 0, "escalated": 0}
        overdue_before = inbox_counts(user=people["approver"]).overdue
    with time_machine.travel(datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI), tick=False):  # make-up Saturday
        with django_capture_on_commit_callbacks(execute=True):
            assert services.approval_deadlines_check() == {"reminded": 0, "escalated": 1}
        assert services.approval_deadlines_check() == {"reminded": 0, "escalated": 0}
        assert inbox_counts(user=people["approver"]).overdue == overdue_before + 1
        assert tasks(boss, instance).count() == 1
        assert any("agency_supervisor@test.example" in mail.to for mail in mailoutbox)
        services.approval_approve(instance_id=instance.pk, user=boss, comment="decided as supervisor")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    assert instance.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_a_step_nobody_can_decide_refuses_the_action_that_reaches_it(subject_adapter, orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        {"key": "nobody", "position": 2, "role": Role.KEY_CUSTODIAN, "organisation": orgs["buyer"]},
    )
    instance = submit(subject_adapter, orgs, people, definition)
    with pytest.raises(NoHandler):
        services.approval_approve(instance_id=instance.pk, user=people["approver"])
    assert statuses(instance) == {"agency": "active", "nobody": "waiting"}


def test_definitions_without_handlers_or_with_unreachable_steps_are_not_published(orgs, people):
    definition = flow(
        {"key": "nobody", "position": 1, "role": Role.APPROVER},
        {
            "key": "never",
            "position": 2,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
            "condition": {
                "all": [
                    {"field": "budget", "op": ">=", "value": "4000000"},
                    {"field": "budget", "op": "<", "value": "1000000"},
                ]
            },
        },
    )
    definition.published_at = None
    definition.save()
    with pytest.raises(DomainError) as refused, translation.override("en"):
        services.flow_definition_publish(definition_id=definition.pk, by=people["admin"])
    assert "no handler" in str(refused.value) and "unreachable" in str(refused.value)


def test_a_running_approval_keeps_its_definition_version(subject_adapter, orgs, people):
    definition = flow({"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]})
    instance = submit(subject_adapter, orgs, people, definition)
    draft = services.flow_definition_new_version(definition_id=definition.pk, by=people["admin"])
    draft.steps.create(
        key="director", name="Director", position=2, role=Role.APPROVER, organisation=orgs["buyer"]
    )
    services.flow_definition_publish(definition_id=draft.pk, by=people["admin"])
    services.approval_approve(instance_id=instance.pk, user=people["approver"])
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED and instance.definition.version == 1
    newer = submit(subject_adapter, orgs, people, definition)
    assert newer.definition.version == 2 and newer.steps.count() == 2


def test_history_records_hash_and_every_event_is_in_the_ledger(subject_adapter, orgs, people):
    definition = flow({"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]})
    instance = submit(subject_adapter, orgs, people, definition)
    services.approval_comment(instance_id=instance.pk, user=people["approver"], comment="Looking at it")
    subject_adapter.budgets[orgs["agency"].pk] = "999"  # the subject changes while in approval
    services.approval_approve(instance_id=instance.pk, user=people["approver"])
    events = list(instance.events.all())
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].subject_state_hash == instance.subject_state_hash
    assert events[-2].subject_state_hash != instance.subject_state_hash  # the approval saw the new state
    for event in events:
        entry = LedgerEntry.objects.get(index=event.ledger_index)
        assert entry.kind == f"approvals/{event.kind}"
        assert entry.document["payload"]["seq"] == event.seq
        # The public entry commits to the state, the comment and the actor under the platform's
        # commitment key; an auditor holding the key checks them against the history row.
        payload = entry.document["payload"]
        context = [instance.pk, event.seq]
        assert payload["subject_state_commit"] == ledger_commit(
            purpose="approvals/subject-state", value=event.subject_state_hash
        )
        assert payload["comment_commit"] == (
            ledger_commit(purpose="approvals/comment", value=[*context, event.comment])
            if event.comment
            else None
        )
        assert payload["actor_commit"] == (
            ledger_commit(purpose="approvals/actor", value=[*context, event.actor_id])
            if event.actor_id
            else None
        )
        assert event.subject_state_hash not in str(payload) and "Looking at it" not in str(payload)


def test_delegation_period_must_make_sense(people):
    from config import clock

    now = clock.now()
    with pytest.raises(DomainError):
        services.delegation_create(
            delegator=people["approver"],
            delegate=people["approver"],
            starts_at=now,
            ends_at=now + timedelta(days=1),
        )
    with pytest.raises(DomainError):
        services.delegation_create(
            delegator=people["approver"],
            delegate=people["director"],
            starts_at=now,
            ends_at=now - timedelta(days=1),
        )


def test_a_time_limit_into_an_unpublished_year_waits_for_the_calendar(subject_adapter, orgs, people):
    from tests.conftest import calendar_forget
    from workdays.models import CalendarDay, CalendarYear

    calendar_forget(2027)

    definition = flow(
        {
            "key": "agency",
            "position": 1,
            "role": Role.APPROVER,
            "organisation": orgs["agency"],
            "time_limit_working_days": 3,
        }
    )
    with time_machine.travel(datetime(2026, 12, 29, 10, 0, tzinfo=SHANGHAI), tick=False):
        instance = submit(subject_adapter, orgs, people, definition)  # 3 working days reach into 2027
        step = instance.steps.get()
        assert step.status == StepStatus.ACTIVE and step.due_on is None
        services.approval_deadlines_check()
        step.refresh_from_db()
        assert step.due_on is None  # still not guessed
        year = CalendarYear.objects.create(
            year=2027,
            status="confirmed",
            source="notice",
            notice_number="test",
            created_at="2026-12-01T00:00Z",
        )
        CalendarDay.objects.create(calendar_year=year, date=date(2027, 1, 1), is_working_day=False)
        services.approval_deadlines_check()
        step.refresh_from_db()
        assert str(step.due_on) == "2027-01-04"  # 30 Dec, 31 Dec, then (holiday, weekend) Monday 4 Jan

"""The approval pages: inbox with counts and overdue markers, the approval page's timeline and
actions, deciding through the form, refusals shown as form errors."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from approvals import services
from approvals.constants import InstanceStatus
from approvals.models import ApprovalEvent
from tests.approvals.factories import flow, staff
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def client(client):
    """These pages are read in English: the user chose it (pages ignore Accept-Language)."""
    return choose_english(client)


@pytest.fixture
def instance(subject_adapter, orgs, people):
    # A fresh approver, so the inbox holds only this approval (other apps' demo data has approvals).
    people["approver"] = people["page_approver"] = staff("page_approver", orgs["agency"])
    definition = flow(
        {"key": "agency", "position": 1, "person": people["page_approver"], "time_limit_working_days": 1},
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": orgs["buyer"]},
    )
    subject_adapter.budgets[orgs["agency"].pk] = "4200000"
    with time_machine.travel(datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI), tick=False):
        return services.approval_submit(
            subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
        )


def test_inbox_counts_and_marks_overdue_tasks(client, instance, people):
    client.force_login(people["approver"])
    with time_machine.travel(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False):  # due 30 Sep
        page = client.get(reverse("approvals:inbox"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "1 decision waiting for you" in body and "1 overdue" in body
    assert f"Budget of {instance.subject_title[10:]}" in body
    assert reverse("approvals:detail", args=[instance.pk]) in body


def test_approval_page_shows_subject_path_and_the_viewers_actions(client, instance, people):
    client.force_login(people["approver"])
    body = client.get(
        reverse("approvals:detail", args=[instance.pk])
    ).content.decode()
    assert "CNY 4200000" in body  # the adapter's summary
    assert 'data-status="active"' in body and 'data-status="waiting"' in body
    assert 'value="approve"' in body and 'value="withdraw"' not in body

    client.force_login(people["officer"])
    body = client.get(
        reverse("approvals:detail", args=[instance.pk])
    ).content.decode()
    assert 'value="withdraw"' in body and 'value="approve"' not in body
    assert 'aria-live="polite"' in body and "/ws/approvals/" in body


def test_outsiders_do_not_see_the_approval(client, instance, people):
    client.force_login(people["supplier1"])
    assert client.get(reverse("approvals:detail", args=[instance.pk])).status_code == 404
    assert client.get(reverse("approvals:timeline", args=[instance.pk])).status_code == 404


def test_history_rows_after_a_sequence_number_for_the_live_page(client, instance, people):
    client.force_login(people["officer"])
    body = client.get(
        reverse("approvals:detail", args=[instance.pk])
    ).content.decode()
    assert '<tr class="govuk-table__row" data-seq="1" data-kind="submitted">' in body
    assert 'id="approval-history-status"' in body and 'role="status"' in body

    url = reverse("approvals:history", args=[instance.pk])
    everything = client.get(url).json()["entries"]
    assert [entry["seq"] for entry in everything] == list(range(1, instance.last_event_seq + 1))
    assert everything[0]["what"] == "Submitted" and everything[0]["who"] == "陈静"
    missed = client.get(url, {"after": 1}).json()["entries"]
    assert missed == everything[1:]
    assert client.get(url, {"after": "x"}).status_code == 400

    client.force_login(people["supplier1"])
    assert client.get(url).status_code == 404


def test_approving_through_the_form_records_the_comment(client, instance, people):
    client.force_login(people["approver"])
    step = instance.steps.get(key="agency")
    response = client.post(
        reverse("approvals:act", args=[instance.pk]),
        {"action": "approve", "step_id": step.pk, "comment": "Looks right"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == "approved"
    assert step.assignments.get().comment == "Looks right"
    fragment = client.get(reverse("approvals:timeline", args=[instance.pk])).content.decode()
    assert 'data-step="agency" data-status="approved"' in fragment


def test_a_refused_action_shows_the_reason_and_changes_nothing(client, instance, people):
    client.force_login(people["director"])  # not yet their turn
    step = instance.steps.get(key="agency")
    events = ApprovalEvent.objects.count()
    response = client.post(
        reverse("approvals:act", args=[instance.pk]),
        {"action": "approve", "step_id": step.pk, "comment": ""},
    )
    assert response.status_code == 404  # the director cannot see it yet at all
    client.force_login(people["approver"])
    response = client.post(
        reverse("approvals:act", args=[instance.pk]),
        {"action": "reject", "step_id": step.pk, "comment": ""},
    )
    assert response.status_code == 400
    assert "Say why you reject it" in response.content.decode()
    assert ApprovalEvent.objects.count() == events
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RUNNING


@time_machine.travel("2026-11-20 09:00 +0800", tick=False)  # the period below is still ahead
def test_delegation_page_creates_a_delegation(client, people):
    client.force_login(people["approver"])
    response = client.post(
        reverse("approvals:delegations"),
        {
            "delegate": "director",
            "starts_at": "2026-12-01 09:00",
            "ends_at": "2026-12-05 18:00",
            "reason": "leave",
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("approvals:delegations")).content.decode()
    assert "leave" in body and "2026-12-05 18:00" in body


def test_administrator_skips_a_step_from_the_page_and_others_cannot(client, instance, people):
    director_step = instance.steps.get(key="director")
    form = {"operation": "skip", "step": director_step.pk, "reason": "director post vacant"}
    client.force_login(people["officer"])
    assert client.post(reverse("approvals:reroute", args=[instance.pk]), form).status_code == 400
    director_step.refresh_from_db()
    assert director_step.status == "waiting"

    client.force_login(people["admin"])
    assert client.post(reverse("approvals:reroute", args=[instance.pk]), form).status_code == 302
    director_step.refresh_from_db()
    assert director_step.status == "skipped" and director_step.status_reason == "director post vacant"


def test_delegator_withdraws_a_delegation_and_the_delegate_loses_the_task(client, instance, people):
    from approvals.models import Delegation
    from approvals.selectors import inbox
    from config import clock

    delegation = services.delegation_create(
        delegator=people["page_approver"],
        delegate=people["director"],
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(days=3),
    )
    assert inbox(user=people["director"]).filter(step__instance=instance).exists()
    client.force_login(people["director"])
    client.post(reverse("approvals:delegation-revoke", args=[delegation.pk]))  # not theirs to withdraw
    assert Delegation.objects.get(pk=delegation.pk).revoked_at is None
    client.force_login(people["page_approver"])
    assert client.post(reverse("approvals:delegation-revoke", args=[delegation.pk])).status_code == 302
    assert not inbox(user=people["director"]).filter(step__instance=instance).exists()

"""No answer tells someone who could not see a username anyway whether it exists: the delegation
page and API (citizens and suppliers' people are never delegates, and everyone who may not delegate
gets one answer for every name), the administrators' reassign API, sign-in and password reset."""

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Delegation

pytestmark = pytest.mark.django_db

PERIOD = {"starts_at": "2026-06-02 09:00", "ends_at": "2026-06-05 18:00", "reason": "leave"}


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):  # before `demo`
        yield


def _errors(client, delegate):
    response = client.post(reverse("approvals:delegations"), {"delegate": delegate, **PERIOD})
    assert response.status_code == 200  # the form again, with its error
    return response.context["form"].errors


@pytest.mark.parametrize("who", ["citizen1", "supplier1"])
def test_someone_who_may_not_delegate_learns_nothing_from_the_delegation_page(demo, client, who):
    client.force_login(demo.users[who])
    answers = [_errors(client, name) for name in ("director", "citizen2", "no-such-person")]
    assert answers[0] == answers[1] == answers[2]
    assert not Delegation.objects.exists()


def test_staff_cannot_delegate_to_a_citizen_and_are_told_the_same_as_for_no_one(demo, client):
    client.force_login(demo.users["approver"])
    assert _errors(client, "citizen2") == _errors(client, "no-such-person")
    assert "citizen2" not in str(_errors(client, "citizen2"))
    assert not Delegation.objects.exists()


def test_the_delegation_api_answers_the_same_for_every_name_a_citizen_tries(demo):
    api = APIClient()
    api.force_authenticate(demo.users["citizen1"])
    answers = [
        api.post(
            "/api/approvals/delegations/",
            {
                "delegate": name,
                "starts_at": "2026-06-02T09:00:00+08:00",
                "ends_at": "2026-06-05T18:00:00+08:00",
            },
            format="json",
        )
        for name in ("director", "citizen2", "no-such-person")
    ]
    assert {a.status_code for a in answers} == {400}
    assert answers[0].json() == answers[1].json() == answers[2].json()


def test_the_reassign_api_refuses_a_non_administrator_before_looking_up_names(demo):
    api = APIClient()
    api.force_authenticate(demo.users["citizen1"])
    answers = [
        api.post(
            "/api/approvals/instances/1/reassign/",
            {"step_id": 1, "from_user": name, "to_user": name, "reason": "x"},
            format="json",
        )
        for name in ("director", "no-such-person")
    ]
    assert answers[0].status_code == answers[1].status_code == 403
    assert answers[0].json() == answers[1].json()


def test_sign_in_says_the_same_for_a_wrong_password_and_an_unknown_username(demo, client):
    wrong_password = client.post(reverse("accounts:login"), {"username": "citizen2", "password": "wrong-1"})
    unknown = client.post(reverse("accounts:login"), {"username": "no-such-person", "password": "wrong-1"})
    assert wrong_password.context["form"].errors == unknown.context["form"].errors


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(demo, client, mailoutbox):
    known = client.post(reverse("accounts:password_reset"), {"email": demo.users["citizen2"].email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]

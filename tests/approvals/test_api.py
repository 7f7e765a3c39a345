"""The approval API: inbox, detail, actions, definitions; refusals as {"code", "message"}."""

import pytest
from rest_framework.test import APIClient

from accounts.constants import Role
from approvals import services
from tests.approvals.factories import flow, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance(subject_adapter, orgs, people):
    # A fresh approver, so the inbox holds only this approval (other apps' demo data has approvals).
    people["approver"] = staff("api_approver", orgs["agency"])
    definition = flow(
        {"key": "agency", "position": 1, "person": people["approver"]},
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": orgs["buyer"]},
    )
    return services.approval_submit(
        subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_inbox_detail_and_approve(instance, people):
    inbox = api(people["approver"]).get("/api/approvals/inbox/").json()
    assert inbox["waiting"] == 1 and inbox["tasks"][0]["approval"]["id"] == instance.pk
    detail = api(people["officer"]).get(f"/api/approvals/instances/{instance.pk}/").json()
    assert [step["status"] for step in detail["steps"]] == ["active", "waiting"]
    assert detail["subject"]["title"].startswith("Budget of")

    response = api(people["approver"]).post(
        f"/api/approvals/instances/{instance.pk}/approve/", {"comment": "ok"}
    )
    assert response.status_code == 200
    assert [step["status"] for step in response.json()["steps"]] == ["approved", "active"]
    events = api(people["officer"]).get(f"/api/approvals/instances/{instance.pk}/events/?after=1").json()
    assert [e["seq"] for e in events] == list(range(2, 2 + len(events)))
    assert any(e["kind"] == "approved" and e["actor"]["username"] == "api_approver" for e in events)


def test_refusals_carry_a_code(instance, people):
    response = api(people["approver"]).post(
        f"/api/approvals/instances/{instance.pk}/reject/", {"reason": " "}
    )
    assert response.status_code == 400
    response = api(people["supplier1"]).get(f"/api/approvals/instances/{instance.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = api(people["approver"]).post(
        f"/api/approvals/instances/{instance.pk}/skip/", {"step_id": instance.steps.first().pk, "reason": "x"}
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_administrator_inserts_a_step_and_definitions_are_listed(instance, people):
    response = api(people["admin"]).post(
        f"/api/approvals/instances/{instance.pk}/insert/",
        {
            "position": 2,
            "name": "Legal check",
            "person": "civil_staff",
            "reason": "legal question raised",
        },
    )
    assert response.status_code == 200
    assert [step["name"] for step in response.json()["steps"]] == ["Agency", "Legal check", "Director"]
    definitions = api(people["approver"]).get("/api/approvals/definitions/").json()
    assert any(d["code"] == "procurement-plan" for d in definitions)  # the demo definitions


def test_delegation_through_the_api(people):
    response = api(people["approver"]).post(
        "/api/approvals/delegations/",
        {
            "delegate": "director",
            "starts_at": "2030-01-01T09:00:00+08:00",
            "ends_at": "2030-01-05T18:00:00+08:00",
        },
    )
    assert response.status_code == 201
    assert response.json()["delegate"]["username"] == "director"


def test_submit_through_the_api(subject_adapter, orgs, people):
    flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
        code="api-flow",
    )
    body = {"subject_type": "accounts.organisation", "subject_id": str(orgs["agency"].pk), "flow": "api-flow"}
    refused = api(people["approver"]).post("/api/approvals/instances/", body)
    assert refused.status_code == 403  # the adapter says only the agency's officers submit
    response = api(people["officer"]).post("/api/approvals/instances/", body)
    assert response.status_code == 201
    assert response.json()["flow"] == "api-flow" and response.json()["steps"][0]["status"] == "active"
    missing = api(people["officer"]).post("/api/approvals/instances/", {**body, "subject_id": "999999"})
    assert missing.status_code == 404

"""Definitions edited in the admin are validated; published versions are frozen; the demo loads once."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from approvals.models import FlowDefinition
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db


def _form(steps):
    data = {
        "code": "office-move",
        "version": "1",
        "name": "Office move",
        "description": "",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate(steps):
        defaults = {
            "key": f"s{i}",
            "name": f"Step {i}",
            "position": str(i + 1),
            "mode": "single",
            "handler_kind": "role",
            "role": "",
            "organisation": "",
            "organisation_field": "",
            "person": "",
            "condition": "null",
            "time_limit_working_days": "",
            "supervisor": "",
        }
        data.update({f"steps-{i}-{key}": value for key, value in {**defaults, **step}.items()})
    return data


def test_admin_refuses_a_step_without_handler_and_an_unreachable_step(client, orgs, people):
    client.force_login(people["admin"])
    choose_english(client)
    url = reverse("admin:approvals_flowdefinition_add")
    response = client.post(
        url,
        _form(
            [
                {"role": Role.APPROVER},  # no organisation: no handler
                {
                    "role": Role.APPROVER,
                    "organisation": str(orgs["agency"].pk),
                    "condition": '{"all": [{"field": "budget", "op": ">", "value": "5"}, {"field": "budget", "op": "<", "value": "1"}]}',
                },
            ]
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "has no handler" in body and "unreachable" in body
    assert not FlowDefinition.objects.filter(code="office-move").exists()

    response = client.post(url, _form([{"role": Role.APPROVER, "organisation": str(orgs["agency"].pk)}]))
    assert response.status_code == 302
    assert FlowDefinition.objects.get(code="office-move").steps.count() == 1


def test_published_definitions_are_read_only_in_the_admin(client, people):
    client.force_login(people["admin"])
    published = FlowDefinition.objects.get(code="procurement-plan", version=1)
    page = client.get(reverse("admin:approvals_flowdefinition_change", args=[published.pk])).content.decode()
    assert 'name="name"' not in page and 'name="steps-0-key"' not in page


def test_demo_definitions_load_once(demo):
    from accounts.management.commands.load_demo import demo_build

    before = FlowDefinition.objects.count()
    demo_build()
    assert FlowDefinition.objects.count() == before
    plan = FlowDefinition.objects.get(code="procurement-plan", version=1)
    assert plan.published_at is not None
    assert [s.key for s in plan.steps.all()] == ["agency-approval", "buyer-director", "regulator"]

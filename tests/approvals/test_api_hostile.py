"""Hostile input to the approval API gets a 400 with a message, never a server error."""

import pytest
import time_machine

from tests.approvals.test_api import api, instance  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock():
    # The demo data counts working days from "now": pinned, so the test does not depend on today.
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def test_hostile_input_gets_400_not_a_server_error(instance, people):  # noqa: F811
    officer = api(people["officer"])
    deep = "[" * 50_000 + "]" * 50_000
    response = officer.post(
        f"/api/approvals/instances/{instance.pk}/comment/", data=deep, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "json_too_deep"
    for after in ["abc", "-1", "9223372036854775808"]:
        response = officer.get(f"/api/approvals/instances/{instance.pk}/events/?after={after}")
        assert response.status_code == 400, after
        assert response.json()["code"] == "bad_parameter"
        assert "after" in response.json()["message"]
    assert officer.get(f"/api/approvals/instances/{instance.pk}/events/?after=").status_code == 200

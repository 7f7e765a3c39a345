"""Sessions end after inactivity, sooner for privileged roles; activity keeps them alive."""

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db
MOMENT = "2026-11-26 10:00 +0800"


@pytest.fixture
def idle_limits(settings):
    settings.SESSION_IDLE_SECONDS = 2 * 3600
    settings.SESSION_IDLE_PRIVILEGED_SECONDS = 30 * 60
    return settings


def test_a_privileged_session_ends_after_30_idle_minutes(client, demo_people, idle_limits):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        client.force_login(demo_people.users["officer"])
        assert client.get("/accounts/me/").status_code == 200
        traveller.shift(29 * 60)
        assert client.get("/accounts/me/").status_code == 200  # activity keeps it alive
        traveller.shift(29 * 60)
        assert client.get("/accounts/me/").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/accounts/me/", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "由于长时间未操作，您已退出登录" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_citizen_session_lasts_longer_but_not_forever(client, demo_people, idle_limits):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        client.force_login(demo_people.users["citizen1"])
        client.get("/accounts/me/")
        traveller.shift(90 * 60)
        assert client.get("/accounts/me/").status_code == 200
        traveller.shift(2 * 3600 + 1)
        assert client.get("/accounts/me/").status_code == 302


def test_an_idle_api_session_becomes_anonymous(client, demo_people, idle_limits):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        client.force_login(demo_people.users["officer"])
        assert client.get("/api/accounts/me/").status_code == 200
        traveller.shift(31 * 60)
        assert client.get("/api/accounts/me/").status_code in (401, 403)


def test_sessions_end_after_twelve_hours_in_production():
    from config.settings import base

    assert base.SESSION_COOKIE_AGE == 12 * 3600
    assert base.SESSION_IDLE_PRIVILEGED_SECONDS < base.SESSION_IDLE_SECONDS

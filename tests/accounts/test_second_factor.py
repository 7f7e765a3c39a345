"""The second factor for privileged roles: TOTP from an authenticator app, recovery codes, enrolment."""

import re
from base64 import b32decode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from accounts.constants import Role
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY
from accounts.models import AuditEntry, User
from accounts.services import membership_grant

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
MOMENT = "2026-11-26 10:00 +0800"


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = totp.time + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})


def test_a_privileged_password_alone_reaches_only_the_code_page(client, demo_people):
    response = sign_in(client, "officer")
    assert response.status_code == 302
    landing = client.get(response["Location"], follow=True)
    assert landing.redirect_chain[-1][0].startswith(reverse("accounts:second_factor"))
    assert "确认登录" in landing.content.decode()
    for path in ("/accounts/me/", "/admin/", "/tenders/"):
        assert client.get(path)["Location"].startswith(reverse("accounts:second_factor")), path
    api = client.get("/api/accounts/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"


def test_the_right_code_opens_the_session_and_cannot_be_replayed(client, demo_people):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        sign_in(client, "officer")
        wrong = client.post(reverse("accounts:second_factor"), {"code": "000000", "next": "/accounts/me/"})
        assert "验证码错误或已被使用" in wrong.content.decode()
        traveller.shift(2)  # django-otp makes the next try after a wrong code wait (1 s, doubling)
        code = code_for(DEMO_TOTP_KEY)
        right = client.post(reverse("accounts:second_factor"), {"code": code, "next": "/accounts/me/"})
        assert right["Location"] == "/accounts/me/"
        assert client.get("/accounts/me/").status_code == 200
        client.post(reverse("accounts:logout"))
        sign_in(client, "officer")
        replay = client.post(reverse("accounts:second_factor"), {"code": code, "next": "/accounts/me/"})
        assert replay.status_code == 200
        assert client.get("/accounts/me/").status_code == 302


def test_a_citizen_needs_no_second_factor(client, demo_people):
    response = sign_in(client, "citizen1")
    # Straight in, no code page: sign-in lands citizens in their personal centre (portal.navigation).
    assert response["Location"] == reverse("portal:signed_in")
    assert client.get(response["Location"])["Location"] == reverse("portal:my")
    assert client.get("/accounts/me/").status_code == 200


def test_enrolment_shows_a_qr_code_and_then_recovery_codes_that_work_once(client, demo_people):
    newcomer = User.objects.create_user(username="custodian9", password=DEMO_PASSWORD)
    membership_grant(user=newcomer, organisation=demo_people.orgs["regulator"], role=Role.KEY_CUSTODIAN)
    with time_machine.travel(MOMENT, tick=False) as traveller:
        sign_in(client, "custodian9")  # no authenticator yet: sent to set one up
        setup = client.get(reverse("accounts:second_factor"), follow=True)
        page = setup.content.decode()
        assert setup.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_setup"))
        assert "<svg" in page and "设置身份验证器" in page
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
        key_hex = b32decode(secret).hex()
        done = client.post(reverse("accounts:second_factor_setup"), {"code": code_for(key_hex), "next": "/"})
        codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
        assert len(codes) == 10
        assert client.get("/accounts/me/").status_code == 200

        traveller.shift(60)
        client.post(reverse("accounts:logout"))
        sign_in(client, "custodian9")
        client.post(reverse("accounts:second_factor"), {"code": codes[0], "next": "/accounts/me/"})
        assert client.get("/accounts/me/").status_code == 200
        client.post(reverse("accounts:logout"))
        sign_in(client, "custodian9")
        client.post(reverse("accounts:second_factor"), {"code": codes[0], "next": "/accounts/me/"})
        assert client.get("/accounts/me/").status_code == 302  # a recovery code works once


def test_a_password_alone_cannot_replace_an_enrolled_authenticator(client, demo_people):
    sign_in(client, "officer")
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor") + "?")


def test_the_admin_needs_the_second_factor_too(client, demo_people):
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:second_factor"))


def test_the_api_token_needs_the_code_for_privileged_roles(client, demo_people):
    with time_machine.travel(MOMENT, tick=False):
        refused = client.post(
            "/api/accounts/token/",
            {"username": "officer", "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert refused.status_code == 400
        assert refused.json()["code"] == "second_factor_required"
        granted = client.post(
            "/api/accounts/token/",
            {"username": "officer", "password": DEMO_PASSWORD, "otp": code_for(DEMO_TOTP_KEY)},
            content_type="application/json",
        )
        assert granted.status_code == 200
        assert AuditEntry.objects.filter(action="api_token", operator_name="officer").count() == 1
    supplier = client.post(
        "/api/accounts/token/",
        {"username": "supplier1", "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert supplier.status_code == 200


def test_force_login_counts_as_verified_in_ordinary_tests_only(demo_people):
    browser = Client()
    browser.force_login(demo_people.users["officer"])
    assert browser.get("/accounts/me/").status_code == 302  # this module is marked real_second_factor


def test_a_websocket_without_the_code_connects_as_anonymous(transactional_db, demo_people):
    # transactional: the middleware reads roles in a worker thread, on its own connection
    import asyncio

    from accounts.second_factor import SESSION_FLAG, SecondFactorWebsocketMiddleware

    seen = {}

    async def room(scope, receive, send):
        seen["user"] = scope["user"]

    middleware = SecondFactorWebsocketMiddleware(room)
    officer = demo_people.users["officer"]
    for session, expected in [({}, False), ({SESSION_FLAG: True}, True)]:
        asyncio.run(middleware({"type": "websocket", "user": officer, "session": session}, None, None))
        assert seen["user"].is_authenticated is expected
    asyncio.run(
        middleware({"type": "websocket", "user": demo_people.users["supplier1"], "session": {}}, None, None)
    )
    assert seen["user"].is_authenticated

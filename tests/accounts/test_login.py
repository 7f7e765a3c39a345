import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


def test_every_demo_user_can_sign_in(client, demo):
    for username, _description in demo.logins:
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("accounts:logout"))


def test_wrong_password_is_refused_in_chinese_and_english(client, demo_people):
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "nope"})
    assert "The username or password is wrong" in response.content.decode()


MOMENT = "2026-11-26 10:00 +0800"


def sign_in(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_repeated_failures_slow_the_account_down_exponentially(client, demo_people, settings):
    settings.LOGIN_THROTTLE_BASE_DELAY_SECONDS = 2
    with time_machine.travel(MOMENT, tick=False) as traveller:
        for _ in range(settings.LOGIN_THROTTLE_FREE_FAILURES):
            assert sign_in(client, "officer", "wrong").status_code == 200
        # The next attempt, even with the right password, must wait 2 s after the last failure...
        refused = sign_in(client, "officer", DEMO_PASSWORD)
        assert refused.status_code == 429
        assert "登录失败次数过多，请等待 2 秒后再试" in refused.content.decode()
        traveller.shift(2)
        assert sign_in(client, "officer", "wrong").status_code == 200
        # ...and each further failure doubles the wait.
        traveller.shift(3)
        assert sign_in(client, "officer", DEMO_PASSWORD).status_code == 429
        traveller.shift(1)
        assert sign_in(client, "officer", DEMO_PASSWORD).status_code == 302


def test_the_delay_is_capped_and_nothing_is_ever_locked(client, demo_people, settings):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        for _ in range(30):
            sign_in(client, "officer", "wrong")
            traveller.shift(settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS)
        assert LoginFailure.objects.filter(username="officer").count() == 30
        assert sign_in(client, "officer", DEMO_PASSWORD).status_code == 302


def test_a_guesser_cannot_lock_a_known_user_out(client, demo_people, settings):
    officer_browser = Client(REMOTE_ADDR="10.1.1.1")
    assert sign_in(officer_browser, "officer", DEMO_PASSWORD).status_code == 302
    assert settings.KNOWN_DEVICE_COOKIE_NAME in officer_browser.cookies
    officer_browser.post(reverse("accounts:logout"))
    with time_machine.travel(MOMENT, tick=False):
        attacker = Client(REMOTE_ADDR="203.0.113.9")
        for _ in range(settings.LOGIN_THROTTLE_FREE_FAILURES + 1):
            sign_in(attacker, "officer", "wrong")
        # The attacker (and anyone on a new device) now has to wait...
        assert sign_in(attacker, "officer", DEMO_PASSWORD).status_code == 429
        assert sign_in(Client(REMOTE_ADDR="10.1.1.2"), "officer", DEMO_PASSWORD).status_code == 429
        # ...but the officer's own browser signs in at once.
        assert sign_in(officer_browser, "officer", DEMO_PASSWORD).status_code == 302


def test_a_known_device_cookie_counts_only_for_its_own_account(client, demo_people, settings):
    browser = Client()
    assert sign_in(browser, "supplier1", DEMO_PASSWORD).status_code == 302
    browser.post(reverse("accounts:logout"))
    with time_machine.travel(MOMENT, tick=False):
        for _ in range(settings.LOGIN_THROTTLE_FREE_FAILURES + 1):
            sign_in(Client(REMOTE_ADDR="203.0.113.9"), "officer", "wrong")
        assert sign_in(browser, "officer", DEMO_PASSWORD).status_code == 429


def test_guessing_from_a_known_device_is_slowed_too(client, demo_people, settings):
    browser = Client()
    assert sign_in(browser, "officer", DEMO_PASSWORD).status_code == 302
    browser.post(reverse("accounts:logout"))
    with time_machine.travel(MOMENT, tick=False):
        for _ in range(settings.LOGIN_THROTTLE_FREE_FAILURES + 1):
            sign_in(browser, "officer", "wrong")
        assert sign_in(browser, "officer", DEMO_PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_slowed(client, demo_people, settings):
    with time_machine.travel(MOMENT, tick=False):
        for i in range(settings.LOGIN_THROTTLE_ADDRESS_FREE_FAILURES + 1):
            sign_in(client, f"nobody{i}", "wrong")
        assert sign_in(client, "officer", DEMO_PASSWORD).status_code == 429
        assert sign_in(Client(REMOTE_ADDR="10.9.9.9"), "officer", DEMO_PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_by_the_same_rules(client, demo_people, settings):
    with time_machine.travel(MOMENT, tick=False):
        answers = [
            client.post("/admin/login/", {"username": "admin", "password": f"guess{i}"}).status_code
            for i in range(30)
        ]
        assert (
            answers[: settings.LOGIN_THROTTLE_FREE_FAILURES] == [200] * settings.LOGIN_THROTTLE_FREE_FAILURES
        )
        assert set(answers[settings.LOGIN_THROTTLE_FREE_FAILURES :]) == {429}
        assert LoginFailure.objects.filter(username="admin").count() == settings.LOGIN_THROTTLE_FREE_FAILURES
        assert (
            client.post("/admin/login/", {"username": "admin", "password": DEMO_PASSWORD}).status_code == 429
        )


def test_the_api_token_endpoint_is_throttled_too(client, demo_people, settings):
    with time_machine.travel(MOMENT, tick=False):
        for _ in range(settings.LOGIN_THROTTLE_FREE_FAILURES):
            client.post(
                "/api/accounts/token/",
                {"username": "officer", "password": "x"},
                content_type="application/json",
            )
        response = client.post(
            "/api/accounts/token/",
            {"username": "officer", "password": DEMO_PASSWORD},
            content_type="application/json",
        )
    assert response.status_code == 429
    assert response.json()["code"] == "login_throttled"


def test_password_reset_sends_a_link_that_sets_a_new_password(client, demo_people, mailoutbox):
    import re

    response = client.get(reverse("accounts:password_reset"))
    assert '<h1 class="govuk-heading-l">重置密码</h1>' in response.content.decode()
    client.post(reverse("accounts:password_reset"), {"email": "officer@demo.yizhan.example"})
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+", mailoutbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-2026", "new_password2": "a-new-long-passphrase-2026"},
    )
    assert done.status_code == 302
    assert client.login(username="officer", password="a-new-long-passphrase-2026")


def test_password_reset_mails_are_limited_per_mailbox_and_per_client(
    client, demo_people, mailoutbox, settings
):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        answers = [
            client.post(
                reverse("accounts:password_reset"), {"email": "officer@demo.yizhan.example"}
            ).status_code
            for _ in range(10)
        ]
        assert answers == [302] * settings.PASSWORD_RESET_LIMIT_PER_EMAIL + [429] * 7
        assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
        refused = client.post(reverse("accounts:password_reset"), {"email": "officer@demo.yizhan.example"})
        assert "重置密码的请求过多" in refused.content.decode()
        # One client cannot spread the flood over many mailboxes either.
        for i in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
            client.post(reverse("accounts:password_reset"), {"email": f"someone{i}@example.com"})
        other = Client(REMOTE_ADDR="10.2.2.2")
        assert other.post(reverse("accounts:password_reset"), {"email": "x@example.com"}).status_code == 302
        traveller.shift(3601)
        again = client.post(reverse("accounts:password_reset"), {"email": "officer@demo.yizhan.example"})
    assert again.status_code == 302
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL + 1

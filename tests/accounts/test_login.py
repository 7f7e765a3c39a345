import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_demo_user_can_sign_in(client, demo):
    for username, _description in demo.logins:
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("accounts:logout"))


def test_wrong_password_is_refused_in_chinese_and_english(client, demo):
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "nope"})
    assert "The username or password is wrong" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, demo, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "officer", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_failures_expire_after_the_window(client, demo, settings):
    import time_machine

    with time_machine.travel("2026-11-26 10:00 +0800", tick=False) as traveller:
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            client.post(reverse("accounts:login"), {"username": "officer", "password": "wrong"})
        traveller.shift(settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
        response = client.post(reverse("accounts:login"), {"username": "officer", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, demo, mailoutbox):
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

"""The harness itself: between Playwright calls the test's thread is an ordinary synchronous one
(the ORM and async_to_sync work, as services that announce changes need), and what a test writes
is committed, so the live server sees it."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from playwright.sync_api import expect

from accounts.constants import AccountKind
from accounts.models import User


def _assert_no_running_loop():
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()


def test_a_user_created_in_the_test_signs_in_through_the_live_server(page, live_url, login):
    page.goto(f"{live_url}/")
    _assert_no_running_loop()
    user = User.objects.create_user(username="harness", password="Harness-pass-2026", full_name="测试用户")
    user.account_kind = AccountKind.CITIZEN
    user.save()
    # A service's on_commit announcement goes through the channel layer exactly like this.
    async_to_sync(get_channel_layer().group_send)("harness", {"type": "harness.ping"})

    login(page, "harness", "Harness-pass-2026")
    expect(page.get_by_role("main")).to_contain_text("测试用户")
    _assert_no_running_loop()


def test_listening_and_waiting_for_events_leave_no_running_loop_behind(page, live_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    _assert_no_running_loop()
    page.goto(f"{live_url}/accounts/login/")
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="注册账户").click()
    assert navigation.value.url == f"{live_url}/accounts/register/"
    assert f"{live_url}/accounts/register/" in requested
    _assert_no_running_loop()
    assert User.objects.count() == 0

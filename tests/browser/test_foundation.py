"""The page foundation through a real browser: Chinese by default, the language switch, sign-in,
registration, and every page passing axe-core (no serious or critical WCAG violation)."""

import re

from playwright.sync_api import expect

from accounts.models import User


def test_demo_user_signs_in_sees_chinese_and_switches_to_english(
    page, live_url, demo, login, axe_check, screenshot
):
    page.goto(f"{live_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_contain_text("一站")
    expect(page.get_by_role("banner")).to_contain_text("登录")
    axe_check(page)
    screenshot(page, "home-zh")

    login(page, "officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的账户")
    expect(page.get_by_role("main")).to_contain_text("上海市政府采购中心")
    axe_check(page)
    screenshot(page, "account-zh")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page).to_have_url(f"{live_url}/accounts/me/")  # the switch keeps you on the same page
    axe_check(page)
    screenshot(page, "account-en")

    page.goto(f"{live_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("one stop for government procurement")
    expect(page.get_by_role("banner")).to_contain_text("Sign out")
    axe_check(page)
    screenshot(page, "home-en")

    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("banner")).to_contain_text("退出登录")


def test_wrong_password_shows_the_chinese_error_and_the_page_stays_accessible(
    page, live_url, demo, axe_check, screenshot
):
    page.goto(f"{live_url}/accounts/login/")
    axe_check(page)
    screenshot(page, "login-zh")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "not-the-password")
    page.locator("main button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("存在问题")
    expect(summary).to_contain_text("用户名或密码错误")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe_check(page)
    screenshot(page, "login-error-zh")


def test_citizen_registers_through_the_page_and_is_signed_in(page, live_url, axe_check, screenshot):
    page.goto(f"{live_url}/accounts/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("注册账户")
    axe_check(page)
    page.get_by_label("公众用户").check()
    page.get_by_label("用户名").fill("zhangsan")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label(re.compile("^电子邮")).fill("zhangsan@example.cn")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("密码", exact=True).fill("Chang-Cheng-2026")
    page.get_by_label("确认密码").fill("Chang-Cheng-2026")
    screenshot(page, "register-zh")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(f"{live_url}/accounts/me/")
    expect(page.get_by_role("main")).to_contain_text("账户已创建。")
    expect(page.get_by_role("main")).to_contain_text("张三")
    axe_check(page)
    screenshot(page, "registered-zh")
    user = User.objects.get(username="zhangsan")
    assert user.account_kind == "citizen"
    assert user.check_password("Chang-Cheng-2026")


def test_password_pages_are_accessible_and_in_chinese(page, live_url, demo, login, axe_check, screenshot):
    page.goto(f"{live_url}/accounts/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text("重置密码")
    axe_check(page)
    screenshot(page, "password-reset-zh")

    login(page, "citizen1")
    page.get_by_role("link", name="修改密码").click()
    expect(page).to_have_url(f"{live_url}/accounts/password/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("修改密码")
    axe_check(page)
    screenshot(page, "password-change-zh")


def test_skip_link_moves_focus_to_the_main_content(page, live_url):
    page.goto(f"{live_url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_url}/#main-content")


def test_layout_reflows_on_a_phone_without_losing_the_header(
    page, live_url, demo, login, axe_check, screenshot
):
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "supplier1")
    # WCAG 1.4.10: nothing scrolls sideways at 320 CSS px wide (360 here, a common phone).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    expect(page.get_by_role("banner").get_by_role("button", name="English")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("button", name="退出登录")).to_be_visible()
    axe_check(page)
    screenshot(page, "account-phone-zh")

"""一次性告知 in a real browser (issue #20): a citizen fills the marriage registration with mistakes
and leaves materials out; one press of 检查我的申请 lists every problem, the form's and the missing
materials, in Chinese, with the browser's own one-at-a-time bubbles never shown. The same with
JavaScript on (the summary takes the focus) and off."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_through_pages

PDF = {
    "name": "male-id.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n%browser test scan\n%%EOF\n",
}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_citizen_sees_every_problem_at_once(browser, live_url, demo, axe_check, screenshot, javascript):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_url,
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    page = sign_in_through_pages(context.new_page(), live_url, "citizen1")
    expect(page).to_have_url(f"{live_url}/my/")  # a citizen lands in 个人中心
    page.goto(f"{live_url}/services/marriage-registration/")
    page.get_by_role("button", name="在线申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("结婚登记")

    # Mistakes the browser would have stopped one at a time: a wrong ID number, a short phone number,
    # everything else about the bride missing; one material of five.
    page.fill("#f-male_name", "王小明")
    page.fill("#f-male_id", "12345")
    page.fill("#f-phone", "12")
    page.set_input_files("#m-male-id", files=[PDF])
    page.get_by_role("button", name="检查我的申请").click()

    summary = page.locator("#completeness")
    expect(summary).to_be_visible()
    for problem in ["男方公民身份号码", "联系手机", "女方姓名", "女方公民身份号码", "双方声明"]:
        expect(summary).to_contain_text(problem)
    for material in ["女方居民身份证", "男方居民户口簿", "女方居民户口簿"]:
        expect(summary).to_contain_text(material)
    expect(summary).not_to_contain_text("男方居民身份证:")  # uploaded with the same press
    expect(summary).to_contain_text("一次性告知")
    expect(page.get_by_role("main")).not_to_contain_text("Please")
    assert page.title().startswith("错误：")
    if javascript:
        expect(summary).to_be_focused()  # govuk-frontend's error summary takes the focus
        axe_check(page)
    screenshot(page, f"portal-one-time-notice-{'js' if javascript else 'nojs'}")
    # A link of the summary leads to its field.
    summary.get_by_role("link", name="男方公民身份号码", exact=False).first.click()
    if javascript:  # govuk-frontend moves the focus to the field itself
        expect(page.locator("#f-male_id")).to_be_focused()
    else:
        assert page.url.endswith("#f-male_id")
    context.close()

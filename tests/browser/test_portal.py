"""The one-stop portal in a real browser: a citizen finds marriage registration by search, reads the
guide, applies with materials missing and is told every missing item at once, completes it, pays in
the sandbox; the civil affairs officer asks for a correction, the citizen corrects, civil affairs and
public security approve, the citizen's open page updates by itself, and the decision PDF verifies on
the public page. Screenshots in Chinese, English and elder-friendly mode; axe-core on every page."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in_through_pages

PDF = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%browser test scan\n%%EOF\n"}


def _attach(page, key: str) -> None:
    page.set_input_files(f"#m-{key}", files=[{**PDF, "name": f"{key}.pdf"}])


def _staff_page(browser, live_url, username):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_url,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = sign_in_through_pages(context.new_page(), live_url, username)
    return context, page


def test_marriage_registration_from_search_to_verified_decision(
    page, browser, live_url, demo, login, axe_check, screenshot
):
    login(page, "citizen1")
    page.goto(f"{live_url}/")
    page.get_by_label("查找政务服务事项").fill("婚姻登记")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_role("main")).to_contain_text("找到")
    axe_check(page)
    screenshot(page, "portal-01-search-zh")
    page.get_by_role("link", name="结婚登记").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("结婚登记")
    expect(page.locator("#legal-limit")).to_contain_text("20")
    axe_check(page)
    screenshot(page, "portal-02-guide-zh")

    page.get_by_role("button", name="在线申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("结婚登记")
    page.fill("#f-male_name", "王小明")
    page.fill("#f-male_id", "310101199001011234")
    page.fill("#f-female_name", "李小红")
    page.fill("#f-female_id", "310104199203045626")
    page.fill("#f-phone", "13800138000")
    page.check("#f-office-1")
    page.fill("#f-preferred_date", "2026-12-08")
    page.check("#f-declaration")
    for key in ("male-id", "female-id", "photo"):
        _attach(page, key)
    page.get_by_role("button", name="检查我的申请").click()
    summary = page.locator("#completeness")
    expect(summary).to_contain_text("需修改 2 项")
    expect(summary).to_contain_text("男方居民户口簿")
    expect(summary).to_contain_text("女方居民户口簿")
    axe_check(page)
    screenshot(page, "portal-03-missing-items-zh")

    _attach(page, "male-household")
    _attach(page, "female-household")
    page.get_by_role("button", name="检查我的申请").click()
    expect(page.locator("#fee-due")).to_contain_text("¥9.00")
    page.get_by_role("button", name="缴费 ¥9.00").click()
    expect(page.locator(".yz-sandbox")).to_contain_text("沙箱")
    axe_check(page)
    screenshot(page, "portal-04-sandbox-zh")
    page.get_by_role("button", name="确认支付（沙箱）").click()
    expect(page.locator("#events")).to_contain_text("已缴费 ¥9.00")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#application-status")).to_have_text("已提交，待受理")
    reference = re.search(r"SQ\d+", page.locator(".govuk-caption-l").first.inner_text()).group(0)

    officer_context, officer = _staff_page(browser, live_url, "civil_staff")
    officer.goto(f"{live_url}/staff/applications/{reference}/")
    officer.fill("#problem-m-photo", "照片不清晰，请上传清晰的双方合影")
    officer.get_by_role("button", name="发送补正告知").click()
    expect(officer.locator("#events")).to_contain_text("一次性告知")
    axe_check(officer)
    screenshot(officer, "portal-05-officer-correction-zh")

    page.reload()
    expect(page.locator("#correction")).to_contain_text("照片不清晰")
    _attach(page, "photo")
    page.get_by_role("button", name="检查我的申请").click()
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.locator("#application-status")).to_have_text("已提交，待受理")
    expect(page.locator("#progress")).to_have_attribute("data-live", "connected")
    screenshot(page, "portal-06-resubmitted-zh")

    # From now on the citizen's page is not reloaded: it must follow the departments by itself.
    officer.goto(f"{live_url}/staff/applications/{reference}/")
    officer.get_by_role("button", name="受理并启动各部门审查").click()
    expect(page.locator("#application-status")).to_have_text("已受理，审查中")
    expect(page.locator("#time-limit")).to_contain_text("20 个工作日")
    officer.fill("#id_decide-comment", "材料齐全，符合结婚登记条件")
    officer.get_by_role("button", name="同意").click()
    expect(officer.locator("#departments")).to_contain_text("上海市民政局")
    officer_context.close()

    police_context, police = _staff_page(browser, live_url, "police_staff")
    police.goto(f"{live_url}/staff/applications/{reference}/")
    police.fill("#id_decide-comment", "户籍信息核验一致")
    police.get_by_role("button", name="同意").click()
    police_context.close()

    expect(page.locator("#application-status")).to_have_text("准予许可")
    expect(page.locator("#decision-link")).to_be_visible(timeout=30_000)
    axe_check(page)
    screenshot(page, "portal-07-approved-live-zh")

    page.locator("#decision-link").click()
    expect(page.locator("#verify-result")).to_have_attribute("data-valid", "true")
    expect(page.get_by_role("main")).to_contain_text("真实有效")
    axe_check(page)
    screenshot(page, "portal-08-verified-zh")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载登记的文件").click()
    page.set_input_files("#id_copy", download.value.path())
    page.get_by_role("button", name="核验", exact=True).click()
    expect(page.locator("#copy-result")).to_contain_text("完全一致")

    # The same pages in English, and in elder-friendly mode (remembered for the account).
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("main")).to_contain_text("Authentic")
    axe_check(page)
    screenshot(page, "portal-09-verified-en")
    page.goto(f"{live_url}/applications/{reference}/")
    expect(page.locator("#application-status")).to_have_text("Approved")
    axe_check(page)
    screenshot(page, "portal-10-application-en")
    page.goto(f"{live_url}/services/marriage-registration/")
    page.get_by_role("button", name="Elder-friendly mode").click()
    expect(page.locator("body")).to_have_class(re.compile("yz-elder"))
    axe_check(page)
    screenshot(page, "portal-11-guide-elder-en")
    page.get_by_role("button", name="简体中文").click()
    page.goto(f"{live_url}/my/")
    expect(page.locator("body")).to_have_class(re.compile("yz-elder"))
    axe_check(page)
    screenshot(page, "portal-12-personal-centre-elder-zh")


def test_statistics_charts_are_images_with_their_tables_in_every_display_mode(
    page, live_url, demo, axe_check, screenshot
):
    """Each chart is one image named by its title and description; the table beside it gives the
    numbers; in high-contrast mode the bars are black, and axe finds nothing serious in any mode."""
    page.goto(f"{live_url}/info/statistics/")
    months = page.get_by_role("img", name="每月提交的申请")
    expect(months).to_be_visible()
    expect(page.get_by_role("img", name="各部门在法定时限内办结的比例")).to_have_count(1)
    expect(page.locator("#months-table tbody tr")).to_have_count(12)
    bars = page.locator("#chart-months rect.yz-chart__bar")
    expect(bars).to_have_count(12)
    values = [int(v) for v in bars.evaluate_all("rects => rects.map(r => r.dataset.value)")]
    table = [int(n) for n in page.locator("#months-table tbody td").all_inner_texts()]
    assert values == table
    assert page.locator("#chart-months rect.yz-chart__bar").first.evaluate(
        "r => getComputedStyle(r).fill"
    ) == ("rgb(29, 112, 184)")
    axe_check(page)
    screenshot(page, "portal-13-statistics-zh")

    page.get_by_role("button", name="高对比度").click()
    expect(page.locator("body")).to_have_class(re.compile("yz-contrast"))
    assert page.locator("#chart-months rect.yz-chart__bar").first.evaluate(
        "r => getComputedStyle(r).fill"
    ) == ("rgb(0, 0, 0)")
    axe_check(page)
    screenshot(page, "portal-14-statistics-contrast-zh")
    page.get_by_role("button", name="长者模式").click()
    expect(page.locator("body")).to_have_class(re.compile("yz-elder"))
    axe_check(page)
    screenshot(page, "portal-15-statistics-elder-contrast-zh")

"""A tender from draft to clarification through a real browser: an officer drafts it with two lots
and submits it, the custodians register their opening keys, the buyer's director approves, it is on
the public list and in the feed, a supplier downloads the document and asks a question, the
officer answers, and the answer is on the notice as a clarification."""

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from config import clock
from tenders.models import Tender
from tests.browser.conftest import sign_in_through_pages

TITLE = "奉贤区中心医院病房护理床采购项目"


def _context_page(browser, live_url):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_url,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in(page, live_url, username):
    sign_in_through_pages(page, live_url, username)


def test_officer_to_clarification(page, browser, live_url, demo, login, axe_check, screenshot, tmp_path):
    from django.utils import timezone

    today = timezone.localtime(clock.now()).replace(hour=9, minute=30, second=0, microsecond=0)
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M")  # noqa: E731

    login(page, "officer")
    page.goto(f"{live_url}/tenders/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("新建招标项目")
    page.fill("#id_title", TITLE)
    page.select_option("#id_buyer", label="上海市教育局")
    page.select_option("#id_agency", label="上海市政府采购中心")
    page.select_option("#id_method", label="公开招标")
    page.fill("#id_category_code", "A0320")
    page.fill("#id_region", "310120")
    page.fill("#id_budget", "800000.00")
    page.fill("#id_max_price", "790000.00")
    page.fill("#id_description", "采购电动护理床40张，含安装及三年维保。")
    page.fill("#id_qualification_requirements", "具有医疗器械经营许可证。")
    page.get_by_label("交货期（天）").check()  # price and currency are always read out
    page.fill("#id_readout_item_1_label", "安装调试期")
    page.select_option("#id_readout_item_1_type", "days")
    page.fill("#id_readout_item_1_unit", "天")
    page.fill("#id_bid_security", "16000.00")
    page.fill("#id_document_instructions", "登录本平台在公告页面免费下载。")
    page.fill("#id_document_start", stamp(today - timedelta(hours=1)))
    page.fill("#id_document_end", stamp(today + timedelta(days=24)))
    page.fill("#id_question_deadline", stamp(today + timedelta(days=20)))
    page.fill("#id_bid_deadline", stamp(today + timedelta(days=25)))
    page.fill("#id_contact_name", "陈静")
    page.fill("#id_contact_phone", "021-63210000")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("草稿已保存")

    # The editor names what is still missing, in Chinese, next to the field it concerns.
    problems = page.locator("#rule-problems")
    expect(problems).to_contain_text("开标需要2名保管人")
    expect(problems).to_contain_text("请上传采购文件")

    page.fill("#id_lots-0-title", "第一包 电动护理床")
    page.fill("#id_lots-0-budget", "600000.00")
    page.fill("#id_lots-1-title", "第二包 安装及维保")
    page.fill("#id_lots-1-budget", "200000.00")
    page.fill("#id_criteria-0-name", "价格")
    page.fill("#id_criteria-0-weight", "40")
    page.check("#id_criteria-0-is_price")
    page.fill("#id_criteria-1-name", "技术")
    page.fill("#id_criteria-1-weight", "60")
    for i in range(3):
        page.select_option(f"#id_custodians-{i}-user", label=demo.users[f"custodian{i + 1}"].full_name)
    page.locator("#tender-form").get_by_role("button", name="保存草稿").click()
    expect(problems).not_to_contain_text("开标需要2名保管人")
    # What the custodians still have to do is counted too (publication waits for it).
    expect(problems).to_contain_text("尚未登记开标密钥")

    document = tmp_path / "招标文件.pdf"
    document.write_bytes(b"%PDF-1.4 nursing beds tender documents")
    page.fill("#id_document-title", "招标文件")
    page.set_input_files("#id_document-file", str(document))
    page.get_by_role("button", name="上传文件").click()
    expect(page.locator("#custodian-waits-note")).to_contain_text("现在即可提交审批")
    axe_check(page)
    screenshot(page, "tender-editor-ready")
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("已提交审批")
    # The officer's page says what publication waits for and links the opening room.
    expect(page.locator("#waits-list")).to_contain_text("尚未登记开标密钥")
    expect(page.locator("#opening-room-link")).to_be_visible()
    axe_check(page)
    screenshot(page, "tender-waits-for-custodians")

    # The custodians register their opening keys and confirm (what publication needs; SEALED_BIDS.md).
    from tests.suppliers.factories import opening_keys_ready

    tender = Tender.objects.get(title=TITLE)
    assert tender.status == "in_approval"
    opening_keys_ready(tender)

    from approvals.models import ApprovalInstance

    instance = ApprovalInstance.objects.get(subject_type__model="tender", subject_id=str(tender.pk))
    director = _context_page(browser, live_url)
    _sign_in(director, live_url, "director")
    director.goto(f"{live_url}/approvals/{instance.pk}/")
    director.get_by_role("button", name="同意", exact=True).click()
    expect(director.get_by_role("main")).to_contain_text("您已同意")
    tender.refresh_from_db()
    assert tender.status == "published"

    public = _context_page(browser, live_url)
    public.goto(f"{live_url}/notices/")
    public.fill("#id_q", "中心医院病房")  # a phrase from the middle of the title
    public.get_by_role("button", name="搜索").click()
    expect(public.get_by_role("link", name=TITLE)).to_be_visible()
    axe_check(public)
    screenshot(public, "notices-search")
    feed = public.request.get(f"{live_url}/notices/feed/").text()
    assert TITLE in feed

    supplier = _context_page(browser, live_url)
    _sign_in(supplier, live_url, "supplier1")
    supplier.goto(f"{live_url}/notices/{tender.reference}/")
    with supplier.expect_download() as download:
        supplier.get_by_role("link", name="招标文件").click()
    assert Path(download.value.path()).read_bytes() == document.read_bytes()
    supplier.fill("#id_text", "护理床是否须具备称重功能？")
    supplier.get_by_role("button", name="提交问题").click()
    expect(supplier.locator(".govuk-notification-banner")).to_contain_text("问题已提交")

    page.goto(f"{live_url}/tenders/{tender.pk}/questions/")
    expect(page.get_by_role("main")).to_contain_text("护理床是否须具备称重功能？")
    page.get_by_label("答复").fill("须具备称重功能，精度不低于0.1公斤。")
    page.get_by_role("button", name="发布答复").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("澄清公告")

    public.goto(f"{live_url}/notices/{tender.reference}/")
    announcements = public.locator("#announcements + ol")
    expect(announcements).to_contain_text("澄清公告")
    expect(announcements).to_contain_text("须具备称重功能，精度不低于0.1公斤。")
    expect(public.get_by_role("main")).not_to_contain_text(demo.users["supplier1"].full_name)
    axe_check(public)
    screenshot(public, "notice-with-clarification")

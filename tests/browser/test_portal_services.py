"""Citizen services in a real browser: a citizen is refused a Sunday with a clear message, books an
appointment at the marriage registry, rates a finished application "very dissatisfied" with reasons;
civil affairs answers the bad rating from its workbench, and the citizen reads the answer."""

from datetime import timedelta

from playwright.sync_api import expect

from config import clock
from tests.browser.test_portal import _staff_page


def test_citizen_books_an_appointment_and_rates_and_the_department_answers(
    page, browser, live_url, demo, login, axe_check, screenshot
):
    from portal.models import Application

    login(page, "citizen1")
    page.goto(f"{live_url}/")
    page.get_by_role("link", name="预约办理").first.click()
    page.get_by_role("link", name="黄浦区婚姻登记处").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("黄浦区婚姻登记处")

    today = clock.today_local()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    page.fill("#day", sunday.isoformat())
    page.get_by_role("button", name="查看可预约时段").click()
    expect(page.locator("#booking-errors")).to_contain_text("（星期日）不办公，只在工作日开放")
    axe_check(page)
    screenshot(page, "portal-services-01-sunday-refused-zh")

    page.locator("a[href^='?day=']").first.click()
    page.locator("input[name=start]").first.check()
    axe_check(page)
    screenshot(page, "portal-services-02-slots-zh")
    page.get_by_role("button", name="预约该时段").click()
    expect(page.locator("#appointments")).to_contain_text("黄浦区婚姻登记处")
    expect(page.locator("#appointments")).to_contain_text("已预约")
    axe_check(page)
    screenshot(page, "portal-services-03-booked-zh")

    decided = Application.objects.get(applicant=demo.users["citizen1"], status="approved")
    page.goto(f"{live_url}/applications/{decided.reference}/")
    rating = page.locator("#rating")
    rating.get_by_label("非常不满意").check()
    rating.get_by_role("button", name="提交评价").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("请告诉我们不满意的原因")
    screenshot(page, "portal-services-04-reasons-required-zh")
    page.get_by_label("非常不满意").check()
    page.get_by_label("办理时间长").check()
    page.get_by_label("多次跑动或重复提交").check()
    page.get_by_label("想对部门说的其他话（选填）").fill("材料要求前后不一致，跑了三次。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#rating-grade")).to_contain_text("非常不满意")
    expect(page.locator("#rating-follow-up")).to_contain_text("前答复")
    axe_check(page)
    screenshot(page, "portal-services-05-rated-zh")

    officer_context, officer = _staff_page(browser, live_url, "civil_staff")
    officer.goto(f"{live_url}/staff/")
    officer.locator("#staff-ratings-link").click()
    officer.get_by_role("link", name=decided.reference).click()
    expect(officer.locator("#staff-rating-grade")).to_contain_text("非常不满意")
    officer.get_by_label("答复申请人：核实情况及整改措施").fill(
        "已核实：窗口已统一材料清单，一次性告知；对您多次往返深表歉意。"
    )
    axe_check(officer)
    screenshot(officer, "portal-services-06-department-answers-zh")
    officer.get_by_role("button", name="发送答复").click()
    expect(officer.locator("#staff-rating-answer")).to_contain_text("已统一材料清单")
    screenshot(officer, "portal-services-07-department-answered-zh")
    officer_context.close()

    page.reload()
    expect(page.locator("#rating-follow-up")).to_contain_text("已统一材料清单")
    axe_check(page)
    screenshot(page, "portal-services-08-citizen-reads-answer-zh")

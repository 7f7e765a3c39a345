"""An approver decides in the browser while the submitter watches the approval page: the step
turns done on the submitter's page without a reload (WebSocket → timeline refetch)."""

from playwright.sync_api import expect

from accounts.constants import Role
from accounts.models import Organisation
from approvals import services
from approvals.registry import approval_subjects
from tests.approvals.factories import OrganisationSubject, flow

# Registered at import, before the live server is forked, so the server knows the subject too.
SUBJECT = OrganisationSubject()
if not approval_subjects.is_registered(Organisation):
    approval_subjects.register(Organisation, SUBJECT)


def test_approver_approves_from_the_inbox_and_the_submitters_page_updates_live(
    page, browser, live_url, demo, login, axe_check, screenshot
):
    agency = demo.orgs["agency"]
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": agency},
        {"key": "director", "position": 2, "role": Role.APPROVER, "organisation": demo.orgs["buyer"]},
    )
    adapter = approval_subjects.adapter_for(Organisation)
    adapter.budgets[agency.pk] = "4500000"
    instance = services.approval_submit(
        subject=agency, flow_code=definition.code, submitter=demo.users["officer"]
    )

    login(page, "officer")
    page.goto(f"{live_url}/approvals/{instance.pk}/")
    timeline = page.locator("#approval-timeline")
    expect(timeline.locator('[data-step="agency"]')).to_have_attribute("data-status", "active")
    expect(timeline).to_have_attribute("data-live", "connected")
    axe_check(page)

    approver_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_url)
    approver = approver_context.new_page()
    try:
        login(approver, "approver")
        approver.goto(f"{live_url}/approvals/")
        expect(approver.get_by_role("heading", level=1)).to_have_text("我的任务")
        axe_check(approver)
        approver.locator(f'a[href="/approvals/{instance.pk}/"]').first.click()
        form = approver.locator("form", has=approver.locator('button[value="approve"]'))
        form.locator("textarea[name=comment]").fill("同意，预算合理")
        form.locator('button[value="approve"]').click()
        expect(approver.locator(".govuk-notification-banner")).to_be_visible()
        screenshot(approver, "approval-approver-after")
    finally:
        approver_context.close()

    # No reload on the submitter's page: the socket told it, and it fetched the timeline again.
    expect(timeline.locator('[data-step="agency"]')).to_have_attribute("data-status", "approved")
    expect(timeline.locator('[data-step="director"]')).to_have_attribute("data-status", "active")
    expect(timeline).to_contain_text("同意，预算合理")
    screenshot(page, "approval-submitter-live")
    axe_check(page)

"""An approver decides in the browser while the submitter watches the approval page: the step
turns done and the decision appears in the history, announced, on the submitter's page without a
reload (the socket pushes the history row; the timeline is fetched again). A page whose socket
dropped fetches the rows it missed, once."""

import re

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
    page.evaluate("window.notReloaded = true")
    timeline = page.locator("#approval-timeline")
    expect(timeline.locator('[data-step="agency"]')).to_have_attribute("data-status", "active")
    expect(timeline).to_have_attribute("data-live", "connected")
    history = page.get_by_role("table", name="审批记录")
    expect(history.locator("tbody tr")).to_have_count(2)  # submitted, first step started
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
    # The history gained the decision and the next step's start, in order, with who and the comment.
    expect(history.locator("tbody tr")).to_have_count(4)
    decision = history.locator('tbody tr[data-kind="approved"]')
    expect(decision.get_by_role("cell")).to_have_text(
        [re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"), "已同意: Agency", "孙磊", "同意，预算合理"]
    )
    expect(history.locator("tbody tr").nth(3)).to_have_attribute("data-kind", "step_started")
    expect(history.get_by_role("columnheader")).to_have_text(["时间", "事件", "办理人", "意见"])
    expect(page.get_by_role("status").filter(has_text="孙磊")).to_contain_text(
        "孙磊：已同意: Agency——同意，预算合理"
    )
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "approval-submitter-live")
    axe_check(page)


def test_a_page_whose_socket_dropped_fetches_the_history_it_missed_once(
    page, browser, live_url, demo, login, axe_check
):
    agency = demo.orgs["agency"]
    definition = flow({"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": agency})
    instance = services.approval_submit(
        subject=agency, flow_code=definition.code, submitter=demo.users["officer"]
    )

    # The submitter's socket goes through Playwright, which can drop what the server pushes (as a
    # network would) and then close the socket as a lost connection does.
    sockets: list = []
    pushed: list[str] = []
    deaf: set[int] = set()  # sockets whose incoming messages are dropped

    def route(socket):
        server = socket.connect_to_server()
        number = len(sockets)
        sockets.append(socket)

        def forward(message):
            if number not in deaf:
                pushed.append(message)
                socket.send(message)

        server.on_message(forward)

    page.route_web_socket(re.compile(r"/ws/approvals/"), route)
    login(page, "officer")
    page.goto(f"{live_url}/approvals/{instance.pk}/")
    page.evaluate("window.notReloaded = true")
    expect(page.locator("#approval-timeline")).to_have_attribute("data-live", "connected")
    rows = page.get_by_role("table", name="审批记录").locator("tbody tr")
    expect(rows).to_have_count(2)

    approver_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_url)
    approver = approver_context.new_page()
    try:
        login(approver, "approver")
        approver.goto(f"{live_url}/approvals/{instance.pk}/")
        comment = approver.locator("form", has=approver.locator('button[value="comment"]'))
        comment.locator("textarea[name=comment]").fill("预算已核")
        comment.locator('button[value="comment"]').click()
        expect(approver.locator(".govuk-notification-banner")).to_be_visible()
        expect(rows).to_have_count(3)  # pushed live
        expect(rows.nth(2)).to_contain_text("预算已核")

        deaf.add(0)  # from now on the first socket hears nothing
        decide = approver.locator("form", has=approver.locator('button[value="approve"]'))
        decide.locator("textarea[name=comment]").fill("同意")
        decide.locator('button[value="approve"]').click()
        expect(approver.locator(".govuk-notification-banner")).to_be_visible()
    finally:
        approver_context.close()
    expect(rows).to_have_count(3)
    sockets[0].close()  # the page never heard of the decision, and now its socket is gone

    # Reconnected: it fetched the decision and the completion, and nothing twice.
    expect(rows).to_have_count(5)
    expect(rows.nth(3)).to_have_attribute("data-kind", "approved")
    expect(rows.nth(3)).to_contain_text("同意")
    expect(rows.nth(4)).to_have_attribute("data-kind", "completed")
    expect(page.locator('[data-approval-status="approved"]')).to_be_visible()
    assert len(sockets) == 2
    # An event delivered again (a late duplicate) adds no row.
    sockets[1].send(pushed[0])
    page.wait_for_timeout(500)
    expect(rows).to_have_count(5)
    assert [row.get_attribute("data-seq") for row in rows.all()] == ["1", "2", "3", "4", "5"]
    assert page.evaluate("window.notReloaded") is True
    axe_check(page)

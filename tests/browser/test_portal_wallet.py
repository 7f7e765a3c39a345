"""The licence wallet in a real browser: citizen1's approved marriage registration put a signed 结婚证
in the wallet; she finds it in her personal centre, verifies it by its page, and in a second
application (household transfer to join a spouse) uses it instead of an upload, with the form
already filled from her account. Screenshots in Chinese; axe-core on every page."""

from playwright.sync_api import expect

from approvals.services import approval_approve
from portal import services
from portal.models import Application, Licence, Service
from tests.portal.conftest import MARRIAGE, pay, upload


def _married(demo) -> Licence:
    citizen = demo.users["citizen1"]
    application = services.application_start(
        user=citizen, service=Service.objects.get(code="marriage-registration")
    )
    services.application_save_form(user=citizen, application=application, raw=MARRIAGE)
    for material in application.service.materials.filter(required=True):
        services.attachment_add(
            user=citizen, application=application, material_key=material.key, upload=upload()
        )
    _payment, body, headers = pay(application, citizen)
    services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    services.application_submit(user=citizen, application=application)
    services.application_accept(user=demo.users["civil_staff"], application=application)
    flow = Application.objects.get(pk=application.pk).approval_flow_id
    for who in ("civil_staff", "police_staff"):
        approval_approve(instance_id=flow, user=demo.users[who], comment="同意")
    return Licence.objects.get(application=application)  # issued after commit (eager Celery)


def test_a_citizen_receives_a_licence_and_reuses_it_in_a_second_application(
    page, live_url, demo, login, axe_check, screenshot
):
    licence = _married(demo)
    login(page, "citizen1")
    page.goto(f"{live_url}/my/")
    page.get_by_role("link", name="我的证照夹").click()
    wallet = page.locator("#wallet")
    expect(wallet).to_contain_text("结婚证")
    expect(wallet).to_contain_text(licence.number)
    axe_check(page)
    screenshot(page, "portal-wallet-01-wallet-zh")

    page.get_by_role("link", name=f"下载与核验 {licence.number}").click()
    expect(page.locator("#verify-result")).to_have_attribute("data-valid", "true")
    axe_check(page)
    screenshot(page, "portal-wallet-02-licence-verified-zh")

    page.goto(f"{live_url}/services/household-move-spouse/")
    page.get_by_role("button", name="在线申请").click()
    expect(page.locator("#f-applicant_name")).to_have_value("王小明")  # filled from the account
    expect(page.locator("#f-id_number")).to_have_value("310101199001011234")
    expect(page.get_by_label("或使用已有的证照、材料").first).to_be_visible()
    expect(page.locator("#reuse-marriage-cert")).to_contain_text(licence.number)
    page.select_option("#reuse-marriage-cert", f"licence:{licence.number}")
    axe_check(page)
    screenshot(page, "portal-wallet-03-reuse-offered-zh")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#m-marriage-cert-hint")).to_contain_text(f"结婚证-{licence.number}.pdf")
    page.fill("#f-phone", "13800138000")
    page.fill("#f-address", "上海市黄浦区人民大道200号")
    page.get_by_role("button", name="检查我的申请").click()
    summary = page.locator("#completeness")
    expect(summary).to_contain_text("住房证明")
    expect(summary).not_to_contain_text("结婚证")
    axe_check(page)
    screenshot(page, "portal-wallet-04-reused-zh")

"""A newly verified supplier finds a tender and bids without typing a URL: from the home page it
signs in, opens the procurement notices, searches, opens the notice, follows 投标 to the bid form,
seals and submits, and finds the tender again under 我的投标 with its receipt."""

import base64

from cryptography.hazmat.primitives import serialization

from bidding.models import BidVersion
from tests.bidding.submission_factory import bidder_make, tender_open_now
from tests.browser.test_bid_submission import INJECT_KEY


def test_a_new_supplier_reaches_the_bid_form_by_clicking_and_bids(demo, page, axe_check, screenshot):
    title = "静安区社区卫生服务中心诊疗设备采购项目"
    tender, _opening = tender_open_now(demo, title=title)
    bidder = bidder_make()

    page.set_default_navigation_timeout(60_000)  # a shared, busy machine
    page.goto("/")
    page.get_by_role("link", name="登录").first.click()
    page.fill("input[name=username]", bidder.user.username)
    page.fill("input[name=password]", "a-long-test-password")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/me/")
    # The signing key the supplier made on its keys page, as that page leaves it in the browser.
    pkcs8 = bidder.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    point = bidder.key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    page.evaluate(
        INJECT_KEY,
        [
            bidder.user.username,
            base64.b64encode(pkcs8).decode(),
            base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
            bidder.certificate.fingerprint,
        ],
    )

    # 我的投标 already lists the open tender with a link to its bid form.
    page.locator(".govuk-service-navigation").get_by_role("link", name="我的投标").click()
    assert page.locator(".yz-bid-link", has_text="投标").count() >= 1
    assert page.locator(f"a[href='/bids/tender/{tender.reference}/']").count() == 1
    axe_check(page)
    screenshot(page, "bidder-my-bids-open-tenders")

    # The usual way in: the notices, a search, the notice, 投标.
    page.locator(".govuk-service-navigation").get_by_role("link", name="采购公告").click()
    page.fill("input[name=q]", "诊疗设备")
    page.locator("main button[type=submit]").first.click()
    page.get_by_role("link", name=title).click()
    page.wait_for_selector("#bid-start")
    assert page.locator("#countdown").text_content().startswith("距开标 29天23小时")
    axe_check(page)
    screenshot(page, "bidder-notice-with-bid-button")
    page.click("#bid-start")
    page.wait_for_url(f"**/bids/tender/{tender.reference}/")

    page.select_option("#bid-lot", "1")
    page.fill("#bid-price", "1284500.00")
    for field in page.locator(".yz-readout").all():
        field.fill("30")
    page.set_input_files(
        "#bid-attachments",
        [{"name": "技术方案.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n" + b"x" * 50_000}],
    )
    page.click("#bid-submit")
    page.wait_for_selector("#bid-receipt:not([hidden])", timeout=60_000)
    version = BidVersion.objects.get(tender=tender)
    assert page.locator("#bid-receipt-hash").text_content() == version.receipt.receipt_sha256
    screenshot(page, "bidder-bid-receipt")

    page.locator(".govuk-service-navigation").get_by_role("link", name="我的投标").click()
    assert version.manifest_sha256 in page.content()

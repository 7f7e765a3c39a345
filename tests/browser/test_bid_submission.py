"""A supplier seals a bid with two attachments on the bid page; the connection is cut halfway
through the upload (Playwright offline mode); the page keeps what was not sent, resumes when the
connection is back, gets the receipt, and the receipt verifies on the public page."""

import base64
import json
import os

from cryptography.hazmat.primitives import serialization

from bidding.models import BidChunk, BidVersion
from tests.bidding.submission_factory import bidder_make, tender_open_now

INJECT_KEY = """async ([username, pkcs8, publicKey, fingerprint]) => {
  const der = Uint8Array.from(atob(pkcs8), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("yizhan-keys", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("signing", { keyPath: "username" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction("signing", "readwrite");
    tx.objectStore("signing").put({ username, key, publicKey, fingerprint, purpose: "bidder", created: new Date().toISOString() });
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
}"""


def test_a_bid_sealed_in_the_browser_survives_a_cut_connection_and_its_receipt_verifies(
    demo, page, live_url, login, axe_check, screenshot
):
    tender, _opening = tender_open_now(demo)
    bidder = bidder_make()
    login(page, bidder.user.username, "a-long-test-password")
    page.goto(f"/bids/tender/{tender.reference}/")
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
    axe_check(page)

    page.select_option("#bid-lot", "2")
    page.fill("#bid-price", "1284500.00")
    for field in page.locator(".yz-readout").all():
        field.fill("30")
    page.set_input_files(
        "#bid-attachments",
        [
            {
                "name": "技术方案.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.7\n" + os.urandom(2_600_000),
            },
            {
                "name": "报价明细.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": os.urandom(1_700_000),
            },
        ],
    )
    context = page.context
    puts = {"count": 0, "cut": False}

    def chunk_route(route):
        puts["count"] += 1
        if puts["count"] == 3 and not puts["cut"]:
            puts["cut"] = True
            context.set_offline(True)  # the connection drops while this chunk is on its way
            route.abort("internetdisconnected")
            return
        route.continue_()

    page.route("**/api/bidding/uploads/*/files/*/chunks/*/", chunk_route)
    page.click("#bid-submit")
    page.wait_for_function(
        "document.getElementById('bid-status').textContent.includes('网络连接中断')"
        " || document.getElementById('bid-status').textContent.includes('connection is lost')"
    )
    screenshot(page, "bidding-offline-midway")
    held = BidChunk.objects.filter(upload__tender=tender).count()
    assert 1 <= held < 6  # 1 form chunk + 3 + 2 attachment chunks in all
    context.set_offline(False)
    page.wait_for_selector("#bid-receipt:not([hidden])", timeout=60_000)
    screenshot(page, "bidding-receipt")
    assert page.locator("#bid-upload-progress").get_attribute("value") == "100"

    receipt = json.loads(page.locator("#bid-receipt-json").text_content())
    version = BidVersion.objects.get(tender=tender)
    assert receipt == version.receipt.envelope and version.lot == "2"
    assert BidChunk.objects.filter(upload=version.upload).count() == 6
    assert page.locator("#bid-receipt-hash").text_content() == version.receipt.receipt_sha256

    page.goto("/bids/verify/")
    page.fill("#receipt", json.dumps(receipt, ensure_ascii=False))
    page.click("#verify-button")
    page.wait_for_selector("#verify-result .govuk-panel--confirmation")
    assert version.receipt.receipt_sha256 in page.locator("#verify-result").text_content()
    axe_check(page)
    screenshot(page, "bidding-receipt-verified")

    page.goto("/bids/")
    assert version.manifest_sha256 in page.content()
    axe_check(page)
    screenshot(page, "bidding-my-bids")

    # Withdrawn from the page: the statement is signed in the browser, the receipt shown.
    from bidding.models import BidWithdrawal

    page.goto(f"/bids/tender/{tender.reference}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".yz-withdraw")
    page.wait_for_function(
        "document.getElementById('bid-receipt-json').textContent.includes('withdrawal-receipt')"
    )
    withdrawal = BidWithdrawal.objects.get(version=version)
    assert json.loads(page.locator("#bid-receipt-json").text_content()) == withdrawal.receipt.envelope
    page.reload()
    assert page.locator(".yz-withdraw").count() == 0
    axe_check(page)
    screenshot(page, "bidding-withdrawn")

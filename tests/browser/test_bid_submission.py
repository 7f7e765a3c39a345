"""A supplier seals a bid with two attachments on the bid page; the connection is cut halfway
through the upload (Playwright offline mode); the page keeps what was not sent, resumes when the
connection is back, gets the receipt, and the receipt verifies on the public page. A sealed bid
kept in IndexedDB survives a reload: the page offers to continue sending it (without sealing it
again) or to discard it, says when the deadline has passed, and falls back to memory with a warning
when the browser's storage has no room."""

import base64
import datetime as dt
import json
import os
import time
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization

from bidding.models import BidChunk, BidUpload, BidVersion
from tests.bidding.submission_factory import bidder_make, tender_open_now

SHANGHAI = ZoneInfo("Asia/Shanghai")

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
    _wait_until(
        page,
        "() => document.getElementById('bid-status').textContent.includes('网络连接中断')"
        " || document.getElementById('bid-status').textContent.includes('connection is lost')",
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
    # The time of receipt, to the millisecond, in Beijing time with the zone named.
    received = receipt["payload"]["received_at"]
    beijing = dt.datetime.fromisoformat(received.replace("Z", "+00:00")).astimezone(SHANGHAI)
    shown = page.locator("#bid-receipt-time").text_content()
    assert f"{beijing:%Y-%m-%d} {beijing:%H:%M:%S}.{received[20:23]}" in shown and "北京时间" in shown

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
    _wait_until(
        page, "() => document.getElementById('bid-receipt-json').textContent.includes('withdrawal-receipt')"
    )
    withdrawal = BidWithdrawal.objects.get(version=version)
    assert json.loads(page.locator("#bid-receipt-json").text_content()) == withdrawal.receipt.envelope
    page.reload()
    assert page.locator(".yz-withdraw").count() == 0
    axe_check(page)
    screenshot(page, "bidding-withdrawn")


# What the bid page keeps in IndexedDB ("yizhan-bids"), read in the page: every record's fields, each
# chunk's size, and whether any stored byte (Blobs and byte arrays included) contains a needle.
STORED_BIDS = """async (needles) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("yizhan-bids");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = [...db.objectStoreNames];
  const wanted = needles.map((n) => Uint8Array.from(atob(n), (c) => c.charCodeAt(0)));
  const contains = (bytes, needle) => {
    outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
      for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  };
  const hits = new Set();
  const scan = async (value) => {
    let bytes = null;
    if (value instanceof Blob) bytes = new Uint8Array(await value.arrayBuffer());
    else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
    else if (ArrayBuffer.isView(value)) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    else if (typeof value === "string") bytes = new TextEncoder().encode(value);
    else if (value instanceof CryptoKey) hits.add("CryptoKey");
    else if (value && typeof value === "object") for (const v of Object.values(value)) await scan(v);
    if (bytes) wanted.forEach((needle, i) => { if (contains(bytes, needle)) hits.add(needles[i]); });
  };
  const out = { stores: names, hits: [] };
  for (const name of names) {
    const records = await new Promise((resolve, reject) => {
      const request = db.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const record of records) await scan(record);
    out[name] = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) =>
      [k, v instanceof Blob ? { blob: v.size } : ArrayBuffer.isView(v) ? { bytes: v.byteLength } : v])));
  }
  db.close();
  out.hits = [...hits];
  return out;
}"""

BID_FIELDS = {
    "bid", "username", "tender", "lot", "state", "started", "fileSizes",
    "manifest", "signature", "manifestSha256", "created", "chunks",
}  # fmt: skip
CHUNK_FIELDS = {"bid", "file", "index", "data", "sha256"}
PRICE = "1284500.00"


def _on_the_bid_page(page, login, tender, bidder):
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


def _fill_bid(page, attachments):
    page.select_option("#bid-lot", "2")
    page.fill("#bid-price", PRICE)
    for field in page.locator(".yz-readout").all():
        field.fill("30")
    page.set_input_files("#bid-attachments", attachments)


def _chunks_after(page, allowed: int) -> dict:
    """Let the first `allowed` chunk PUTs through and abort every later one (a link that died)."""
    puts = {"through": 0}

    def chunk_route(route):
        if puts["through"] < allowed:
            puts["through"] += 1
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route(CHUNK_URL, chunk_route)
    return puts


CHUNK_URL = "**/api/bidding/uploads/*/files/*/chunks/*/"


def _stored(page, needles=()) -> dict:
    return page.evaluate(STORED_BIDS, [base64.b64encode(n).decode() for n in needles])


def _wait_until(page, predicate: str, timeout: float = 15) -> None:
    """Poll `predicate` (a function, "() => ...") in the page until it is true. Not
    `page.wait_for_function`: that evaluates its expression as a string, which the site's
    Content-Security-Policy (script-src 'self', no 'unsafe-eval') rightly refuses."""
    limit = time.monotonic() + timeout
    while True:
        if page.evaluate(predicate):
            return
        if time.monotonic() >= limit:
            raise AssertionError(f"still false after {timeout} s: {predicate}")
        time.sleep(0.1)


def _wait_until_sealed(page, timeout: float = 60) -> dict:
    """The sealed bid is in IndexedDB whole (its manifest stored after its last chunk)."""
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        stored = _stored(page)
        if stored.get("bids") and stored["bids"][0]["state"] == "sealed":
            return stored
        time.sleep(0.2)
    raise AssertionError(f"the sealed bid was never stored whole: {stored}")


def test_a_sealed_bid_survives_a_reload_and_is_sent_without_sealing_it_again(
    demo, page, login, axe_check, screenshot
):
    tender, _opening = tender_open_now(demo)
    bidder = bidder_make()
    _on_the_bid_page(page, login, tender, bidder)
    plaintext = b"%PDF-1.7\n" + os.urandom(3_200_000)  # 4 chunks; with the form and 1 more, 6 in all
    _fill_bid(
        page,
        [
            {"name": "技术方案.pdf", "mimeType": "application/pdf", "buffer": plaintext},
            {"name": "资质证明.zip", "mimeType": "application/zip", "buffer": os.urandom(600_000)},
        ],
    )
    _chunks_after(page, 2)
    page.click("#bid-submit")
    stored = _wait_until_sealed(page)

    # Kept: the manifest, its signature, the ciphertext chunks. Not kept: the key or any plaintext.
    assert BidChunk.objects.filter(upload__tender=tender).count() == 2
    (record,) = stored["bids"]
    assert set(record) == BID_FIELDS and record["chunks"] == 6 and record["lot"] == "2"
    assert len(stored["chunks"]) == 6
    assert all(set(c) == CHUNK_FIELDS for c in stored["chunks"])
    assert sorted(c["data"]["blob"] for c in stored["chunks"])[-1] == 1_048_576 + 16
    needles = [PRICE.encode(), plaintext[1_000_000:1_000_064], "技术方案".encode(), "资质证明".encode()]
    assert _stored(page, needles)["hits"] == []
    sealed_sha256 = record["manifestSha256"]

    page.reload()  # the chunk requests still fail: nothing is sent by itself
    banner = page.locator("#bid-unsent")
    banner.wait_for(state="visible")
    assert "尚未发送完：已发送 2 / 6 个数据块" in banner.text_content()
    assert "尚未发送完" in page.locator("#bid-status").text_content()  # said in the live region
    axe_check(page)
    screenshot(page, "bidding-unsent-after-reload")

    page.unroute(CHUNK_URL)
    banner.get_by_role("button", name="继续发送").click()
    page.wait_for_selector("#bid-receipt:not([hidden])", timeout=60_000)
    screenshot(page, "bidding-unsent-sent")
    version = BidVersion.objects.get(tender=tender)
    assert version.manifest_sha256 == sealed_sha256  # the bid sealed before the reload: no new seal
    assert BidUpload.objects.filter(tender=tender).count() == 1
    assert BidChunk.objects.filter(upload=version.upload).count() == 6
    receipt = json.loads(page.locator("#bid-receipt-json").text_content())
    assert receipt == version.receipt.envelope
    assert banner.is_hidden()
    assert _stored(page)["bids"] == [] and _stored(page)["chunks"] == []
    page.reload()
    assert page.locator("#bid-unsent").is_hidden()


def test_an_unsent_sealed_bid_can_be_discarded_and_is_not_sent_after_the_deadline(
    demo, page, login, axe_check, screenshot
):
    tender, _opening = tender_open_now(demo)
    bidder = bidder_make()
    _on_the_bid_page(page, login, tender, bidder)
    _fill_bid(page, [{"name": "报价.pdf", "mimeType": "application/pdf", "buffer": os.urandom(10_000)}])
    _chunks_after(page, 0)
    page.click("#bid-submit")
    _wait_until_sealed(page)
    page.reload()
    banner = page.locator("#bid-unsent")
    banner.wait_for(state="visible")
    assert "已发送 0 / 2 个数据块" in banner.text_content()

    # Sealing another bid for the same lot would discard the kept one: the page asks first.
    _fill_bid(page, [{"name": "报价.pdf", "mimeType": "application/pdf", "buffer": os.urandom(10_000)}])
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#bid-submit")
    _wait_until(page, "() => !document.getElementById('bid-submit').disabled")
    assert len(_stored(page)["bids"]) == 1 and banner.is_visible()

    # The deadline passes: the page says so and offers no sending.
    from tenders.models import Tender

    Tender.objects.filter(pk=tender.pk).update(bid_deadline=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    page.reload()
    banner.wait_for(state="visible")
    assert "投标截止时间已过，无法再发送" in banner.text_content()
    assert banner.get_by_role("button", name="继续发送").count() == 0
    axe_check(page)
    screenshot(page, "bidding-unsent-after-deadline")

    # Discarding asks first: declined, the bid stays; accepted, nothing of it is left.
    page.once("dialog", lambda dialog: dialog.dismiss())
    banner.get_by_role("button", name="放弃").click()
    assert len(_stored(page)["bids"]) == 1 and banner.is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    banner.get_by_role("button", name="放弃").click()
    _wait_until(page, "() => document.getElementById('bid-status').textContent.includes('已放弃')")
    assert banner.is_hidden()
    stored = _stored(page)
    assert stored["bids"] == [] and stored["chunks"] == []
    assert not BidVersion.objects.filter(tender=tender).exists()


# The origin's storage said to be nearly full before sealing; or a write refused halfway through
# (the form's chunk is kept, the next one is refused), so the rest is held in memory.
NO_ROOM = {
    "estimate": "navigator.storage.estimate = async () => ({ quota: 50_000_000, usage: 49_900_000 });",
    "quota_error": """{
      const put = IDBObjectStore.prototype.put;
      let chunks = 0;
      IDBObjectStore.prototype.put = function (...args) {
        if (this.name === "chunks" && ++chunks > 1) throw new DOMException("full", "QuotaExceededError");
        return put.apply(this, args);
      };
    }""",
}


@pytest.mark.parametrize("no_room", NO_ROOM)
def test_with_no_room_in_the_browser_the_bid_is_sent_from_memory_with_a_warning(
    demo, page, login, axe_check, screenshot, no_room
):
    tender, _opening = tender_open_now(demo)
    bidder = bidder_make()
    page.add_init_script(NO_ROOM[no_room])
    _on_the_bid_page(page, login, tender, bidder)
    _fill_bid(page, [{"name": "报价.pdf", "mimeType": "application/pdf", "buffer": os.urandom(1_500_000)}])
    _chunks_after(page, 0)  # held back until the warning has been seen
    page.click("#bid-submit")
    warning = page.locator("#bid-memory-warning")
    warning.wait_for(state="visible")
    assert "重新加载或关闭页面" in warning.text_content()
    _wait_until(page, "() => document.getElementById('bid-status').textContent.includes('网络连接中断')")
    axe_check(page)
    screenshot(page, f"bidding-memory-fallback-{no_room}")
    page.unroute(CHUNK_URL)
    page.wait_for_selector("#bid-receipt:not([hidden])", timeout=60_000)
    assert warning.is_hidden()  # received: a reload loses nothing now
    version = BidVersion.objects.get(tender=tender)
    assert BidChunk.objects.filter(upload=version.upload).count() == 3
    stored = _stored(page)
    assert stored["bids"] == [] and stored["chunks"] == []


def test_a_bidder_is_warned_while_uploading_when_the_rest_will_not_arrive_before_the_deadline(
    demo, page, live_url, login, screenshot
):
    from tenders.models import Tender

    tender, _opening = tender_open_now(demo)
    bidder = bidder_make()
    login(page, bidder.user.username, "a-long-test-password")
    # The deadline 40 s away; each chunk takes 5 s to reach the server (about 0.2 MiB/s), and the
    # attachment has 10 chunks: at that speed the rest cannot arrive in time.
    Tender.objects.filter(pk=tender.pk).update(
        bid_deadline=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=40)
    )
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
    page.select_option("#bid-lot", "1")
    page.fill("#bid-price", "99.00")
    for field in page.locator(".yz-readout").all():
        field.fill("30")
    page.set_input_files(
        "#bid-attachments",
        [{"name": "施工方案.pdf", "mimeType": "application/pdf", "buffer": os.urandom(10 * 1024 * 1024)}],
    )

    def slow(route):
        time.sleep(5)
        route.continue_()

    page.route("**/api/bidding/uploads/*/files/*/chunks/*/", slow)
    page.click("#bid-submit")
    page.wait_for_selector("#bid-deadline-warning:not([hidden])", timeout=30_000)
    screenshot(page, "bidding-deadline-warning")
    warning = page.locator("#bid-deadline-warning").text_content()
    assert "截止时间" in warning and "北京时间" in warning
    # Per file: the form, then the attachment by name, with bytes sent and the time left.
    rows = page.locator("#bid-file-progress li").all_text_contents()
    assert len(rows) == 2 and rows[1].startswith("施工方案.pdf: ") and "MiB / 10.0 MiB" in rows[1]
    assert "约剩" in rows[1]


def test_bad_read_out_values_are_all_named_beside_their_fields_and_nothing_is_sealed(
    demo, page, live_url, login, axe_check, screenshot
):
    """#23: "12,000" and "30天" once gave the status line "SB1 readout"; now each field says what
    it needs, in Chinese, an error summary links to both, and nothing is sealed or sent. The price's
    capitals follow what is typed."""
    tender, _opening = tender_open_now(demo)
    bidder = bidder_make()
    _on_the_bid_page(page, login, tender, bidder)
    expect_label = page.locator("label[for=bid-readout-delivery_days]")
    assert expect_label.inner_text() == "交货期"
    assert page.locator("#bid-readout-delivery_days + .govuk-input__suffix").inner_text() == "天"
    page.select_option("#bid-lot", "2")
    page.fill("#bid-price", "12,000")
    page.fill("#bid-readout-delivery_days", "30天")
    page.click("#bid-submit")
    summary = page.locator("#bid-error-summary")
    summary.wait_for()
    assert summary.locator("li").count() == 2
    assert "请以两位小数、不带分隔符的金额填写投标报价" in page.locator("#bid-price-error").inner_text()
    assert "请以整数天数填写交货期" in page.locator("#bid-readout-delivery_days-error").inner_text()
    assert page.evaluate("document.activeElement.id") == "bid-error-summary"
    axe_check(page)
    screenshot(page, "bid-readout-errors")
    assert not BidUpload.objects.filter(tender=tender).exists()

    page.fill("#bid-price", "1284500.00")
    assert page.locator("#bid-price-words").inner_text() == "大写：人民币壹佰贰拾捌万肆仟伍佰元整"

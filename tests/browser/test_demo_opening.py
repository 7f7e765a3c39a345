"""The demo that opens (docs/ceremony.md "Demo opening"): `demo_opening` publishes a tender closing
seconds from now with three sealed bids; the host and the three custodians each sign in in their own
browser context, the custodians restore their kept signing keys through the certificates page and
answer with their kept opening-key files, and the read-out appears for the host. Screenshots kept."""

import time

import pytest

from bidding import demo as bidding_demo
from bidding.demo_opening import demo_opening_make
from config import clock


@pytest.fixture
def contexts(browser, live_url):
    made = []

    def new():
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            base_url=live_url,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(30_000)
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def test_a_newcomer_opens_the_demo_tender_in_separate_browsers(
    demo, live_url, contexts, login, screenshot, monkeypatch, tmp_path
):
    monkeypatch.setattr(bidding_demo, "demo_key_dir", lambda: tmp_path)
    opening = demo_opening_make(demo, minutes=0, seconds=50)
    reference = opening.tender.reference
    room = f"/opening/{reference}/"
    assert any("custodian1" in step and "signing-key.json" in step for step in opening.steps)

    host = contexts()
    login(host, "officer")
    host.goto(room)
    host.wait_for_selector("#connection[data-state=live]")
    custodians = {}
    for name in ("custodian1", "custodian2", "custodian3"):
        page = contexts()
        login(page, name)
        page.goto("/suppliers/certificates/")
        page.set_input_files("#restore-file", str(tmp_path / name / "signing-key.json"))
        page.fill("#restore-passphrase", bidding_demo.DEMO_KEY_PASSPHRASE)
        page.click("#restore-button")
        page.wait_for_selector("#key-status:has-text('签名密钥已恢复到本浏览器')")
        custodians[name] = page
    screenshot(custodians["custodian1"], "demo-opening-key-restored")

    # A wrong passphrase is refused in the page's language, and nothing is kept.
    wrong = custodians["custodian3"]
    wrong.reload()
    wrong.set_input_files("#restore-file", str(tmp_path / "custodian3" / "signing-key.json"))
    wrong.fill("#restore-passphrase", "not the passphrase")
    wrong.click("#restore-button")
    wrong.wait_for_selector("#key-status:has-text('口令不正确')")

    time.sleep(max(0, (opening.tender.bid_deadline - clock.now()).total_seconds()) + 1)
    host.reload()
    host.wait_for_selector("#phase-tag:has-text('解密份额提交')", timeout=60_000)
    for name, page in custodians.items():
        page.goto(room)
        page.wait_for_selector("#connection[data-state=live]")
        page.set_input_files("#key-file", str(tmp_path / name / f"{reference}-opening-key.json"))
        page.fill("#key-passphrase", bidding_demo.DEMO_KEY_PASSPHRASE)
        page.click("#shares-submit")
    for page in custodians.values():
        page.wait_for_selector("#shares-status:has-text('已接受 3 份')", timeout=90_000)
    screenshot(custodians["custodian2"], "demo-opening-custodian")

    host.wait_for_selector("#readout-rows tr[data-position='3']", timeout=90_000)
    readout = host.inner_text("#readout-rows")
    for price in ("486000.00", "472500.00", "491800.00"):
        assert price in readout
    screenshot(host, "demo-opening-host-readout")

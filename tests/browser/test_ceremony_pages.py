"""The opening room in four browsers: the host, custodian 1 (whose point and proof are computed in its
browser by the SB1 library), and two bidders; custodians 2 and 3 answer with the Python client code.
The read-out appears live, a bidder confirms, another objects, the host answers; the record PDF is
rendered to PNG (pdftoppm) for a look at the Chinese. Screenshots of every role are kept."""

import datetime as dt
import json
import subprocess
import time

import pytest
import time_machine

from bidding.client import crypto as client_crypto
from config import clock
from tests.browser.conftest import SCREENSHOT_DIR

PASSPHRASE = "custodian-one-passphrase"


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


def _hold_signing_key(page, username, keys, signing_key=None, certificate=None):
    """Put the custodian's certified signing key into this browser's key store, as the certificates
    page leaves it after enrolment (the key, its public point and the certificate's fingerprint)."""
    from cryptography.hazmat.primitives import serialization

    from ledger.encoding import b64u_encode

    signing_key = signing_key or keys.signing_key
    certificate = certificate or keys.certificate
    pkcs8 = signing_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    point = signing_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    page.evaluate(
        """async ([username, pkcs8, fingerprint, publicKey]) => {
      const bytes = Uint8Array.from(atob(pkcs8), c => c.charCodeAt(0));
      const key = await crypto.subtle.importKey("pkcs8", bytes, {name: "ECDSA", namedCurve: "P-256"}, false, ["sign"]);
      const db = await new Promise((ok, no) => { const r = indexedDB.open("yizhan-keys", 1);
        r.onupgradeneeded = () => r.result.createObjectStore("signing", {keyPath: "username"});
        r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
      await new Promise((ok, no) => { const tx = db.transaction("signing", "readwrite");
        tx.objectStore("signing").put({username, key, fingerprint, publicKey});
        tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
    }""",
        [
            username,
            __import__("base64").b64encode(pkcs8).decode(),
            certificate.fingerprint,
            b64u_encode(point),
        ],
    )


def test_the_ceremony_end_to_end_in_four_browsers(
    demo, live_url, contexts, login, screenshot, axe_check, tmp_path
):
    from bidding.models import CeremonyRoom
    from bidding.services.ceremony import ceremony_advance
    from tests.bidding.ceremony_factory import ceremony_make, custodian_submits

    ceremony = ceremony_make(
        demo,
        bids=3,
        deadline=clock.now() + dt.timedelta(seconds=25),
        prices=["480000.00", "990000.00", "495000.00"],
    )
    reference = ceremony.tender.reference
    room_url = f"/opening/{reference}/"
    host, custodian = contexts(), contexts()
    bidder_a, bidder_b = contexts(), contexts()
    login(host, "officer")
    login(custodian, "custodian1")
    login(bidder_a, ceremony.bidders[0].user.username)
    login(bidder_b, ceremony.bidders[1].user.username)
    for page in (host, custodian, bidder_a, bidder_b):
        page.goto(room_url)
        page.wait_for_selector("#connection[data-state=live]")
    bidder_a.click("#check-in")
    bidder_a.wait_for_selector("#check-in-status:has-text('已签到')")
    screenshot(bidder_a, "ceremony-bidder-lobby")
    axe_check(host)

    time.sleep(max(0, (ceremony.deadline - clock.now()).total_seconds()) + 1)
    host.reload()
    host.wait_for_selector("#phase-tag:has-text('解密份额提交')")
    screenshot(host, "ceremony-host-shares")

    custodian_submits(ceremony, 2)
    custodian_submits(ceremony, 3)
    _hold_signing_key(custodian, "custodian1", ceremony.custodians[1])
    key_file = client_crypto.key_file_write(
        ceremony.custodians[1].opening_key,
        kind=client_crypto.CUSTODIAN_KEY_TYPE,
        passphrase=PASSPHRASE,
        tender=reference,
    )
    path = tmp_path / "opening-key.json"
    path.write_text(json.dumps(key_file))
    custodian.reload()
    custodian.wait_for_selector("#connection[data-state=live]")
    custodian.set_input_files("#key-file", str(path))
    custodian.fill("#key-passphrase", PASSPHRASE)
    custodian.click("#shares-submit")
    custodian.wait_for_selector("#shares-status:has-text('已接受 3 份')", timeout=90_000)
    screenshot(custodian, "ceremony-custodian")

    for page in (host, bidder_a, bidder_b):
        page.wait_for_selector("#readout-rows tr[data-position='3']", timeout=90_000)
    assert "超过最高限价（980000.00 元）" in host.inner_text("#readout-rows")  # marked, not dropped
    bidder_a.click("#confirm")
    bidder_a.wait_for_selector("#bidder-status:has-text('已确认')")
    bidder_b.fill("#objection-text", "我公司报价应为四十九万元，请核实。")
    bidder_b.click("#object-form button")
    host.wait_for_selector("#objections .answer-form textarea")
    host.fill("#objections .answer-form textarea", "经核对投标文件，唱标无误。")
    host.click("#objections .answer-form button")
    bidder_b.wait_for_selector("#objections:has-text('唱标无误')")
    screenshot(host, "ceremony-host-confirmation")
    screenshot(bidder_b, "ceremony-bidder-objection")
    axe_check(host)

    with time_machine.travel(clock.now() + dt.timedelta(hours=1), tick=True):
        ceremony_advance(tender_id=ceremony.tender.pk)
    room = CeremonyRoom.objects.get(tender=ceremony.tender)
    assert room.phase == "closed" and room.record is not None
    # The close ran in this test process, whose in-memory channel layer is not the server's: the page
    # learns of it from the stored log when it loads again (with Redis it would arrive live).
    bidder_b.reload()
    bidder_b.wait_for_selector("#record-link:not([hidden])")
    assert "唱标无误" in bidder_b.inner_text("#objections")
    screenshot(bidder_b, "ceremony-bidder-closed")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(room.record.file.open("rb").read())
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SCREENSHOT_DIR / "ceremony-record"),
        ],
        check=True,
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "开标记录" in text and "唱标无误" in text


def test_the_custodians_browser_refuses_a_seal_it_cannot_check_in_the_ledger(
    demo, live_url, contexts, login, screenshot, tmp_path
):
    """SEALED_BIDS.md "Opening" 1 in the browser, as the CLI: no confirmation by the custodian's key in
    the ledger, a changed ledger entry before the seal, and a seal that is not the tender's first are
    each refused with the reason, and nothing is sent."""
    from django.db import transaction

    from bidding.models import SealStatement, ShareSubmission
    from bidding.services.seal import seal_ensure
    from ledger.encoding import format_time, jcs
    from ledger.models import LedgerEntry
    from ledger.services import ledger_append
    from ledger.signing import platform_sign
    from tests.bidding.ceremony_factory import ceremony_make
    from tests.suppliers.factories import custodian_certificate

    ceremony = ceremony_make(demo, bids=3, deadline=clock.now() + dt.timedelta(seconds=20))
    keys = ceremony.custodians[1]
    path = tmp_path / "opening-key.json"
    path.write_text(
        json.dumps(
            client_crypto.key_file_write(
                keys.opening_key,
                kind=client_crypto.CUSTODIAN_KEY_TYPE,
                passphrase=PASSPHRASE,
                tender=ceremony.tender.reference,
            )
        )
    )
    custodian = contexts()
    login(custodian, "custodian1")
    custodian.goto(f"/opening/{ceremony.tender.reference}/")
    custodian.wait_for_selector("#connection[data-state=live]")
    time.sleep(max(0, (ceremony.deadline - clock.now()).total_seconds()) + 1)
    seal = seal_ensure(ceremony.tender)

    def submit_and_read() -> str:
        custodian.reload()
        custodian.wait_for_selector("#connection[data-state=live]")
        custodian.set_input_files("#key-file", str(path))
        custodian.fill("#key-passphrase", PASSPHRASE)
        custodian.click("#shares-submit")
        custodian.wait_for_selector("#shares-status:has-text('未提交任何份额')", timeout=60_000)
        return custodian.inner_text("#shares-status")

    # A signing key enrolled after the confirmation: nothing in the ledger is signed by it.
    _hold_signing_key(custodian, "custodian1", keys, *custodian_certificate(keys.user))
    assert "没有以您的签名密钥签署的本项目确认" in submit_and_read()

    _hold_signing_key(custodian, "custodian1", keys)
    receipt = LedgerEntry.objects.filter(kind="SB1/receipt", index__lt=seal.ledger_index).first()
    original = bytes(receipt.canonical), receipt.document
    changed = json.loads(original[0])
    changed["payload"]["sequence"] += 1
    LedgerEntry.objects.filter(pk=receipt.pk).update(canonical=jcs(changed), document=changed)
    assert f"公开账本第 0 至 {seal.ledger_index} 条算不出平台对同一规模签名的树根" in submit_and_read()
    LedgerEntry.objects.filter(pk=receipt.pk).update(canonical=original[0], document=original[1])

    again = {**seal.envelope["payload"], "sealed_at": format_time(seal.sealed_at + dt.timedelta(seconds=1))}
    with transaction.atomic():
        entry = ledger_append(kind="SB1/seal", payload=platform_sign(again))
        SealStatement.objects.filter(pk=seal.pk).update(envelope=entry.document, ledger_index=entry.index)
    text = submit_and_read()
    assert f"公开账本第 {seal.ledger_index} 条是本项目更早的封存声明" in text
    assert f"（第 {entry.index} 条）不是本项目的第一份" in text
    screenshot(custodian, "ceremony-custodian-refused")
    assert not ShareSubmission.objects.filter(room__tender=ceremony.tender).exists()


def test_the_hosts_room_offers_the_failure_notice_when_the_seal_fails_live(demo, contexts, login, screenshot):
    """Fewer than 3 bids: the host watching the room sees the failed phase and, without a reload, the
    link to review and publish the failure notice the platform drafted."""
    from tests.bidding.ceremony_factory import ceremony_make

    ceremony = ceremony_make(demo, bids=2, deadline=clock.now() + dt.timedelta(seconds=15))
    host = contexts()
    login(host, "officer")
    host.goto(f"/opening/{ceremony.tender.reference}/")
    host.wait_for_selector("#connection[data-state=live]")
    assert not host.is_visible("#failure-notice-link")
    # At zero the page itself nudges the server, which seals the set and finds too few bids.
    host.wait_for_selector("#phase-tag:has-text('流标')", timeout=60_000)
    link = host.get_by_role("link", name="审核并发布流标公告")
    link.wait_for()
    screenshot(host, "ceremony-host-failed")
    link.click()
    host.wait_for_url(f"**/tenders/{ceremony.tender.pk}/failure-notice/")


def test_a_custodian_who_answers_again_after_a_reload_sends_the_same_bytes(
    demo, live_url, contexts, login, axe_check, tmp_path
):
    """SEALED_BIDS.md "Opening" 1: a custodian answers each slot once; a resend repeats the stored
    answer. The browser keeps its answers (IndexedDB), so after a reload the page sends exactly what
    it sent before, and the server accepts it as the same answer."""
    from bidding.models import ShareSubmission
    from ledger.encoding import jcs
    from tests.bidding.ceremony_factory import ceremony_make

    ceremony = ceremony_make(demo, bids=3, deadline=clock.now() + dt.timedelta(seconds=20))
    keys = ceremony.custodians[1]
    path = tmp_path / "opening-key.json"
    path.write_text(
        json.dumps(
            client_crypto.key_file_write(
                keys.opening_key,
                kind=client_crypto.CUSTODIAN_KEY_TYPE,
                passphrase=PASSPHRASE,
                tender=ceremony.tender.reference,
            )
        )
    )
    custodian = contexts()
    frames: list[str] = []
    custodian.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(payload)))
    login(custodian, "custodian1")
    custodian.goto(f"/opening/{ceremony.tender.reference}/")
    custodian.wait_for_selector("#connection[data-state=live]")
    _hold_signing_key(custodian, "custodian1", keys)
    time.sleep(max(0, (ceremony.deadline - clock.now()).total_seconds()) + 1)

    def answer() -> None:
        custodian.wait_for_selector("#connection[data-state=live]")
        custodian.set_input_files("#key-file", str(path))
        custodian.fill("#key-passphrase", PASSPHRASE)
        custodian.click("#shares-submit")
        custodian.wait_for_selector("#shares-status:has-text('已接受 3 份')", timeout=90_000)

    answer()
    custodian.reload()
    answer()
    axe_check(custodian)
    sends = [json.loads(f) for f in frames if isinstance(f, str) and '"shares"' in f]
    sends = [s for s in sends if s.get("type") == "shares"]
    assert len(sends) == 2
    first, second = ([jcs(envelope) for envelope in send["envelopes"]] for send in sends)
    assert len(first) == 3 and first == second  # the same submission bytes, slot by slot
    rows = ShareSubmission.objects.filter(index=1)
    assert rows.filter(state="accepted").count() == 3 and not rows.filter(state="refused").exists()

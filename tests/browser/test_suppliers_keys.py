"""Keys made on the person's side, through a real browser and the real CLI against a live server:
a bidder's signing key made in Chromium's WebCrypto is enrolled and its certificate downloaded; a
custodian's opening key is made and registered; no request ever carries a private key."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from bidding.client import crypto as client_crypto
from bidding.models import OpeningKey
from bidding.sb1.custodian import custodian_key_file_decrypt
from config import clock
from suppliers.models import Certificate
from tests.tenders.factories import make_tender

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "horse battery staple 钥匙"


def _record_requests(page) -> list[tuple[str, str, str]]:
    """Every request the page sends from now on, with its body. (A route rather than page.on("request"):
    this Playwright's sync API cannot subscribe to that event from inside pytest's thread.)"""
    sent: list[tuple[str, str, str]] = []

    def record(route, request):
        sent.append((request.method, request.url, request.post_data or ""))
        route.continue_()

    page.route("**/*", record)
    return sent


def _private_forms(key) -> list[str]:
    """Every way the private key could appear in a request body."""
    from ledger.encoding import b64u_encode

    d = key.private_numbers().private_value.to_bytes(32, "big")
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return [b64u_encode(d), d.hex(), b64u_encode(pkcs8), pkcs8.hex(), b64u_encode(pkcs8)[:40]]


def _only_public(sent, key, allowed_bodies: list[set[str]]) -> None:
    forms = _private_forms(key)
    for method, url, body in sent:
        for form in forms:
            assert form not in body, f"private key material in {method} {url}"
        if method == "POST" and "/api/" in url:
            assert set(json.loads(body)) in allowed_bodies, (url, body)


def _make_signing_key(page, live_url, tmp_path) -> tuple[dict, object]:
    page.goto(f"{live_url}/suppliers/certificates/")
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#passphrase2", PASSPHRASE)
    with page.expect_download() as download_info:
        page.locator("#keygen-button").click()
    backup_path = tmp_path / "backup.json"
    download_info.value.save_as(backup_path)
    expect(page.locator("#key-status")).to_contain_text("证书已签发", timeout=30_000)
    backup = json.loads(backup_path.read_text())
    private = client_crypto.key_file_read(backup, kind=client_crypto.SIGNING_KEY_TYPE, passphrase=PASSPHRASE)
    return backup, private


def test_bidder_makes_key_in_browser_enrols_and_downloads_certificate(
    page, live_url, demo, login, axe_check, tmp_path
):
    login(page, "supplier1")
    sent = _record_requests(page)
    page.goto(f"{live_url}/suppliers/certificates/")
    axe_check(page)
    backup, private = _make_signing_key(page, live_url, tmp_path)

    certificate = Certificate.objects.get(holder__username="supplier1", revoked_at__isnull=True)
    assert certificate.public_key == backup["key"]
    _only_public(sent, private, [{"purpose"}, {"challenge", "key", "signature"}])
    # The key the browser keeps cannot be read out.
    extractable = page.evaluate("""async () => {
        const db = await new Promise((ok, ko) => { const r = indexedDB.open("yizhan-keys", 1);
            r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
        const rec = await new Promise((ok) => { const q = db.transaction("signing").objectStore("signing").get("supplier1");
            q.onsuccess = () => ok(q.result); });
        return [rec.key.extractable, rec.fingerprint];
    }""")
    assert extractable == [False, certificate.fingerprint]

    page.reload()
    row = page.locator(f"tr[data-fingerprint='{certificate.fingerprint}']")
    expect(row).to_contain_text("有效")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="下载").click()
    path = tmp_path / "cert.pem"
    download_info.value.save_as(path)
    issued = x509.load_pem_x509_certificate(path.read_bytes())
    assert issued.public_key().public_numbers() == private.public_key().public_numbers()
    organisation_id = issued.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value
    assert organisation_id == "NTRCN-91310000MA1FL1AB15"
    axe_check(page)


def test_custodian_makes_and_registers_opening_key_in_browser(
    page, live_url, demo, login, axe_check, tmp_path
):
    now = clock.now()
    tender = make_tender(demo, issue=now + dt.timedelta(days=1), deadline=now + dt.timedelta(days=40))
    login(page, "custodian2")
    sent = _record_requests(page)
    _backup, signing_private = _make_signing_key(page, live_url, tmp_path)

    page.goto(f"{live_url}/suppliers/custodian-keys/{tender.reference}/")
    axe_check(page)
    page.fill("#opening-passphrase", PASSPHRASE)
    page.fill("#opening-passphrase2", PASSPHRASE)
    with page.expect_download() as download_info:
        page.locator("#opening-key-form button").click()
    key_path = tmp_path / "opening.json"
    download_info.value.save_as(key_path)
    expect(page.locator("#key-status")).to_contain_text("开标密钥已登记", timeout=30_000)

    key_file = json.loads(key_path.read_text())
    opening_private = custodian_key_file_decrypt(key_file, tender=tender.reference, passphrase=PASSPHRASE)
    registered = OpeningKey.objects.get(tender=tender, index=2)
    assert registered.key_id == key_file["key_id"]
    allowed = [{"purpose"}, {"challenge", "key", "signature"}, {"registration", "pop", "signature"}]
    _only_public(sent, signing_private, allowed)
    _only_public(sent, opening_private, allowed)
    page.reload()
    expect(page.locator("#opening-key-state")).to_contain_text(registered.key_id)


def test_custodian_replaces_a_lost_opening_key_in_browser_until_publication(
    page, live_url, demo, login, axe_check, tmp_path
):
    """custodian3 registers, "loses" the file, replaces the key from the page (a new file is saved
    first), sees the old key listed and must confirm again; after publication the page says why the
    key can no longer be replaced and offers no form."""
    from suppliers.models import OpeningKeyReplacement
    from tenders.constants import TenderStatus
    from tenders.models import Tender

    now = clock.now()
    tender = make_tender(demo, issue=now + dt.timedelta(days=1), deadline=now + dt.timedelta(days=40))
    login(page, "custodian3")
    sent = _record_requests(page)
    _backup, signing_private = _make_signing_key(page, live_url, tmp_path)
    page.goto(f"{live_url}/suppliers/custodian-keys/{tender.reference}/")
    page.fill("#opening-passphrase", PASSPHRASE)
    page.fill("#opening-passphrase2", PASSPHRASE)
    with page.expect_download():
        page.locator("#opening-key-form button").click()
    expect(page.locator("#key-status")).to_contain_text("开标密钥已登记", timeout=30_000)
    old_key_id = OpeningKey.objects.get(tender=tender, index=3).key_id

    page.goto(f"{live_url}/suppliers/custodian-keys/{tender.reference}/")
    page.locator("#replace-details summary").click()
    axe_check(page)
    page.fill("#replace-passphrase", PASSPHRASE)
    page.fill("#replace-passphrase2", PASSPHRASE)
    page.fill("#replace-reason", "笔记本电脑丢失")
    with page.expect_download() as download_info:
        page.locator("#opening-key-replace-form button").click()
    key_path = tmp_path / "replacement.json"
    download_info.value.save_as(key_path)
    expect(page.locator("#key-status")).to_contain_text("开标密钥已更换", timeout=30_000)

    key_file = json.loads(key_path.read_text())
    opening_private = custodian_key_file_decrypt(key_file, tender=tender.reference, passphrase=PASSPHRASE)
    assert OpeningKey.objects.get(tender=tender, index=3).key_id == key_file["key_id"] != old_key_id
    replaced = OpeningKeyReplacement.objects.get(tender=tender)
    assert (replaced.key_id, replaced.reason) == (old_key_id, "笔记本电脑丢失")
    allowed = [
        {"purpose"},
        {"challenge", "key", "signature"},
        {"registration", "pop", "signature"},
        {"registration", "pop", "signature", "reason"},
    ]
    _only_public(sent, signing_private, allowed)
    _only_public(sent, opening_private, allowed)
    page.reload()
    expect(page.locator("#opening-key-state")).to_contain_text(key_file["key_id"])
    expect(page.locator("#replaced-keys")).to_contain_text(old_key_id)

    Tender.objects.filter(pk=tender.pk).update(status=TenderStatus.PUBLISHED)
    page.reload()
    expect(page.locator("#replace-closed")).to_contain_text("不能更换")
    expect(page.locator("#opening-key-replace-form")).to_have_count(0)
    axe_check(page)


def _authenticator_code(username: str) -> str | None:
    """The code the person's demo authenticator shows, for a role that needs a second factor (None
    otherwise). Each code is accepted once, so this reads the device as the server left it and takes
    the earliest step it still accepts (django-otp: the current step, after drift, within its
    tolerance, and later than the last one used), waiting for the real clock when none is left; the
    live server is another process on the same clock, and nothing here moves time."""
    from django_otp.oath import TOTP, hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # Not below the current step, so the code still passes if the clock turns a step on the way.
    step = max(totp.t(), device.last_t + 1)
    while step > totp.t() + device.tolerance:
        time.sleep(1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def _cli(*args: str, token: str | None = None, username: str | None = None, live_url: str):
    env = {**os.environ, "YIZHAN_PASSPHRASE": PASSPHRASE, "YIZHAN_PASSWORD": DEMO_PASSWORD}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("YIZHAN_OTP", None)
    if username and (code := _authenticator_code(username)):
        env["YIZHAN_OTP"] = code
    command = [str(REPO / ".venv" / "bin" / "yizhan-client"), "--server", live_url]
    if username:
        command += ["--username", username]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_cli_keygen_enroll_and_custodian_key_against_the_live_server(live_url, demo, tmp_path):
    key, cert = tmp_path / "signing.json", tmp_path / "cert.pem"
    result = _cli("keygen", "--out", str(key), live_url=live_url)
    assert result.returncode == 0, result.stderr
    result = _cli(
        "enroll",
        "--key",
        str(key),
        "--purpose",
        "bidder",
        "--out",
        str(cert),
        username="supplier3",
        live_url=live_url,
    )
    assert result.returncode == 0, result.stderr
    issued = x509.load_pem_x509_certificate(cert.read_bytes())
    assert "NTRCN-91440300MA5DC3QW8J" in issued.subject.rfc4514_string()
    assert Certificate.objects.filter(holder__username="supplier3").count() == 1

    now = clock.now()
    tender = make_tender(demo, issue=now + dt.timedelta(days=1), deadline=now + dt.timedelta(days=40))
    ckey, ccert, opening = tmp_path / "c.json", tmp_path / "c.pem", tmp_path / "opening.json"
    assert _cli("keygen", "--out", str(ckey), live_url=live_url).returncode == 0
    result = _cli(
        "enroll",
        "--key",
        str(ckey),
        "--purpose",
        "custodian",
        "--out",
        str(ccert),
        username="custodian1",
        live_url=live_url,
    )
    assert result.returncode == 0, result.stderr
    result = _cli(
        "custodian-key",
        "--tender",
        tender.reference,
        "--key",
        str(ckey),
        "--certificate",
        str(ccert),
        "--out",
        str(opening),
        username="custodian1",
        live_url=live_url,
    )
    assert result.returncode == 0, result.stderr
    key_file = json.loads(opening.read_text())
    assert OpeningKey.objects.get(tender=tender, index=1).key_id == key_file["key_id"]
    # The server's SB1 code reads the CLI's file (the format is shared with the browser page).
    custodian_key_file_decrypt(key_file, tender=tender.reference, passphrase=PASSPHRASE)
    again = _cli(
        "custodian-key",
        "--tender",
        tender.reference,
        "--key",
        str(ckey),
        "--certificate",
        str(ccert),
        "--out",
        str(tmp_path / "second.json"),
        username="custodian1",
        live_url=live_url,
    )
    assert again.returncode == 1 and "already registered" in again.stderr and "--replace" in again.stderr
    # Once the other custodians registered theirs, custodian 1 confirms the list from the command line.
    from bidding.sb1.custodian import opening_key_registration_build
    from bidding.selectors.keys import confirmation_current
    from bidding.services.keys import opening_key_register
    from ledger.encoding import format_time
    from tests.suppliers.factories import custodian_certificate

    for custodian in tender.custodians.exclude(index=1):
        signing_key, certificate = custodian_certificate(custodian.user)
        opening_key_register(
            user=custodian.user,
            reference=tender.reference,
            envelope=opening_key_registration_build(
                tender=tender.reference,
                index=custodian.index,
                opening_key=client_crypto.key_generate(),
                signing_key=signing_key,
                signer=certificate.fingerprint,
                created=format_time(clock.now()),
            ),
        )
    result = _cli(
        "custodian-confirm",
        "--tender",
        tender.reference,
        "--key",
        str(ckey),
        "--certificate",
        str(ccert),
        "--opening-key",
        str(opening),
        username="custodian1",
        live_url=live_url,
    )
    assert result.returncode == 0, result.stderr
    assert confirmation_current(tender, tender.custodians.get(index=1)) is not None
    # A bidder cannot enrol as a custodian.
    refused = _cli(
        "enroll",
        "--key",
        str(key),
        "--purpose",
        "custodian",
        "--out",
        str(tmp_path / "x.pem"),
        username="supplier3",
        live_url=live_url,
    )
    assert refused.returncode == 1 and "403" in refused.stderr


def test_cli_replaces_a_lost_opening_key_until_publication(live_url, demo, tmp_path):
    """custodian-key --replace: a new key file is written first, the old key id is reported replaced;
    once the tender is published the client refuses before making a key, and nothing changes."""
    from tenders.constants import TenderStatus
    from tenders.models import Tender

    now = clock.now()
    tender = make_tender(demo, issue=now + dt.timedelta(days=1), deadline=now + dt.timedelta(days=40))
    ckey, ccert = tmp_path / "c.json", tmp_path / "c.pem"
    assert _cli("keygen", "--out", str(ckey), live_url=live_url).returncode == 0
    enrolled = _cli(
        "enroll", "--key", str(ckey), "--purpose", "custodian", "--out", str(ccert),
        username="custodian2", live_url=live_url,
    )  # fmt: skip
    assert enrolled.returncode == 0, enrolled.stderr
    key_args = [
        "custodian-key",
        "--tender",
        tender.reference,
        "--key",
        str(ckey),
        "--certificate",
        str(ccert),
    ]
    first = _cli(*key_args, "--out", str(tmp_path / "first.json"), username="custodian2", live_url=live_url)
    assert first.returncode == 0, first.stderr
    old_key_id = json.loads((tmp_path / "first.json").read_text())["key_id"]

    replacement = tmp_path / "replacement.json"
    replaced = _cli(
        *key_args, "--out", str(replacement), "--replace", "--reason", "U 盘损坏",
        username="custodian2", live_url=live_url,
    )  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr
    new_key_id = json.loads(replacement.read_text())["key_id"]
    assert old_key_id in replaced.stdout and new_key_id in replaced.stdout
    assert OpeningKey.objects.get(tender=tender, index=2).key_id == new_key_id
    custodian_key_file_decrypt(
        json.loads(replacement.read_text()), tender=tender.reference, passphrase=PASSPHRASE
    )

    Tender.objects.filter(pk=tender.pk).update(status=TenderStatus.PUBLISHED)
    late = _cli(
        *key_args, "--out", str(tmp_path / "late.json"), "--replace", username="custodian2", live_url=live_url
    )
    assert late.returncode == 1 and "published" in late.stderr
    assert not (tmp_path / "late.json").exists()
    assert OpeningKey.objects.get(tender=tender, index=2).key_id == new_key_id


def test_client_runs_on_a_bidders_machine_without_server_settings(tmp_path):
    """The client shares bidding.sb1 with the server, but needs no Django settings: a refusal from
    the shared SB1 code reaches the person as a readable message."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from bidding.client import cli, crypto\n"
        "cli._messages_without_a_server()\n"
        "f = crypto.key_file_write(crypto.key_generate(), kind=crypto.CUSTODIAN_KEY_TYPE, passphrase='right', tender='T-1')\n"
        "try:\n"
        "    crypto.key_file_read(f, kind=crypto.CUSTODIAN_KEY_TYPE, passphrase='wrong', tender='T-1')\n"
        "except crypto.KeyFileError as refusal:\n"
        "    print(refusal)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, str(probe)], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    assert "wrong passphrase" in result.stdout

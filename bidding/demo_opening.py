"""A demo tender whose deadline passes minutes from now, with three sealed bids, so a newcomer can
run a whole opening ceremony in three browser windows (the host and two of the three custodians).

Only on a demo installation (settings.DEMO_KEY_FILES_ALLOWED): the custodians answer with the key
files the demo keeps for them (bidding/demo.py). Everything after the tender's creation goes through
the real services: the custodians' opening keys are registered and confirmed, the tender is
published (notice in the ledger), the bids are sealed with the SB1 client code and sent through the
submission services (receipts in the ledger), and the seal, the shares and the opening happen live.

What is constructed: the tender skips its approval flow (the approval is shown elsewhere in the
demo), and its rule-set snapshot waives the method's minimum periods, which would otherwise keep the
deadline weeks away. The snapshot says so (`demo_periods_waived`), and so does the notice."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import Demo
from bidding import demo as bidding_demo
from bidding.client.crypto import SIGNING_KEY_TYPE, key_file_read
from bidding.sb1 import p256
from bidding.sb1.sealing import BidSealer, manifest_bytes
from bidding.selectors.submission import tender_custodian_keys
from bidding.services.submission import bid_chunk_put, bid_finalize, bid_upload_open
from config import clock
from ledger.encoding import b64u_encode, format_time
from procurement.methods import procurement_methods_ensure
from suppliers.models import Certificate
from tenders import services as tender_services
from tenders.constants import TenderStatus
from tenders.models import Tender

PRICES = {"supplier1": "486000.00", "supplier2": "472500.00", "supplier3": "491800.00"}
DELIVERY_DAYS = {"supplier1": "30", "supplier2": "45", "supplier3": "25"}
# The custodians who answer in the browser walkthrough (two of three are enough: k = 2).
ANSWERING = ("custodian1", "custodian2")
SHARE_WINDOW_S = 300


class DemoOpeningRefused(Exception):
    """This installation is not a demo: no custodian's key may be kept, so nothing could be opened."""


@dataclass
class DemoOpening:
    tender: Tender
    key_dir: Path
    steps: list[str]


def _custodian_signing(user) -> tuple[ec.EllipticCurvePrivateKey, str]:
    """The custodian's kept signing key (the file the browser restores) while its certificate is
    valid; otherwise a fresh one, enrolled and kept (bidding/demo.py)."""
    folder = bidding_demo.demo_key_dir() / user.username
    path = folder / "signing-key.json"
    if path.exists():
        key = key_file_read(
            path.read_bytes(), kind=SIGNING_KEY_TYPE, passphrase=bidding_demo.DEMO_KEY_PASSPHRASE
        )
        point = b64u_encode(p256.public_key_bytes(key))
        certificate = (
            Certificate.objects.filter(
                holder=user, public_key=point, revoked_at__isnull=True, not_after__gt=clock.now()
            )
            .order_by("-not_before")
            .first()
        )
        if certificate is not None:
            return key, certificate.fingerprint
    return bidding_demo.custodian_signing_key_make(user)


def _tender_draft(demo: Demo, deadline: datetime) -> Tender:
    officer, now = demo.users["officer"], clock.now()
    methods = procurement_methods_ensure()
    stamp = timezone.localtime(now).strftime("%m%d%H%M")
    tender = tender_services.tender_create(
        by=officer,
        buyer=demo.orgs["buyer"],
        agency=demo.orgs["agency"],
        method=methods["open_tender"],
        title=f"虹口区实验小学多媒体教室设备采购项目（开标演示 {stamp}）",
        budget=Decimal("500000.00"),
        max_price=Decimal("495000.00"),
        procurement_kind="goods",
        category_code="A020101",
        region="310109",
        description=(
            "采购多媒体教室设备一批（交互式平板、音响、讲台）及安装调试。"
            "本项目为开标演示：投标截止时间设在发布后数分钟，法定期限已为演示豁免。"
        ),
        qualification_requirements="具有独立承担民事责任的能力；参加政府采购活动前三年内没有重大违法记录。",
        document_instructions="登录一站平台在本公告页面免费下载采购文件。",
        document_start=now,
        document_end=deadline - timedelta(minutes=1),
        bid_deadline=deadline,
        contact_name="陈静",
        contact_phone="021-63210000",
        bid_security=Decimal("5000.00"),
        readout_fields=["delivery_days"],
        threshold_k=2,
        # Two custodians are enough to open once the window ends; all three open it at once.
        share_window_s=SHARE_WINDOW_S,
    )
    tender_services.tender_criteria_set(
        tender_id=tender.pk,
        by=officer,
        criteria=[
            {"name": "价格", "weight": "30", "is_price": True},
            {"name": "技术方案", "weight": "60"},
            {"name": "售后服务", "weight": "10"},
        ],
    )
    tender_services.tender_custodians_set(
        tender_id=tender.pk, by=officer, users=[demo.users[f"custodian{i}"] for i in (1, 2, 3)]
    )
    tender_services.tender_document_add(
        tender_id=tender.pk,
        by=officer,
        title="采购文件",
        upload=ContentFile("多媒体教室设备采购文件（开标演示）\n".encode(), name="采购文件.txt"),
    )
    # Periods waived in the snapshot the publication is judged by (module docstring).
    rules = tender.method.rule_set()
    for name in list(rules):
        if name.endswith("_days"):
            rules[name] = None
    rules["demo_periods_waived"] = True
    Tender.objects.filter(pk=tender.pk).update(
        status=TenderStatus.IN_APPROVAL, rule_set=rules, submitted_at=now
    )
    return Tender.objects.get(pk=tender.pk)


def _keys_ready(tender: Tender) -> None:
    """Each custodian registers a kept opening key and confirms, as the custodian page does."""
    custodians = list(tender.custodians.select_related("user").order_by("index"))
    signing = {c.index: _custodian_signing(c.user) for c in custodians}
    for custodian in custodians:
        bidding_demo.opening_key_register_kept(custodian, tender, *signing[custodian.index])
    for custodian in custodians:
        bidding_demo.custodian_confirm_kept(custodian, tender, *signing[custodian.index])


def _bid(tender: Tender, demo: Demo, key: str) -> None:
    """Supplier `key` seals and submits one bid, as the Python client does (bidding/client/bid.py)."""
    user, supplier = demo.users[key], demo.orgs[key].supplier
    signing_key, fingerprint = bidding_demo.key_enrolled(user, "bidder")
    sealer = BidSealer(
        tender=tender.reference,
        lot=None,
        bid=str(uuid.uuid4()),
        supplier=supplier.credit_code,
        readout={"price": PRICES[key], "currency": "CNY", "delivery_days": DELIVERY_DAYS[key]},
        readout_fields=list(tender.readout_fields),
        attachments=[],
        custodians=tender_custodian_keys(tender),
        threshold=tender.threshold_k,
    )
    chunks = list(sealer.seal_file(0))
    bid_upload_open(
        user=user,
        tender_reference=tender.reference,
        lot=None,
        bid=sealer.bid,
        file_sizes=[sealer.file_size(0)],
    )
    for index, data in enumerate(chunks):
        bid_chunk_put(user=user, bid=sealer.bid, file_index=0, index=index, data=data, sha256=_sha256(data))
    manifest = sealer.manifest(replaces=None, signer=fingerprint, created=format_time(clock.now()))
    raw = manifest_bytes(manifest)
    signature = b64u_encode(p256.ecdsa_sign(signing_key, "SB1/manifest", raw))
    bid_finalize(user=user, bid=sealer.bid, manifest=raw, signature=signature)


def _sha256(data: bytes) -> str:
    return b64u_encode(hashlib.sha256(data).digest())


def demo_opening_make(demo: Demo, *, minutes: int = 5, seconds: int = 0) -> DemoOpening:
    """A published demo tender closing `minutes` (+ `seconds`) from now, with three sealed bids."""
    folder = bidding_demo.demo_key_dir()
    if folder is None:
        raise DemoOpeningRefused
    deadline = (clock.now() + timedelta(minutes=minutes, seconds=seconds)).replace(microsecond=0)
    with transaction.atomic():
        tender = _tender_draft(demo, deadline)
        _keys_ready(tender)
        tender = tender_services.tender_publish(tender_id=tender.pk, by=demo.users["director"])
    for key in PRICES:
        _bid(tender, demo, key)
    tender.refresh_from_db()
    return DemoOpening(tender=tender, key_dir=folder, steps=demo_opening_steps(tender, folder))


def demo_opening_latest() -> Tender | None:
    """The most recent demo-opening tender (for the home page of a demo installation)."""
    return Tender.objects.filter(rule_set__demo_periods_waived=True).order_by("-published_at").first()


def demo_opening_steps(tender: Tender, folder: Path) -> list[str]:
    """The walkthrough printed by the command (and shown on a demo installation's home page)."""
    site = settings.SITE_URL.rstrip("/")
    room = f"{site}/opening/{tender.reference}/"
    local = timezone.localtime(tender.bid_deadline)
    return [
        f"Tender {tender.reference} closes at {local:%Y-%m-%d %H:%M:%S} (Beijing time); three bids are sealed in it.",
        "Open three browser windows that do not share a sign-in (e.g. a normal window, a private window and "
        "another browser). The officer and the custodians sign in with the demo password and then the "
        "authenticator code `manage.py demo_totp` prints.",
        f"Window 1, the host: sign in as `officer` and open {room}",
        *(
            f"Window {n}, a custodian: sign in as `{name}`, open {site}/suppliers/certificates/ and restore the "
            f"signing key from {folder / name / 'signing-key.json'} (passphrase {bidding_demo.DEMO_KEY_PASSPHRASE}); "
            f"then open {room}"
            for n, name in enumerate(ANSWERING, 2)
        ),
        "At the deadline the platform seals the bids. Each custodian then chooses "
        f"{tender.reference}-opening-key.json in its folder, enters the same passphrase and submits its shares.",
        f"Two of the three custodians are enough: the bids open when the share window ends "
        f"({SHARE_WINDOW_S // 60} minutes after the deadline), or at once if custodian3 answers too in a fourth "
        "window. The read-out appears in every window, and the signed opening record can be checked against "
        "the public ledger.",
    ]


__all__ = ["DemoOpening", "DemoOpeningRefused", "demo_opening_make", "demo_opening_steps"]

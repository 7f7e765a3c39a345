"""Demo: the expert pool (expert1…expert7, one declared family tie), and — unless settings turn it
off (tests do) — one tender already through its opening and into evaluation, with the committee
drawn, so `make run` shows the workspace. Loading twice changes nothing.

The demo tender's opening is constructed, not performed: the demo custodians' keys are thrown away
(bidding/demo.py), so no demo tender can really be opened. Its bids, opening rows and sealed forms
are written directly, and their receipts and seal are NOT in the ledger; the opening record (signed
PDF, in the ledger), the draw (committed and revealed in the ledger) and everything the committee
does afterwards go through the real services."""

import hashlib
import json
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.demo import Demo
from bidding import at_rest
from bidding.ceremony_constants import BidOpeningState, CeremonyPhase
from bidding.models import BidOpening, BidReceipt, BidUpload, BidVersion, CeremonyRoom
from bidding.services.opening import opening_record_issue
from config import clock
from evaluation.constants import RelationshipKind
from evaluation.models import CommitteeMember, Draw, ExpertProfile, Relationship
from evaluation.services import committee_draw, expert_profile_save, member_respond
from ledger.encoding import b64u_encode
from procurement.methods import procurement_methods_ensure
from tenders import services as tender_services
from tenders.constants import TenderStatus
from tenders.models import Tender

DEMO_TITLE = "长宁区第三中学录播教室设备采购项目（评标演示）"
SPECIALITIES = {
    1: ["A02"],
    2: ["A02", "C02"],
    3: ["A0201", "A0208"],
    4: ["A02", "A06"],
    5: ["A02"],
    6: ["A0201"],
    7: ["A02", "C16"],
}
PRICES = {"supplier1": "468000.00", "supplier2": "489500.00", "supplier3": "455800.00"}


def _pool(demo: Demo) -> None:
    supervisor = demo.users["supervisor"]
    for i, specialities in SPECIALITIES.items():
        user = demo.users[f"expert{i}"]
        if not ExpertProfile.objects.filter(user=user).exists():
            expert_profile_save(by=supervisor, user=user, specialities=specialities, region="310000")
    # expert7 declares a family tie with supplier2's legal representative: never drawn for its bids.
    profile = ExpertProfile.objects.get(user=demo.users["expert7"])
    supplier = demo.orgs["supplier2"].supplier
    if not Relationship.objects.filter(expert=profile, supplier=supplier).exists():
        Relationship.objects.create(
            expert=profile,
            kind=RelationshipKind.FAMILY,
            supplier=supplier,
            detail="配偶之兄为该公司法定代表人",
            started_on=date(2012, 5, 1),
        )


def demo_tender_opened(demo: Demo, *, title: str = DEMO_TITLE, method: str = "open_tender") -> Tender:
    """The demo tender, in evaluation, with three opened bids and the signed opening record (awards/demo.py
    makes another with its own title and method)."""
    now = clock.now()
    methods = procurement_methods_ensure()
    tender = tender_services.tender_create(
        by=demo.users["officer"],
        buyer=demo.orgs["buyer"],
        method=methods[method],
        title=title,
        budget=Decimal("500000.00"),
        agency=demo.orgs["agency"],
        max_price=Decimal("495000.00"),
        procurement_kind="goods",
        category_code="A020101",
        region="310105",
        description="采购录播教室设备一套（含录播主机、摄像机、拾音设备）及安装调试。",
        contact_name="陈静",
        contact_phone="021-12345678",
    )
    tender_services.tender_criteria_set(
        tender_id=tender.pk,
        by=demo.users["officer"],
        criteria=[
            {"name": "价格", "weight": "40", "is_price": True},
            {"name": "技术方案", "weight": "45"},
            {"name": "售后服务", "weight": "15"},
        ],
    )
    deadline = now - timedelta(days=1)
    Tender.objects.filter(pk=tender.pk).update(
        status=TenderStatus.EVALUATION,
        status_changed_at=now,
        published_at=deadline - timedelta(days=21),
        bid_deadline=deadline,
    )
    tender.refresh_from_db()
    room = CeremonyRoom.objects.create(
        tender=tender, phase=CeremonyPhase.CLOSED, phase_changed_at=now, seal_count=3, created_at=deadline
    )
    for position, key in enumerate(PRICES, 1):
        supplier = demo.orgs[key].supplier
        user = demo.users[key]
        received = deadline - timedelta(hours=position)
        bid = str(uuid.uuid4())
        upload = BidUpload.objects.create(
            tender=tender, bid=bid, supplier=supplier, opened_by=user, file_sizes=[4096], opened_at=received
        )
        marker = hashlib.sha256(f"demo/{tender.reference}/{bid}".encode()).digest()
        receipt = BidReceipt.objects.create(
            tender=tender,
            supplier=supplier,
            supplier_code=supplier.organisation.credit_code,
            sequence=position,
            kind="demo",
            envelope={"payload": {"type": "demo", "note": "constructed by evaluation/demo.py"}},
            receipt_sha256=b64u_encode(marker),
            received_at=received,
        )
        manifest_sha256 = b64u_encode(hashlib.sha256(marker).digest())
        version = BidVersion.objects.create(
            tender=tender,
            bid=bid,
            supplier=supplier,
            upload=upload,
            submitted_by=user,
            manifest=b"{}",
            signature="",
            signer="",
            manifest_sha256=manifest_sha256,
            receipt=receipt,
            received_at=received,
        )
        readout = {"price": PRICES[key], "currency": "CNY"}
        form: dict[str, Any] = {
            "suite": "SB1",
            "tender": tender.reference,
            "lot": None,
            "bid": bid,
            "supplier": supplier.organisation.credit_code,
            "readout": readout,
            "attachments": [],
        }
        BidOpening.objects.create(
            room=room,
            version=version,
            manifest_sha256=manifest_sha256,
            supplier=supplier,
            received_at=received,
            position=position,
            state=BidOpeningState.OPENED,
            readout=readout,
            price=Decimal(PRICES[key]),
            sealed_form=at_rest.contents_seal(
                json.dumps(form, ensure_ascii=False).encode(),
                label=f"form/{tender.reference}/{manifest_sha256}",
            ),
            processed_at=deadline,
        )
    opening_record_issue(room_id=room.pk)
    return tender


def load(demo: Demo) -> None:
    _pool(demo)
    if not getattr(settings, "EVALUATION_DEMO_TENDER", True):
        return
    tender = Tender.objects.filter(title=DEMO_TITLE).first()
    if tender is None:
        with transaction.atomic():
            tender = demo_tender_opened(demo)
    if not Draw.objects.filter(tender=tender).exists():
        committee_draw(tender_id=tender.pk, by=demo.users["supervisor"])
        # Every drawn expert but the last has confirmed; the last sees the invitation waiting.
        members = list(CommitteeMember.objects.filter(tender=tender).select_related("user").order_by("pk"))
        for member in members[:-1]:
            member_respond(member_id=member.pk, user=member.user, accept=True)

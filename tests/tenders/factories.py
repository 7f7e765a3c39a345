"""Complete tenders built through the services, as officers make them."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from procurement.methods import procurement_methods_ensure
from tenders import services
from tenders.approval import tender_flow_ensure

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hm: str = "09:30") -> datetime:
    """A moment in Beijing time: at("2026-10-10", "09:30")."""
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=SHANGHAI)


def make_tender(
    demo,
    *,
    method: str = "open_tender",
    issue: datetime,
    deadline: datetime,
    document_end: datetime | None = None,
    title: str = "上海市第一中学智慧教室设备采购项目",
    kind: str = "goods",
    price_weight: str = "40",
    bid_security: str = "20000.00",
    custodians: int = 3,
    threshold: int = 2,
    lots: int = 2,
    **fields,
):
    methods = procurement_methods_ensure()
    officer = demo.users["officer"]
    budget = Decimal("1000000.00")
    values = dict(
        agency=demo.orgs["agency"],
        max_price=Decimal("980000.00"),
        procurement_kind=kind,
        category_code="A0201",
        region="310000",
        description="采购交互式智慧黑板60套及安装调试服务。",
        qualification_requirements="具有独立承担民事责任的能力；近三年无重大违法记录。",
        document_instructions="在本平台登录后下载招标文件，免费。",
        document_start=issue,
        document_end=document_end or deadline - timedelta(hours=1),
        question_deadline=deadline - timedelta(days=2) if deadline - timedelta(days=2) > issue else None,
        bid_deadline=deadline,
        contact_name="陈静",
        contact_phone="021-12345678",
        bid_security=Decimal(bid_security),
        threshold_k=threshold,
        readout_fields=["delivery_days"],
    )
    values.update(fields)
    tender = services.tender_create(
        by=officer, buyer=demo.orgs["buyer"], method=methods[method], title=title, budget=budget, **values
    )
    if lots:
        share = budget / lots
        services.tender_lots_set(
            tender_id=tender.pk,
            by=officer,
            lots=[{"title": f"第{i}包 智慧黑板", "budget": share} for i in range(1, lots + 1)],
        )
    services.tender_criteria_set(
        tender_id=tender.pk,
        by=officer,
        criteria=[
            {"name": "价格", "weight": price_weight, "is_price": True},
            {"name": "技术", "weight": str(100 - Decimal(price_weight))},
        ],
    )
    services.tender_custodians_set(
        tender_id=tender.pk, by=officer, users=[demo.users[f"custodian{i}"] for i in range(1, custodians + 1)]
    )
    services.tender_document_add(
        tender_id=tender.pk,
        by=officer,
        title="招标文件",
        upload=SimpleUploadedFile("tender.pdf", b"%PDF-1.4 tender documents"),
    )
    tender.refresh_from_db()
    return tender


def publish(demo, tender):
    """Submit and have the buyer's approver approve it (the approvals engine publishes it)."""
    from approvals.models import ApprovalInstance
    from approvals.services import approval_approve

    tender_flow_ensure()
    services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
    instance = ApprovalInstance.objects.get(subject_id=str(tender.pk), subject_type__model="tender")
    approval_approve(instance_id=instance.pk, user=demo.users["director"])
    tender.refresh_from_db()
    return tender

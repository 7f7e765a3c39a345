"""Demo tenders across methods and states, some closing soon (idempotent: found again by title).

Publication goes through the real path: submit, the buyer's approver approves, the approval's
outcome publishes. Where another app's publication guard refuses (the custodians' opening keys of
`bidding`), the tender stays in approval and `publish_waiting` publishes it once the guard passes."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from config import clock
from procurement.methods import procurement_methods_ensure
from tenders import services
from tenders.approval import tender_flow_ensure
from tenders.constants import TenderStatus
from tenders.exceptions import TenderRulesViolated
from tenders.models import Tender
from tenders.rules import earliest_deadline_date
from workdays import calendar

# (title, method, kind, category, budget, days to deadline (calendar) or "wd:N" working days, target state)
DEMO_TENDERS = [
    (
        "上海市第一中学智慧教室交互式黑板采购项目",
        "open_tender",
        "goods",
        "A020101",
        "1200000.00",
        25,
        "published",
    ),
    (
        "浦东新区人民医院医用空调维保服务项目",
        "open_tender",
        "services",
        "C1601",
        "860000.00",
        30,
        "published",
    ),
    (
        "静安区图书馆古籍数字化加工服务项目",
        "competitive_consultation",
        "services",
        "C0801",
        "450000.00",
        12,
        "published",
    ),
    ("徐汇区教育局教师用笔记本电脑询价采购", "enquiry", "goods", "A020102", "380000.00", "wd:3", "published"),
    (
        "长宁区政务服务中心叫号系统升级竞争性谈判",
        "competitive_negotiation",
        "goods",
        "A0208",
        "260000.00",
        "wd:3",
        "published",
    ),
    (
        "上海市教育考试院标准化考点视频监控采购项目",
        "invitation",
        "goods",
        "A0209",
        "2300000.00",
        21,
        "published",
    ),
    ("闵行区中小学食堂食材配送服务项目", "open_tender", "services", "C2301", "3600000.00", 28, "amended"),
    ("杨浦区职业学校实训室数控机床采购项目", "open_tender", "goods", "A0211", "5400000.00", 26, "clarified"),
    ("黄浦区校园网络安全等级保护测评服务", "open_tender", "services", "C0203", "300000.00", 22, "cancelled"),
    ("宝山区特殊教育学校康复训练设备采购", "single_source", "goods", "A0316", "520000.00", 6, "published"),
    ("嘉定区教育局2027年度办公家具采购项目", "open_tender", "goods", "A0601", "900000.00", 35, "in_approval"),
    ("青浦区中学物理实验室改造项目", "open_tender", "goods", "A0203", "1500000.00", 40, "draft"),
]


def _deadline(days, method) -> datetime:
    """The deadline `days` from today, or later when the method's periods need more (near holidays)."""
    today = clock.today_local()
    if isinstance(days, str):
        day = calendar.add_working_days(today, int(days.removeprefix("wd:")))
    else:
        day = today + timedelta(days=days)
    rules = method.rule_set()
    earliest = earliest_deadline_date(rules=rules, issue=clock.now())
    if rules["document_period_working_days"]:
        # The documents stay available until an hour before the deadline: at least that long.
        documents_until = calendar.add_working_days(today, rules["document_period_working_days"])
        earliest = max(earliest or documents_until, documents_until + timedelta(days=1))
    day = max(day, earliest or day)
    while not calendar.is_working_day(day):  # an opening on a working day, never in a holiday
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _make(demo, title, method, kind, category, budget, days):
    officer, methods = demo.users["officer"], procurement_methods_ensure()
    now = clock.now()
    deadline = _deadline(days, methods[method])
    budget = Decimal(budget)
    tender = services.tender_create(
        by=officer,
        buyer=demo.orgs["buyer"],
        agency=demo.orgs["agency"],
        method=methods[method],
        title=title,
        budget=budget,
        max_price=(budget * Decimal("0.98")).quantize(Decimal("0.01")),
        procurement_kind=kind,
        category_code=category,
        region="310000",
        description=f"{title}：具体技术参数、数量及服务要求详见招标文件第三章。",
        qualification_requirements="具有独立承担民事责任的能力；具有良好的商业信誉和健全的财务会计制度；"
        "参加政府采购活动前三年内，在经营活动中没有重大违法记录。",
        document_instructions="登录一站平台在本公告页面免费下载采购文件。",
        document_start=now,
        document_end=deadline - timedelta(hours=1),
        question_deadline=deadline - timedelta(days=1) if deadline - timedelta(days=2) > now else None,
        bid_deadline=deadline,
        contact_name="陈静",
        contact_phone="021-63210000",
        bid_security=(budget * Decimal("0.01")).quantize(Decimal("0.01")),
        readout_fields=["delivery_days"],
        required_documents=["营业执照", "财务审计报告", "技术响应表"],
        threshold_k=2,
    )
    half = (budget / 2).quantize(Decimal("0.01"))
    services.tender_lots_set(
        tender_id=tender.pk,
        by=officer,
        lots=[{"title": "第一包", "budget": half}, {"title": "第二包", "budget": budget - half}],
    )
    price_weight = "30" if kind == "goods" else "20"
    services.tender_criteria_set(
        tender_id=tender.pk,
        by=officer,
        criteria=[
            {"name": "价格", "weight": price_weight, "is_price": True},
            {"name": "技术方案", "weight": str(100 - int(price_weight) - 10)},
            {"name": "售后服务", "weight": "10"},
        ],
    )
    services.tender_custodians_set(
        tender_id=tender.pk, by=officer, users=[demo.users[f"custodian{i}"] for i in (1, 2, 3)]
    )
    services.tender_document_add(
        tender_id=tender.pk,
        by=officer,
        title="采购文件",
        upload=ContentFile(f"{title}\n采购文件（演示）\n".encode(), name="采购文件.txt"),
    )
    return Tender.objects.get(pk=tender.pk)


def _approve(demo, tender) -> bool:
    """The buyer's approver approves; False when a publication guard refused (left in approval)."""
    from approvals.models import ApprovalInstance
    from approvals.services import approval_approve

    instance = ApprovalInstance.objects.filter(
        subject_type__model="tender", subject_id=str(tender.pk), status="running"
    ).first()
    if instance is None:
        return False
    try:
        with transaction.atomic():
            approval_approve(instance_id=instance.pk, user=demo.users["director"])
    except TenderRulesViolated:
        return False
    return True


def publish_waiting(demo) -> list[str]:
    """Approve the demo tenders still waiting in approval (e.g. after the custodians' keys were
    registered); returns the references published now."""
    published = []
    for title, *_rest, target in DEMO_TENDERS:
        tender = Tender.objects.filter(title=title, status=TenderStatus.IN_APPROVAL).first()
        if tender and target != "in_approval" and _approve(demo, tender):
            published.append(tender.reference)
            _after_publication(demo, Tender.objects.get(pk=tender.pk), target)
    return published


def _after_publication(demo, tender, target):
    officer = demo.users["officer"]
    if target == "amended":
        services.tender_amend(tender_id=tender.pk, by=officer, summary="第三章技术参数第5项更正为“不低于”。")
    elif target == "clarified":
        question = services.question_ask(
            tender_id=tender.pk, by=demo.users["supplier1"], text="数控系统是否接受国产品牌？"
        )
        services.question_answer(
            question_id=question.pk, by=officer, answer="接受国产品牌，性能不低于招标文件要求即可。"
        )
    elif target == "cancelled":
        services.tender_cancel(tender_id=tender.pk, by=officer, reason="采购需求发生重大变化，本项目终止。")


def load(demo) -> None:
    tender_flow_ensure()
    for title, method, kind, category, budget, days, target in DEMO_TENDERS:
        if Tender.objects.filter(title=title).exists():
            continue
        with transaction.atomic():
            tender = _make(demo, title, method, kind, category, budget, days)
            if target != "draft":
                services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
        if target not in ("draft", "in_approval") and _approve(demo, tender):
            _after_publication(demo, Tender.objects.get(pk=tender.pk), target)

"""Demo: one tender (competitive consultation, so no candidates' publicity is needed) carried from
its opening through the whole evaluation to the announced result, so `make run` shows a result
announcement on the public results list, the winner's signed award notice and each bidder's own
result. Like evaluation's demo tender its opening is constructed (evaluation/demo.py); everything
from the committee draw on goes through the real services. Off when settings turn the demo tenders
off (tests do). Loading twice changes nothing."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.demo import Demo
from approvals.services import approval_approve
from awards.constants import AwardStatus
from awards.demo_after import load as load_after_award
from awards.models import AwardDecision
from awards.selectors import ranked_candidates
from awards.services import award_decision_propose, result_announce
from bidding.selectors.opened import bid_openings
from evaluation.demo import demo_tender_opened
from evaluation.models import CommitteeMember
from evaluation.services import (
    committee_draw,
    evaluation_report_issue,
    finding_record,
    member_respond,
    reviews_submit,
    score_record,
    scores_submit,
)
from tenders.constants import TenderStatus
from tenders.models import Tender
from tenders.services import tender_search_index

RESULT_TITLE = "闵行区实验小学录播教室设备采购项目（结果公告演示）"
# Points per supplier for the two non-price criteria (技术方案 45, 售后服务 15).
POINTS = {"supplier1": ("40", "13"), "supplier2": ("36", "12"), "supplier3": ("38", "12")}
MAIN_ITEMS = [
    {
        "name": "录播主机",
        "specification": "4路4K 录播一体机",
        "quantity": "1台",
        "unit_price": "128000.00",
        "service": "安装调试",
    },
    {
        "name": "跟踪摄像机",
        "specification": "20倍光学变焦",
        "quantity": "4台",
        "unit_price": "36500.00",
        "service": "三年质保",
    },
    {
        "name": "阵列拾音设备",
        "specification": "吊装式",
        "quantity": "6套",
        "unit_price": "18800.00",
        "service": "培训两次",
    },
]


def _evaluate(demo: Demo, tender: Tender) -> None:
    committee_draw(tender_id=tender.pk, by=demo.users["supervisor"])
    members = list(CommitteeMember.objects.filter(tender=tender).select_related("user").order_by("pk"))
    for member in members:
        member_respond(member_id=member.pk, user=member.user, accept=True)
    bids = bid_openings(tender_id=tender.pk)
    criteria = list(tender.criteria.filter(is_price=False).order_by("position"))
    by_supplier = {demo.orgs[key].supplier.pk: points for key, points in POINTS.items()}
    for member in members:
        for opening in bids:
            finding_record(tender_id=tender.pk, user=member.user, opening_id=opening.pk, compliant=True)
        reviews_submit(tender_id=tender.pk, user=member.user)
    for member in members:
        for opening in bids:
            for criterion, points in zip(criteria, by_supplier[opening.supplier_id], strict=True):
                score_record(
                    tender_id=tender.pk,
                    user=member.user,
                    opening_id=opening.pk,
                    criterion_id=criterion.pk,
                    points=points,
                )
        scores_submit(tender_id=tender.pk, user=member.user)
    evaluation_report_issue(tender_id=tender.pk, user=members[0].user)


def load(demo: Demo) -> None:
    if not getattr(settings, "EVALUATION_DEMO_TENDER", True):
        return
    _load_award(demo)
    load_after_award(demo)  # the contract of the announced tender, a pending challenge (awards/demo_after.py)


def _load_award(demo: Demo) -> None:
    tender = Tender.objects.filter(title=RESULT_TITLE).first()
    if tender is None:
        with transaction.atomic():
            tender = demo_tender_opened(demo, title=RESULT_TITLE, method="competitive_consultation")
            tender_search_index(tender_id=tender.pk)  # the public finds its result by a phrase
    if tender.status == TenderStatus.EVALUATION:
        _evaluate(demo, tender)
        tender.refresh_from_db()
    if tender.status != TenderStatus.AWAITING_AWARD:
        return
    decision = AwardDecision.objects.exclude(status=AwardStatus.REOPENED).filter(tender=tender).first()
    if decision is None:
        first = ranked_candidates(tender)[0]["opening"]
        decision = award_decision_propose(tender_id=tender.pk, by=demo.users["officer"], opening_id=first.pk)
        assert decision.approval_id is not None  # the proposal put it into its approval flow
        approval_approve(instance_id=decision.approval_id, user=demo.users["director"], comment="同意")
        decision.refresh_from_db()
    if decision.status == AwardStatus.DECIDED:
        result_announce(
            decision_id=decision.pk,
            by=demo.users["officer"],
            main_items=MAIN_ITEMS,
            agency_fee=Decimal("5200.00"),
        )

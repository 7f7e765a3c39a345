"""Tenders for the award tests: run through the opening and the whole evaluation to the signed
report (the tender awaits the award), then decided and approved, then announced."""

import datetime as dt
from decimal import Decimal

import time_machine

from approvals.services import approval_approve
from awards.services import award_decision_propose, result_announce
from bidding.selectors.opened import bid_openings
from evaluation.models import EvaluationReport
from evaluation.services import (
    evaluation_report_issue,
    finding_record,
    reviews_submit,
    score_record,
    scores_submit,
)
from tests.evaluation.factory import committee, opened_tender

BEIJING = dt.timezone(dt.timedelta(hours=8))
# Technical points per price, price weight 40, benchmark 480,000: supplier3 (495,000) 38.79 + 52 =
# 90.79 ranks first, supplier1 (480,000) 40.00 + 50 = 90.00 second, supplier2 (510,000) 37.65 + 44 =
# 81.65 third.
PRICES = ["480000.00", "510000.00", "495000.00"]
POINTS = {Decimal("480000.00"): "50", Decimal("510000.00"): "44", Decimal("495000.00"): "52"}
MAIN_ITEMS = [
    {
        "name": "交互式智慧黑板",
        "specification": "86英寸 4K",
        "quantity": "60套",
        "unit_price": "7800.00",
        "service": "安装调试，三年质保",
    }
]


def at(day: str, clock: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BEIJING)


def awaiting_award(demo, **kwargs):
    """A tender whose committee (five confirmed experts) passed all three bids, scored them and
    issued its signed report on 2026-12-01. Returns (ceremony, members)."""
    ceremony = opened_tender(demo, prices=PRICES, **kwargs)
    tender = ceremony.tender
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=2), tick=False):
        members = committee(demo, tender)
        bids = bid_openings(tender_id=tender.pk)
        for member in members:
            for opening in bids:
                finding_record(tender_id=tender.pk, user=member.user, opening_id=opening.pk, compliant=True)
            reviews_submit(tender_id=tender.pk, user=member.user)
        technical = tender.criteria.get(is_price=False)
        for member in members:
            for opening in bids:
                score_record(
                    tender_id=tender.pk,
                    user=member.user,
                    opening_id=opening.pk,
                    criterion_id=technical.pk,
                    points=POINTS[opening.price],
                )
            scores_submit(tender_id=tender.pk, user=member.user)
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=3), tick=False):
        evaluation_report_issue(tender_id=tender.pk, user=members[0].user)
    tender.refresh_from_db()
    return ceremony, members


def report_moved(tender, moment: dt.datetime) -> None:
    """Pretend the report was issued at `moment` (to put a time limit across a holiday)."""
    EvaluationReport.objects.filter(tender=tender).update(issued_at=moment)
    tender.refresh_from_db()


def bid_of(tender, price: str):
    return next(o for o in bid_openings(tender_id=tender.pk) if o.price == Decimal(price))


def decided(demo, tender, *, price: str = "495000.00", **choice):
    """The officer chooses the bid at `price`; the buyer's director approves."""
    decision = award_decision_propose(
        tender_id=tender.pk, by=demo.users["officer"], opening_id=bid_of(tender, price).pk, **choice
    )
    approval_approve(instance_id=decision.approval_id, user=demo.users["director"])
    decision.refresh_from_db()
    return decision


def announced(demo, tender, decision, *, fee: str = "6800.00"):
    return result_announce(
        decision_id=decision.pk, by=demo.users["officer"], main_items=MAIN_ITEMS, agency_fee=fee
    )

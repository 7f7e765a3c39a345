"""The committee's outcome, read from its findings and scores: which bids pass (majority; above the
maximum price never), whether every member has submitted, who may see whose scores, and the
ranked results (arithmetic in `evaluation.scoring`)."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bidding.ceremony_constants import BidOpeningState
from bidding.models import BidOpening
from evaluation import scoring
from evaluation.constants import MemberState
from evaluation.exceptions import ScoresHidden
from evaluation.models import CommitteeMember, ComplianceFinding, Score
from evaluation.selectors import WorkspaceAccess, committee_shape, settings_for
from tenders.constants import EvaluationMethod
from tenders.models import Tender


def opened_bids(tender: Tender) -> list[BidOpening]:
    return list(
        BidOpening.objects.filter(room__tender=tender, state=BidOpeningState.OPENED)
        .select_related("supplier__organisation")
        .order_by("position")
    )


def above_max_price(tender: Tender, opening: BidOpening) -> bool:
    return tender.max_price is not None and opening.price is not None and opening.price > tender.max_price


def _confirmed(tender: Tender):
    return CommitteeMember.objects.filter(tender=tender, state=MemberState.CONFIRMED)


def compliance_majority(tender: Tender) -> dict[int, bool]:
    """{opening id: passes} by majority of the confirmed members' findings; a bid above the maximum
    price never passes, whatever the findings."""
    members = list(_confirmed(tender))
    result = {}
    for opening in opened_bids(tender):
        yes = ComplianceFinding.objects.filter(member__in=members, opening=opening, compliant=True).count()
        result[opening.pk] = yes * 2 > len(members) and not above_max_price(tender, opening)
    return result


def reviews_complete(tender: Tender) -> bool:
    """Every seat is filled by a confirmed member and each has submitted findings."""
    confirmed = _confirmed(tender)
    full = confirmed.count() >= committee_shape(tender).size
    return full and not confirmed.filter(reviews_submitted_at__isnull=True).exists()


def scores_complete(tender: Tender) -> bool:
    confirmed = _confirmed(tender)
    full = confirmed.count() >= committee_shape(tender).size
    return full and not confirmed.filter(scores_submitted_at__isnull=True).exists()


def scored_bids(tender: Tender) -> list[BidOpening]:
    """The bids that are scored: opened and passed by majority."""
    passed = compliance_majority(tender)
    return [o for o in opened_bids(tender) if passed.get(o.pk)]


def scores_for(access: WorkspaceAccess) -> list[Score]:
    """The scores this reader may see: a member their own until every member has submitted; then
    (and only then) everyone's, the supervisor included."""
    tender = access.tender
    if scores_complete(tender):
        return list(Score.objects.filter(member__tender=tender).select_related("member", "criterion"))
    if access.member is None:
        raise ScoresHidden()
    return list(Score.objects.filter(member=access.member).select_related("criterion"))


def evaluation_results(tender: Tender) -> list[dict[str, Any]]:
    """One row per opened bid: price, evaluated price, price score, mean points per criterion, total,
    rank (None for a bid that did not pass, with why). Complete only once every member has scored."""
    settings = settings_for(tender)
    passed = compliance_majority(tender)
    bids = opened_bids(tender)
    evaluated = {
        o.pk: scoring.evaluated_price(
            o.price,
            size_class=o.supplier.size_class,
            deduction=settings.sme_deduction,
            reserved_for_sme=settings.reserved_for_sme,
        )
        for o in bids
        if passed.get(o.pk) and o.price is not None
    }
    price_criterion = tender.criteria.filter(is_price=True).first()
    price_weight = price_criterion.weight if price_criterion else Decimal(0)
    price_points = scoring.price_scores(evaluated, weight=price_weight)
    members = list(_confirmed(tender))
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for score in Score.objects.filter(member__in=members):
        sums[(score.opening_id, score.criterion_id)] += score.points
    criteria = list(tender.criteria.filter(is_price=False).order_by("position"))
    rows = []
    for opening in bids:
        row: dict[str, Any] = {
            "opening": opening,
            "supplier": opening.supplier.organisation.name,
            "price": opening.price,
            "passed": bool(passed.get(opening.pk)),
            "above_max_price": above_max_price(tender, opening),
            "evaluated_price": evaluated.get(opening.pk),
            "price_score": price_points.get(opening.pk),
            "criteria": {},
            "technical": Decimal(0),
            "total": None,
            "rank": None,
        }
        if row["passed"]:
            for criterion in criteria:
                mean = (sums[(opening.pk, criterion.pk)] / max(len(members), 1)).quantize(
                    scoring.CENT, ROUND_HALF_UP
                )
                row["criteria"][criterion.pk] = mean
                row["technical"] += mean
            row["total"] = row["technical"] + (row["price_score"] or Decimal(0))
        rows.append(row)
    by_key = {row["opening"].pk: row for row in rows}
    valid = [row for row in rows if row["passed"]]
    if tender.evaluation_method == EvaluationMethod.LOWEST_PRICE:
        ranked = scoring.rank_lowest_price((r["opening"].pk, r["evaluated_price"]) for r in valid)
    else:
        ranked = scoring.rank_comprehensive(
            (r["opening"].pk, r["total"], r["price"], r["technical"]) for r in valid
        )
    for item in ranked:
        by_key[item.key]["rank"] = item.rank
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["opening"].position))

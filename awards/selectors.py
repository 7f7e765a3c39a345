"""What each party may read about an award: the ranked candidates (officers), a bidder's own
result (that bidder only), the published results (everyone)."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from accounts.constants import Role
from accounts.selectors import user_has_role
from awards.constants import AwardStatus
from awards.deadlines import is_tendering  # noqa: F401  (the pages ask it through the selectors)
from awards.models import AwardDecision, BidderNotice, CandidatePublicity, ResultAnnouncement
from evaluation.results import evaluation_results
from suppliers.selectors import suppliers_of
from tenders.constants import AnnouncementKind
from tenders.models import Announcement, Tender
from tenders.permissions import is_tender_officer
from tenders.selectors import announcements_public


def may_manage(*, user: Any, tender: Tender) -> bool:
    return bool(user.is_authenticated) and is_tender_officer(user=user, tender=tender)


def may_follow(*, user: Any, tender: Tender) -> bool:
    """Officers and supervisors follow the whole award; bidders only their own result."""
    return may_manage(user=user, tender=tender) or (
        bool(user.is_authenticated) and user_has_role(user=user, role=Role.SUPERVISOR)
    )


def ranked_candidates(tender: Tender) -> list[dict[str, Any]]:
    """The committee's recommended order: bids that passed, by rank (evaluation.results)."""
    return [row for row in evaluation_results(tender) if row["rank"] is not None]


def decision_current(tender: Tender, lot=None) -> AwardDecision | None:
    """The live decision (in approval, decided or announced), or None when none is, or the last was sent back."""
    return (
        AwardDecision.objects.filter(tender=tender, lot=lot)
        .exclude(status=AwardStatus.REOPENED)
        .select_related("supplier__organisation", "opening")
        .order_by("-proposed_at", "-pk")
        .first()
    )


def decisions_of(tender: Tender) -> QuerySet[AwardDecision]:
    return (
        AwardDecision.objects.filter(tender=tender)
        .select_related("supplier__organisation")
        .order_by("-proposed_at", "-pk")
    )


def publicity_of(tender: Tender) -> CandidatePublicity | None:
    return CandidatePublicity.objects.filter(tender=tender).select_related("announcement").first()


def bidder_suppliers(*, user: Any, tender: Tender) -> list:
    """The suppliers the user works for that bid in this tender's opening."""
    from bidding.models import BidOpening

    mine = suppliers_of(user=user)
    bid = BidOpening.objects.filter(room__tender=tender, supplier__in=mine).values_list(
        "supplier_id", flat=True
    )
    return list(mine.filter(pk__in=bid))


def own_notices(*, user: Any, tender: Tender) -> list[BidderNotice]:
    """The notices of the user's own supplier for the live decision: never another bidder's."""
    suppliers = bidder_suppliers(user=user, tender=tender)
    if not suppliers:
        return []
    return list(
        BidderNotice.objects.filter(
            decision__tender=tender, decision__status=AwardStatus.ANNOUNCED, supplier__in=suppliers
        ).select_related("decision", "document", "supplier__organisation")
    )


def result_of(tender: Tender) -> ResultAnnouncement | None:
    return (
        ResultAnnouncement.objects.filter(decision__tender=tender, decision__status=AwardStatus.ANNOUNCED)
        .select_related("announcement", "decision")
        .first()
    )


def results_public() -> QuerySet[Announcement]:
    """Every published result announcement, newest first (the public results list and its feed)."""
    return announcements_public(kind=AnnouncementKind.RESULT)


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def notice_document_readable(*, user: Any, ref: str) -> bool:
    """The signed award notice: the winner's own people and the tender's officers read it."""
    notice = (
        BidderNotice.objects.filter(pk=int(ref) if ref.isdigit() else 0)
        .select_related("decision__tender")
        .first()
    )
    if notice is None:
        return False
    tender = notice.decision.tender
    return (
        may_manage(user=user, tender=tender) or suppliers_of(user=user).filter(pk=notice.supplier_id).exists()
    )


def tender_by_reference(reference: str) -> Tender:
    from config.exceptions import NotFound

    tender = Tender.objects.select_related("method", "buyer", "agency").filter(reference=reference).first()
    if tender is None:
        raise NotFound()
    return tender


def deadline_row(d: Any) -> dict[str, Any]:
    """One time limit (an `awards.deadlines.Deadline`) as the pages and the API show it: last day,
    days left (or overdue), met when and whether late."""
    return {
        "key": d.key,
        "label": str(d.label),
        "due_on": d.due_on.isoformat(),
        "days_left": d.days_left() if d.is_open else None,
        "working_days_left": d.working_days_left() if d.is_open else None,
        "overdue": d.overdue(),
        "overdue_days": -d.days_left() if d.overdue() else 0,
        "done_at": d.done_at.isoformat() if d.done_at else None,
        "late": d.met_late(),
        "article": d.article,
    }


def deadline_rows(tender: Tender, keys: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The award's time limits (decision, publicity, result), or those named by `keys`."""
    from awards.deadlines import award_deadlines

    return [deadline_row(d) for d in award_deadlines(tender) if keys is None or d.key in keys]


def candidates_data(tender: Tender) -> list[dict[str, Any]]:
    """The recommended order for the officers (who read the committee's report anyway)."""
    return [
        {
            "opening": row["opening"].pk,
            "rank": row["rank"],
            "supplier": row["opening"].supplier.organisation.name,
            "price": money(row["price"]),
            "total": money(row["total"]),
        }
        for row in ranked_candidates(tender)
    ]


def decision_data(decision: AwardDecision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "supplier": decision.supplier.organisation.name,
        "rank": decision.rank,
        "reason": decision.reason,
        "reason_label": decision.get_reason_display(),
        "reason_detail": decision.reason_detail,
        "amount": money(decision.amount),
        "status": decision.status,
        "approval": decision.approval_id,
        "proposed_at": decision.proposed_at.isoformat(),
        "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
        "reopened_at": decision.reopened_at.isoformat() if decision.reopened_at else None,
        "reopen_reason": decision.reopen_reason,
    }


def notice_data(notice: BidderNotice) -> dict[str, Any]:
    """One bidder's own notice: its own rank and scores, never another bidder's."""
    from django.urls import reverse

    return {
        "kind": notice.kind,
        "supplier": notice.supplier.organisation.name,
        "rank": notice.rank,
        "scores": notice.scores,
        "reason": notice.reason,
        "issued_at": notice.issued_at.isoformat(),
        "award_notice_pdf": reverse("reports:download", args=[notice.document.token])
        if notice.document is not None
        else None,
    }


def award_tenders_of(*, user: Any) -> tuple[list[Tender], list[Tender]]:
    """The tenders awaiting or past their award that the user follows (officer of the buyer or
    agency; every one for a supervisor) and those it bid in."""
    from django.db.models import Q

    from bidding.models import BidOpening
    from tenders.constants import TenderStatus
    from tenders.permissions import officer_organisation_ids

    tenders = (
        Tender.objects.filter(status__in=[TenderStatus.AWAITING_AWARD, TenderStatus.AWARDED])
        .select_related("method", "buyer")
        .order_by("-status_changed_at", "-pk")
    )
    if user_has_role(user=user, role=Role.SUPERVISOR):
        managed = list(tenders)
    else:
        orgs = officer_organisation_ids(user)
        managed = list(tenders.filter(Q(buyer_id__in=orgs) | Q(agency_id__in=orgs))) if orgs else []
    bid_in = BidOpening.objects.filter(supplier__in=suppliers_of(user=user)).values("room__tender_id")
    bidding = list(tenders.filter(pk__in=bid_in).exclude(pk__in=[t.pk for t in managed]))
    return managed, bidding

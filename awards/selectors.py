"""What each party may read about an award: the ranked candidates (officers), a bidder's own
result (that bidder only), the published results (everyone)."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from accounts.constants import Role
from accounts.selectors import user_has_role
from awards.constants import AwardStatus
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
    return AwardDecision.objects.filter(tender=tender).select_related("supplier__organisation").order_by(
        "-proposed_at", "-pk"
    )


def publicity_of(tender: Tender) -> CandidatePublicity | None:
    return CandidatePublicity.objects.filter(tender=tender).select_related("announcement").first()


def bidder_suppliers(*, user: Any, tender: Tender) -> list:
    """The suppliers the user works for that bid in this tender's opening."""
    from bidding.models import BidOpening

    mine = suppliers_of(user=user)
    bid = BidOpening.objects.filter(room__tender=tender, supplier__in=mine).values_list("supplier_id", flat=True)
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
    notice = BidderNotice.objects.filter(pk=int(ref) if ref.isdigit() else 0).select_related("decision__tender").first()
    if notice is None:
        return False
    tender = notice.decision.tender
    return may_manage(user=user, tender=tender) or suppliers_of(user=user).filter(pk=notice.supplier_id).exists()

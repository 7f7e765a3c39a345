"""Reads of tenders with the visibility rules: a draft or a tender in approval is seen only by
its officers (and supervisors); the public and suppliers see public tenders only."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from accounts.constants import Role
from accounts.selectors import user_has_role
from config import clock
from procurement.models import ProcurementMethod
from suppliers.selectors import supplier_ineligibility_reason, supplier_of
from tenders import hooks
from tenders.constants import PUBLIC_STATUSES, PublicPhase, TenderStatus
from tenders.exceptions import RuleViolation, TenderNotFound
from tenders.models import Announcement, NoticeDraft, Question, Subscription, Tender
from tenders.permissions import is_supplier_user, is_tender_officer, officer_organisation_ids
from tenders.search import filter_by_query, ranked_fallback

SORTS = {
    "newest": ("-published_at", "-id"),
    "deadline": ("bid_deadline", "id"),
    "budget_desc": ("-budget", "-id"),
    "budget_asc": ("budget", "id"),
}


@dataclass
class NoticeFilters:
    q: str = ""
    method: str = ""
    region: str = ""
    category: str = ""
    phase: str = ""
    kind: str = ""  # tenders having an announcement of this kind
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    published_from: date | None = None
    published_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    sort: str = "newest"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def tenders_public() -> QuerySet[Tender]:
    """Every tender the public may see: never a draft, never one in approval."""
    return Tender.objects.filter(status__in=PUBLIC_STATUSES)


def notice_list(*, filters: NoticeFilters) -> QuerySet[Tender]:
    """The public notice list: search, filters and sort (docs/search.md)."""
    qs = tenders_public().select_related("method", "buyer")
    now = clock.now()
    if filters.method:
        # The method's id as a scalar subquery, not a join on its code: the database then reads the
        # (method, published_at, ...) index in the page's order and stops after a page.
        method_id = ProcurementMethod.objects.filter(code=filters.method).order_by().values("pk")[:1]
        qs = qs.filter(method_id=Subquery(method_id))
    if filters.region:
        qs = qs.filter(region__startswith=filters.region)
    if filters.category:
        qs = qs.filter(category_code__startswith=filters.category)
    if filters.phase == PublicPhase.OPEN:
        qs = qs.filter(status=TenderStatus.PUBLISHED, bid_deadline__gt=now)
    elif filters.phase == PublicPhase.CLOSED:
        qs = qs.filter(status=TenderStatus.PUBLISHED, bid_deadline__lte=now)
    elif filters.phase in PublicPhase.values:
        qs = qs.filter(status=filters.phase)
    if filters.kind:
        qs = qs.filter(pk__in=Announcement.objects.filter(kind=filters.kind).values("tender_id"))
    if filters.budget_min is not None:
        qs = qs.filter(budget__gte=filters.budget_min)
    if filters.budget_max is not None:
        qs = qs.filter(budget__lte=filters.budget_max)
    if filters.published_from:
        qs = qs.filter(published_at__gte=_day_start(filters.published_from))
    if filters.published_to:
        qs = qs.filter(published_at__lt=_day_start(filters.published_to) + timezone.timedelta(days=1))
    if filters.deadline_from:
        qs = qs.filter(bid_deadline__gte=_day_start(filters.deadline_from))
    if filters.deadline_to:
        qs = qs.filter(bid_deadline__lt=_day_start(filters.deadline_to) + timezone.timedelta(days=1))
    sort = filters.sort if filters.sort in SORTS else "newest"
    qs = qs.order_by(*SORTS[sort])
    if filters.q.strip():
        # Newest first, the search orders by the driving token's copy of the publication time.
        qs = filter_by_query(qs, filters.q, newest_first=sort == "newest")
    return qs


def notice_search_closest(*, filters: NoticeFilters, limit: int) -> list[Tender]:
    """The notices closest to a query that no notice holds as typed (within the other filters)."""
    unsearched = replace(filters, q="")
    return ranked_fallback(notice_list(filters=unsearched), filters.q, limit=limit)


def tender_public_get(*, reference: str) -> Tender:
    try:
        return (
            tenders_public().select_related("method", "buyer", "agency", "rerun_of").get(reference=reference)
        )
    except Tender.DoesNotExist:
        raise TenderNotFound() from None


def tenders_visible_to(*, user: Any) -> QuerySet[Tender]:
    """Public tenders, plus the drafts and those in approval of the user's own organisations
    (officers), plus all of them for supervisors."""
    if user.is_authenticated and user_has_role(user=user, role=Role.SUPERVISOR):
        return Tender.objects.all()
    orgs = officer_organisation_ids(user)
    if not orgs:
        return tenders_public()
    return Tender.objects.filter(Q(status__in=PUBLIC_STATUSES) | Q(buyer_id__in=orgs) | Q(agency_id__in=orgs))


def tender_get(*, user: Any, pk: int) -> Tender:
    try:
        return tenders_visible_to(user=user).select_related("method", "buyer", "agency").get(pk=pk)
    except Tender.DoesNotExist:
        raise TenderNotFound() from None


def tenders_of_officer(*, user: Any) -> QuerySet[Tender]:
    orgs = officer_organisation_ids(user)
    return (
        Tender.objects.filter(Q(buyer_id__in=orgs) | Q(agency_id__in=orgs))
        .select_related("method", "buyer")
        .order_by("-updated_at", "-id")
    )


def tender_for_officer(*, user: Any, pk: int) -> Tender:
    tender = Tender.objects.select_related("method", "buyer", "agency", "rerun_of").filter(pk=pk).first()
    if tender is None or not is_tender_officer(user=user, tender=tender):
        raise TenderNotFound()
    return tender


def notice_draft_for_officer(*, user: Any, tender: Tender, kind: str) -> NoticeDraft | None:
    """The notice of `kind` the platform drafted for the tender, for its officers only."""
    if not is_tender_officer(user=user, tender=tender):
        return None
    return tender.notice_drafts.select_related("announcement").filter(kind=kind).first()


def tender_reruns_public(*, tender: Tender) -> QuerySet[Tender]:
    """The public re-runs of a failed tender (a re-run still in draft or approval is not shown)."""
    return tender.reruns.filter(status__in=PUBLIC_STATUSES).order_by("id")


def announcements_public(*, kind: str = "") -> QuerySet[Announcement]:
    qs = Announcement.objects.filter(tender__status__in=PUBLIC_STATUSES).select_related(
        "tender", "tender__buyer"
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_at", "-id")


def questions_inbox(*, user: Any, tender: Tender) -> QuerySet[Question]:
    """The officer's view: every question of the tender (who asked is shown to the officers only)."""
    if not is_tender_officer(user=user, tender=tender):
        return Question.objects.none()
    return tender.questions.select_related("asked_by").order_by("answered_at", "asked_at")


def questions_asked_by(*, user: Any, tender: Tender) -> QuerySet[Question]:
    if not user.is_authenticated:
        return Question.objects.none()
    return tender.questions.filter(asked_by=user).order_by("-asked_at")


def subscriptions_matching(*, tender: Tender) -> QuerySet[Subscription]:
    """Active subscriptions whose prefixes the tender's category and region codes begin with."""
    subs = Subscription.objects.filter(is_active=True, confirmed_at__isnull=False)
    matching = [
        s.pk
        for s in subs
        if tender.category_code.startswith(s.category_prefix) and tender.region.startswith(s.region_prefix)
    ]
    return Subscription.objects.filter(pk__in=matching)


@dataclass(frozen=True)
class BidOffer:
    """What the notice page offers a supplier about bidding: the bid form, or why not yet."""

    may_bid: bool
    reason: str = ""


def bid_offer_for(*, user: Any, tender: Tender, at: datetime) -> BidOffer | None:
    """For a signed-in supplier on an open tender: whether its enterprise may bid (verified, not
    debarred, required qualifications valid through the deadline) or the sentence saying why not.
    None for anyone else or when bids are not accepted (nothing to offer)."""
    if not tender.is_open_for_bids(at) or not is_supplier_user(user=user):
        return None
    supplier = supplier_of(user=user)
    if supplier is None:
        return None
    reason = supplier_ineligibility_reason(supplier, at, tender=tender)
    return BidOffer(may_bid=reason is None, reason=reason or "")


def tender_publication_waits(*, tender: Tender) -> list[RuleViolation]:
    """What publication waits for besides the method's rules, from the apps plugged into publication
    (`hooks.publish_guards`: the custodians' certificates, opening keys and confirmations). A read:
    the editor and the officer's tender page show it, so nothing blocks silently at approval."""
    return [violation for guard in hooks.publish_guards for violation in guard(tender)]

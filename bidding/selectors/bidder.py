"""What a supplier's "my bids" page lists: the tenders it bid in (or began to), and the open tenders it
may bid in, those it follows first (its staff obtained the documents, or a subscription of the
signed-in person matches), so the bid form is always one click away."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from bidding.models import BidUpload, BidVersion
from suppliers.models import Supplier
from suppliers.selectors import supplier_staff
from tenders.constants import TenderStatus
from tenders.models import Subscription, Tender

# How many open tenders "my bids" lists besides the followed ones; the notice list has the rest.
OPEN_TENDERS_SHOWN = 20


@dataclass(frozen=True)
class OpenTender:
    tender: Tender
    followed: bool


def tenders_bid_in(*, supplier: Supplier) -> QuerySet[Tender]:
    """Tenders in which the supplier finalized a bid or opened an upload, latest deadline first."""
    ids = set(BidVersion.objects.filter(supplier=supplier).values_list("tender_id", flat=True))
    ids |= set(BidUpload.objects.filter(supplier=supplier).values_list("tender_id", flat=True))
    return Tender.objects.filter(pk__in=ids).order_by("-bid_deadline")


def tenders_open_to_bidder(*, supplier: Supplier, user: Any, at: dt.datetime) -> list[OpenTender]:
    """Open tenders (published, deadline after `at`) the supplier has not bid in yet: followed ones
    first (documents obtained by its staff, or matching one of the user's active subscriptions), then
    the others by nearest deadline, at most OPEN_TENDERS_SHOWN of those. Document holdings are the
    supplier's own (never shown to anyone else, BL Art 22)."""
    open_tenders = Tender.objects.filter(status=TenderStatus.PUBLISHED, bid_deadline__gt=at).exclude(
        pk__in=tenders_bid_in(supplier=supplier).values("pk")
    )
    staff = supplier_staff(supplier=supplier).values("user")
    held = set(open_tenders.filter(holders__user__in=staff).values_list("pk", flat=True))
    subscriptions = (
        list(Subscription.objects.filter(user=user, is_active=True)) if user.is_authenticated else []
    )
    rows: list[OpenTender] = []
    others = 0
    for tender in open_tenders.order_by("bid_deadline", "pk"):
        followed = tender.pk in held or any(
            tender.category_code.startswith(s.category_prefix) and tender.region.startswith(s.region_prefix)
            for s in subscriptions
        )
        if not followed:
            if others >= OPEN_TENDERS_SHOWN:
                continue
            others += 1
        rows.append(OpenTender(tender, followed))
    return sorted(rows, key=lambda row: not row.followed)

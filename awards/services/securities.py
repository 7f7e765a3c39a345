"""Bid securities returned within the rules' limits (GPLR Art 33, MOF87 Art 38): the losers' within
5 working days of the award notice, the winner's within 5 working days of the signed contract;
each release recorded, its day and lateness in the ledger."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.models import User
from awards.exceptions_remedies import NotParty, RemedyNotFound, WrongRemedyState
from awards.models import BidSecurityRelease
from awards.periods import last_day
from awards.remedy_constants import SECURITY_RELEASE, SecurityReleaseReason
from bidding.selectors.opened import bidders_of
from config import clock
from ledger.encoding import format_time
from ledger.services import ledger_append
from suppliers.models import Supplier
from tenders.models import Tender
from tenders.permissions import is_tender_officer


def bid_securities_schedule(
    *, tender: Tender, winner_id: int, award_notice_on: date, signed_on: date | None = None
) -> list[BidSecurityRelease]:
    """Record when each bidder's security is due back (idempotent: one row a bidder). Nothing when
    the tender asked for no bid security. The winner's row appears once the contract is signed."""
    if not tender.bid_security or tender.bid_security <= 0:
        return []
    now = clock.now()
    made = []
    for supplier_id in bidders_of(tender=tender):
        if supplier_id == winner_id:
            if signed_on is None:
                continue
            reason, due_on = SecurityReleaseReason.WON, last_day(SECURITY_RELEASE, signed_on)
        else:
            reason, due_on = SecurityReleaseReason.LOST, last_day(SECURITY_RELEASE, award_notice_on)
        release, created = BidSecurityRelease.objects.get_or_create(
            tender=tender,
            supplier_id=supplier_id,
            defaults={"amount": tender.bid_security, "reason": reason, "due_on": due_on, "created_at": now},
        )
        if created:
            made.append(release)
    return made


@transaction.atomic
def bid_security_release(*, release_id: int, by: User) -> BidSecurityRelease:
    """Record that a bid security was returned today. Before: not yet returned; `by` is a tender
    officer. After: returned, with an entry in the ledger (late when past its last day)."""
    release = (
        BidSecurityRelease.objects.select_for_update().select_related("tender").filter(pk=release_id).first()
    )
    if release is None:
        raise RemedyNotFound(_("No such bid security."))
    if not is_tender_officer(user=by, tender=release.tender):
        raise NotParty(_("Only the tender's officers return its bid securities."))
    if release.released_on is not None:
        raise WrongRemedyState(_("This bid security was already returned."))
    today = clock.today_local()
    supplier = Supplier.objects.select_related("organisation").get(pk=release.supplier_id)
    entry = ledger_append(
        kind="awards/bid-security-released",
        payload={
            "tender": release.tender.reference,
            "supplier": supplier.organisation.credit_code,
            "amount": f"{release.amount:.2f}",
            "reason": release.reason,
            "due_on": release.due_on.isoformat(),
            "released_on": today.isoformat(),
            "late": today > release.due_on,
            "at": format_time(clock.now()),
        },
    )
    release.released_on = today
    release.released_by = by
    release.ledger_index = entry.index
    release.save(update_fields=["released_on", "released_by", "ledger_index"])
    audit_record(
        action="awards.bid_security_release", operator=by, address=None, path=release.tender.reference
    )
    return release

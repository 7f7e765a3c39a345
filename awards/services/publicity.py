"""The winning candidates' publicity of a tender under the Bidding Law (BLR Art 54): published
within 3 days of the report for at least 3 days; objections taken until its last day, 24:00."""

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.models import User
from awards import constants
from awards.deadlines import is_tendering, publicity_end, publicity_start_due
from awards.exceptions import AwardError, AwardRefused, NotAwardOfficer, ObjectionPeriodOver
from awards.models import CandidateObjection, CandidatePublicity
from awards.selectors import bidder_suppliers, money, ranked_candidates
from awards.services.common import require_officer, tender_locked
from config import clock
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.services import tender_announce


def _candidates(tender) -> list[dict[str, Any]]:
    return [
        {
            "rank": row["rank"],
            "supplier": row["opening"].supplier.organisation.name,
            "credit_code": row["opening"].supplier.organisation.credit_code,
            "price": money(row["price"]),
        }
        for row in ranked_candidates(tender)[: constants.PUBLICITY_CANDIDATES]
    ]


@transaction.atomic
def candidate_publicity_publish(*, tender_id: int, by: User) -> CandidatePublicity:
    """Publish the ranked candidates (at most 3) of a tender under the Bidding Law.

    Before: the tender awaits the award; its method is a tendering method; nothing published yet.
    After: a "candidates" announcement (frozen, hash in the ledger, mailed), open for objections
    until its last day; published after the 3-day limit it is still published, recorded as late."""
    tender = tender_locked(tender_id)
    require_officer(by, tender)
    if not is_tendering(tender):
        raise AwardError(
            _("Only a tender under the Bidding Law publishes its winning candidates (BLR Art 54).")
        )
    if tender.status != TenderStatus.AWAITING_AWARD:
        raise AwardRefused(_("The candidates are published once the committee's report is issued."))
    if CandidatePublicity.objects.filter(tender=tender).exists():
        raise AwardRefused(_("The candidates are already published."))
    candidates = _candidates(tender)
    now = clock.now()
    starts_on = timezone.localdate(now)
    ends_on = publicity_end(tender, starts_on)
    due = publicity_start_due(tender)
    with translation.override("zh-hans"):
        title = gettext("Winning candidates of %(title)s") % {"title": tender.title}
        lines = [gettext("Rank %(rank)s: %(supplier)s, price CNY %(price)s") % c for c in candidates]
        lines.append(
            gettext("Objections to the candidates are taken until %(day)s 24:00 (BLR Art 54).")
            % {"day": ends_on.isoformat()}
        )
    announcement = tender_announce(
        tender=tender,
        kind=AnnouncementKind.CANDIDATES,
        title=title,
        body="\n".join(lines),
        by=by,
        payload={
            "type": "yizhan/candidates-publicity",
            "tender": tender.reference,
            "title": tender.title,
            "candidates": candidates,
            "objections_until": ends_on.isoformat(),
            "late": due is not None and starts_on > due,
        },
    )
    publicity = CandidatePublicity.objects.create(
        tender=tender,
        announcement=announcement,
        candidates=candidates,
        starts_on=starts_on,
        ends_on=ends_on,
        published_at=now,
    )
    audit_record(action="awards.publicity_publish", operator=by, address=None, path=tender.reference)
    return publicity


@transaction.atomic
def candidate_objection_raise(*, tender_id: int, by: User, text: str) -> CandidateObjection:
    """A bidder objects to the published candidates (BLR Art 54).

    Before: the publicity is published and its last day (to 24:00) has not passed; `by` works for a
    bidder of the tender; the objection has text. After: recorded; the decision waits for its answer."""
    tender = tender_locked(tender_id)
    publicity = CandidatePublicity.objects.filter(tender=tender).first()
    if publicity is None:
        raise AwardRefused(_("No candidates are published for this tender."))
    if clock.today_local() > publicity.ends_on:
        raise ObjectionPeriodOver(
            _("Objections were taken until %(day)s 24:00 (BLR Art 54).")
            % {"day": publicity.ends_on.isoformat()}
        )
    suppliers = bidder_suppliers(user=by, tender=tender)
    if not suppliers:
        raise NotAwardOfficer(_("Only a bidder of this tender may object to its candidates."))
    text = (text or "").strip()
    if not text:
        raise AwardError(_("Write the objection and its reasons."))
    return CandidateObjection.objects.create(
        publicity=publicity, supplier=suppliers[0], raised_by=by, text=text
    )


@transaction.atomic
def candidate_objection_answer(*, objection_id: int, by: User, answer: str) -> CandidateObjection:
    """The buyer's officers answer an objection (BLR Art 54: within 3 days). Before: unanswered;
    the answer has text."""
    objection = CandidateObjection.objects.select_related("publicity__tender").filter(pk=objection_id).first()
    if objection is None:
        raise AwardError(_("No such objection."))
    tender = tender_locked(objection.publicity.tender_id)
    require_officer(by, tender)
    if objection.answered_at is not None:
        raise AwardRefused(_("This objection is already answered."))
    answer = (answer or "").strip()
    if not answer:
        raise AwardError(_("Write the answer."))
    objection.answer, objection.answered_by, objection.answered_at = answer, by, clock.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    return objection

"""The committee's work: reading opened bids (every read audited), qualification and compliance
findings with their majority (MOF87 Art 61), written dissents, independent scores, and the
failure of the procurement when fewer than 3 bids pass (MOF87 Art 43)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bidding.ceremony_constants import BidOpeningState
from bidding.models import BidOpening
from bidding.selectors.opened import opened_attachment, opened_bid_form
from config import clock
from config.exceptions import NotAllowed, NotFound
from evaluation.constants import MINIMUM_COMPLIANT_BIDS
from evaluation.exceptions import EvaluationError
from evaluation.models import BidRead, CommitteeMember, ComplianceFinding, Dissent, Score
from evaluation.results import compliance_majority, opened_bids, reviews_complete, scored_bids
from evaluation.selectors import workspace_access
from evaluation.services.live import progress_announce_on_commit
from tenders.constants import TenderStatus
from tenders.models import Criterion, Tender
from tenders.services import tender_fail


def _tender(tender_id: int) -> Tender:
    tender = Tender.objects.filter(pk=tender_id).first()
    if tender is None:
        raise NotFound()
    return tender


def _opening(tender: Tender, opening_id: int) -> BidOpening:
    opening = (
        BidOpening.objects.filter(pk=opening_id, room__tender=tender)
        .select_related("room__tender", "version", "supplier__organisation")
        .first()
    )
    if opening is None:
        raise NotFound()
    return opening


def _writer(tender_id: int, user: User) -> tuple[Tender, CommitteeMember]:
    """The tender and the user's seat, when the user may write in its workspace now."""
    tender = _tender(tender_id)
    access = workspace_access(tender=tender, user=user)
    if not access.can_write or access.member is None:
        raise NotAllowed(_("The supervisor reads the workspace but does not write in it."))
    return tender, access.member


def _audit(tender: Tender, opening: BidOpening, user: User, what: str, address: str | None) -> None:
    BidRead.objects.create(
        tender=tender, opening=opening, user=user, what=what, address=address, at=clock.now()
    )


@transaction.atomic
def bid_form_read(
    *, tender_id: int, user: User, opening_id: int, address: str | None = None
) -> dict[str, Any]:
    """An opened bid's form for the committee or the supervisor. The read is audited (who, which
    bid, when, from where) before anything is returned."""
    tender = _tender(tender_id)
    workspace_access(tender=tender, user=user)
    opening = _opening(tender, opening_id)
    _audit(tender, opening, user, "form", address)
    return opened_bid_form(opening)


@transaction.atomic
def bid_attachment_read(
    *, tender_id: int, user: User, opening_id: int, index: int, address: str | None = None
) -> tuple[str, str, bytes]:
    """(name, media type, bytes) of an opened bid's attachment; audited like the form."""
    tender = _tender(tender_id)
    workspace_access(tender=tender, user=user)
    opening = _opening(tender, opening_id)
    described = {int(a["index"]): a for a in opened_bid_form(opening).get("attachments", [])}
    if index not in described:
        raise NotFound()
    _audit(tender, opening, user, f"attachment/{index}", address)
    return described[index]["name"], described[index]["media_type"], opened_attachment(opening, index)


@transaction.atomic
def finding_record(
    *, tender_id: int, user: User, opening_id: int, compliant: bool, reason: str = ""
) -> ComplianceFinding:
    """A member's qualification and compliance finding on one opened bid.

    Before: the member has not submitted their findings. A "fails" finding needs its reason.
    After: the finding is recorded (replacing the member's earlier one on that bid)."""
    tender, writer = _writer(tender_id, user)
    member = CommitteeMember.objects.select_for_update().get(pk=writer.pk)
    if member.reviews_submitted_at is not None:
        raise EvaluationError(_("You have already submitted your findings."))
    opening = _opening(tender, opening_id)
    if opening.state != BidOpeningState.OPENED:
        raise EvaluationError(_("This bid could not be opened; it is not reviewed."))
    if not compliant and not reason.strip():
        raise EvaluationError(_("Give the reason why the bid fails the review."))
    finding, _created = ComplianceFinding.objects.update_or_create(
        member=member,
        opening=opening,
        defaults={"compliant": compliant, "reason": reason.strip(), "recorded_at": clock.now()},
    )
    return finding


def reviews_submit(*, tender_id: int, user: User) -> CommitteeMember:
    """A member submits their findings on every opened bid.

    Before: a finding on each opened bid. After: submitted (no more changes). When the last member
    submits and fewer than 3 bids pass by majority, the procurement fails through the failure notice."""
    with transaction.atomic():
        tender, writer = _writer(tender_id, user)
        member = CommitteeMember.objects.select_for_update().get(pk=writer.pk)
        if member.reviews_submitted_at is not None:
            raise EvaluationError(_("You have already submitted your findings."))
        missing = [o.position for o in opened_bids(tender) if not member.findings.filter(opening=o).exists()]
        if missing:
            raise EvaluationError(
                _("Record a finding on every bid first (missing: bid %(list)s).")
                % {"list": ", ".join(str(p) for p in missing)}
            )
        member.reviews_submitted_at = clock.now()
        member.save(update_fields=["reviews_submitted_at"])
        progress_announce_on_commit(tender.pk)
        Tender.objects.select_for_update().get(pk=tender.pk)  # one concluder at a time
        if reviews_complete(tender):
            passed = sum(compliance_majority(tender).values())
            if passed < MINIMUM_COMPLIANT_BIDS:
                reason = gettext(
                    "Only %(passed)d bids passed the qualification and compliance review; at least "
                    "%(n)d are needed, so the procurement has failed."
                ) % {"passed": passed, "n": MINIMUM_COMPLIANT_BIDS}
                tender_fail(tender_id=tender.pk, by=None, reason=reason)
    return member


@transaction.atomic
def dissent_record(*, tender_id: int, user: User, text: str, opening_id: int | None = None) -> Dissent:
    """A member states in writing why they disagree with the majority (MOF87 Art 61)."""
    tender, writer = _writer(tender_id, user)
    if not text.strip():
        raise EvaluationError(_("Write the reasons for your dissent."))
    opening = _opening(tender, opening_id) if opening_id is not None else None
    return Dissent.objects.create(member=writer, opening=opening, text=text.strip(), recorded_at=clock.now())


def _points(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise EvaluationError(_("Points are a number such as 12.5.")) from None


@transaction.atomic
def score_record(*, tender_id: int, user: User, opening_id: int, criterion_id: int, points: Any) -> Score:
    """A member's points for one bid on one criterion. The price criterion is computed, never typed.

    Before: every member submitted findings; the bid passed; the member has not submitted scores;
    0 ≤ points ≤ the criterion's weight. After: the score is recorded (replacing an earlier one)."""
    tender, writer = _writer(tender_id, user)
    if tender.status != TenderStatus.EVALUATION or not reviews_complete(tender):
        raise EvaluationError(_("Scoring starts once every member has submitted their review findings."))
    member = CommitteeMember.objects.select_for_update().get(pk=writer.pk)
    if member.scores_submitted_at is not None:
        raise EvaluationError(_("You have already submitted your scores."))
    criterion = Criterion.objects.filter(pk=criterion_id, tender=tender).first()
    if criterion is None:
        raise NotFound()
    if criterion.is_price:
        raise EvaluationError(_("The price score is computed from the prices; it is not entered."))
    opening = _opening(tender, opening_id)
    if opening.pk not in {o.pk for o in scored_bids(tender)}:
        raise EvaluationError(_("Only bids that passed the review are scored."))
    value = _points(points)
    if not Decimal(0) <= value <= criterion.weight:
        raise EvaluationError(
            _("Points for %(name)s are between 0 and %(max)s.")
            % {"name": criterion.name, "max": criterion.weight}
        )
    score, _created = Score.objects.update_or_create(
        member=member,
        opening=opening,
        criterion=criterion,
        defaults={"points": value, "recorded_at": clock.now()},
    )
    return score


@transaction.atomic
def scores_submit(*, tender_id: int, user: User) -> CommitteeMember:
    """A member submits their scores: every passed bid on every non-price criterion.

    After: the member's scores are final; once everyone has submitted, everyone sees all scores."""
    tender, writer = _writer(tender_id, user)
    member = CommitteeMember.objects.select_for_update().get(pk=writer.pk)
    if member.scores_submitted_at is not None:
        raise EvaluationError(_("You have already submitted your scores."))
    criteria = list(tender.criteria.filter(is_price=False))
    needed = len(criteria) * len(scored_bids(tender))
    if member.scores.count() < needed:
        raise EvaluationError(_("Score every bid on every criterion first."))
    member.scores_submitted_at = clock.now()
    member.save(update_fields=["scores_submitted_at"])
    progress_announce_on_commit(tender.pk)
    return member

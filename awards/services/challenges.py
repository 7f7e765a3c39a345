"""Challenges (质疑): a supplier files one with the buyer within 7 working days of knowing of the
harm (GPL Art 52); the buyer answers in writing within 7 working days (GPL Art 53) through the
approval engine, which reminds and escalates; the answer goes to the challenger and every other
affected supplier; an upheld challenge sends the award decision back. A pending challenge blocks the
contract of its lot (`contract_blockers`)."""

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.constants import Role
from accounts.models import User
from approvals.constants import HandlerKind, StepMode
from approvals.models import FlowDefinition
from approvals.services import approval_approve, approval_submit, flow_definition_ensure
from awards.constants import AwardStatus
from awards.exceptions_remedies import NotParty, PeriodPassed, RemedyError, RemedyNotFound, WrongRemedyState
from awards.models import AwardDecision, Challenge, ChallengeEvidence
from awards.periods import article, last_day
from awards.remedy_constants import CHALLENGE_ANSWER, CHALLENGE_FILING, ChallengeStatus, ChallengeSubject
from awards.services.decision import award_decision_reopen
from awards.services.notify import mail_organisations
from bidding.selectors.opened import bidders_of
from config import clock
from config.uploads import TENDER_DOCUMENTS, upload_check
from ledger.encoding import b64u_encode, format_time, jcs
from ledger.services import ledger_append
from suppliers.models import Supplier
from suppliers.selectors import supplier_of
from tenders.models import DocumentHolder, Lot, Tender
from tenders.permissions import is_tender_officer

CHALLENGE_FLOW = "awards-challenge-answer"
MAX_EVIDENCE_FILES = 10


def challenge_flow_ensure() -> FlowDefinition:
    """The default answer flow, if none is published: any one officer of the organisation running
    the procurement, within the 7 working days of GPL Art 53 (administrators may version it)."""
    return flow_definition_ensure(
        code=CHALLENGE_FLOW,
        name="质疑答复 Answer to a challenge",
        description="The buyer answers a supplier's challenge in writing within 7 working days (GPL Art 53).",
        steps=[
            {
                "key": "answer",
                "name": "答复质疑 Answer the challenge",
                "position": 1,
                "mode": StepMode.ANY_ONE,
                "handler_kind": HandlerKind.ROLE,
                "role": Role.PROCUREMENT_OFFICER,
                "organisation_field": "answering_organisation_id",
                "time_limit_working_days": CHALLENGE_ANSWER.length,
            }
        ],
    )


def _next_reference(tender: Tender, prefix: str, model: Any) -> str:
    count = model.objects.filter(tender=tender).count()
    return f"{tender.reference}-{prefix}{count + 1}"


def may_challenge(*, supplier: Supplier, tender: Tender, subject: str) -> bool:
    """GPL Art 52: suppliers taking part in the procurement. The documents may be challenged by
    any supplier that obtained them; the process and the result by the bidders."""
    bidders = set(bidders_of(tender=tender))
    if supplier.pk in bidders:
        return True
    if subject != ChallengeSubject.DOCUMENTS:
        return False
    member_ids = supplier.organisation.memberships.filter(is_active=True).values_list("user_id", flat=True)
    return DocumentHolder.objects.filter(tender=tender, user_id__in=list(member_ids)).exists()


def _live_award(tender: Tender, lot: Lot | None) -> AwardDecision | None:
    return (
        AwardDecision.objects.filter(tender=tender, lot=lot)
        .exclude(status=AwardStatus.REOPENED)
        .order_by("-proposed_at", "-pk")
        .first()
    )


@transaction.atomic
def challenge_file(
    *,
    tender_id: int,
    by: User,
    subject: str,
    known_on: date,
    reasons: str,
    lot_id: int | None = None,
    evidence: Sequence[UploadedFile] = (),
) -> Challenge:
    """File a challenge for `by`'s supplier.

    Before: `by` acts for a supplier that took part (see `may_challenge`); today is within 7
    working days after `known_on` (GPL Art 52); reasons given; evidence files pass the upload check.
    After: a pending challenge with its evidence, answer due 7 working days after today (GPL Art 53),
    an entry in the ledger, and the buyer's answer approval started (reminders and escalation)."""
    tender = Tender.objects.select_related("buyer", "agency").filter(pk=tender_id).first()
    if tender is None or tender.published_at is None:
        raise RemedyNotFound(_("No such tender."))
    supplier = supplier_of(user=by)
    if supplier is None or not may_challenge(supplier=supplier, tender=tender, subject=subject):
        raise NotParty(_("Only a supplier taking part in this procurement may challenge it."))
    if subject not in ChallengeSubject.values:
        raise RemedyError(_("Say what is challenged: the documents, the process or the result."))
    reasons = reasons.strip()
    if not reasons:
        raise RemedyError(_("Give the reasons for the challenge."))
    today = clock.today_local()
    if known_on > today:
        raise RemedyError(_("The day you knew of the harm cannot be in the future."))
    closes = last_day(CHALLENGE_FILING, known_on)
    if today > closes:
        raise PeriodPassed(
            _(
                "The period for a challenge ended on %(day)s: 7 working days after you knew of the harm (%(article)s)."
            )
            % {"day": closes.isoformat(), "article": article(CHALLENGE_FILING)}
        )
    lot = Lot.objects.filter(pk=lot_id, tender=tender).first() if lot_id else None
    if lot_id and lot is None:
        raise RemedyError(_("This lot is not part of the tender."))
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise RemedyError(_("At most %(n)s evidence files.") % {"n": MAX_EVIDENCE_FILES})
    for upload in evidence:
        upload_check(upload, policy=TENDER_DOCUMENTS)
    now = clock.now()
    challenge = Challenge.objects.create(
        reference=_next_reference(tender, "ZY", Challenge),
        tender=tender,
        lot=lot,
        award=_live_award(tender, lot) if subject == ChallengeSubject.RESULT else None,
        supplier=supplier,
        filed_by=by,
        subject=subject,
        known_on=known_on,
        reasons=reasons,
        filed_at=now,
        answer_due_on=last_day(CHALLENGE_ANSWER, now),
    )
    for upload in evidence:
        upload.seek(0)
        digest = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        ChallengeEvidence.objects.create(
            challenge=challenge,
            file=upload,
            filename=(upload.name or "evidence")[:255],
            size=upload.size or 0,
            sha256=digest,
            uploaded_at=now,
        )
    entry = ledger_append(
        kind="awards/challenge-filed",
        payload={
            "tender": tender.reference,
            "challenge": challenge.reference,
            "lot": lot.sb1_id if lot else None,
            "subject": subject,
            "filed_at": format_time(now),
            "answer_due_on": challenge.answer_due_on.isoformat(),
        },
    )
    challenge.filed_ledger_index = entry.index
    challenge_flow_ensure()
    challenge.approval = approval_submit(subject=challenge, flow_code=CHALLENGE_FLOW, submitter=by)
    challenge.save(update_fields=["filed_ledger_index", "approval"])
    return challenge


def _locked(challenge_id: int) -> Challenge:
    challenge = (
        Challenge.objects.select_for_update()
        .select_related("tender", "supplier")
        .filter(pk=challenge_id)
        .first()
    )
    if challenge is None:
        raise RemedyNotFound(_("No such challenge."))
    return challenge


@transaction.atomic
def challenge_answer(*, challenge_id: int, by: User, upheld: bool, answer: str) -> Challenge:
    """The buyer's written answer (GPL Art 53), given by a tender officer.

    Before: pending; `by` is an officer of the tender and holds the answer step of its approval.
    After: the approval step approved, which publishes the answer (`challenge_answer_publish`):
    a late answer is still recorded, and the complaint period then runs from the deadline."""
    challenge = _locked(challenge_id)
    if not is_tender_officer(user=by, tender=challenge.tender):
        raise NotParty(_("Only the tender's officers answer its challenges."))
    if not challenge.is_pending:
        raise WrongRemedyState(_("This challenge has already been answered."))
    answer = answer.strip()
    if not answer:
        raise RemedyError(_("Write the answer: it goes to the challenger and every affected supplier."))
    challenge.answer = answer
    challenge.upheld = bool(upheld)
    challenge.answered_by = by
    challenge.save(update_fields=["answer", "upheld", "answered_by"])
    if challenge.approval_id is None:
        raise WrongRemedyState(_("This challenge has no answer approval."))
    approval_approve(instance_id=challenge.approval_id, user=by, comment=str(_("Answer given.")))
    challenge.refresh_from_db()
    audit_record(action="awards.challenge_answer", operator=by, address=None, path=challenge.reference)
    return challenge


def affected_suppliers(challenge: Challenge) -> list[int]:
    """The challenger and every supplier whose bid the answer may touch: the tender's bidders."""
    return sorted({challenge.supplier_id, *bidders_of(tender=challenge.tender)})


def challenge_answer_payload(challenge: Challenge) -> dict[str, Any]:
    return {
        "type": "yizhan/challenge-answer",
        "tender": challenge.tender.reference,
        "challenge": challenge.reference,
        "lot": challenge.lot.sb1_id if challenge.lot is not None else None,
        "subject": challenge.subject,
        "filed_at": format_time(challenge.filed_at),
        "answer_due_on": challenge.answer_due_on.isoformat(),
        "outcome": ChallengeStatus.UPHELD.value if challenge.upheld else ChallengeStatus.DISMISSED.value,
        "answer": challenge.answer,
        "answered_at": format_time(challenge.answered_at) if challenge.answered_at else None,
    }


def challenge_answer_publish(challenge: Challenge) -> Challenge:
    """Called by the answer approval's outcome, inside its transaction: freeze the answer, put its
    hash in the ledger, send it to the affected suppliers, and on an upheld challenge send the
    award decision back with a record of why."""
    challenge = _locked(challenge.pk)
    if not challenge.is_pending:
        return challenge
    if not challenge.answer or challenge.upheld is None:
        raise RemedyError(_("Answer the challenge on its page: the answer and the finding are needed."))
    challenge.answered_at = clock.now()
    challenge.status = ChallengeStatus.UPHELD if challenge.upheld else ChallengeStatus.DISMISSED
    challenge.answer_sent_to = affected_suppliers(challenge)
    digest = hashlib.sha256(jcs(challenge_answer_payload(challenge))).digest()
    challenge.answer_sha256 = digest.hex()
    entry = ledger_append(
        kind="awards/challenge-answered",
        payload={
            "tender": challenge.tender.reference,
            "challenge": challenge.reference,
            "outcome": challenge.status,
            "sha256": b64u_encode(digest),
            "answered_at": format_time(challenge.answered_at),
            "late": challenge.answered_at.date() > challenge.answer_due_on,
        },
    )
    challenge.answer_ledger_index = entry.index
    challenge.save(
        update_fields=[
            "answered_at",
            "status",
            "answer_sent_to",
            "answer_sha256",
            "answer_ledger_index",
        ]
    )
    if challenge.upheld:
        award_send_back(challenge)
    organisations = Supplier.objects.filter(pk__in=challenge.answer_sent_to).values_list(
        "organisation_id", flat=True
    )
    mail_organisations(
        organisations,
        _("Answer to challenge %(ref)s on tender %(tender)s")
        % {"ref": challenge.reference, "tender": challenge.tender.reference},
        _("The buyer has answered the challenge: %(outcome)s.\n\n%(answer)s")
        % {"outcome": challenge.get_status_display(), "answer": challenge.answer},
    )
    return challenge


def award_send_back(challenge: Challenge) -> AwardDecision | None:
    """An upheld challenge sends the live award decision of its lot back (re-evaluation or a new
    decision follows; `award_decision_reopen` keeps the record and re-opens the tender), and the
    ledger records which challenge did it. A challenge of the documents or the process upheld
    before any award re-opens nothing."""
    award = challenge.award or _live_award(challenge.tender, challenge.lot)
    if award is None or award.status == AwardStatus.REOPENED:
        return None
    award = award_decision_reopen(
        decision_id=award.pk,
        reason=str(_("Challenge %(ref)s upheld.") % {"ref": challenge.reference}),
        ref=f"challenge:{challenge.pk}",
        by=challenge.answered_by,
    )
    ledger_append(
        kind="awards/award-reopened",
        payload={
            "tender": challenge.tender.reference,
            "lot": challenge.lot.sb1_id if challenge.lot is not None else None,
            "award": award.pk,
            "because": {"challenge": challenge.reference},
            "at": format_time(award.reopened_at or clock.now()),
        },
    )
    return award


def pending_challenges(*, tender: Tender, lot: Lot | None) -> list[Challenge]:
    """Challenges still waiting for an answer that stop the lot's contract: the lot's own and the
    whole tender's."""
    lots = Q(lot__isnull=True) | Q(lot=lot) if lot is not None else Q()
    return list(Challenge.objects.filter(lots, tender=tender, status=ChallengeStatus.PENDING))

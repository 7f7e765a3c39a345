"""Complaints (投诉) to the finance department: lodged within 15 working days after the challenge's
answer or, when no answer came, after its deadline (GPL Art 55); the department's statuses
(accepted, investigating, procurement suspended, decided) with the 30-working-day limit for the
decision (GPL Art 56); the decision published: frozen canonical JSON, its hash in the ledger."""

import hashlib
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.constants import OrganisationKind, Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from awards.exceptions_remedies import NotParty, PeriodPassed, RemedyError, RemedyNotFound, WrongRemedyState
from awards.models import Challenge, Complaint
from awards.periods import article, last_day
from awards.remedy_constants import (
    COMPLAINT_DECISION,
    COMPLAINT_FILING,
    COMPLAINT_TRANSITIONS,
    ComplaintOutcome,
    ComplaintStatus,
)
from awards.services.notify import mail_organisations
from config import clock
from ledger.encoding import b64u_encode, format_time, jcs
from ledger.services import ledger_append
from suppliers.selectors import supplier_of


def complaint_period_start(challenge: Challenge) -> date | None:
    """The day the 15 working days run from: the answer's day, or the answer's deadline when it
    has passed unanswered; None while the buyer may still answer in time."""
    if challenge.answered_at is not None:
        return timezone.localdate(challenge.answered_at)
    if clock.today_local() > challenge.answer_due_on:
        return challenge.answer_due_on
    return None


def complaint_last_day(challenge: Challenge) -> date | None:
    start = complaint_period_start(challenge)
    return last_day(COMPLAINT_FILING, start) if start else None


def finance_department(challenge: Challenge) -> Organisation:
    """The finance department the complaint goes to: the demo and most deployments have one
    regulator organisation; the first one stands in until tenders record theirs."""
    regulator = Organisation.objects.filter(kind=OrganisationKind.REGULATOR).order_by("pk").first()
    if regulator is None:
        raise RemedyError(_("No finance department is registered on the platform."))
    return regulator


@transaction.atomic
def complaint_lodge(*, challenge_id: int, by: User, reasons: str) -> Complaint:
    """The challenger complains to the finance department about the answer (or its absence).

    Before: `by` acts for the challenger; the answer came, or its deadline passed; today is within
    15 working days after that (GPL Art 55); no complaint yet. After: a lodged complaint."""
    challenge = Challenge.objects.select_for_update().select_related("tender").filter(pk=challenge_id).first()
    if challenge is None:
        raise RemedyNotFound(_("No such challenge."))
    supplier = supplier_of(user=by)
    if supplier is None or supplier.pk != challenge.supplier_id:
        raise NotParty(_("Only the challenger may complain about the answer to its challenge."))
    if Complaint.objects.filter(challenge=challenge).exists():
        raise WrongRemedyState(_("A complaint about this challenge has already been lodged."))
    start = complaint_period_start(challenge)
    if start is None:
        raise WrongRemedyState(
            _("A complaint can be lodged once the buyer has answered, or after %(day)s if it has not.")
            % {"day": challenge.answer_due_on.isoformat()}
        )
    closes = last_day(COMPLAINT_FILING, start)
    if clock.today_local() > closes:
        raise PeriodPassed(
            _(
                "The period for a complaint ended on %(day)s: 15 working days after the answer or its deadline (%(article)s)."
            )
            % {"day": closes.isoformat(), "article": article(COMPLAINT_FILING)}
        )
    reasons = reasons.strip()
    if not reasons:
        raise RemedyError(_("Give the reasons for the complaint."))
    now = clock.now()
    count = Complaint.objects.filter(challenge__tender=challenge.tender).count()
    complaint = Complaint.objects.create(
        reference=f"{challenge.tender.reference}-TS{count + 1}",
        challenge=challenge,
        regulator=finance_department(challenge),
        filed_by=by,
        reasons=reasons,
        filed_at=now,
        history=[{"status": ComplaintStatus.LODGED, "at": format_time(now), "note": ""}],
    )
    mail_organisations(
        [complaint.regulator_id],
        _("Complaint %(ref)s lodged") % {"ref": complaint.reference},
        _("A supplier complains about the answer to challenge %(ref)s.") % {"ref": challenge.reference},
    )
    return complaint


def _require_regulator(user: User, complaint: Complaint) -> None:
    if not user_has_role(user=user, role=Role.SUPERVISOR, organisation=complaint.regulator_id):
        raise NotParty(_("Only the finance department handles complaints."))


@transaction.atomic
def complaint_status_set(*, complaint_id: int, by: User, status: str, note: str = "") -> Complaint:
    """The finance department moves a complaint on (accepted, investigating, procurement suspended;
    `complaint_decide` for the decision). Acceptance starts the 30 working days (GPL Art 56)."""
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise RemedyNotFound(_("No such complaint."))
    _require_regulator(by, complaint)
    if status == ComplaintStatus.DECIDED or status not in COMPLAINT_TRANSITIONS.get(complaint.status, set()):
        raise WrongRemedyState(
            _("A complaint that is %(now)s cannot become %(next)s.")
            % {
                "now": complaint.get_status_display(),
                "next": dict(ComplaintStatus.choices).get(status, status),
            }
        )
    now = clock.now()
    fields = ["status", "history"]
    if status == ComplaintStatus.ACCEPTED:
        complaint.accepted_at = now
        complaint.decision_due_on = last_day(COMPLAINT_DECISION, now)
        fields += ["accepted_at", "decision_due_on"]
    complaint.status = status
    complaint.history = [*complaint.history, {"status": status, "at": format_time(now), "note": note.strip()}]
    complaint.save(update_fields=fields)
    audit_record(action="awards.complaint_status", operator=by, address=None, path=complaint.reference)
    return complaint


def complaint_decision_payload(complaint: Complaint) -> dict[str, Any]:
    challenge = complaint.challenge
    tender = challenge.tender
    return {
        "type": "yizhan/complaint-decision",
        "tender": tender.reference,
        "title": tender.title,
        "complaint": complaint.reference,
        "challenge": challenge.reference,
        "complainant": {
            "name": challenge.supplier.organisation.name,
            "credit_code": challenge.supplier.organisation.credit_code,
        },
        "respondent": {"name": tender.buyer.name, "credit_code": tender.buyer.credit_code},
        "finance_department": complaint.regulator.name,
        "lodged_at": format_time(complaint.filed_at),
        "accepted_at": format_time(complaint.accepted_at) if complaint.accepted_at else None,
        "outcome": complaint.outcome,
        "decision": complaint.decision,
        "decided_at": format_time(complaint.decided_at) if complaint.decided_at else None,
    }


@transaction.atomic
def complaint_decide(*, complaint_id: int, by: User, outcome: str, decision: str) -> Complaint:
    """The finance department's decision, published.

    Before: accepted (investigating or suspended included). After: decided; the decision frozen
    as canonical JSON, its hash in the ledger, shown on the tender's page; the parties mailed.
    A decision after the 30 working days is still recorded, and the ledger says it was late."""
    complaint = (
        Complaint.objects.select_for_update()
        .select_related("challenge__tender__buyer", "challenge__supplier__organisation", "regulator")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise RemedyNotFound(_("No such complaint."))
    _require_regulator(by, complaint)
    if ComplaintStatus.DECIDED not in COMPLAINT_TRANSITIONS.get(complaint.status, set()):
        raise WrongRemedyState(_("Accept the complaint before deciding it."))
    if outcome not in ComplaintOutcome.values:
        raise RemedyError(_("Say whether the complaint is upheld or dismissed."))
    decision = decision.strip()
    if not decision:
        raise RemedyError(_("Write the decision: it is published."))
    now = clock.now()
    complaint.status = ComplaintStatus.DECIDED
    complaint.outcome = outcome
    complaint.decision = decision
    complaint.decided_at = now
    complaint.history = [
        *complaint.history,
        {"status": ComplaintStatus.DECIDED, "at": format_time(now), "note": ""},
    ]
    payload = complaint_decision_payload(complaint)
    digest = hashlib.sha256(jcs(payload)).digest()
    entry = ledger_append(
        kind="awards/complaint-decision",
        payload={
            "tender": complaint.challenge.tender.reference,
            "complaint": complaint.reference,
            "outcome": outcome,
            "sha256": b64u_encode(digest),
            "decided_at": format_time(now),
            "late": complaint.decision_due_on is not None and clock.today_local() > complaint.decision_due_on,
        },
    )
    complaint.decision_payload = payload
    complaint.decision_sha256 = digest.hex()
    complaint.decision_ledger_index = entry.index
    complaint.save(
        update_fields=[
            "status",
            "outcome",
            "decision",
            "decided_at",
            "history",
            "decision_payload",
            "decision_sha256",
            "decision_ledger_index",
        ]
    )
    tender = complaint.challenge.tender
    mail_organisations(
        [
            complaint.challenge.supplier.organisation_id,
            tender.buyer_id,
            *([tender.agency_id] if tender.agency_id else []),
        ],
        _("Complaint %(ref)s decided") % {"ref": complaint.reference},
        decision,
    )
    audit_record(action="awards.complaint_decide", operator=by, address=None, path=complaint.reference)
    return complaint

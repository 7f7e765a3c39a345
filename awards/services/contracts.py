"""Contracts from award decisions: the record (parties, amount, dates, documents), signing within
30 days of the award notice (GPL Art 46, MOF87 Art 71) and never while a challenge of its lot is
pending or the finance department has suspended the procurement, the contract notice (合同公告)
within 2 working days of signing (GPLR Art 50: frozen canonical JSON, hash in the ledger, on the
tender's notice page), the performance security (at most the rule set's share of the contract,
GPLR Art 48, lodged by the signing deadline), the acceptance of performance (履约验收), and the
signing reminders the beat sweep sends."""

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.constants import OrganisationKind
from accounts.models import Organisation, User
from awards.constants import AwardStatus, NoticeKind
from awards.exceptions_remedies import (
    ContractBlocked,
    NotParty,
    PeriodPassed,
    RemedyError,
    RemedyNotFound,
    WrongRemedyState,
)
from awards.models import AwardDecision, BidderNotice, Complaint, Contract
from awards.periods import article, last_day
from awards.remedy_constants import CONTRACT_NOTICE, CONTRACT_SIGNING, ComplaintStatus, ContractStatus
from awards.services.challenges import pending_challenges
from awards.services.notify import mail_organisations
from awards.services.securities import bid_securities_schedule
from config import clock
from config.uploads import PDF_ONLY, upload_check
from ledger.encoding import format_time
from ledger.services import ledger_append
from tenders.constants import AnnouncementKind
from tenders.permissions import is_tender_officer
from tenders.services import tender_announce

# The sweep reminds the parties this many days before the signing deadline.
SIGNING_REMINDER_DAYS = 5


def award_notice_day(award: AwardDecision) -> date:
    """The day the award notice (中标通知书) went to the winner; the decision's day while no notice
    is recorded (the 30 days then run from the earlier day, never later)."""
    notice = BidderNotice.objects.filter(decision=award, kind=NoticeKind.AWARD).order_by("issued_at").first()
    sent = notice.issued_at if notice else award.decided_at
    if sent is None:
        raise WrongRemedyState(_("The award has not been decided yet."))
    return timezone.localdate(sent)


def contract_blockers(contract_or_award: Any) -> list[str]:
    """Why the contract may not be signed now (empty when it may): pending challenges of its lot
    or of the whole tender, a procurement suspended by the finance department, a re-opened award."""
    tender, lot = contract_or_award.tender, contract_or_award.lot
    reasons = [
        str(
            _("Challenge %(ref)s is waiting for the buyer's answer (due by %(day)s).")
            % {"ref": challenge.reference, "day": challenge.answer_due_on.isoformat()}
        )
        for challenge in pending_challenges(tender=tender, lot=lot)
    ]
    suspended = Complaint.objects.filter(challenge__tender=tender, status=ComplaintStatus.SUSPENDED)
    reasons += [
        str(_("The finance department suspended the procurement (complaint %(ref)s).") % {"ref": c.reference})
        for c in suspended
    ]
    award = contract_or_award if isinstance(contract_or_award, AwardDecision) else contract_or_award.award
    if award.status == AwardStatus.REOPENED:
        reasons.append(str(_("The award decision was re-opened: %(why)s") % {"why": award.reopen_reason}))
    return reasons


def _require_officer(user: User, contract_or_award: Any) -> None:
    if not is_tender_officer(user=user, tender=contract_or_award.tender):
        raise NotParty(_("Only the tender's officers manage its contracts."))


@transaction.atomic
def contract_create(
    *,
    award_id: int,
    by: User,
    title: str,
    amount: Decimal,
    main_items: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    performance_security: Decimal = Decimal("0.00"),
) -> Contract:
    """Record the contract to be signed from a decided award.

    Before: the award is decided or announced (not re-opened) and has no contract; the amount is
    positive and not above the award; the performance security is at most the rule set's share of
    the amount (GPLR Art 48). After: a draft contract, due to be signed 30 days after the award
    notice (a last day on a holiday moves to the next working day); the losers' bid securities
    are due back 5 working days after the award notice."""
    award = (
        AwardDecision.objects.select_for_update(of=("self",))
        .select_related("tender__buyer", "supplier__organisation", "lot")
        .filter(pk=award_id)
        .first()
    )
    if award is None:
        raise RemedyNotFound(_("No such award decision."))
    _require_officer(by, award)
    if award.status not in (AwardStatus.DECIDED, AwardStatus.ANNOUNCED):
        raise WrongRemedyState(_("A contract is made only from a decided award."))
    if Contract.objects.filter(award=award).exists():
        raise WrongRemedyState(_("This award already has its contract."))
    amount = Decimal(amount)
    if amount <= 0 or amount > award.amount:
        raise RemedyError(
            _("The contract amount must be positive and not above the award amount of CNY %(amount)s.")
            % {"amount": f"{award.amount:,.2f}"}
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise RemedyError(_("The performance period ends before it starts."))
    security = Decimal(performance_security or 0)
    rules = award.tender.rule_set or award.tender.method.rule_set()
    cap = Decimal(rules.get("performance_security_max_percent") or "10")
    if security < 0 or security > (amount * cap / 100).quantize(Decimal("0.01")):
        raise RemedyError(
            _("The performance security may be at most %(cap)s%% of the contract amount (GPLR Art 48).")
            % {"cap": f"{cap.normalize():f}"}
        )
    notice_day = award_notice_day(award)
    sign_due_on = last_day(CONTRACT_SIGNING, notice_day)
    contract = Contract.objects.create(
        reference=f"{award.tender.reference}-HT{Contract.objects.filter(tender=award.tender).count() + 1}",
        award=award,
        tender=award.tender,
        lot=award.lot,
        buyer=award.tender.buyer,
        supplier=award.supplier,
        title=title.strip() or award.tender.title,
        amount=amount,
        main_items=main_items.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        award_notice_on=notice_day,
        sign_due_on=sign_due_on,
        performance_security=security,
        performance_security_due_on=sign_due_on if security > 0 else None,
        created_by=by,
        created_at=clock.now(),
    )
    bid_securities_schedule(tender=award.tender, winner_id=award.supplier_id, award_notice_on=notice_day)
    audit_record(action="awards.contract_create", operator=by, address=None, path=contract.reference)
    return contract


def _locked(contract_id: int) -> Contract:
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("tender__buyer", "supplier__organisation", "award", "lot")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        raise RemedyNotFound(_("No such contract."))
    return contract


@transaction.atomic
def performance_security_record(*, contract_id: int, by: User, received_on: date) -> Contract:
    """The buyer records the day the winner's performance security arrived (late is shown as late)."""
    contract = _locked(contract_id)
    _require_officer(by, contract)
    if contract.performance_security <= 0:
        raise WrongRemedyState(_("This contract asks for no performance security."))
    if received_on > clock.today_local():
        raise RemedyError(_("The day received cannot be in the future."))
    contract.performance_security_received_on = received_on
    contract.save(update_fields=["performance_security_received_on"])
    return contract


@transaction.atomic
def contract_sign(
    *,
    contract_id: int,
    by: User,
    signed_on: date,
    document: UploadedFile,
    late_reason: str = "",
) -> Contract:
    """Record the signed contract.

    Before: a draft; nothing blocks it (`contract_blockers`); signed on or before today and not
    before the award notice; on or before the last day of the 30 (else a reason for the delay is
    required, recorded and ledgered as late); the performance security, when asked, received; the
    signed document a PDF. After: signed; the contract notice due 2 working days after signing; the
    winner's bid security due back 5 working days after it."""
    contract = _locked(contract_id)
    _require_officer(by, contract)
    if contract.status != ContractStatus.DRAFT:
        raise WrongRemedyState(_("This contract is already signed."))
    blockers = contract_blockers(contract)
    if blockers:
        raise ContractBlocked(
            _("The contract cannot be signed now: %(reasons)s") % {"reasons": " ".join(blockers)}
        )
    today = clock.today_local()
    if signed_on > today or signed_on < contract.award_notice_on:
        raise RemedyError(_("The signing day must lie between the award notice and today."))
    late_reason = late_reason.strip()
    if signed_on > contract.sign_due_on and not late_reason:
        raise PeriodPassed(
            _(
                "The contract was to be signed by %(day)s, 30 days after the award notice (%(article)s); say why it was signed late."
            )
            % {"day": contract.sign_due_on.isoformat(), "article": article(CONTRACT_SIGNING)}
        )
    if contract.performance_security > 0 and contract.performance_security_received_on is None:
        raise WrongRemedyState(_("Record the winner's performance security before the contract is signed."))
    upload_check(document, policy=PDF_ONLY)
    document.seek(0)
    contract.document_sha256 = hashlib.sha256(document.read()).hexdigest()
    document.seek(0)
    contract.document.save(f"{contract.reference}.pdf", document, save=False)
    contract.signed_on = signed_on
    contract.late_reason = late_reason if signed_on > contract.sign_due_on else ""
    contract.notice_due_on = last_day(CONTRACT_NOTICE, signed_on)
    contract.status = ContractStatus.SIGNED
    contract.save(
        update_fields=["document", "document_sha256", "signed_on", "late_reason", "notice_due_on", "status"]
    )
    bid_securities_schedule(
        tender=contract.tender,
        winner_id=contract.supplier_id,
        award_notice_on=contract.award_notice_on,
        signed_on=signed_on,
    )
    audit_record(action="awards.contract_sign", operator=by, address=None, path=contract.reference)
    return contract


def contract_notice_payload(contract: Contract) -> dict[str, Any]:
    """The contract notice (GPLR Art 50): what the ledger fixes by its hash."""
    tender = contract.tender
    supplier = contract.supplier.organisation
    return {
        "type": "yizhan/contract-notice",
        "tender": tender.reference,
        "project": tender.title,
        "lot": contract.lot.sb1_id if contract.lot is not None else None,
        "contract": contract.reference,
        "title": contract.title,
        "buyer": {"name": tender.buyer.name, "credit_code": tender.buyer.credit_code},
        "agency": {"name": tender.agency.name, "credit_code": tender.agency.credit_code}
        if tender.agency is not None
        else None,
        "supplier": {
            "name": supplier.name,
            "credit_code": supplier.credit_code,
            "address": contract.supplier.address,
        },
        "amount": f"{contract.amount:.2f}",
        "currency": "CNY",
        "main_items": contract.main_items,
        "performance_from": contract.starts_on.isoformat() if contract.starts_on else None,
        "performance_until": contract.ends_on.isoformat() if contract.ends_on else None,
        "award_notice_on": contract.award_notice_on.isoformat(),
        "signed_on": contract.signed_on.isoformat() if contract.signed_on else None,
        "signed_late": bool(contract.late_reason),
        "document_sha256": contract.document_sha256,
        "published_at": format_time(contract.notice_published_at) if contract.notice_published_at else None,
    }


def contract_notice_text(contract: Contract, payload: dict[str, Any]) -> tuple[str, str]:
    """Title and readable text of the contract notice, in Chinese (what the notice page shows)."""
    with translation.override("zh-hans"):
        title = gettext("%(title)s: contract notice") % {"title": contract.title}
        lines = [
            gettext("Project: %(reference)s %(title)s")
            % {"reference": payload["tender"], "title": payload["project"]},
            gettext("Contract: %(contract)s") % payload,
            gettext("Buyer: %(name)s") % payload["buyer"],
            gettext("Supplier: %(name)s, address %(address)s, unified social credit code %(credit_code)s")
            % payload["supplier"],
            gettext("Contract amount: CNY %(amount)s") % payload,
            gettext("Main items: %(items)s") % {"items": payload["main_items"] or "—"},
            gettext("Performance period: %(start)s to %(end)s")
            % {"start": payload["performance_from"] or "—", "end": payload["performance_until"] or "—"},
            gettext("Signed on: %(day)s") % {"day": payload["signed_on"]},
        ]
    return title, "\n".join(lines)


@transaction.atomic
def contract_notice_publish(*, contract_id: int, by: User) -> Contract:
    """Publish the contract notice (合同公告) as the tender's announcement.

    Before: signed. After: published the way every tender announcement is (frozen canonical JSON,
    its hash in the ledger as "tender/contract", on the tender's notice page, subscribers and
    document holders mailed), marked late in its content when after the 2 working days of GPLR
    Art 50; the parties mailed."""
    contract = _locked(contract_id)
    _require_officer(by, contract)
    if contract.status != ContractStatus.SIGNED:
        raise WrongRemedyState(_("Only a signed contract whose notice is not yet out can be published."))
    now = clock.now()
    contract.notice_published_at = now
    contract.status = ContractStatus.PUBLISHED
    payload = contract_notice_payload(contract)
    payload["late"] = contract.notice_due_on is not None and clock.today_local() > contract.notice_due_on
    supplier = contract.supplier.organisation
    title, body = contract_notice_text(contract, payload)
    contract.notice = tender_announce(
        tender=contract.tender, kind=AnnouncementKind.CONTRACT, title=title, body=body, by=by, payload=payload
    )
    contract.save(update_fields=["notice_published_at", "status", "notice"])
    mail_organisations(
        [supplier.pk, contract.buyer_id],
        _("Contract notice published: %(title)s") % {"title": contract.title},
        _("The contract notice of %(ref)s is public.") % {"ref": contract.reference},
    )
    audit_record(action="awards.contract_notice", operator=by, address=None, path=contract.reference)
    return contract


@transaction.atomic
def contract_acceptance_record(
    *, contract_id: int, by: User, accepted_on: date, passed: bool, report: str
) -> Contract:
    """Record the acceptance of performance (履约验收) with its result and report; the result and
    the day go to the ledger (the report text stays with the parties)."""
    contract = _locked(contract_id)
    _require_officer(by, contract)
    if contract.status != ContractStatus.PUBLISHED:
        raise WrongRemedyState(_("Performance is accepted after the contract notice is published."))
    if accepted_on > clock.today_local() or (contract.signed_on and accepted_on < contract.signed_on):
        raise RemedyError(_("The acceptance day must lie between the signing and today."))
    report = report.strip()
    if not report:
        raise RemedyError(_("Write the acceptance report."))
    entry = ledger_append(
        kind="awards/acceptance",
        payload={
            "tender": contract.tender.reference,
            "contract": contract.reference,
            "accepted_on": accepted_on.isoformat(),
            "passed": bool(passed),
        },
    )
    contract.accepted_on = accepted_on
    contract.acceptance_passed = bool(passed)
    contract.acceptance_report = report
    contract.acceptance_ledger_index = entry.index
    contract.status = ContractStatus.ACCEPTED
    contract.save(
        update_fields=[
            "accepted_on",
            "acceptance_passed",
            "acceptance_report",
            "acceptance_ledger_index",
            "status",
        ]
    )
    audit_record(action="awards.contract_acceptance", operator=by, address=None, path=contract.reference)
    return contract


def contract_signing_reminders(*, today: date | None = None) -> dict[str, int]:
    """Remind the officers and the winner of a contract due to be signed within 5 days, and tell
    the finance department once it is overdue. Idempotent: each contract is reminded once and
    reported overdue once."""
    today = today or clock.today_local()
    counts = {"reminded": 0, "overdue": 0}
    for contract in Contract.objects.filter(status=ContractStatus.DRAFT).select_related("tender", "supplier"):
        with transaction.atomic():
            locked = Contract.objects.select_for_update().get(pk=contract.pk)
            parties = [locked.buyer_id, locked.supplier.organisation_id]
            if locked.tender.agency_id:
                parties.append(locked.tender.agency_id)
            if today > locked.sign_due_on and locked.sign_overdue_notified_at is None:
                locked.sign_overdue_notified_at = clock.now()
                locked.sign_reminded_at = locked.sign_reminded_at or locked.sign_overdue_notified_at
                locked.save(update_fields=["sign_overdue_notified_at", "sign_reminded_at"])
                regulators = Organisation.objects.filter(kind=OrganisationKind.REGULATOR).values_list(
                    "pk", flat=True
                )
                mail_organisations(
                    [*parties, *regulators],
                    _("Contract not signed in time: %(ref)s") % {"ref": locked.reference},
                    _("It was to be signed by %(day)s.") % {"day": locked.sign_due_on.isoformat()},
                )
                counts["overdue"] += 1
            elif (
                locked.sign_due_on - today
            ).days <= SIGNING_REMINDER_DAYS and locked.sign_reminded_at is None:
                locked.sign_reminded_at = clock.now()
                locked.save(update_fields=["sign_reminded_at"])
                mail_organisations(
                    parties,
                    _("Contract to be signed by %(day)s: %(ref)s")
                    % {"day": locked.sign_due_on.isoformat(), "ref": locked.reference},
                    _("Sign it within 30 days of the award notice (GPL Art 46)."),
                )
                counts["reminded"] += 1
    return counts

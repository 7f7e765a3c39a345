"""Every write on tenders: drafting, submission, publication, amendments, questions and
clarifications, cancellation, the later state changes, the failure notice and the re-run,
document downloads and subscriptions."""

import hashlib
import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from config import clock
from config.exceptions import DomainError, NotAllowed
from config.uploads import TENDER_DOCUMENTS, upload_check
from ledger.encoding import b64u_encode, format_time, jcs
from ledger.services import ledger_append
from procurement.constants import MethodApprovalStatus
from procurement.models import MethodApproval, ProcurementMethod, ProcurementPlan
from tenders import hooks
from tenders.constants import (
    EDITABLE_STATUSES,
    TENDER_TRANSITIONS,
    AnnouncementKind,
    TenderStatus,
)
from tenders.exceptions import (
    DeadlinePassed,
    InvalidTenderData,
    NoticeAlreadyPublished,
    NoticeDraftNotFound,
    NotTenderOfficer,
    RerunRefused,
    SubscriptionLimited,
    SubscriptionUnknown,
    TenderNotEditable,
    TenderNotFound,
    TenderRulesViolated,
    TenderTransitionRefused,
)
from tenders.models import (
    Announcement,
    Criterion,
    Custodian,
    DocumentHolder,
    DocumentVersion,
    Lot,
    NoticeDraft,
    PublicityObjection,
    Question,
    SearchToken,
    Subscription,
    Tender,
    TenderDocument,
)
from tenders.permissions import is_supplier_user, is_tender_officer, officer_organisation_ids
from tenders.rules import local_date, normalise_readout, publicity_ends, tender_violations
from tenders.search import tender_search_text, token_rows
from workdays import calendar

# Fields an officer sets on a draft (the rest are set by the services).
DRAFT_FIELDS = (
    "title",
    "description",
    "category_code",
    "region",
    "budget",
    "max_price",
    "qualification_requirements",
    "evaluation_method",
    "procurement_kind",
    "consultation_case",
    "sole_supplier",
    "sole_supplier_reason",
    "readout_fields",
    "required_documents",
    "bid_security",
    "document_instructions",
    "document_start",
    "document_end",
    "question_deadline",
    "bid_deadline",
    "opening_place",
    "share_window_s",
    "threshold_k",
    "contact_name",
    "contact_phone",
    "agency",
    "plan",
    "method",
    "method_approval",
)


# ---------------------------------------------------------------- helpers


def _locked(tender_id: int) -> Tender:
    try:
        return Tender.objects.select_for_update().get(pk=tender_id)
    except Tender.DoesNotExist:
        raise TenderNotFound() from None


def _require_officer(user: User, tender: Tender) -> None:
    if not is_tender_officer(user=user, tender=tender):
        raise NotTenderOfficer()


def _transition_guard(tender: Tender, target: str) -> None:
    """The one guard of the state machine (constants.TENDER_TRANSITIONS)."""
    if target not in TENDER_TRANSITIONS[tender.status]:
        raise TenderTransitionRefused(TenderStatus(tender.status).label, TenderStatus(target).label)


def _set_status(tender: Tender, target: str, by: User | None, *extra_fields: str) -> None:
    _transition_guard(tender, target)
    tender.status = target
    tender.status_changed_at = clock.now()
    tender.status_changed_by = by
    tender.updated_at = tender.status_changed_at
    tender.save(
        update_fields=["status", "status_changed_at", "status_changed_by", "updated_at", *extra_fields]
    )


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _time(value: datetime | None) -> str | None:
    return None if value is None else format_time(value)


def _next_reference() -> str:
    """YZ-<year>-<6 digits>: also the SB1 tender identifier ([A-Za-z0-9._-]{1,64})."""
    year = clock.today_local().year
    prefix = f"YZ-{year}-"
    last = (
        Tender.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _check_custodian_users(users: list[User]) -> None:
    for user in users:
        if not user_has_role(user=user, role=Role.KEY_CUSTODIAN):
            raise InvalidTenderData(_("%(name)s is not a key custodian.") % {"name": user})
    if len({u.pk for u in users}) != len(users):
        raise InvalidTenderData(_("A custodian can hold only one key of a tender."))


# ---------------------------------------------------------------- drafting


@transaction.atomic
def tender_create(
    *, by: User, buyer: Organisation, method: ProcurementMethod, title: str, budget: Decimal, **fields: Any
) -> Tender:
    """A new draft.

    Before: `by` is a procurement officer of `buyer` or of `fields["agency"]`; the method is in use.
    After: a draft tender with price and currency as read-out fields, visible only to the officers."""
    agency = fields.get("agency")
    orgs = officer_organisation_ids(by)
    if buyer.pk not in orgs and (agency is None or agency.pk not in orgs):
        raise NotTenderOfficer()
    if not method.is_active:
        raise InvalidTenderData(_("This procurement method is not in use."))
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise InvalidTenderData(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    plan: ProcurementPlan | None = fields.get("plan")
    if plan is not None and plan.buyer_id != buyer.pk:
        raise InvalidTenderData(_("The procurement plan belongs to another buyer."))
    now = clock.now()
    tender = Tender(
        reference=_next_reference(),
        buyer=buyer,
        method=method,
        title=title,
        budget=budget,
        created_by=by,
        created_at=now,
        updated_at=now,
        opening_place=str(_("Online, on this platform")),
    )
    for name, value in fields.items():
        setattr(tender, name, value)
    tender.readout_fields = normalise_readout(list(tender.readout_fields or []))
    tender.region = tender.region or buyer.region
    tender.save()
    return tender


@transaction.atomic
def tender_update(*, tender_id: int, by: User, **fields: Any) -> Tender:
    """Change fields of a draft. Before: draft, `by` is its officer. After: the fields are saved."""
    tender = _locked(tender_id)
    _require_officer(by, tender)
    if tender.status not in EDITABLE_STATUSES:
        raise TenderNotEditable()
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise InvalidTenderData(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(tender, name, value)
    if "readout_fields" in fields:
        tender.readout_fields = normalise_readout(list(fields["readout_fields"] or []))
    tender.updated_at = clock.now()
    tender.save(update_fields=[*fields, "updated_at"])
    return tender


def _editable(tender_id: int, by: User) -> Tender:
    tender = _locked(tender_id)
    _require_officer(by, tender)
    if tender.status not in EDITABLE_STATUSES:
        raise TenderNotEditable()
    return tender


@transaction.atomic
def tender_lots_set(*, tender_id: int, by: User, lots: list[dict[str, Any]]) -> list[Lot]:
    """Replace the draft's lots with `lots` ({title, budget, description}), numbered 1..n in order."""
    tender = _editable(tender_id, by)
    tender.lots.all().delete()
    created = [
        Lot.objects.create(
            tender=tender,
            number=i,
            title=lot["title"],
            budget=Decimal(lot["budget"]),
            description=lot.get("description", ""),
        )
        for i, lot in enumerate(lots, start=1)
    ]
    return created


@transaction.atomic
def tender_criteria_set(*, tender_id: int, by: User, criteria: list[dict[str, Any]]) -> list[Criterion]:
    """Replace the draft's criteria with `criteria` ({name, weight, is_price, description}) in order."""
    tender = _editable(tender_id, by)
    tender.criteria.all().delete()
    return [
        Criterion.objects.create(
            tender=tender,
            position=i,
            name=c["name"],
            weight=Decimal(c["weight"]),
            is_price=bool(c.get("is_price")),
            description=c.get("description", ""),
        )
        for i, c in enumerate(criteria, start=1)
    ]


@transaction.atomic
def tender_custodians_set(*, tender_id: int, by: User, users: list[User]) -> list[Custodian]:
    """Assign the key custodians in order: the first gets index 1 (SEALED_BIDS.md "Keys").

    Before: draft; each user holds the key_custodian role. After: custodians 1..n; those newly named
    are mailed after commit with the link to their checklist for the tender (certificate, opening
    key, confirmation), so publication does not wait on people who do not know."""
    tender = _editable(tender_id, by)
    _check_custodian_users(users)
    before = set(tender.custodians.values_list("user_id", flat=True))
    tender.custodians.all().delete()
    custodians = [
        Custodian.objects.create(tender=tender, user=u, index=i) for i, u in enumerate(users, start=1)
    ]
    named = [u.pk for u in users if u.pk not in before]
    if named:
        from tenders.tasks import custodians_notify_named

        transaction.on_commit(lambda: custodians_notify_named.delay(tender.pk, named))
    return custodians


def _version_create(
    *, document: TenderDocument, upload: File, by: User, announcement: Announcement | None = None
) -> DocumentVersion:
    upload_check(upload, policy=TENDER_DOCUMENTS)
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    name = upload.name.rsplit("/", 1)[-1] if upload.name else "document"
    version = DocumentVersion(
        document=document,
        number=number,
        filename=name,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=clock.now(),
        announcement=announcement,
    )
    version.file.save(name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def tender_document_add(
    *, tender_id: int, by: User, title: str, upload: File, document_id: int | None = None
) -> DocumentVersion:
    """Attach a document to a draft, or a new version of one of its documents (its SHA-256 recorded).
    After publication documents change only by amendment (`tender_amend`)."""
    tender = _editable(tender_id, by)
    if document_id is not None:
        document = tender.documents.get(pk=document_id)
    else:
        document = TenderDocument.objects.create(tender=tender, title=title)
    return _version_create(document=document, upload=upload, by=by)


@transaction.atomic
def tender_document_remove(*, tender_id: int, by: User, document_id: int) -> None:
    """Remove a document of a draft (published documents are kept for the record)."""
    tender = _editable(tender_id, by)
    tender.documents.filter(pk=document_id).delete()


# ---------------------------------------------------------------- submission and publication


def _issue_moment(tender: Tender, now: datetime) -> datetime:
    """When the documents are first issued: the planned start, or now if that has passed."""
    return max(tender.document_start, now) if tender.document_start else now


def tender_problems(*, tender: Tender, at: datetime | None = None) -> list:
    """The rules the tender would break if submitted or published at `at` (default now),
    judged against its method's current rule set (a read; the editor shows it live)."""
    now = at or clock.now()
    return tender_violations(tender=tender, rules=tender.method.rule_set(), issue=_issue_moment(tender, now))


@transaction.atomic
def tender_submit(*, tender_id: int, by: User) -> Tender:
    """Put a draft into approval.

    Before: draft, `by` is its officer, and no rule of its method is broken (each refusal names
    the rule: periods, price weight, security, custodians, notice fields).
    After: in approval, with the rule set snapshot; it is no longer editable. The approval flow
    (approvals app) decides; its outcome publishes it or returns it to draft."""
    tender = _locked(tender_id)
    _require_officer(by, tender)
    _transition_guard(tender, TenderStatus.IN_APPROVAL)
    violations = tender_problems(tender=tender)
    if violations:
        raise TenderRulesViolated(violations)
    tender.rule_set = tender.method.rule_set()
    tender.submitted_at = clock.now()
    tender.return_reason = ""
    _set_status(tender, TenderStatus.IN_APPROVAL, by, "rule_set", "submitted_at", "return_reason")
    from tenders.approval import tender_approval_start

    tender_approval_start(tender=tender, by=by)
    return tender


@transaction.atomic
def tender_return_to_draft(*, tender_id: int, by: User | None, reason: str = "") -> Tender:
    """An approver sent it back (or the submitter withdrew it). Before: in approval. After: draft."""
    tender = _locked(tender_id)
    tender.return_reason = reason
    _set_status(tender, TenderStatus.DRAFT, by, "return_reason")
    return tender


def notice_payload(tender: Tender) -> dict[str, Any]:
    """The tender notice as canonical JSON data: what the ledger fixes by its hash."""
    documents = []
    for document in tender.documents.all():
        current = document.current
        if current is not None:
            documents.append(
                {
                    "title": document.title,
                    "version": current.number,
                    "filename": current.filename,
                    "size": current.size,
                    "sha256": current.sha256,
                }
            )
    return {
        "type": "yizhan/tender-notice",
        "tender": tender.reference,
        "title": tender.title,
        "buyer": {"name": tender.buyer.name, "credit_code": tender.buyer.credit_code},
        "agency": {"name": tender.agency.name, "credit_code": tender.agency.credit_code}
        if tender.agency
        else None,
        "method": tender.method.code,
        "rule_set": tender.rule_set,
        "rerun_of": tender.rerun_of.reference if tender.rerun_of_id else None,
        "method_approval": {
            "approval": tender.method_approval_id,
            "from_method": tender.method_approval.from_method.code if tender.method_approval.from_method else None,
            "method": tender.method_approval.method.code,
        }
        if tender.method_approval_id
        else None,
        "procurement_kind": tender.procurement_kind,
        "consultation_case": tender.consultation_case,
        "sole_supplier": {"name": tender.sole_supplier, "reason": tender.sole_supplier_reason}
        if tender.sole_supplier
        else None,
        "category_code": tender.category_code,
        "region": tender.region,
        "budget": _money(tender.budget),
        "max_price": _money(tender.max_price),
        "currency": "CNY",
        "requirements": tender.description,
        "qualification_requirements": tender.qualification_requirements,
        "evaluation_method": tender.evaluation_method,
        "criteria": [
            {"name": c.name, "weight": f"{c.weight:.2f}", "is_price": c.is_price}
            for c in tender.criteria.all()
        ],
        "lots": [
            {"lot": lot.sb1_id, "title": lot.title, "budget": _money(lot.budget)} for lot in tender.lots.all()
        ],
        "readout": list(tender.readout_fields),
        "required_documents": list(tender.required_documents),
        "bid_security": _money(tender.bid_security),
        "document_instructions": tender.document_instructions,
        "documents_from": _time(tender.document_start),
        "documents_until": _time(tender.document_end),
        "question_deadline": _time(tender.question_deadline),
        "deadline": _time(tender.bid_deadline),
        "opening_at": _time(tender.opening_at),
        "opening_place": tender.opening_place,
        "share_window_s": tender.share_window_s,
        "threshold": tender.threshold_k,
        "custodians": [{"index": c.index, "name": str(c.user)} for c in tender.custodians.all()],
        "documents": documents,
        "contact": {"name": tender.contact_name, "phone": tender.contact_phone},
        "published_at": _time(tender.published_at),
    }


def _announce(
    *,
    tender: Tender,
    kind: str,
    title: str,
    body: str,
    by: User,
    payload: dict[str, Any],
    old_deadline: datetime | None = None,
    new_deadline: datetime | None = None,
) -> Announcement:
    """Freeze an announcement: its canonical JSON hash goes to the ledger in this transaction."""
    now = clock.now()
    sequence = (
        tender.announcements.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    ) + 1
    payload = {**payload, "announcement": sequence, "announced_at": format_time(now)}
    digest = hashlib.sha256(jcs(payload)).digest()
    entry = ledger_append(
        kind=f"tender/{kind}",
        payload={
            "tender": tender.reference,
            "announcement": sequence,
            "sha256": b64u_encode(digest),
            "announced_at": format_time(now),
        },
    )
    announcement = Announcement.objects.create(
        tender=tender,
        kind=kind,
        sequence=sequence,
        title=title,
        body=body,
        published_at=now,
        published_by=by,
        payload=payload,
        payload_sha256=digest.hex(),
        ledger_index=entry.index,
        old_deadline=old_deadline,
        new_deadline=new_deadline,
    )
    from tenders.tasks import announcement_notify_subscribers

    transaction.on_commit(lambda: announcement_notify_subscribers.delay(announcement.pk))
    return announcement


def _index_for_search(tender: Tender) -> None:
    tender.search_text = tender_search_text(tender)
    tender.save(update_fields=["search_text"])
    SearchToken.objects.filter(tender=tender).delete()
    SearchToken.objects.bulk_create(
        [
            SearchToken(tender_id=tid, token=tok, published_at=tender.published_at)
            for tid, tok in token_rows(tender.pk, tender.search_text)
        ],
        batch_size=500,
    )


def tender_search_index(*, tender_id: int) -> None:
    """(Re)build a public tender's search tokens, e.g. for a demo tender written without publication."""
    _index_for_search(Tender.objects.get(pk=tender_id))


@transaction.atomic
def tender_publish(*, tender_id: int, by: User) -> Tender:
    """Publish an approved tender (the approval flow's outcome calls this).

    Before: in approval; the rules still hold with the documents issued now (or at the planned
    start), and every publication guard of other apps passes (the custodians' keys).
    After: published and public; `published_at` and `document_start` set; the notice frozen, its
    hash in the ledger after what `hooks.before_notice` appends; the tender searchable;
    subscribers are mailed after commit."""
    tender = _locked(tender_id)
    _transition_guard(tender, TenderStatus.PUBLISHED)
    now = clock.now()
    issue = _issue_moment(tender, now)
    violations = tender_violations(
        tender=tender, rules=tender.rule_set or tender.method.rule_set(), issue=issue
    )
    for guard in hooks.publish_guards:
        violations += guard(tender)
    if violations:
        raise TenderRulesViolated(violations)
    tender.published_at = now
    tender.document_start = issue
    _set_status(tender, TenderStatus.PUBLISHED, by, "published_at", "document_start")
    for write in hooks.before_notice:
        write(tender)
    _announce(
        tender=tender,
        kind=AnnouncementKind.TENDER_NOTICE,
        title=tender.title,
        body=tender.description,
        by=by,
        payload=notice_payload(tender),
    )
    _index_for_search(tender)
    return tender


# ---------------------------------------------------------------- after publication


def _require_open(tender: Tender, now: datetime) -> None:
    if not tender.is_open_for_bids(now):
        if tender.status == TenderStatus.PUBLISHED:
            raise DeadlinePassed(_("changes to this tender"))
        raise TenderTransitionRefused(TenderStatus(tender.status).label, TenderStatus.PUBLISHED.label)


def _restore_clarification_period(
    tender: Tender, now: datetime, requested: datetime | None = None
) -> tuple[datetime, datetime]:
    """A clarification or amendment must come at least N days before the deadline, as the tender's
    rule set counts them: calendar days (`clarification_min_days`: BL Art 23, BLR Art 21, GPLR Art 31;
    consultation measures Art 10) or working days (`clarification_min_working_days`: MOF74 Art 10 for
    negotiation and enquiry). Later than that, the deadline moves out, at the same time of day, to
    the first day that restores the period: the N-th day after today, or the first working day after
    it when that is a rest day (Civil Code Art 203, MOF87 Art 85); the N-th working day after today.
    Returns (old, new) deadlines; they are equal when nothing moved."""
    old = tender.bid_deadline
    new = max(old, requested) if requested else old
    rules = tender.rule_set or {}
    today = local_date(now)
    earliest: list = []
    if rules.get("clarification_min_days"):
        earliest.append(calendar.add_days(today, int(rules["clarification_min_days"])))
    if rules.get("clarification_min_working_days"):
        earliest.append(calendar.add_working_days(today, int(rules["clarification_min_working_days"])))
    if earliest and local_date(new) < max(earliest):
        target_day = max(earliest)
        local_old = timezone.localtime(old)
        new = local_old.replace(year=target_day.year, month=target_day.month, day=target_day.day)
    return old, new


def _move_deadline(tender: Tender, old: datetime, new: datetime) -> None:
    if new == old:
        return
    shift = new - old
    tender.bid_deadline = new
    fields = ["bid_deadline"]
    if tender.question_deadline:
        tender.question_deadline += shift
        fields.append("question_deadline")
    if tender.document_end:
        tender.document_end += shift
        fields.append("document_end")
    tender.updated_at = clock.now()
    tender.save(update_fields=[*fields, "updated_at"])
    for hook in hooks.deadline_moved:
        hook(tender, old, new)


def _notify_holders_on_commit(announcement: Announcement) -> None:
    from tenders.tasks import announcement_notify_holders

    transaction.on_commit(lambda: announcement_notify_holders.delay(announcement.pk))


@transaction.atomic
def tender_amend(
    *,
    tender_id: int,
    by: User,
    summary: str,
    bid_deadline: datetime | None = None,
    description: str | None = None,
    qualification_requirements: str | None = None,
    documents: list[tuple[str, File]] | None = None,
) -> Announcement:
    """Publish an amendment.

    Before: published and open for bids; `by` is its officer; a new deadline may only be later.
    After: the changes applied; an amendment notice with the changed fields and document
    versions, frozen in the ledger; the deadline moved out if the amendment came less than the
    method's clarification period before it (old and new deadline recorded); every document
    holder is mailed after commit."""
    tender = _locked(tender_id)
    _require_officer(by, tender)
    now = clock.now()
    _require_open(tender, now)
    if not summary.strip():
        raise InvalidTenderData(_("Say what the amendment changes."))
    if bid_deadline is not None and bid_deadline < tender.bid_deadline:
        raise InvalidTenderData(_("An amendment may move the deadline later, never earlier."))
    changes: dict[str, Any] = {}
    if description is not None and description != tender.description:
        tender.description = changes["requirements"] = description
    if (
        qualification_requirements is not None
        and qualification_requirements != tender.qualification_requirements
    ):
        tender.qualification_requirements = changes["qualification_requirements"] = qualification_requirements
    if changes:
        tender.save(update_fields=["description", "qualification_requirements"])
    old, new = _restore_clarification_period(tender, now, bid_deadline)
    _move_deadline(tender, old, new)
    versions = []
    for title, upload in documents or []:
        document = tender.documents.filter(title=title).first() or TenderDocument.objects.create(
            tender=tender, title=title
        )
        versions.append(_version_create(document=document, upload=upload, by=by))
    payload = {
        "type": "yizhan/amendment",
        "tender": tender.reference,
        "summary": summary,
        "changes": changes,
        "documents": [
            {
                "title": v.document.title,
                "version": v.number,
                "filename": v.filename,
                "size": v.size,
                "sha256": v.sha256,
            }
            for v in versions
        ],
        "old_deadline": format_time(old),
        "deadline": format_time(new),
    }
    announcement = _announce(
        tender=tender,
        kind=AnnouncementKind.AMENDMENT,
        title=str(_("Amendment to %(title)s") % {"title": tender.title}),
        body=summary,
        by=by,
        payload=payload,
        old_deadline=old,
        new_deadline=new,
    )
    for version in versions:
        version.announcement = announcement
        version.save(update_fields=["announcement"])
    if changes:
        _index_for_search(tender)
    _notify_holders_on_commit(announcement)
    return announcement


@transaction.atomic
def question_ask(*, tender_id: int, by: User, text: str) -> Question:
    """A supplier asks about the documents.

    Before: the tender is public and open, the question deadline (if any) has not passed, `by` is
    a supplier's user. After: a question only the tender's officers and the asker can see; other
    suppliers will see the answer, never who asked."""
    tender = _locked(tender_id)
    now = clock.now()
    _require_open(tender, now)
    if tender.question_deadline and now >= tender.question_deadline:
        raise DeadlinePassed(_("questions"))
    if not is_supplier_user(user=by):
        raise NotAllowed(_("Only suppliers' users may ask questions about a tender."))
    if not text.strip():
        raise InvalidTenderData(_("Write the question."))
    return Question.objects.create(tender=tender, asked_by=by, text=text.strip(), asked_at=now)


@transaction.atomic
def question_answer(*, question_id: int, by: User, answer: str) -> Announcement:
    """The officer answers; the answer is published to everyone as a clarification.

    Before: the question is unanswered, the tender open, `by` is its officer.
    After: a clarification notice (question and answer, no asker), frozen in the ledger; the
    deadline moved out if it came too late (BLR Art 21); document holders mailed after commit."""
    try:
        question = Question.objects.select_for_update().get(pk=question_id)
    except Question.DoesNotExist:
        raise TenderNotFound() from None
    tender = _locked(question.tender_id)
    _require_officer(by, tender)
    now = clock.now()
    _require_open(tender, now)
    if question.is_answered:
        raise InvalidTenderData(_("This question has already been answered."))
    if not answer.strip():
        raise InvalidTenderData(_("Write the answer."))
    old, new = _restore_clarification_period(tender, now)
    _move_deadline(tender, old, new)
    payload = {
        "type": "yizhan/clarification",
        "tender": tender.reference,
        "question": question.text,
        "answer": answer.strip(),
        "old_deadline": format_time(old),
        "deadline": format_time(new),
    }
    announcement = _announce(
        tender=tender,
        kind=AnnouncementKind.CLARIFICATION,
        title=str(_("Clarification to %(title)s") % {"title": tender.title}),
        body=answer.strip(),
        by=by,
        payload=payload,
        old_deadline=old,
        new_deadline=new,
    )
    question.answer, question.answered_at, question.answered_by = answer.strip(), now, by
    question.clarification = announcement
    question.save(update_fields=["answer", "answered_at", "answered_by", "clarification"])
    _notify_holders_on_commit(announcement)
    return announcement


@transaction.atomic
def publicity_objection_raise(*, tender_id: int, by: User, text: str) -> PublicityObjection:
    """Object to a single-source publicity notice (GPLR Art 38).

    Before: the tender is a published single-source procurement under publicity (its notice says
    so), and the publicity period (`publicity_ends`) has not ended; a text is given.
    After: the objection recorded with its time, for the officers, the supervisor and the finance
    department; its text's SHA-256 in the ledger as `tender/publicity-objection` (no name)."""
    tender = _locked(tender_id)
    now = clock.now()
    ends = publicity_ends(tender=tender)
    if tender.status != TenderStatus.PUBLISHED or ends is None:
        raise InvalidTenderData(_("This procurement has no single-source publicity to object to."))
    if local_date(now) > ends:
        raise DeadlinePassed(_("objections to the single-source publicity"))
    if not text.strip():
        raise InvalidTenderData(_("Write the objection."))
    objection = PublicityObjection.objects.create(tender=tender, text=text.strip(), raised_by=by, raised_at=now)
    entry = ledger_append(
        kind="tender/publicity-objection",
        payload={
            "tender": tender.reference,
            "objection": objection.pk,
            "text_sha256": hashlib.sha256(objection.text.encode()).hexdigest(),
            "at": format_time(now),
        },
    )
    objection.ledger_index = entry.index
    objection.save(update_fields=["ledger_index"])
    return objection


@transaction.atomic
def tender_cancel(*, tender_id: int, by: User, reason: str) -> Announcement:
    """Cancel a published tender with its reason.

    Before: published, opening or in evaluation; `by` is its officer; a reason is given.
    After: cancelled; a cancellation notice in the ledger; document holders mailed."""
    tender = _locked(tender_id)
    _require_officer(by, tender)
    if not reason.strip():
        raise InvalidTenderData(_("Give the reason for the cancellation."))
    now = clock.now()
    tender.cancelled_at, tender.cancel_reason = now, reason.strip()
    _set_status(tender, TenderStatus.CANCELLED, by, "cancelled_at", "cancel_reason")
    announcement = _announce(
        tender=tender,
        kind=AnnouncementKind.CANCELLATION,
        title=str(_("Cancellation of %(title)s") % {"title": tender.title}),
        body=reason.strip(),
        by=by,
        payload={"type": "yizhan/cancellation", "tender": tender.reference, "reason": reason.strip()},
    )
    _notify_holders_on_commit(announcement)
    return announcement


@transaction.atomic
def tender_opening_start(*, tender_id: int, by: User | None) -> Tender:
    """The opening begins (bidding calls this). Before: published and the deadline has passed."""
    tender = _locked(tender_id)
    if tender.status == TenderStatus.PUBLISHED and tender.is_open_for_bids():
        raise DomainError(_("The opening cannot begin before the bid deadline."), code="before_deadline")
    _set_status(tender, TenderStatus.OPENING, by)
    return tender


@transaction.atomic
def tender_evaluation_start(*, tender_id: int, by: User | None) -> Tender:
    """The bids were opened and go to the committee. Before: opening."""
    tender = _locked(tender_id)
    _set_status(tender, TenderStatus.EVALUATION, by)
    return tender


@transaction.atomic
def tender_evaluation_report(*, tender_id: int, by: User | None) -> Tender:
    """The committee's signed report is issued; the award decision is awaited. Before: evaluation."""
    tender = _locked(tender_id)
    _set_status(tender, TenderStatus.AWAITING_AWARD, by)
    return tender


@transaction.atomic
def tender_award(*, tender_id: int, by: User | None) -> Tender:
    """A winner was decided (the award notice is published by procurement). Before: evaluation or
    awaiting the award decision."""
    tender = _locked(tender_id)
    _set_status(tender, TenderStatus.AWARDED, by)
    return tender


@transaction.atomic
def tender_award_reopen(*, tender_id: int, by: User | None) -> Tender:
    """An upheld challenge sent the award back: the tender awaits a new decision. Before: awarded or
    awaiting the award decision (then nothing changes)."""
    tender = _locked(tender_id)
    if tender.status != TenderStatus.AWAITING_AWARD:
        _set_status(tender, TenderStatus.AWAITING_AWARD, by)
    return tender


def tender_announce(
    *, tender: Tender, kind: str, title: str, body: str, by: User, payload: dict[str, Any]
) -> Announcement:
    """Publish an announcement another app composed (awards: candidates, result, contract) the way
    every tender announcement is published: frozen canonical JSON, its hash in the ledger as
    `tender/<kind>`, subscribers and document holders mailed after commit. Call inside a transaction."""
    announcement = _announce(tender=tender, kind=kind, title=title, body=body, by=by, payload=payload)
    _notify_holders_on_commit(announcement)
    return announcement


@transaction.atomic
def tender_fail(*, tender_id: int, by: User | None, reason: str, bids_received: int | None = None) -> Tender:
    """The procurement failed (fewer than 3 bids at the deadline, or too few passed review).

    Before: opening or evaluation. `bids_received` is the number of bids at the deadline; when not
    given it is read from the tender's signed seal statement in the ledger (if it was sealed).
    After: failed, with the reason; a failure notice drafted (`NoticeDraft`, kind FAILURE) stating
    the tender, the reason, the bids received and the next step, for the officers to review and
    publish (`failure_notice_publish`). Nothing is public until they do."""
    tender = _locked(tender_id)
    tender.cancel_reason = reason
    _set_status(tender, TenderStatus.FAILED, by, "cancel_reason")
    if bids_received is None:
        bids_received = _bids_at_deadline(tender)
    _failure_notice_draft(tender, reason=reason, bids_received=bids_received)
    return tender


# ---------------------------------------------------------------- failure notice and re-run


def _bids_at_deadline(tender: Tender) -> int | None:
    """The `count` of the tender's seal statement (SEALED_BIDS.md "The seal at the deadline"): read
    from the ledger, where bidding appends it, so tenders need not know bidding's tables."""
    from ledger.selectors import ledger_entries

    seal = ledger_entries(kind="SB1/seal").filter(document__payload__tender=tender.reference).first()
    if seal is None:
        return None
    return int(seal.document["payload"]["count"])


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _failure_notice_text(tender: Tender, *, reason: str, bids_received: int | None) -> tuple[str, str]:
    """The drafted title and text of a failure notice, in the platform's language (a public notice
    is written in it whatever language the process that failed the tender ran in)."""
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Failure notice: %(title)s") % {"title": tender.title}
        lines = [
            gettext("Project: %(title)s (reference %(reference)s)")
            % {"title": tender.title, "reference": tender.reference},
            gettext("Buyer: %(name)s") % {"name": tender.buyer.name},
        ]
        if tender.agency is not None:
            lines.append(gettext("Procurement agency: %(name)s") % {"name": tender.agency.name})
        lines.append(
            gettext("Bid deadline: %(deadline)s (Beijing time)") % {"deadline": _local(tender.bid_deadline)}
        )
        if bids_received is not None:
            lines.append(gettext("Bids received by the deadline: %(count)d") % {"count": bids_received})
        lines += [
            gettext("Why the procurement failed: %(reason)s") % {"reason": reason},
            gettext(
                "Next step: the procurement will be run again, or, with the approval of the finance "
                "department, by another procurement method (GPL Arts 36–37, MOF87 Arts 41 and 43, "
                "BLR Art 44)."
            ),
        ]
        if tender.contact_name or tender.contact_phone:
            lines.append(
                gettext("Contact: %(name)s, %(phone)s")
                % {"name": tender.contact_name, "phone": tender.contact_phone}
            )
        return title, "\n".join(lines)


def _failure_notice_draft(tender: Tender, *, reason: str, bids_received: int | None) -> NoticeDraft:
    title, body = _failure_notice_text(tender, reason=reason, bids_received=bids_received)
    now = clock.now()
    draft, _created = NoticeDraft.objects.get_or_create(
        tender=tender,
        kind=AnnouncementKind.FAILURE,
        defaults={
            "title": title[:300],
            "body": body,
            "payload": {
                "reason": reason,
                "bids_received": bids_received,
                "deadline": _time(tender.bid_deadline),
                "failed_at": format_time(now),
                "next_step": "rerun_or_change_method",
            },
            "created_at": now,
            "updated_at": now,
        },
    )
    return draft


def _draft_locked(draft_id: int, by: User) -> NoticeDraft:
    """The draft and its tender, both locked (tender first, as `tender_fail` takes them), for one of
    the tender's officers; refused once published."""
    tender_id = NoticeDraft.objects.filter(pk=draft_id).values_list("tender_id", flat=True).first()
    if tender_id is None:
        raise NoticeDraftNotFound()
    tender = _locked(tender_id)
    if not is_tender_officer(user=by, tender=tender):
        raise NotTenderOfficer()
    draft = NoticeDraft.objects.select_for_update().get(pk=draft_id)
    draft.tender = tender
    if draft.announcement is not None:
        raise NoticeAlreadyPublished(_local(draft.announcement.published_at))
    return draft


def _notice_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise InvalidTenderData(_("Give the notice a title."))
    if len(title) > 300:
        raise InvalidTenderData(_("The title may have at most 300 characters."))
    if not body:
        raise InvalidTenderData(_("Write the text of the notice."))
    return title, body


@transaction.atomic
def notice_draft_update(*, draft_id: int, by: User, title: str, body: str) -> NoticeDraft:
    """Save the officer's edits of a drafted notice without publishing it.

    Before: the draft is unpublished, `by` is an officer of its tender, title and text are given.
    After: the draft holds the new title and text (who and when recorded); nothing is public."""
    draft = _draft_locked(draft_id, by)
    draft.title, draft.body = _notice_text(title, body)
    draft.updated_at, draft.updated_by = clock.now(), by
    draft.save(update_fields=["title", "body", "updated_at", "updated_by"])
    return draft


@transaction.atomic
def failure_notice_publish(*, draft_id: int, by: User, title: str, body: str) -> Announcement:
    """Publish the failure notice (流标公告) the platform drafted, with the officer's title and text.

    Before: the draft is a failure notice, not yet published; its tender has failed; `by` is an
    officer of the tender; title and text are given.
    After: a failure announcement frozen like the others (its canonical JSON, with the drafted
    facts, hashed into the ledger as `tender/failure`); the draft links to it and cannot change
    or be published again; subscribers and document holders are mailed after commit."""
    draft = _draft_locked(draft_id, by)
    if draft.kind != AnnouncementKind.FAILURE:
        raise InvalidTenderData(_("This draft is not a failure notice."))
    tender = draft.tender
    if tender.status != TenderStatus.FAILED:
        raise TenderTransitionRefused(TenderStatus(tender.status).label, TenderStatus.FAILED.label)
    title, body = _notice_text(title, body)
    facts = draft.payload
    announcement = _announce(
        tender=tender,
        kind=AnnouncementKind.FAILURE,
        title=title,
        body=body,
        by=by,
        payload={
            "type": "yizhan/failure-notice",
            "tender": tender.reference,
            "title": title,
            "text": body,
            "reason": facts.get("reason", tender.cancel_reason),
            "decision": _rerun_decision(tender),
            "bids_received": facts.get("bids_received"),
            "deadline": _time(tender.bid_deadline),
            "failed_at": facts.get("failed_at"),
        },
    )
    draft.title, draft.body, draft.announcement = title, body, announcement
    draft.updated_at, draft.updated_by = clock.now(), by
    draft.save(update_fields=["title", "body", "announcement", "updated_at", "updated_by"])
    _notify_holders_on_commit(announcement)
    return announcement


def _rerun_decision(failed: Tender) -> dict[str, Any]:
    """What was decided after the failure, as the notice states it: a re-run keeping the method, a
    re-run switching it with the finance department's approval, a switch asked for, or not yet."""
    rerun = failed.reruns.order_by("id").first()
    if rerun is not None:
        switched = rerun.method_id != failed.method_id
        return {
            "next_step": "rerun_switching_method" if switched else "rerun_keeping_method",
            "rerun": rerun.reference,
            "method": rerun.method.code,
            "method_approval": rerun.method_approval_id,
        }
    requested = MethodApproval.objects.filter(rerun_of_reference=failed.reference).order_by("-id").first()
    if requested is not None:
        return {
            "next_step": "method_switch_" + requested.status,
            "method": requested.method.code,
            "method_approval": requested.pk,
        }
    return {"next_step": "rerun_or_change_method"}


# What a re-run copies from the failed tender: everything of the notice except its dates, which the
# officers set again (the periods count from the new issue of the documents).
RERUN_FIELDS = (
    "buyer",
    "agency",
    "plan",
    "method",
    "procurement_kind",
    "consultation_case",
    "sole_supplier",
    "sole_supplier_reason",
    "title",
    "description",
    "category_code",
    "region",
    "budget",
    "max_price",
    "qualification_requirements",
    "evaluation_method",
    "readout_fields",
    "required_documents",
    "bid_security",
    "document_instructions",
    "opening_place",
    "share_window_s",
    "threshold_k",
    "contact_name",
    "contact_phone",
)


@transaction.atomic
def tender_rerun(*, tender_id: int, by: User, method_approval: MethodApproval | None = None) -> Tender:
    """Start the re-run of a failed procurement (BLR Art 44, GPL Arts 36–37) as a new draft, keeping
    the method (published, like any tender, on the buyer's approval) or switching it with the finance
    department's approval of the switch.

    Before: the tender has failed and has no re-run yet; `by` is its officer; a `method_approval`,
    if given, is approved, for this buyer, and names this failed tender and its method as the one
    it replaces.
    After: a new draft (new reference, `rerun_of` the failed one) with the failed tender's notice
    fields, lots, criteria, custodians, read-out settings and the current version of each document
    (copied, SHA-256 recomputed), and the approved method with its approval when switched; its
    dates are empty, so the officers must set new ones before it can be submitted. Its notice names
    the failed tender and the decision. The failed tender does not change."""
    failed = _locked(tender_id)
    _require_officer(by, failed)
    if failed.status != TenderStatus.FAILED:
        raise RerunRefused(_("Only a failed procurement can be re-run."))
    if method_approval is not None and not (
        method_approval.status == MethodApprovalStatus.APPROVED
        and method_approval.buyer_id == failed.buyer_id
        and method_approval.rerun_of_reference == failed.reference
        and method_approval.from_method_id == failed.method_id
    ):
        raise RerunRefused(
            _(
                "A switch of method needs the finance department's approval of this switch for this failed "
                "procurement (GPL Arts 36–37); this approval is not one."
            )
        )
    existing = failed.reruns.order_by("id").first()
    if existing is not None:
        raise RerunRefused(
            _("This procurement is already being re-run as %(reference)s.")
            % {"reference": existing.reference}
        )
    now = clock.now()
    rerun = Tender(
        reference=_next_reference(),
        rerun_of=failed,
        created_by=by,
        created_at=now,
        updated_at=now,
        **{name: getattr(failed, name) for name in RERUN_FIELDS},
    )
    if method_approval is not None:
        rerun.method, rerun.method_approval = method_approval.method, method_approval
    rerun.readout_fields = list(failed.readout_fields or [])
    rerun.required_documents = list(failed.required_documents or [])
    rerun.save()
    Lot.objects.bulk_create(
        [
            Lot(
                tender=rerun,
                number=lot.number,
                title=lot.title,
                description=lot.description,
                budget=lot.budget,
            )
            for lot in failed.lots.all()
        ]
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                tender=rerun,
                position=c.position,
                name=c.name,
                description=c.description,
                weight=c.weight,
                is_price=c.is_price,
            )
            for c in failed.criteria.all()
        ]
    )
    Custodian.objects.bulk_create(
        [Custodian(tender=rerun, user_id=c.user_id, index=c.index) for c in failed.custodians.all()]
    )
    for document in failed.documents.all():
        current = document.current
        if current is None:
            continue
        copy = TenderDocument.objects.create(tender=rerun, title=document.title, created_at=now)
        with current.file.open("rb") as content:
            _version_create(document=copy, upload=File(content, name=current.filename), by=by)
    return rerun


# ---------------------------------------------------------------- downloads and subscriptions


@transaction.atomic
def document_download(*, version_id: int, user: User) -> DocumentVersion:
    """Hand a published document to a signed-in user and remember them as a holder (to notify of
    amendments). Before: the tender is public. After: the user is a document holder."""
    try:
        version = DocumentVersion.objects.select_related("document__tender").get(pk=version_id)
    except DocumentVersion.DoesNotExist:
        raise TenderNotFound() from None
    tender = version.document.tender
    if not tender.is_public:
        raise TenderNotFound()
    DocumentHolder.objects.get_or_create(
        tender=tender, user=user, defaults={"first_download_at": clock.now()}
    )
    return version


# Confirmation mails to one address in 24 hours: enough for a person who lost one, too few to make
# the platform a tool for flooding someone else's mailbox.
SUBSCRIPTION_CONFIRMATIONS_PER_DAY = 3


@transaction.atomic
def subscription_create(
    *, email: str, category_prefix: str = "", region_prefix: str = "", user: User | None = None
) -> Subscription:
    """Ask for alerts on new announcements matching the category and region prefixes (double opt-in).

    Before: fewer than SUBSCRIPTION_CONFIRMATIONS_PER_DAY confirmation mails went to the address in
    the last 24 hours, when one is needed (else SubscriptionLimited, 429).
    After: a signed-in user subscribing their own account address is subscribed at once; any other
    address gets a pending subscription (no alerts) and, after commit, a mail with an absolute link
    to the confirmation page. An existing subscription for the same choice is reused: returned as it
    is when confirmed, its confirmation mailed again when not."""
    category_prefix, region_prefix = category_prefix.strip(), region_prefix.strip()
    now = clock.now()
    own_address = bool(user and user.is_authenticated and user.email and user.email.lower() == email.lower())
    subscription = Subscription.objects.filter(
        email__iexact=email, category_prefix=category_prefix, region_prefix=region_prefix, is_active=True
    ).first()
    if subscription is None:
        subscription = Subscription(
            email=email,
            category_prefix=category_prefix,
            region_prefix=region_prefix,
            user=user if user and user.is_authenticated else None,
            token=secrets.token_urlsafe(32),
            created_at=now,
        )
    if own_address and subscription.confirmed_at is None:
        subscription.confirmed_at = now
    if subscription.confirmed_at is not None:
        subscription.save()
        return subscription
    recent = Subscription.objects.filter(
        email__iexact=email, confirmation_sent_at__gte=now - timezone.timedelta(hours=24)
    ).count()
    if recent >= SUBSCRIPTION_CONFIRMATIONS_PER_DAY:
        raise SubscriptionLimited(
            _(
                "A confirmation was already sent to this address several times today. Check the mailbox, or try again tomorrow."
            )
        )
    subscription.confirmation_sent_at = now
    subscription.save()
    from tenders.tasks import subscription_confirmation_send

    transaction.on_commit(lambda: subscription_confirmation_send.delay(subscription.pk))
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """The owner of the address confirms through the page the mailed link opens (a POST, so a mail
    scanner following links confirms nothing).

    Before: an active subscription with this token (else TenderNotFound-style 404).
    After: confirmed (idempotent); alerts go to it from now on."""
    subscription = Subscription.objects.select_for_update().filter(token=token, is_active=True).first()
    if subscription is None:
        raise SubscriptionUnknown()
    if subscription.confirmed_at is None:
        subscription.confirmed_at = clock.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> None:
    """Unsubscribe through the link in every alert (idempotent)."""
    Subscription.objects.filter(token=token).update(is_active=False)

"""Every write of the one-stop portal: the catalogue, applications from draft to decision,
fees, enquiries, information and subscriptions, and the personal centre. Refunds of fees are in
`portal.services.refunds` (re-exported here).

Ledger entries carry references, states and hashes only, never personal data: the ledger is public."""

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from config import clock
from config.site import absolute_url, site_url
from config.uploads import SCANS, UploadPolicy, upload_check
from ledger.commitments import ledger_commit
from ledger.encoding import format_time, jcs
from ledger.services import ledger_append
from portal import formschema
from portal.constants import (
    ACCEPTANCE_LIMIT,
    APPLICATION_TRANSITIONS,
    ENQUIRY_ANSWER_LIMIT,
    RULE_REFUND_REASONS,
    ApplicationStatus,
    EnquiryKind,
    EnquiryStatus,
    PaymentStatus,
    RefundReason,
    Widget,
)
from portal.exceptions import (
    ApplicationIncomplete,
    CorrectionEmpty,
    EnquiryInvalid,
    FeeUnpaid,
    InvalidFees,
    InvalidFormDefinition,
    NotDepartmentStaff,
    NotYourApplication,
    PaymentRefused,
    ReasonsRequired,
    WrongApplicationState,
)
from portal.models import (
    Application,
    ApplicationEvent,
    Article,
    Attachment,
    Category,
    Correction,
    DisplayPreference,
    Enquiry,
    Message,
    Payment,
    PaymentNotification,
    SavedService,
    Service,
    Subscription,
)
from portal.payments import SignatureInvalid, enabled_providers, provider
from portal.search import index_text
from portal.selectors import is_application_staff, is_lead_staff, staff_departments
from workdays.calendar import add_working_days

# Application materials: scans (type read from the content), at most 10 MB each.
APPLICATION_MATERIALS = UploadPolicy(SCANS.kinds, SCANS.described, max_bytes=10 * 1024 * 1024)


def _group(application_id: int) -> str:
    return f"portal-application-{application_id}"


def _event(
    application: Application,
    kind: str,
    zh: str,
    en: str,
    *,
    actor: User | None = None,
    department: Organisation | None = None,
) -> ApplicationEvent:
    """Record a step the applicant sees, and push it to open progress pages after commit."""
    Application.objects.filter(pk=application.pk).update(event_seq=F("event_seq") + 1)
    application.refresh_from_db(fields=["event_seq"])
    event = ApplicationEvent.objects.create(
        application=application,
        seq=application.event_seq,
        kind=kind,
        message=zh,
        texts={"zh": zh, "en": en},
        actor=actor,
        department=department,
        at=clock.now(),
    )
    application_id, seq = application.pk, event.seq
    transaction.on_commit(lambda: _broadcast(application_id, seq))
    transaction.on_commit(lambda: _notify_event(application_id, seq))  # mail + SMS (notifications)
    return event


def _notify_event(application_id: int, seq: int) -> None:
    from portal.tasks import application_event_notify_task

    application_event_notify_task.delay(application_id, seq)


def _broadcast(application_id: int, seq: int) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(_group(application_id), {"type": "application.event", "seq": seq})


def _message(user: User, subject: str, body: str = "", link: str = "") -> Message:
    return Message.objects.create(user=user, subject=subject, body=body, link=link, created_at=clock.now())


def _in_both(text) -> tuple[str, str]:
    """A lazily translated sentence in Chinese and in English, for events read in either language."""
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh, en


def _transition(application: Application, target: str) -> None:
    if target not in APPLICATION_TRANSITIONS[application.status]:
        raise WrongApplicationState(application.get_status_display())
    application.status = target
    application.updated_at = clock.now()


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("service").get(pk=application.pk)


def _state_hash(application: Application) -> str:
    """SHA-256 of what is decided on: the form and the hashes of the current attachments."""
    attachments = sorted([a.material_key, a.sha256] for a in application.attachments.filter(superseded=False))
    return hashlib.sha256(jcs({"form": application.form_data, "attachments": attachments})).hexdigest()


def _log(kind: str, application: Application, **extra: Any) -> None:
    ledger_append(
        kind=kind,
        payload={
            "reference": application.reference,
            "service": application.service.code,
            "status": application.status,
            # Keyed, not a plain hash: the form is a citizen's name, ID number, phone and address,
            # which a plain SHA-256 would let anyone who knows them confirm (ledger.commitments).
            "state_commit": ledger_commit(purpose="portal/application-state", value=_state_hash(application)),
            "at": format_time(clock.now()),
            **extra,
        },
    )


# ---------------------------------------------------------------- catalogue


def _reindex(service: Service) -> None:
    categories = " ".join(f"{c.name} {c.name_en}" for c in service.categories.all())
    service.search_text = index_text(
        service.name, service.name_en, service.keywords, service.summary, categories, service.department.name
    )
    Service.objects.filter(pk=service.pk).update(search_text=service.search_text)


def _fee_problems(fee_items: Any) -> list[str]:
    """Every problem of a fee list: each item named, an amount in yuan (≥ 0, two decimals at most),
    and `refund_when` (optional) naming only reasons the rules can apply."""
    if not isinstance(fee_items, list):
        return [str(_("the fees must be a list"))]
    problems = []
    for n, item in enumerate(fee_items, start=1):
        if not isinstance(item, dict) or not str(item.get("item", "")).strip():
            problems.append(str(_("item %(n)s has no name") % {"n": n}))
            continue
        try:
            amount = Decimal(str(item.get("amount")))
            valid = amount.is_finite() and amount >= 0 and amount == amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            valid = False
        if not valid:
            problems.append(
                str(_("“%(item)s”: the amount must be in yuan, e.g. 9.00") % {"item": item["item"]})
            )
        refund_when = item.get("refund_when", [])
        if not isinstance(refund_when, list) or not set(refund_when) <= set(RULE_REFUND_REASONS):
            problems.append(
                str(
                    _("“%(item)s”: refund_when may list only %(reasons)s")
                    % {"item": item["item"], "reasons": ", ".join(f'"{r}"' for r in RULE_REFUND_REASONS)}
                )
            )
    return problems


@transaction.atomic
def service_save(*, user: User | None, service: Service, categories: list[Category] | None = None) -> Service:
    """Create or update a service and its guide.

    Before: `user` is staff of the service's lead department (None only for the demo loader);
    the form definition is a valid JSON Schema; the fees are well formed (`_fee_problems`). After: saved, search index refreshed, ledger entry."""
    if user is not None and not staff_departments(user=user).filter(pk=service.department_id).exists():
        raise NotDepartmentStaff()
    problems = formschema.check_schema(service.form_schema)
    if problems:
        raise InvalidFormDefinition(
            _("The application form is not a valid JSON Schema: %(p)s") % {"p": "; ".join(problems)}
        )
    fee_problems = _fee_problems(service.fee_items)
    if fee_problems:
        raise InvalidFees(_("The fees cannot be saved: %(p)s") % {"p": "; ".join(fee_problems)})
    service.save()
    if categories is not None:
        service.categories.set(categories)
    _reindex(service)
    ledger_append(
        kind="portal.service_saved",
        payload={
            "service": service.code,
            "at": format_time(clock.now()),
            "guide_sha256": hashlib.sha256(
                jcs(
                    {
                        "legal_basis": service.legal_basis,
                        "conditions": service.conditions,
                        "steps": service.steps,
                        "legal_time_limit": service.legal_time_limit,
                        "promised_time_limit": service.promised_time_limit,
                        "fees": service.fee_items,
                        "form": service.form_schema,
                    }
                )
            ).hexdigest(),
        },
    )
    return service


# ---------------------------------------------------------------- applications


def _reference(prefix: str) -> str:
    # Random digits, not a sequence: a reference must not let anyone count or guess applications.
    return f"{prefix}{clock.today_local():%Y%m%d}{secrets.randbelow(10**6):06d}"


@transaction.atomic
def application_start(
    *, user: User, service: Service, organisation: Organisation | None = None
) -> Application:
    """Open a draft for `service`. Before: signed in; the service is published. After: a draft only the applicant sees."""
    if not service.is_published:
        raise WrongApplicationState(_("Not published"))
    if organisation is not None:  # on behalf of an enterprise: a member, its record verified
        from portal.services.realname import enterprise_binding_check

        enterprise_binding_check(user=user, organisation=organisation)
    now = clock.now()
    reference = _reference("SQ")
    while Application.objects.filter(reference=reference).exists():
        reference = _reference("SQ")
    from portal.services.wallet import prefill

    return Application.objects.create(
        reference=reference,
        service=service,
        applicant=user,
        organisation=organisation,
        # Filled from the account (name, ID number, enterprise name and credit code), still editable.
        form_data=prefill(
            user=user, schema=service.form_schema, ui=service.form_ui, organisation=organisation
        ),
        created_at=now,
        updated_at=now,
    )


def _own_editable(user: User, application: Application) -> Application:
    application = _locked(application)
    if application.applicant_id != user.id:
        raise NotYourApplication()
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION):
        raise WrongApplicationState(application.get_status_display())
    return application


@transaction.atomic
def application_save_form(*, user: User, application: Application, raw: dict[str, Any]) -> Application:
    """Save the form as typed (a draft may be incomplete or wrong: the check says what to fix)."""
    application = _own_editable(user, application)
    application.form_data = formschema.coerce(application.service.form_schema, raw)
    application.updated_at = clock.now()
    application.save(update_fields=["form_data", "updated_at"])
    return application


@transaction.atomic
def attachment_add(
    *, user: User, application: Application, material_key: str, upload: UploadedFile
) -> Attachment:
    """Attach a file for one material; a new upload replaces the earlier one for the same material."""
    application = _own_editable(user, application)
    if not application.service.materials.filter(key=material_key).exists():
        raise InvalidFormDefinition(_("This service asks for no such material."))
    name = upload.name or "file"
    upload_check(upload, policy=APPLICATION_MATERIALS)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    application.attachments.filter(material_key=material_key, superseded=False).update(superseded=True)
    return Attachment.objects.create(
        application=application,
        material_key=material_key,
        file=upload,
        filename=name[:200],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_at=clock.now(),
    )


@dataclass(frozen=True)
class Problem:
    """One item the applicant must fix; `target` is "field:<name>" or "material:<key>"."""

    target: str
    label: str
    message: str

    @property
    def anchor(self) -> str:
        kind, _sep, name = self.target.partition(":")
        return f"f-{name}" if kind == "field" else f"m-{name}"


def application_check(application: Application) -> list[Problem]:
    """Every missing or wrong item at once (一次性告知): form fields, then required materials."""
    service = application.service
    problems: list[Problem] = []
    errors = formschema.validate(service.form_schema, service.form_ui, application.form_data)
    labels = {f.name: f.label for f in formschema.form_fields(service.form_schema, service.form_ui)}
    for name in [*labels, *[n for n in errors if n not in labels]]:
        for message in errors.get(name, []):
            problems.append(Problem(f"field:{name}", labels.get(name, str(_("Form"))), message))
    present = set(application.attachments.filter(superseded=False).values_list("material_key", flat=True))
    open_correction = application.corrections.filter(resolved_at__isnull=True).first()
    corrected_since = set()
    if open_correction is not None:
        corrected_since = set(
            application.attachments.filter(
                superseded=False, uploaded_at__gt=open_correction.requested_at
            ).values_list("material_key", flat=True)
        )
    for material in service.materials.all():
        if material.required and material.key not in present:
            problems.append(
                Problem(f"material:{material.key}", material.name, str(_("This material is missing.")))
            )
        elif (
            open_correction is not None
            and material.key not in corrected_since
            and any(item["target"] == f"material:{material.key}" for item in open_correction.items)
        ):
            problems.append(
                Problem(
                    f"material:{material.key}",
                    material.name,
                    str(_("Upload a corrected file, as the department asked.")),
                )
            )
    return problems


def _fee_paid(application: Application) -> bool:
    return (
        application.service.fee_total == 0 or application.payments.filter(status=PaymentStatus.PAID).exists()
    )


@transaction.atomic
def application_submit(*, user: User, application: Application) -> Application:
    """Submit (or resubmit after a correction).

    Before: the applicant's draft or corrected application; nothing missing (else every problem is
    raised at once); the fee paid when the service has one. After: SUBMITTED, awaiting acceptance by
    the lead department within 5 working days (ALL Art 32); any open correction resolved."""
    application = _own_editable(user, application)
    problems = application_check(application)
    if problems:
        raise ApplicationIncomplete(problems)
    if not _fee_paid(application):
        raise FeeUnpaid()
    resubmission = application.status == ApplicationStatus.CORRECTION
    _transition(application, ApplicationStatus.SUBMITTED)
    now = clock.now()
    application.submitted_at = now
    application.acceptance_due = add_working_days(clock.today_local(), ACCEPTANCE_LIMIT)
    application.save(update_fields=["status", "updated_at", "submitted_at", "acceptance_due"])
    if resubmission:
        application.corrections.filter(resolved_at__isnull=True).update(resolved_at=now)
        _event(
            application,
            "resubmitted",
            "已按要求补正并重新提交。",
            "Corrected and submitted again.",
            actor=user,
        )
    else:
        _event(
            application,
            "submitted",
            f"申请已提交，等待{application.service.department.name}受理（{application.acceptance_due:%Y-%m-%d} 前）。",
            f"Submitted; {application.service.department.name} decides on acceptance by {application.acceptance_due:%Y-%m-%d}.",
            actor=user,
        )
    _log("portal.application_submitted", application)
    return application


def _staff_guard(user: User, application: Application, *, lead: bool) -> None:
    allowed = (
        is_lead_staff(user=user, application=application)
        if lead
        else is_application_staff(user=user, application=application)
    )
    if not allowed:
        raise NotDepartmentStaff()


@transaction.atomic
def application_request_correction(
    *, user: User, application: Application, items: list[dict[str, str]], note: str = ""
) -> Correction:
    """Tell the applicant, at once, everything to correct or add (ALL Art 32).

    Before: SUBMITTED; `user` is staff of the lead department; at least one item. After: CORRECTION,
    the applicant gets a message listing every item; the acceptance clock stops."""
    application = _locked(application)
    _staff_guard(user, application, lead=True)
    items = [i for i in items if i.get("problem", "").strip()]
    if not items:
        raise CorrectionEmpty()
    _transition(application, ApplicationStatus.CORRECTION)
    application.save(update_fields=["status", "updated_at"])
    correction = Correction.objects.create(
        application=application, items=items, note=note, requested_by=user, requested_at=clock.now()
    )
    listing = "；".join(f"{i['label']}：{i['problem']}" for i in items)
    _event(
        application,
        "correction",
        f"{application.service.department.name}一次性告知需补正的材料：{listing}",
        f"{application.service.department.name} asks for these corrections, all at once: {listing}",
        actor=user,
        department=application.service.department,
    )
    _message(
        application.applicant,
        str(_("Correction requested for %(ref)s") % {"ref": application.reference}),
        listing + ("\n" + note if note else ""),
        reverse("portal:application", args=[application.reference]),
    )
    _log("portal.application_correction", application, items=len(items))
    return correction


@transaction.atomic
def application_accept(*, user: User, application: Application) -> Application:
    """Accept (受理) the application and start its approval across the service's departments.

    Before: SUBMITTED; `user` is staff of the lead department. After: IN_REVIEW; the legal time limit
    (working days, ALL Arts 42/82: 20, or 45 for joint processing) and the promised one are set and
    shown; the approval flow runs, one step per department."""
    application = _locked(application)
    _staff_guard(user, application, lead=True)
    _transition(application, ApplicationStatus.IN_REVIEW)
    service = application.service
    today = clock.today_local()
    application.accepted_at = clock.now()
    application.decision_due = add_working_days(today, service.legal_time_limit)
    application.promised_due = add_working_days(today, service.promised_time_limit)
    application.save(update_fields=["status", "updated_at", "accepted_at", "decision_due", "promised_due"])
    _event(
        application,
        "accepted",
        f"{service.department.name}已受理。法定办结时限：{service.legal_time_limit} 个工作日（{application.decision_due:%Y-%m-%d} 前）；"
        f"承诺时限：{service.promised_time_limit} 个工作日（{application.promised_due:%Y-%m-%d} 前）。",
        f"Accepted by {service.department.name}. Legal time limit: {service.legal_time_limit} working days "
        f"(by {application.decision_due:%Y-%m-%d}); promised: {service.promised_time_limit} working days "
        f"(by {application.promised_due:%Y-%m-%d}).",
        actor=user,
        department=service.department,
    )
    _message(
        application.applicant,
        str(_("%(ref)s was accepted") % {"ref": application.reference}),
        link=reverse("portal:application", args=[application.reference]),
    )
    _log("portal.application_accepted", application, decision_due=application.decision_due.isoformat())
    from portal.approval import approval_start  # the approvals adapter lives beside this module

    approval_start(application=application, accepted_by=user)
    return application


@transaction.atomic
def application_refuse_acceptance(*, user: User, application: Application, reasons: str) -> Application:
    """Not accepted (不予受理) with reasons, the right of review and suit stated in the decision (ALL Art 38)."""
    application = _locked(application)
    _staff_guard(user, application, lead=True)
    if not reasons.strip():
        raise ReasonsRequired()
    _transition(application, ApplicationStatus.REFUSED)
    return _decide(application, approved=False, reasons=reasons, actor=user)


def _decide(application: Application, *, approved: bool, reasons: str, actor: User | None) -> Application:
    """Record the decision; on a refusal, the fee rules' refund is requested in the same transaction."""
    application.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.REFUSED
    application.decided_at = clock.now()
    application.decision_reasons = reasons
    application.updated_at = application.decided_at
    application.save(update_fields=["status", "decided_at", "decision_reasons", "updated_at"])
    if approved:
        from portal.documents import wording_for  # the matter type's words: 确认 is not 许可

        _event(
            application,
            "approved",
            f"各部门审查通过，{wording_for(application.service.matter_type).approved_decision}。",
            "Approved by every department.",
            actor=actor,
        )
    else:
        _event(
            application, "refused", f"不予许可。理由：{reasons}", f"Refused. Reasons: {reasons}", actor=actor
        )
    application_id = application.pk
    transaction.on_commit(lambda: _queue_decision_document(application_id))
    _message(
        application.applicant,
        str(_("Decision on %(ref)s") % {"ref": application.reference}),
        link=reverse("portal:application", args=[application.reference]),
    )
    _log("portal.application_decided", application, approved=approved)
    if not approved:
        refunds_by_rules(application=application, reason=RefundReason.REFUSED)
    return application


def _queue_decision_document(application_id: int) -> None:
    from portal.tasks import decision_document_issue_task

    # The QR code points to the address the deciding officer works at (config/site.py).
    decision_document_issue_task.delay(application_id, site=site_url())


@transaction.atomic
def decision_document_attach(*, application_id: int) -> str | None:
    """Issue the signed decision document of a decided application (idempotent: once only).

    Before: the application is approved or refused. After: its `decision_document` is set, the
    applicant sees a step with the link; returns the document's token."""
    application = Application.objects.select_for_update().select_related("service").get(pk=application_id)
    if application.decision_document_id or application.status not in (
        ApplicationStatus.APPROVED,
        ApplicationStatus.REFUSED,
    ):
        return None
    from portal.documents import decision_document_issue

    document = decision_document_issue(application=application)
    _event(
        application,
        "document",
        "决定书已签发，可下载并扫码核验。",
        "The decision document is issued: download it and verify it by its QR code.",
    )
    from portal.services.wallet import licence_issue

    licence_issue(application=application)  # 电子证照: into the holder's wallet when the service issues one
    return str(document.token)


def application_outcome(
    *, application: Application, approved: bool, reasons: str, actor: User | None
) -> Application:
    """Called by the approvals adapter, inside the approval's transaction, when the flow ends."""
    application = _locked(application)
    _transition(application, ApplicationStatus.APPROVED if approved else ApplicationStatus.REFUSED)
    return _decide(application, approved=approved, reasons=reasons, actor=actor)


def application_step_event(
    *, application: Application, zh: str, en: str, actor: User | None, department: Organisation | None
) -> None:
    """A department's step in the approval, shown on the progress page (called by the approvals adapter)."""
    _event(application, "step", zh, en, actor=actor, department=department)


@transaction.atomic
def application_withdraw(*, user: User, application: Application) -> Application:
    """The applicant withdraws before a decision.

    Before: the applicant's own application, not yet decided. After: WITHDRAWN, any running approval
    withdrawn, a ledger entry; withdrawn before acceptance, the fee rules' refund is requested."""
    application = _locked(application)
    if application.applicant_id != user.id:
        raise NotYourApplication()
    accepted = application.status == ApplicationStatus.IN_REVIEW
    _transition(application, ApplicationStatus.WITHDRAWN)
    application.save(update_fields=["status", "updated_at"])
    _event(application, "withdrawn", "申请人已撤回申请。", "Withdrawn by the applicant.", actor=user)
    from portal.approval import approval_withdraw

    approval_withdraw(application=application, user=user)
    _log("portal.application_withdrawn", application)
    if not accepted:
        refunds_by_rules(application=application, reason=RefundReason.WITHDRAWN)
    return application


# ---------------------------------------------------------------- payments


@transaction.atomic
def payment_start(*, user: User, application: Application, provider_name: str = "sandbox") -> Payment:
    """Start paying the service's fee. Before: the applicant's draft or corrected application whose
    form and materials are complete; the fee unpaid. After: a pending Payment (reused while pending)."""
    application = _own_editable(user, application)
    if application_check(application):
        raise ApplicationIncomplete(application_check(application))
    if _fee_paid(application):
        raise PaymentRefused(_("The fee is already paid."), code="already_paid")
    if provider_name not in enabled_providers():
        raise PaymentRefused(_("Online payment is not available here yet."), code="no_payment_provider")
    pending = application.payments.filter(status=PaymentStatus.PENDING, provider=provider_name).first()
    if pending:
        return pending
    return Payment.objects.create(
        application=application,
        order_id=_reference("PAY"),
        provider=provider_name,
        amount=application.service.fee_total,
        created_at=clock.now(),
    )


@dataclass(frozen=True)
class NotificationResult:
    accepted: bool  # signature valid and the notification was (or had already been) applied
    changed: bool  # this call changed a payment
    outcome: str


def notification_authentic_and_new(
    *, provider_name: str, headers: dict[str, str], body: bytes, parse: Any
) -> Any:
    """The first two checks of every provider notification (payment or refund): the signature (a bad
    one leaves only a log row) and the notification id (one seen before is a replay). Returns the
    parsed notification, or the `NotificationResult` to answer with when it must change nothing.
    Runs inside the caller's transaction: the replay check locks the earlier row if there is one."""
    try:
        notification = parse(headers=headers, body=body)
    except SignatureInvalid:
        PaymentNotification.objects.create(
            provider=provider_name[:32],
            notification_id="",
            body=body.decode(errors="replace")[:4000],
            signature_valid=False,
            outcome="bad_signature",
            received_at=clock.now(),
        )
        return NotificationResult(False, False, "bad_signature")
    seen = (
        PaymentNotification.objects.select_for_update()
        .filter(provider=provider_name, notification_id=notification.notification_id, signature_valid=True)
        .first()
    )
    if seen is not None:
        return NotificationResult(True, False, "replay")
    return notification


@transaction.atomic
def payment_notification_receive(
    *, provider_name: str, headers: dict[str, str], body: bytes
) -> NotificationResult:
    """A provider tells us a payment's result.

    Signature checked first: a bad one changes nothing but a log row. A notification id seen
    before is a replay and changes nothing. The amount must equal the payment's. After a valid
    success: the payment is PAID, the applicant is told, the ledger records it."""
    now = clock.now()
    checked = notification_authentic_and_new(
        provider_name=provider_name,
        body=body,
        parse=provider(provider_name).parse_notification,
        headers=headers,
    )
    if isinstance(checked, NotificationResult):
        return checked
    notification = checked
    payment = (
        Payment.objects.select_for_update()
        .select_related("application")
        .filter(order_id=notification.order_id, provider=provider_name)
        .first()
    )

    def record(outcome: str) -> None:
        PaymentNotification.objects.create(
            provider=provider_name,
            notification_id=notification.notification_id,
            payment=payment,
            body=body.decode(),
            signature_valid=True,
            outcome=outcome,
            received_at=now,
        )

    if payment is None:
        record("unknown_order")
        return NotificationResult(True, False, "unknown_order")
    if payment.status != PaymentStatus.PENDING:
        record("already_final")
        return NotificationResult(True, False, "already_final")
    if notification.amount != payment.amount:
        record("amount_mismatch")
        return NotificationResult(True, False, "amount_mismatch")
    payment.status = PaymentStatus.PAID if notification.succeeded else PaymentStatus.FAILED
    payment.provider_reference = notification.provider_reference[:80]
    payment.paid_at = now if notification.succeeded else None
    payment.save(update_fields=["status", "provider_reference", "paid_at"])
    record("paid" if notification.succeeded else "failed")
    application = payment.application
    if notification.succeeded:
        _event(
            application,
            "paid",
            f"已缴费 ¥{payment.amount}（{payment.provider}）。",
            f"Fee of ¥{payment.amount} paid ({payment.provider}).",
        )
        _message(
            application.applicant,
            str(_("Payment received for %(ref)s") % {"ref": application.reference}),
            f"¥{payment.amount}",
            reverse("portal:application", args=[application.reference]),
        )
    ledger_append(
        kind="portal.payment",
        payload={
            "order_id": payment.order_id,
            "reference": application.reference,
            "amount": str(payment.amount),
            "status": payment.status,
            "at": format_time(now),
        },
    )
    if notification.succeeded:
        refund_duplicate_charge(payment=payment)  # the fee was already paid: give this one back
    return NotificationResult(True, True, payment.status)


# ---------------------------------------------------------------- enquiries


def _enquiry_commit(tracking_number: str) -> str:
    """The ledger's name for an enquiry: links its "received" and "answered" entries, and neither
    is the tracking number (which, with the contact, looks the enquiry up)."""
    return ledger_commit(purpose="portal/enquiry", value=tracking_number)


@transaction.atomic
def enquiry_submit(
    *,
    kind: str,
    department: Organisation,
    subject: str,
    body: str,
    name: str,
    contact: str,
    service: Service | None = None,
    user: User | None = None,
) -> Enquiry:
    """Lodge a consultation, complaint or suggestion. After: a tracking number; the answer is due
    within the service commitment (working days)."""
    if kind not in EnquiryKind.values:
        raise EnquiryInvalid(_("Choose consultation, complaint or suggestion."), code="enquiry_kind")
    prefix = {"consultation": "ZX", "complaint": "TS", "suggestion": "JY"}[kind]
    number = _reference(prefix)
    while Enquiry.objects.filter(tracking_number=number).exists():
        number = _reference(prefix)
    enquiry = Enquiry.objects.create(
        tracking_number=number,
        kind=kind,
        service=service,
        department=department,
        user=user if user and user.is_authenticated else None,
        name=name,
        contact=contact,
        subject=subject,
        body=body,
        created_at=clock.now(),
        answer_due=add_working_days(clock.today_local(), ENQUIRY_ANSWER_LIMIT),
    )
    from portal.services.notifications import enquiry_notify

    enquiry_notify(enquiry, "received")
    ledger_append(
        kind="portal.enquiry",
        payload={"enquiry": _enquiry_commit(number), "kind": kind, "at": format_time(enquiry.created_at)},
    )
    return enquiry


@transaction.atomic
def enquiry_answer(*, user: User, enquiry: Enquiry, answer: str, publish: bool = False) -> Enquiry:
    """Answer an enquiry; with `publish`, the question and answer appear in the public Q&A (without the name)."""
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if not staff_departments(user=user).filter(pk=enquiry.department_id).exists():
        raise NotDepartmentStaff()
    if not answer.strip():
        raise ReasonsRequired()
    enquiry.answer, enquiry.answered_by, enquiry.answered_at = answer, user, clock.now()
    enquiry.status = EnquiryStatus.ANSWERED
    enquiry.published = publish
    enquiry.save(update_fields=["answer", "answered_by", "answered_at", "status", "published"])
    if enquiry.user_id:
        _message(
            enquiry.user,
            str(
                _("Your %(kind)s %(number)s was answered")
                % {"kind": enquiry.get_kind_display(), "number": enquiry.tracking_number}
            ),
            link=reverse("portal:enquiry_lookup") + f"?number={enquiry.tracking_number}",
        )
    from portal.services.notifications import enquiry_notify

    enquiry_notify(enquiry, "answered")
    ledger_append(
        kind="portal.enquiry_answered",
        payload={
            "enquiry": _enquiry_commit(enquiry.tracking_number),
            "on_time": clock.today_local() <= enquiry.answer_due,
            "at": format_time(enquiry.answered_at),
        },
    )
    return enquiry


# ---------------------------------------------------------------- information and subscriptions


@transaction.atomic
def subscription_create(
    *, email: str, topic: Category | None, kind: str = "", user: User | None = None
) -> Subscription:
    """Subscribe `email` to a topic or a kind of article; a confirmation link is mailed (double opt-in)."""
    subscription, _created = Subscription.objects.get_or_create(
        email=email.strip().lower(),
        topic=topic,
        kind=kind,
        defaults={"user": user if user and user.is_authenticated else None, "created_at": clock.now()},
    )
    if subscription.confirmed_at is None:
        # Absolute links: the mail is read in a mailbox, not on the site (config/site.py).
        link = absolute_url(reverse("portal:subscription_confirm", args=[subscription.token]))
        cancel = absolute_url(reverse("portal:subscription_cancel", args=[subscription.token]))
        transaction.on_commit(
            lambda: send_mail(
                "一站：请确认订阅 / Yizhan: confirm your subscription",
                f"确认 / confirm: {link}\n退订 / unsubscribe: {cancel}",
                None,
                [subscription.email],
            )
        )
    return subscription


@transaction.atomic
def subscription_confirm(*, token) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(token=token)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = clock.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, token) -> None:
    Subscription.objects.filter(token=token).delete()


@transaction.atomic
def article_publish(*, article: Article) -> Article:
    """Publish an article and mail confirmed subscribers of its topic or kind (after commit)."""
    if article.published_at is None:
        article.published_at = clock.now()
    article.save()
    recipients = list(
        Subscription.objects.filter(confirmed_at__isnull=False)
        .filter(Q(topic=article.topic_id) if article.topic_id else Q(pk__in=[]))
        .values_list("email", flat=True)
    )
    recipients += list(
        Subscription.objects.filter(
            confirmed_at__isnull=False, topic__isnull=True, kind=article.kind
        ).values_list("email", flat=True)
    )
    link = absolute_url(reverse("portal:article", args=[article.slug]))
    for email in sorted(set(recipients)):
        transaction.on_commit(
            lambda email=email: send_mail(
                f"一站 · {article.name}", f"{article.summary}\n{link}", None, [email]
            )
        )
    return article


# ---------------------------------------------------------------- personal centre


@transaction.atomic
def saved_service_toggle(*, user: User, service: Service) -> bool:
    """Save or unsave a service; returns whether it is now saved."""
    deleted, _rows = SavedService.objects.filter(user=user, service=service).delete()
    if deleted:
        return False
    SavedService.objects.create(user=user, service=service, saved_at=clock.now())
    return True


@transaction.atomic
def display_preference_update(
    *,
    user: User,
    elder_mode: bool | None = None,
    high_contrast: bool | None = None,
    widgets: list[str] | None = None,
    life_stage: Category | None | bool = False,
) -> DisplayPreference:
    """Remember the user's display choices and home-page widgets (chosen and ordered)."""
    preference, _created = DisplayPreference.objects.select_for_update().get_or_create(user=user)
    if elder_mode is not None:
        preference.elder_mode = elder_mode
    if high_contrast is not None:
        preference.high_contrast = high_contrast
    if widgets is not None:
        preference.widgets = [w for w in dict.fromkeys(widgets) if w in Widget.values]
    if life_stage is not False:
        preference.life_stage = life_stage  # type: ignore[assignment]
    preference.save()
    return preference


@transaction.atomic
def messages_mark_read(*, user: User) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


# Refunds live in their own module; it uses the helpers above, so it is imported once they exist.
from portal.services.refunds import (  # noqa: E402
    refund_duplicate_charge as refund_duplicate_charge,
)
from portal.services.refunds import refund_notification_receive as refund_notification_receive  # noqa: E402
from portal.services.refunds import refund_request as refund_request  # noqa: E402
from portal.services.refunds import refund_submit as refund_submit  # noqa: E402
from portal.services.refunds import refunds_by_rules as refunds_by_rules  # noqa: E402

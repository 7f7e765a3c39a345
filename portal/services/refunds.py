"""Fee refunds: asked for by the service's fee rules (refusal, withdrawal before acceptance), for a
duplicate charge, or by department staff; sent to the payment's provider; settled by its signed
notification. Every decision and every outcome is a ledger entry, as payments are.

A payment's refunds that are requested or succeeded never add up to more than the payment: each
request locks the payment row first, so two requests cannot both see the same amount left."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config import clock
from ledger.encoding import format_time
from ledger.services import ledger_append
from portal.constants import (
    REFUND_TRANSITIONS,
    ApplicationStatus,
    PaymentStatus,
    RefundReason,
    RefundStatus,
)
from portal.exceptions import NotDepartmentStaff, RefundRefused
from portal.models import Application, Payment, PaymentNotification, Refund
from portal.payments import provider
from portal.selectors import is_lead_staff, payment_refundable
from portal.services import (
    NotificationResult,
    _event,
    _in_both,
    _message,
    _reference,
    notification_authentic_and_new,
)

CENT = Decimal("0.01")
MAX_NOTE = 1000


def _rule_key(payment: Payment, reason: str) -> str:
    # What the fee rules decide happens once per payment and reason, however often it is triggered.
    return f"rule:{payment.order_id}:{reason}"


def _clean_amount(amount: Decimal | str) -> Decimal:
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value != value.quantize(CENT):
        raise RefundRefused(
            _("Give the amount to refund in yuan: more than ¥0, with at most two decimals."),
            code="refund_amount_invalid",
        )
    return value


def _log(refund: Refund, at) -> None:
    """The public ledger: references, amounts, reason and state, never who the applicant is."""
    ledger_append(
        kind="portal.refund",
        payload={
            "refund_id": refund.refund_id,
            "order_id": refund.payment.order_id,
            "reference": refund.payment.application.reference,
            "amount": str(refund.amount),
            "reason": refund.reason,
            "decided_by": "staff" if refund.decided_by_id else "fee_rules",
            "status": refund.status,
            "at": format_time(at),
        },
    )


def _queue_submit(refund_pk: int) -> None:
    from portal.tasks import refund_submit_task

    refund_submit_task.delay(refund_pk)


def _create(
    *,
    payment: Payment,
    amount: Decimal,
    reason: str,
    idempotency_key: str,
    decided_by: User | None,
    note: str = "",
) -> Refund:
    """Inside the caller's transaction: the refund, unless `idempotency_key` already made one."""
    payment = Payment.objects.select_for_update().select_related("application").get(pk=payment.pk)
    existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if (existing.payment_id, existing.amount, existing.reason) != (payment.pk, amount, reason):
            raise RefundRefused(
                _("This refund request was already made with other details. Reload the page and try again."),
                code="refund_key_reused",
            )
        return existing  # a double click or a repeated trigger: the refund already asked for
    if payment.status != PaymentStatus.PAID:
        raise RefundRefused(_("Only a paid fee can be refunded."), code="refund_not_paid")
    left = payment_refundable(payment)
    if amount > left:
        raise RefundRefused(
            _(
                "A refund of ¥%(amount)s is more than is left to refund of this payment (¥%(left)s). "
                "Nothing was changed."
            )
            % {"amount": amount, "left": left},
            code="refund_exceeds_payment",
        )
    now = clock.now()
    refund_id = _reference("RF")
    while Refund.objects.filter(refund_id=refund_id).exists():
        refund_id = _reference("RF")
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                payment=payment,
                refund_id=refund_id,
                idempotency_key=idempotency_key,
                amount=amount,
                reason=reason,
                note=note,
                decided_by=decided_by,
                requested_at=now,
            )
    except IntegrityError:
        # Only the key can collide here (the payment row is locked): an identical request won the race.
        return Refund.objects.get(idempotency_key=idempotency_key)
    application = payment.application
    label_zh, label_en = _in_both(RefundReason(reason).label)
    _event(
        application,
        "refund_requested",
        f"已申请退费 ¥{amount}（{label_zh}），等待{payment.provider}确认到账。",
        f"Refund of ¥{amount} requested ({label_en}); waiting for {payment.provider} to confirm it.",
        actor=decided_by,
    )
    _message(
        application.applicant,
        str(
            _("Refund of ¥%(amount)s requested for %(ref)s")
            % {"amount": amount, "ref": application.reference}
        ),
        note,
        reverse("portal:application", args=[application.reference]),
    )
    _log(refund, now)
    refund_pk = refund.pk
    transaction.on_commit(lambda: _queue_submit(refund_pk))
    return refund


@transaction.atomic
def refund_request(
    *,
    user: User,
    application: Application,
    order_id: str,
    amount: Decimal | str,
    reason: str,
    note: str,
    idempotency_key: str,
) -> Refund:
    """Department staff give back (part of) a paid fee, with a reason the applicant reads.

    Before: `user` is staff of the service's lead department; `order_id` is a paid payment of
    `application`; 0 < amount ≤ what is left of that payment after its requested and succeeded
    refunds; a note. After: a REQUESTED refund (or, for an `idempotency_key` already used with the
    same details, the refund it made), a step on the progress page, a message to the applicant, a
    ledger entry; the provider is asked after commit. Anything wrong: refused, nothing changed."""
    if not is_lead_staff(user=user, application=application):
        raise NotDepartmentStaff()
    if reason not in RefundReason.values:
        raise RefundRefused(_("Choose why the fee is refunded."), code="refund_reason")
    note = note.strip()
    if not note:
        raise RefundRefused(_("Say why the fee is refunded: the applicant reads it."), code="refund_note")
    key = idempotency_key.strip()
    if not 8 <= len(key) <= 64:
        raise RefundRefused(_("The form has expired. Reload the page and try again."), code="refund_key")
    payment = Payment.objects.filter(application=application, order_id=order_id).first()
    if payment is None:
        raise RefundRefused(_("This application has no such payment."), code="refund_no_payment")
    return _create(
        payment=payment,
        amount=_clean_amount(amount),
        reason=reason,
        idempotency_key=f"staff:{key}",
        decided_by=user,
        note=note[:MAX_NOTE],
    )


def refunds_by_rules(*, application: Application, reason: str) -> list[Refund]:
    """What the service's fee rules give back for `reason`, taken from the application's paid
    payments in the order they were paid, never more than is left of each.

    Called inside the refusal's or withdrawal's transaction; once per payment and reason (the key)."""
    target = application.service.fee_refundable(reason)
    refunds: list[Refund] = []
    for payment in application.payments.filter(status=PaymentStatus.PAID).order_by("paid_at", "pk"):
        if target <= 0:
            break
        key = _rule_key(payment, reason)
        existing = Refund.objects.filter(idempotency_key=key).first()
        if existing is not None:
            refunds.append(existing)
            target -= existing.amount
            continue
        amount = min(target, payment_refundable(payment))
        if amount <= 0:
            continue
        refunds.append(
            _create(payment=payment, amount=amount, reason=reason, idempotency_key=key, decided_by=None)
        )
        target -= amount
    return refunds


def refund_duplicate_charge(*, payment: Payment) -> Refund | None:
    """A second payment confirmed for an application whose fee was already paid is given back whole.

    Called inside the payment notification's transaction, after `payment` became PAID."""
    already_paid = (
        Payment.objects.filter(application_id=payment.application_id, status=PaymentStatus.PAID)
        .exclude(pk=payment.pk)
        .exists()
    )
    if not already_paid:
        return None
    return _create(
        payment=payment,
        amount=payment.amount,
        reason=RefundReason.DUPLICATE,
        idempotency_key=_rule_key(payment, RefundReason.DUPLICATE),
        decided_by=None,
    )


def refund_auto_on_decision(*, application: Application, previous_status: str) -> list[Refund]:
    """The fee rules after a refusal, or after a withdrawal before acceptance (nothing otherwise)."""
    if application.status == ApplicationStatus.REFUSED:
        return refunds_by_rules(application=application, reason=RefundReason.REFUSED)
    if application.status == ApplicationStatus.WITHDRAWN and previous_status != ApplicationStatus.IN_REVIEW:
        return refunds_by_rules(application=application, reason=RefundReason.WITHDRAWN)
    return []


@dataclass(frozen=True)
class RefundSubmission:
    refund_pk: int
    provider_name: str
    accepted: bool  # the provider took the request; its notification settles it


def refund_submit(*, refund_pk: int) -> RefundSubmission | None:
    """Ask the provider to pay `refund` back (run by a task after the request is committed).

    Idempotent: a refund already taken by the provider, or settled, is not sent again. The provider
    is called outside any transaction; then, in one: taken → `submitted_at` set; refused by the
    provider → FAILED, the applicant is told, a ledger entry."""
    refund = Refund.objects.select_related("payment").get(pk=refund_pk)
    if refund.status != RefundStatus.REQUESTED or refund.submitted_at is not None:
        return None
    answer = provider(refund.payment.provider).request_refund(refund=refund)
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("payment__application").get(pk=refund_pk)
        if refund.status != RefundStatus.REQUESTED or refund.submitted_at is not None:
            return None
        now = clock.now()
        if answer.accepted:
            refund.submitted_at = now
            refund.save(update_fields=["submitted_at"])
        else:
            _settle(refund, succeeded=False, provider_reference="", now=now, detail=answer.message)
    return RefundSubmission(refund_pk, refund.payment.provider, answer.accepted)


def _settle(refund: Refund, *, succeeded: bool, provider_reference: str, now, detail: str = "") -> None:
    target = RefundStatus.SUCCEEDED if succeeded else RefundStatus.FAILED
    if target not in REFUND_TRANSITIONS[refund.status]:
        raise RefundRefused(_("This refund is already settled."), code="refund_settled")
    refund.status = target
    refund.provider_reference = provider_reference[:80]
    refund.finished_at = now
    refund.save(update_fields=["status", "provider_reference", "finished_at"])
    application = refund.payment.application
    if succeeded:
        _event(
            application,
            "refunded",
            f"退费 ¥{refund.amount} 已退回原支付账户（{refund.payment.provider}）。",
            f"Refund of ¥{refund.amount} paid back to the original account ({refund.payment.provider}).",
        )
        subject = _("Refund of ¥%(amount)s paid back for %(ref)s")
    else:
        _event(
            application,
            "refund_failed",
            f"退费 ¥{refund.amount} 未成功{('：' + detail) if detail else ''}。受理部门将与您联系。",
            f"The refund of ¥{refund.amount} did not go through{(': ' + detail) if detail else ''}. "
            "The department will contact you.",
        )
        subject = _("Refund of ¥%(amount)s for %(ref)s did not go through")
    _message(
        application.applicant,
        str(subject % {"amount": refund.amount, "ref": application.reference}),
        link=reverse("portal:application", args=[application.reference]),
    )
    _log(refund, now)


@transaction.atomic
def refund_notification_receive(
    *, provider_name: str, headers: dict[str, str], body: bytes
) -> NotificationResult:
    """A provider tells us a refund's result.

    Signature first: a bad one changes nothing but a log row. A notification id seen before (for a
    payment or a refund) is a replay and changes nothing. It must name our refund, its order and its
    amount exactly. After a valid one: the refund SUCCEEDED or FAILED, the applicant told, a ledger entry."""
    now = clock.now()
    checked = notification_authentic_and_new(
        provider_name=provider_name,
        body=body,
        parse=provider(provider_name).parse_refund_notification,
        headers=headers,
    )
    if isinstance(checked, NotificationResult):
        return checked
    notification = checked
    refund = (
        Refund.objects.select_for_update()
        .select_related("payment__application")
        .filter(refund_id=notification.refund_id, payment__provider=provider_name)
        .first()
    )

    def record(outcome: str) -> NotificationResult:
        PaymentNotification.objects.create(
            provider=provider_name,
            notification_id=notification.notification_id,
            payment=refund.payment if refund else None,
            refund=refund,
            body=body.decode(),
            signature_valid=True,
            outcome=outcome,
            received_at=now,
        )
        return NotificationResult(True, outcome in (RefundStatus.SUCCEEDED, RefundStatus.FAILED), outcome)

    if refund is None:
        return record("unknown_refund")
    if refund.status != RefundStatus.REQUESTED:
        return record("already_final")
    if notification.order_id != refund.payment.order_id or notification.amount != refund.amount:
        return record("amount_mismatch")
    _settle(
        refund, succeeded=notification.succeeded, provider_reference=notification.provider_reference, now=now
    )
    return record(refund.status)

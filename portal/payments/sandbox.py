"""The demo's built-in SANDBOX provider: no money moves. Its checkout page (portal.views.sandbox_checkout)
says so in large letters. Notifications are JSON signed with HMAC-SHA256 under a secret kept in
settings.PLATFORM_KEY_DIR/payments/sandbox.secret (created on first use), in the header
`X-Sandbox-Signature: <hex>`, exactly as a real gateway's callback would be verified.

Refunds: the sandbox "bank" takes a refund only of an order it confirmed, never beyond what it took
less the refunds it already took, and answers with its own signed refund notification. That
notification's id is derived from our refund id, so asking twice yields the same notification
(a replay to the portal), as a real gateway keys refunds by the merchant's refund number."""

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from portal.payments.base import (
    Notification,
    PaymentProvider,
    RefundAnswer,
    RefundNotification,
    SignatureInvalid,
)

SIGNATURE_HEADER = "X-Sandbox-Signature"


def _secret() -> bytes:
    path = Path(settings.PLATFORM_KEY_DIR) / "payments" / "sandbox.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def sign(body: bytes) -> str:
    return hmac.new(_secret(), body, hashlib.sha256).hexdigest()


class SandboxProvider(PaymentProvider):
    name = "sandbox"
    label = "Sandbox (demo, no real money)"
    is_sandbox = True

    def checkout_url(self, payment) -> str:
        return reverse("portal:sandbox_checkout", args=[payment.order_id])

    def notification_body(self, *, order_id: str, amount: Decimal, succeeded: bool) -> bytes:
        """What the sandbox "bank" sends when the payer confirms (used by its checkout page)."""
        return json.dumps(
            {
                "notification_id": "SBX-" + secrets.token_hex(8),
                "order_id": order_id,
                "amount": str(amount),
                "result": "SUCCESS" if succeeded else "FAIL",
                "transaction_id": "SBXT" + secrets.token_hex(6).upper(),
            },
            sort_keys=True,
        ).encode()

    def parse_notification(self, *, headers: Mapping[str, str], body: bytes) -> Notification:
        data = _verified(headers, body)
        try:
            if data.get("type", "payment") != "payment":
                raise ValueError("not a payment notification")
            return Notification(
                notification_id=str(data["notification_id"]),
                order_id=str(data["order_id"]),
                amount=Decimal(data["amount"]),
                succeeded=data["result"] == "SUCCESS",
                provider_reference=str(data.get("transaction_id", "")),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise SignatureInvalid("unreadable notification") from exc

    # ------------------------------------------------------------ refunds

    def request_refund(self, *, refund) -> RefundAnswer:
        from portal.constants import PaymentStatus, RefundStatus

        payment = refund.payment
        if payment.status != PaymentStatus.PAID:
            return RefundAnswer(False, "订单未支付 / order not paid")
        # What the sandbox already took for this order: refunds it accepted that did not fail.
        taken = sum(
            (
                r.amount
                for r in payment.refunds.exclude(pk=refund.pk).filter(submitted_at__isnull=False)
                if r.status != RefundStatus.FAILED
            ),
            Decimal("0"),
        )
        if refund.amount <= 0 or refund.amount > payment.amount - taken:
            return RefundAnswer(False, "退款金额超过订单可退金额 / refund exceeds what is left of the order")
        return RefundAnswer(True)

    def refund_notification_body(
        self, *, refund_id: str, order_id: str, amount: Decimal, succeeded: bool
    ) -> bytes:
        """What the sandbox "bank" sends once it has paid a refund back (or failed to)."""
        derived = hmac.new(_secret(), b"refund:" + refund_id.encode(), hashlib.sha256).hexdigest()
        return json.dumps(
            {
                "type": "refund",
                "notification_id": "SBXR-" + derived[:16],
                "refund_id": refund_id,
                "order_id": order_id,
                "amount": str(amount),
                "result": "SUCCESS" if succeeded else "FAIL",
                "refund_transaction_id": "SBXRT" + derived[16:28].upper(),
            },
            sort_keys=True,
        ).encode()

    def parse_refund_notification(self, *, headers: Mapping[str, str], body: bytes) -> RefundNotification:
        data = _verified(headers, body)
        try:
            if data.get("type") != "refund":
                raise ValueError("not a refund notification")
            return RefundNotification(
                notification_id=str(data["notification_id"]),
                refund_id=str(data["refund_id"]),
                order_id=str(data["order_id"]),
                amount=Decimal(data["amount"]),
                succeeded=data["result"] == "SUCCESS",
                provider_reference=str(data.get("refund_transaction_id", "")),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise SignatureInvalid("unreadable refund notification") from exc

    def after_refund_accepted(self, *, refund) -> None:
        """The sandbox has no server to call us back from: it delivers its signed notification to
        the same receiving service the HTTP callback reaches."""
        from portal.services import refund_notification_receive

        body = self.refund_notification_body(
            refund_id=refund.refund_id, order_id=refund.payment.order_id, amount=refund.amount, succeeded=True
        )
        refund_notification_receive(
            provider_name=self.name, headers={SIGNATURE_HEADER: sign(body)}, body=body
        )


def _verified(headers: Mapping[str, str], body: bytes) -> dict:
    signature = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.lower()) or ""
    if not hmac.compare_digest(signature.encode(), sign(body).encode()):
        raise SignatureInvalid("bad sandbox signature")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise SignatureInvalid("unreadable notification") from exc
    if not isinstance(data, dict):
        raise SignatureInvalid("unreadable notification")
    return data

"""The demo's built-in SANDBOX provider: no money moves. Its checkout page (portal.views.sandbox_checkout)
says so in large letters. Notifications are JSON signed with HMAC-SHA256 under a secret kept in
settings.PLATFORM_KEY_DIR/payments/sandbox.secret (created on first use), in the header
`X-Sandbox-Signature: <hex>`, exactly as a real gateway's callback would be verified."""

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

from portal.payments.base import Notification, PaymentProvider, SignatureInvalid

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
        signature = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.lower()) or ""
        if not hmac.compare_digest(signature.encode(), sign(body).encode()):
            raise SignatureInvalid("bad sandbox signature")
        try:
            data = json.loads(body)
            return Notification(
                notification_id=str(data["notification_id"]),
                order_id=str(data["order_id"]),
                amount=Decimal(data["amount"]),
                succeeded=data["result"] == "SUCCESS",
                provider_reference=str(data.get("transaction_id", "")),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise SignatureInvalid("unreadable notification") from exc

"""Fee payment providers. Each provider is one adapter implementing `PaymentProvider`; the portal
speaks only to that interface. Adding a real provider (UnionPay, a bank's gateway...) means writing
one adapter module and listing it in `PROVIDERS`. The SANDBOX adapter counts only where
`settings.PAYMENT_SANDBOX_ENABLED` (production refuses to start with it unless the installation is
declared a test one: config/settings/production.py)."""

from django.conf import settings

from portal.payments.base import (
    Notification,
    PaymentProvider,
    RefundAnswer,
    RefundNotification,
    SignatureInvalid,
)
from portal.payments.sandbox import SandboxProvider

PROVIDERS: dict[str, PaymentProvider] = {SandboxProvider.name: SandboxProvider()}


def enabled_providers() -> dict[str, PaymentProvider]:
    return {
        name: adapter
        for name, adapter in PROVIDERS.items()
        if not adapter.is_sandbox or settings.PAYMENT_SANDBOX_ENABLED
    }


def provider(name: str) -> PaymentProvider:
    try:
        return enabled_providers()[name]
    except KeyError:
        raise SignatureInvalid(f"unknown payment provider {name!r}") from None


__all__ = [
    "PROVIDERS",
    "Notification",
    "PaymentProvider",
    "RefundAnswer",
    "RefundNotification",
    "SignatureInvalid",
    "enabled_providers",
    "provider",
]

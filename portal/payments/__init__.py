"""Fee payment providers. Each provider is one adapter implementing `PaymentProvider`; the portal
speaks only to that interface. Adding a real provider (UnionPay, a bank's gateway...) means writing
one adapter module and listing it in `PROVIDERS`."""

from portal.payments.base import (
    Notification,
    PaymentProvider,
    RefundAnswer,
    RefundNotification,
    SignatureInvalid,
)
from portal.payments.sandbox import SandboxProvider

PROVIDERS: dict[str, PaymentProvider] = {SandboxProvider.name: SandboxProvider()}


def provider(name: str) -> PaymentProvider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise SignatureInvalid(f"unknown payment provider {name!r}") from None


__all__ = [
    "PROVIDERS",
    "Notification",
    "PaymentProvider",
    "RefundAnswer",
    "RefundNotification",
    "SignatureInvalid",
    "provider",
]

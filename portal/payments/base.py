"""The interface between the portal and a payment provider."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.models import Payment, Refund


class SignatureInvalid(Exception):
    """The notification did not come from the provider (bad or missing signature, unreadable body)."""


@dataclass(frozen=True)
class Notification:
    """What a verified provider notification says about one payment."""

    notification_id: str  # unique per provider: a replay carries the same id
    order_id: str  # Payment.order_id
    amount: Decimal
    succeeded: bool
    provider_reference: str


@dataclass(frozen=True)
class RefundNotification:
    """What a verified provider notification says about one refund."""

    notification_id: (
        str  # unique per provider, shared with payment notifications: a replay carries the same id
    )
    refund_id: str  # Refund.refund_id
    order_id: str  # the payment refunded
    amount: Decimal
    succeeded: bool
    provider_reference: str


@dataclass(frozen=True)
class RefundAnswer:
    """The provider's immediate answer to a refund request; the result comes later, by notification."""

    accepted: bool
    message: str = ""  # why the provider refused, in its words


class PaymentProvider(ABC):
    name: str
    label: str
    is_sandbox: bool = False

    @abstractmethod
    def checkout_url(self, payment: "Payment") -> str:
        """Where to send the payer to pay `payment`."""

    @abstractmethod
    def parse_notification(self, *, headers: Mapping[str, str], body: bytes) -> Notification:
        """Verify the provider's signature over `body` and read it; raise SignatureInvalid otherwise."""

    @abstractmethod
    def request_refund(self, *, refund: "Refund") -> RefundAnswer:
        """Ask the provider to pay `refund.amount` of `refund.payment` back to the payer. Asking again
        for the same `refund.refund_id` must not pay twice (providers key refunds by our id)."""

    @abstractmethod
    def parse_refund_notification(self, *, headers: Mapping[str, str], body: bytes) -> RefundNotification:
        """Verify the provider's signature over a refund notification and read it; raise SignatureInvalid otherwise."""

    def after_refund_accepted(self, *, refund: "Refund") -> None:  # noqa: B027 (optional hook)
        """A real provider calls us back over HTTP by itself; a sandbox delivers its notification here."""

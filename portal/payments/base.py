"""The interface between the portal and a payment provider."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.models import Payment


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

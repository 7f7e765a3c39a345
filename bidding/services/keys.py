"""The custodians' opening keys and confirmations (SEALED_BIDS.md "Keys"): registration with proof
of possession, confirmation of the tender's parameters, the publication guard and the ledger
entries written at publication (registrations 1..n, confirmations 1..n, then the SB1 notice)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bidding.models import CustodianConfirmation, OpeningKey
from bidding.sb1.custodian import confirmation_check, opening_key_registration_check
from bidding.sb1.errors import SB1Error
from bidding.selectors.keys import confirmation_expected, opening_keys_current, sb1_notice
from config import clock
from config.exceptions import Conflict, DomainError, NotAllowed, NotFound
from ledger.encoding import b64u_decode
from ledger.services import ledger_append
from suppliers.constants import CertificatePurpose
from suppliers.models import OpeningKeyReplacement
from suppliers.selectors import certificate_status
from tenders.constants import TenderStatus
from tenders.models import Custodian, Tender

# Keys and confirmations may change only while the tender can still change.
_KEY_STATES = (TenderStatus.DRAFT, TenderStatus.IN_APPROVAL)


class OpeningKeyRefused(DomainError):
    code = "opening_key_refused"


def _custodianship(*, user: User, reference: str, lock: bool = True) -> tuple[Tender, Custodian]:
    qs = Tender.objects.select_for_update() if lock else Tender.objects
    tender = qs.filter(reference=reference).first()
    custodian = Custodian.objects.filter(tender=tender, user=user).first() if tender else None
    if tender is None or custodian is None:
        raise NotFound(_("You are not a key custodian of this tender."))
    return tender, custodian


def _custodian_signing_key(*, user: User, signer: Any) -> bytes:
    """The public key of `signer`, which must be a custodian certificate of `user`, valid now."""
    status = certificate_status(signer if isinstance(signer, str) else "", clock.now())
    certificate = status.certificate
    if not status.is_valid or certificate is None:
        raise OpeningKeyRefused(
            _("Your signing certificate is not valid (%(state)s).") % {"state": status.state}
        )
    if certificate.holder_id != user.pk or certificate.purpose != CertificatePurpose.CUSTODIAN:
        raise NotAllowed(_("The signature is not by your own key custodian certificate."))
    return b64u_decode(certificate.public_key)


def opening_key_registration_verified(
    *, user: User, tender: Tender, index: int, envelope: Any
) -> dict[str, Any]:
    """The checked registration `{"registration", "pop", "signature"}` of custodian `index`'s opening
    key for the tender, signed with `user`'s own valid custodian certificate (SEALED_BIDS.md "Keys");
    refused with the SB1 reason otherwise. Used by registration and by replacement."""
    registration = envelope.get("registration") if isinstance(envelope, dict) else None
    signer = registration.get("signer") if isinstance(registration, dict) else None
    signing_key = _custodian_signing_key(user=user, signer=signer)
    try:
        return opening_key_registration_check(
            envelope, signing_public_key=signing_key, tender=tender.reference, index=index
        )
    except SB1Error as exc:
        raise OpeningKeyRefused(exc.message, code=f"registration_{exc.code}") from None


def opening_key_used(*, key_id: str) -> bool:
    """Whether any tender's registration, current or replaced as lost, has used the key: a key is
    never used for two tenders, and a replaced one may be in someone else's hands."""
    return (
        OpeningKey.objects.filter(key_id=key_id).exists()
        or OpeningKeyReplacement.objects.filter(key_id=key_id).exists()
    )


@transaction.atomic
def opening_key_register(*, user: User, reference: str, envelope: dict[str, Any]) -> OpeningKey:
    """Register custodian j's opening key for the tender.

    Before: the tender is a draft or in approval and `user` is its custodian j; `envelope` is
    {"registration", "pop", "signature"} naming this tender and j, the pop verifies with the key and the
    signature with the user's valid custodian certificate; no registration of ANY tender uses the key;
    j has not registered a key for this tender already.
    After: the registration is stored (it goes into the ledger at publication)."""
    tender, custodian = _custodianship(user=user, reference=reference)
    if tender.status not in _KEY_STATES:
        raise Conflict(_("Opening keys are registered before the tender is published."))
    r = opening_key_registration_verified(user=user, tender=tender, index=custodian.index, envelope=envelope)
    # Registrations left over from an earlier custodian list of this draft are dropped (nothing about
    # them is public yet); the person's current registration is never replaced.
    OpeningKey.objects.filter(tender=tender).exclude(index=custodian.index, custodian=user).filter(
        index=custodian.index
    ).delete()
    OpeningKey.objects.filter(tender=tender, custodian=user).exclude(index=custodian.index).delete()
    if OpeningKey.objects.filter(tender=tender, index=custodian.index, custodian=user).exists():
        raise Conflict(_("You have already registered your opening key for this tender."))
    if opening_key_used(key_id=r["key_id"]):
        raise Conflict(
            _("This opening key is already registered (a key is never used for two tenders)."),
            code="opening_key_reused",
        )
    try:
        with transaction.atomic():
            return OpeningKey.objects.create(
                tender=tender,
                custodian=user,
                index=custodian.index,
                key=r["key"],
                key_id=r["key_id"],
                signer=r["signer"],
                envelope=envelope,
                registered_at=clock.now(),
            )
    except IntegrityError:
        raise Conflict(
            _("This opening key is already registered (a key is never used for two tenders)."),
            code="opening_key_reused",
        ) from None


@transaction.atomic
def custodian_confirm(*, user: User, reference: str, envelope: dict[str, Any]) -> CustodianConfirmation:
    """Custodian j confirms the custodian list, threshold, deadline and share window.

    Before: every custodian has registered its key; the confirmation equals exactly what the tender
    says now, and is signed with the user's valid custodian certificate.
    After: stored as j's current confirmation (ledgered at publication)."""
    tender, custodian = _custodianship(user=user, reference=reference)
    if tender.status not in _KEY_STATES:
        raise Conflict(_("The custodian list is confirmed before the tender is published."))
    confirmation = envelope.get("confirmation") if isinstance(envelope, dict) else None
    signer = confirmation.get("signer") if isinstance(confirmation, dict) else None
    signing_key = _custodian_signing_key(user=user, signer=signer)
    try:
        c = confirmation_check(envelope, signing_public_key=signing_key)
    except SB1Error as exc:
        raise OpeningKeyRefused(exc.message, code=f"confirmation_{exc.code}") from None
    expected = confirmation_expected(tender, signer=c["signer"])
    if expected is None:
        raise Conflict(
            _(
                "Every custodian must register an opening key, and the deadline must be set, "
                "before the list is confirmed."
            )
        )
    if c != expected:
        raise OpeningKeyRefused(
            _(
                "The confirmation does not match the tender's custodians, threshold, deadline "
                "and share window as they stand."
            ),
            code="confirmation_mismatch",
        )
    return CustodianConfirmation.objects.create(
        tender=tender,
        custodian=user,
        index=custodian.index,
        signer=c["signer"],
        envelope=envelope,
        confirmed_at=clock.now(),
    )


def ledger_keys_before_notice(tender: Tender) -> None:
    """At publication (inside its transaction, after the guards passed): registrations 1..n, then
    confirmations 1..n, then the platform-signed SB1 notice."""
    from bidding.selectors.keys import confirmation_current

    keys = opening_keys_current(tender) or []
    for key in keys:
        ledger_append(kind="SB1/opening-key", payload=key.envelope)
    for custodian in tender.custodians.order_by("index"):
        confirmation = confirmation_current(tender, custodian)
        if confirmation is not None:
            ledger_append(kind="SB1/custodian-confirmation", payload=confirmation.envelope)
    ledger_append(kind="SB1/notice", payload=sb1_notice(tender))

"""Refusals of the supplier registry and the platform CA, with messages a person can act on."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import Conflict, DomainError, NotAllowed, NotFound
from suppliers.credit_code import InvalidCreditCode

__all__ = [
    "InvalidCreditCode",
    "SupplierAlreadyRegistered",
    "SupplierNotFound",
    "NotSupplierAdmin",
    "VerificationTransitionRefused",
    "SupplierNotEligible",
    "ChallengeInvalid",
    "ProofOfPossessionFailed",
    "PublicKeyInvalid",
    "CertificateNotFound",
    "CertificateAlreadyRevoked",
    "CertificateAuthorityMissing",
    "QualificationInvalid",
    "DebarmentInvalid",
    "OpeningKeyReplaceRefused",
]


class SupplierAlreadyRegistered(Conflict):
    code = "supplier_already_registered"

    def __init__(self) -> None:
        super().__init__(_("An enterprise with this unified social credit code is already registered."))


class SupplierNotFound(NotFound):
    code = "supplier_not_found"


class NotSupplierAdmin(NotAllowed):
    def __init__(self) -> None:
        super().__init__(_("Only the enterprise's administrator can do this."))


class VerificationTransitionRefused(Conflict):
    code = "verification_state"


class SupplierNotEligible(NotAllowed):
    """Unverified or debarred: the message says which."""

    code = "supplier_not_eligible"


class ChallengeInvalid(DomainError):
    code = "challenge_invalid"


class ProofOfPossessionFailed(DomainError):
    code = "proof_of_possession_failed"

    def __init__(self) -> None:
        super().__init__(_("The signature over the challenge does not verify with this public key."))


class PublicKeyInvalid(DomainError):
    code = "public_key_invalid"

    def __init__(self) -> None:
        super().__init__(_("The public key must be an uncompressed P-256 point (65 bytes, base64url)."))


class CertificateNotFound(NotFound):
    code = "certificate_not_found"

    def __init__(self) -> None:
        super().__init__(_("No such certificate."))


class CertificateAlreadyRevoked(Conflict):
    code = "certificate_revoked"

    def __init__(self) -> None:
        super().__init__(_("This certificate is already revoked."))


class CertificateAuthorityMissing(DomainError):
    status_code = 503
    code = "ca_missing"

    def __init__(self) -> None:
        super().__init__(_("The platform certificate authority has not been set up (run manage.py ca_init)."))


class QualificationInvalid(DomainError):
    code = "qualification_invalid"


class DebarmentInvalid(DomainError):
    code = "debarment_invalid"


class OpeningKeyReplaceRefused(Conflict):
    """A custodian's opening key cannot be replaced now (published, nothing to replace, key reused)."""

    code = "opening_key_replace_refused"

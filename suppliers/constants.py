"""Supplier states and kinds: verification, size class, qualification kinds, certificate holders."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    """Enterprise size under the SME classification rules (工信部联企业〔2011〕300号); drives price deductions."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class VerificationStatus(models.TextChoices):
    # Registered or changed its registration; an officer has not decided yet. Cannot enrol or bid.
    PENDING = "pending", _("Pending verification")
    # An officer checked the registration against its documents. May enrol certificates and bid.
    VERIFIED = "verified", _("Verified")
    # An officer refused it, with a reason the supplier sees; it may correct and resubmit.
    REJECTED = "rejected", _("Rejected")


# The only moves a verification may make; `supplier_verification_*` services check this table.
VERIFICATION_TRANSITIONS: dict[str, set[str]] = {
    VerificationStatus.PENDING: {VerificationStatus.VERIFIED, VerificationStatus.REJECTED},
    VerificationStatus.REJECTED: {VerificationStatus.PENDING},
    VerificationStatus.VERIFIED: {VerificationStatus.PENDING},  # a changed registration is checked again
}


class QualificationKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    CATEGORY_LICENCE = "category_licence", _("Category licence")


class CertificatePurpose(models.TextChoices):
    """Whom a signing certificate speaks for."""

    # A supplier's staff member: binds the key to the person and the supplier's credit code.
    BIDDER = "bidder", _("Bidder")
    # A key custodian: binds the key to the person only.
    CUSTODIAN = "custodian", _("Key custodian")


class CertificateState(models.TextChoices):
    """What `certificate_status` answers at a moment; only revocation is stored, the rest is read from time."""

    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    UNKNOWN = "unknown", _("Unknown")


# How many days before a qualification expires its supplier is reminded, and the page marks it.
QUALIFICATION_EXPIRY_WARNING_DAYS = 30
# A challenge for enrolment lives this long and is used once.
ENROLMENT_CHALLENGE_SECONDS = 600
# Signing certificates are valid this long (never past the issuing CA's own expiry).
CERTIFICATE_VALIDITY_DAYS = 730
# The label of the proof of possession at enrolment: the key signs "YZ/enroll" ‖ 0x00 ‖ JCS({"challenge","key"}).
ENROLMENT_LABEL = "YZ/enroll"

"""Reads of the supplier registry: who may manage which supplier, eligibility to bid, the
public lookup, qualification expiry and the status of a signing certificate at a moment."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Membership, User
from accounts.selectors import user_has_role
from config import clock
from suppliers.constants import (
    QUALIFICATION_EXPIRY_WARNING_DAYS,
    CertificateState,
    VerificationStatus,
)
from suppliers.models import Certificate, Debarment, Qualification, Supplier

SUPPLIER_ROLES = (Role.SUPPLIER_ADMIN, Role.SUPPLIER_STAFF)


def suppliers_of(*, user: User) -> QuerySet[Supplier]:
    """The suppliers in which the user actively holds a supplier role."""
    if not user.is_authenticated:
        return Supplier.objects.none()
    return (
        Supplier.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__is_active=True,
            organisation__memberships__role__in=SUPPLIER_ROLES,
        )
        .distinct()
        .select_related("organisation")
    )


def supplier_of(*, user: User) -> Supplier | None:
    """The user's supplier (a person works for at most one in practice; the first if several)."""
    return suppliers_of(user=user).order_by("pk").first()


def user_is_supplier_admin(*, user: User, supplier: Supplier) -> bool:
    return user_has_role(user=user, role=Role.SUPPLIER_ADMIN, organisation=supplier.organisation_id)


def user_is_supplier_member(*, user: User, supplier: Supplier) -> bool:
    return suppliers_of(user=user).filter(pk=supplier.pk).exists()


def user_is_platform_admin(*, user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user_has_role(user=user, role=Role.PLATFORM_ADMIN))


def user_may_verify_suppliers(*, user: User) -> bool:
    """Procurement officers of an agency and platform administrators decide verifications."""
    return user_is_platform_admin(user=user) or user_has_role(user=user, role=Role.PROCUREMENT_OFFICER)


def supplier_staff(*, supplier: Supplier) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            organisation=supplier.organisation_id, role__in=SUPPLIER_ROLES, is_active=True
        )
        .select_related("user")
        .order_by("role", "user__username")
    )


def debarment_active(*, supplier: Supplier, at: dt.datetime) -> Debarment | None:
    return supplier.debarments.filter(starts_at__lte=at, ends_at__gt=at).order_by("-ends_at").first()


def supplier_is_eligible(supplier: Supplier, at: dt.datetime) -> bool:
    """May the supplier bid or hold a usable bidder certificate at `at`: verified and not debarred."""
    return supplier_ineligibility_reason(supplier, at) is None


def supplier_ineligibility_reason(supplier: Supplier, at: dt.datetime) -> str | None:
    """Why the supplier is not eligible at `at` (a translated sentence), or None when it is."""
    if supplier.verification_status != VerificationStatus.VERIFIED:
        return _("The enterprise has not been verified by a procurement officer.")
    debarment = debarment_active(supplier=supplier, at=at)
    if debarment is not None:
        return _("The enterprise is debarred until %(until)s.") % {
            "until": localtime(debarment.ends_at).strftime("%Y-%m-%d %H:%M")
        }
    return None


def supplier_public_search(*, query: str = "") -> QuerySet[Supplier]:
    """The public lookup: by name or credit code; everyone may read it."""
    qs = Supplier.objects.select_related("organisation").prefetch_related("debarments")
    query = query.strip()
    if query:
        qs = qs.filter(Q(organisation__name__icontains=query) | Q(organisation__credit_code=query.upper()))
    return qs.order_by("organisation__name")


def debarments_public(*, at: dt.datetime | None = None) -> QuerySet[Debarment]:
    """Debarments in force at `at` (default now), published on the lookup page."""
    at = at or clock.now()
    return Debarment.objects.filter(starts_at__lte=at, ends_at__gt=at).select_related(
        "supplier__organisation"
    )


def verification_queue() -> QuerySet[Supplier]:
    return (
        Supplier.objects.filter(verification_status=VerificationStatus.PENDING)
        .select_related("organisation")
        .order_by("registered_at")
    )


@dataclass(frozen=True)
class QualificationExpiry:
    """How a qualification stands on a day: `expired`, `expiring` (within the warning window) or `valid`."""

    state: str
    days_left: int | None


def qualification_expiry(qualification: Qualification, today: dt.date) -> QualificationExpiry:
    if qualification.expires_on is None:
        return QualificationExpiry("valid", None)
    days_left = (qualification.expires_on - today).days
    if days_left < 0:
        return QualificationExpiry("expired", days_left)
    if days_left <= QUALIFICATION_EXPIRY_WARNING_DAYS:
        return QualificationExpiry("expiring", days_left)
    return QualificationExpiry("valid", days_left)


def qualifications_needing_reminder(*, today: dt.date) -> QuerySet[Qualification]:
    """Qualifications expiring within the warning window (or already expired) whose supplier has not
    been reminded for this expiry date yet."""
    horizon = today + dt.timedelta(days=QUALIFICATION_EXPIRY_WARNING_DAYS)
    return (
        Qualification.objects.filter(expires_on__isnull=False, expires_on__lte=horizon)
        .exclude(reminded_for=F("expires_on"))
        .select_related("supplier__organisation")
    )


@dataclass(frozen=True)
class CertificateStatus:
    state: CertificateState
    certificate: Certificate | None

    @property
    def is_valid(self) -> bool:
        return self.state == CertificateState.VALID


def certificate_status(fingerprint: str, at: dt.datetime) -> CertificateStatus:
    """The status of the certificate with this SB1 `signer` fingerprint at `at`. Checked at every use:
    revocation is effective from its recorded time, validity from the certificate's own dates."""
    certificate = (
        Certificate.objects.select_related("holder", "supplier__organisation")
        .filter(fingerprint=fingerprint)
        .first()
    )
    if certificate is None:
        return CertificateStatus(CertificateState.UNKNOWN, None)
    if certificate.revoked_at is not None and certificate.revoked_at <= at:
        return CertificateStatus(CertificateState.REVOKED, certificate)
    if at < certificate.not_before:
        return CertificateStatus(CertificateState.NOT_YET_VALID, certificate)
    if at >= certificate.not_after:
        return CertificateStatus(CertificateState.EXPIRED, certificate)
    return CertificateStatus(CertificateState.VALID, certificate)


def certificates_visible_to(*, user: User) -> QuerySet[Certificate]:
    """A person's own certificates, plus every certificate of the suppliers they administer."""
    administered = Supplier.objects.filter(
        organisation__memberships__user=user,
        organisation__memberships__role=Role.SUPPLIER_ADMIN,
        organisation__memberships__is_active=True,
    )
    return (
        Certificate.objects.filter(Q(holder=user) | Q(supplier__in=administered))
        .select_related("holder", "supplier__organisation")
        .distinct()
    )


def revoked_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.filter(revoked_at__isnull=False).order_by("revoked_at")


def certificate_revocation_list() -> bytes:
    """The issuing CA's CRL (DER), made now over every revoked certificate."""
    from cryptography.hazmat.primitives import serialization

    from suppliers import ca

    revoked = [(int(c.serial_number, 16), c.revoked_at) for c in revoked_certificates() if c.revoked_at]
    return ca.crl_build(revoked=revoked, this_update=clock.now()).public_bytes(serialization.Encoding.DER)

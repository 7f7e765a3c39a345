"""Reads of the supplier registry: who may manage which supplier, eligibility to bid, the
public lookup, qualification expiry and the status of a signing certificate at a moment."""

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import translation
from django.utils.timezone import localdate, localtime
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Membership, User
from accounts.selectors import user_has_role, user_is_platform_admin
from config import clock
from suppliers.constants import (
    QUALIFICATION_EXPIRY_WARNING_DAYS,
    CertificatePurpose,
    CertificateState,
    QualificationKind,
    VerificationStatus,
)
from suppliers.models import Certificate, Debarment, OpeningKeyReplacement, Qualification, Supplier

if TYPE_CHECKING:
    from tenders.models import Custodian, Tender

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


def supplier_is_eligible(supplier: Supplier, at: dt.datetime, *, tender: "Tender | None" = None) -> bool:
    """May the supplier bid or hold a usable bidder certificate at `at`: verified and not debarred,
    and, when `tender` is given, holding a valid record of every qualification it requires (see
    `supplier_ineligibility_reason`)."""
    return supplier_ineligibility_reason(supplier, at, tender=tender) is None


def supplier_ineligibility_reason(
    supplier: Supplier, at: dt.datetime, *, tender: "Tender | None" = None
) -> str | None:
    """Why the supplier is not eligible at `at` (a translated sentence), or None when it is.

    Without `tender`: verified, and not debarred at `at` (enrolment, the supplier's own pages).
    With `tender` (bidding): also no qualification the tender requires has lapsed by the tender's
    bid deadline. The deadline, not the moment of submission, is the moment that counts: the sealed
    set is the bids as they stand at the deadline (BL Art 29, EBM Art 27: until then a bidder may
    still change or withdraw), and qualification review is of those bids (MOF87 Arts 43–44). A
    licence that lapses between submission and deadline makes a bid the committee must reject, so it
    is refused now, while the bidder can still renew the licence and submit again. A licence is valid
    through its expiry date (Beijing time), so one expiring on the deadline day still counts."""
    if supplier.verification_status != VerificationStatus.VERIFIED:
        return _("The enterprise has not been verified by a procurement officer.")
    debarment = debarment_active(supplier=supplier, at=at)
    if debarment is not None:
        return _("The enterprise is debarred until %(until)s.") % {
            "until": localtime(debarment.ends_at).strftime("%Y-%m-%d %H:%M")
        }
    if tender is not None:
        lapsed = qualifications_lapsed(supplier=supplier, tender=tender, at=at)
        if lapsed:
            return " ".join(_qualification_lapsed_sentence(row, tender) for row in lapsed)
    return None


# --- qualifications a tender requires -------------------------------------------------------------


def _name_key(text: str) -> str:
    """How a qualification name is compared: NFKC, case-folded, without any white space, so
    "营业执照", "营业执照 " and "Business Licence" match the way a person would read them."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _kind_names(kind: str) -> set[str]:
    """The kind's label in every language of the platform (a tender written in Chinese names the
    business licence 营业执照, one written in English "Business licence")."""
    label = QualificationKind(kind).label
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(_name_key(str(label)))
    return names


def qualification_names(qualification: Qualification) -> set[str]:
    """The names under which a tender's list of required documents can ask for this record: its
    title, its category (category licences) and the name of its kind."""
    names = {_name_key(qualification.title), *_kind_names(qualification.kind)}
    if qualification.category.strip():
        names.add(_name_key(qualification.category))
    names.discard("")
    return names


@dataclass(frozen=True)
class RequiredQualification:
    """One entry of the tender's required documents and the supplier's records that answer it."""

    requirement: str
    qualifications: tuple[Qualification, ...]


def qualifications_required(*, supplier: Supplier, tender: "Tender") -> list[RequiredQualification]:
    """The tender's required documents (`Tender.required_documents`, one name each) that name one of
    the supplier's qualification records, in the tender's order, with those records.

    A record answers a requirement when the requirement equals its title, its category or its kind
    (compared as `_name_key` does). Requirements no record answers are not listed: the platform
    cannot judge a document it does not hold (the bidder attaches it to the bid and the committee
    reviews it), and a record no requirement names is not the tender's business."""
    records = list(supplier.qualifications.all())
    rows = []
    for requirement in tender.required_documents or []:
        if not isinstance(requirement, str) or not _name_key(requirement):
            continue
        key = _name_key(requirement)
        matching = tuple(q for q in records if key in qualification_names(q))
        if matching:
            rows.append(RequiredQualification(requirement, matching))
    return rows


def qualification_judged_on(*, tender: "Tender", at: dt.datetime) -> dt.date:
    """The day (Beijing time) on which the tender's required qualifications must still be valid:
    the bid deadline's (see `supplier_ineligibility_reason`), or `at`'s while no deadline is set."""
    return localdate(tender.bid_deadline or at)


def qualifications_lapsed(
    *, supplier: Supplier, tender: "Tender", at: dt.datetime
) -> list[RequiredQualification]:
    """The requirements of `tender` for which every record the supplier holds has expired by the day
    `qualification_judged_on` gives. One valid record is enough (a renewed licence uploaded next
    to the old one answers the requirement)."""
    day = qualification_judged_on(tender=tender, at=at)
    return [
        row
        for row in qualifications_required(supplier=supplier, tender=tender)
        if all(q.expires_on is not None and q.expires_on < day for q in row.qualifications)
    ]


def _qualification_lapsed_sentence(row: RequiredQualification, tender: "Tender") -> str:
    latest = max(row.qualifications, key=lambda q: q.expires_on or dt.date.max)
    assert latest.expires_on is not None
    deadline = localtime(tender.bid_deadline).strftime("%Y-%m-%d %H:%M") if tender.bid_deadline else "—"
    return _(
        "This tender requires “%(requirement)s”: your qualification “%(title)s” (%(number)s) is valid "
        "only until %(date)s, before the bid deadline %(deadline)s. Upload the renewed document under "
        "Qualifications, then submit again."
    ) % {
        "title": latest.title,
        "number": latest.number or "—",
        "requirement": row.requirement,
        "date": latest.expires_on.isoformat(),
        "deadline": deadline,
    }


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


def qualifications_to_renew(
    *, supplier: Supplier, today: dt.date
) -> list[tuple[Qualification, QualificationExpiry]]:
    """The supplier's expired and soon-expiring records (soonest first), for the warning at the top of
    its profile and qualifications pages."""
    rows = [(q, qualification_expiry(q, today)) for q in supplier.qualifications.all()]
    return sorted(
        ((q, e) for q, e in rows if e.state in ("expired", "expiring")),
        key=lambda row: (row[0].expires_on, row[0].pk),
    )


@dataclass(frozen=True)
class TenderAtRisk:
    """An open tender whose documents the supplier's staff obtained, and the sentence that says which
    of its required qualifications will have lapsed by its deadline (what a bid would be refused with)."""

    tender: "Tender"
    reason: str


def tenders_at_risk(*, supplier: Supplier, at: dt.datetime) -> list[TenderAtRisk]:
    """Open tenders (published, deadline after `at`) whose documents someone of the supplier obtained
    and that would refuse its bid for a lapsed qualification: the warning ahead of time. Only the
    supplier's own holdings are read (who holds documents is never shown to anyone else, BL Art 22)."""
    from tenders.constants import TenderStatus
    from tenders.models import Tender

    staff = supplier_staff(supplier=supplier).values("user")
    tenders = (
        Tender.objects.filter(status=TenderStatus.PUBLISHED, bid_deadline__gt=at, holders__user__in=staff)
        .distinct()
        .order_by("bid_deadline")
    )
    rows = []
    for tender in tenders:
        lapsed = qualifications_lapsed(supplier=supplier, tender=tender, at=at)
        if lapsed:
            reason = " ".join(_qualification_lapsed_sentence(row, tender) for row in lapsed)
            rows.append(TenderAtRisk(tender, reason))
    return rows


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


def custodian_certificate_valid(*, user: User, at: dt.datetime) -> Certificate | None:
    """A key custodian's signing certificate valid at `at` (the newest), or None: what a custodian
    needs before registering an opening key or confirming."""
    return (
        Certificate.objects.filter(
            holder=user, purpose=CertificatePurpose.CUSTODIAN, not_before__lte=at, not_after__gt=at
        )
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .order_by("-not_before")
        .first()
    )


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


# --- custodians' replaced opening keys -------------------------------------------------------------


def opening_key_replaceable(tender: "Tender") -> bool:
    """Whether opening keys of the tender may still be registered or replaced: not once published
    (bidders seal to the notice's keys). The services judge it again under the tender's lock."""
    from bidding.services.keys import _KEY_STATES

    return tender.status in _KEY_STATES


def opening_keys_replaced(*, tender: "Tender", custodian: "Custodian") -> QuerySet[OpeningKeyReplacement]:
    """The custodian's earlier opening keys for the tender, replaced before publication, oldest first."""
    return OpeningKeyReplacement.objects.filter(
        tender=tender, index=custodian.index, custodian=custodian.user_id
    ).order_by("replaced_at", "pk")

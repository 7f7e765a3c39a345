"""Every write of the supplier registry and the platform CA: registration, profile, staff,
qualifications, verification decisions, debarment, enrolment challenges, certificate issue and
revocation, and a custodian's replacement of its opening key before publication. Public facts (verification decisions, debarments, certificates issued and revoked)
go into the ledger in the same transaction."""

import datetime as dt
import hashlib
import secrets
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganisationKind, Role
from accounts.models import Membership, Organisation, User
from accounts.selectors import user_has_role, user_is_platform_admin
from accounts.services import membership_grant
from bidding.sb1 import p256
from bidding.sb1.errors import SB1Error
from config import clock
from config.exceptions import NotAllowed, NotFound
from config.uploads import SCANS, upload_check
from ledger.encoding import EncodingError, b64u_decode, b64u_encode, format_time, jcs
from ledger.services import ledger_append
from suppliers import ca
from suppliers.constants import (
    CERTIFICATE_VALIDITY_DAYS,
    ENROLMENT_CHALLENGE_SECONDS,
    ENROLMENT_LABEL,
    VERIFICATION_TRANSITIONS,
    CertificatePurpose,
    QualificationKind,
    SizeClass,
    VerificationStatus,
)
from suppliers.credit_code import credit_code_validate
from suppliers.exceptions import (
    CertificateAlreadyRevoked,
    ChallengeInvalid,
    DebarmentInvalid,
    NotSupplierAdmin,
    OpeningKeyReplaceRefused,
    ProofOfPossessionFailed,
    PublicKeyInvalid,
    QualificationInvalid,
    SupplierAlreadyRegistered,
    SupplierNotEligible,
    VerificationTransitionRefused,
)
from suppliers.models import (
    Certificate,
    Debarment,
    EnrolmentChallenge,
    OpeningKeyReplacement,
    Qualification,
    Supplier,
)
from suppliers.selectors import (
    supplier_ineligibility_reason,
    user_is_supplier_admin,
    user_may_verify_suppliers,
)

PROFILE_FIELDS = (
    "legal_representative",
    "address",
    "size_class",
    "categories",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def _profile_clean(profile: dict[str, Any]) -> dict[str, Any]:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    if "size_class" in profile and profile["size_class"] not in SizeClass.values:
        raise QualificationInvalid(_("The size class must be large, medium, small or micro."))
    if "categories" in profile:
        profile["categories"] = [c.strip() for c in profile["categories"] if c and c.strip()]
    return profile


@transaction.atomic
def supplier_register(
    *,
    user: User,
    name: str,
    credit_code: str,
    legal_representative: str,
    address: str,
    size_class: str,
    categories: list[str],
    contact_name: str,
    contact_phone: str,
    contact_email: str,
) -> Supplier:
    """An enterprise registers itself.

    Before: the credit code is valid (GB 32100-2015) and no supplier holds it.
    After: an Organisation of kind supplier, a Supplier pending verification, the registering user its
    administrator, and a verification approval started."""
    credit_code = credit_code_validate(credit_code.strip().upper())
    if Organisation.objects.filter(credit_code=credit_code).exists():
        raise SupplierAlreadyRegistered()
    now = clock.now()
    organisation = Organisation.objects.create(
        name=name.strip(), kind=OrganisationKind.SUPPLIER, credit_code=credit_code
    )
    profile = _profile_clean(
        {
            "legal_representative": legal_representative,
            "address": address,
            "size_class": size_class,
            "categories": categories,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "contact_email": contact_email,
        }
    )
    supplier = Supplier.objects.create(
        organisation=organisation, registered_at=now, updated_at=now, **profile
    )
    membership_grant(user=user, organisation=organisation, role=Role.SUPPLIER_ADMIN)
    _verification_start(supplier=supplier, by=user)
    return supplier


@transaction.atomic
def supplier_profile_from_organisation(*, organisation: Organisation, by: User, **profile: Any) -> Supplier:
    """The supplier profile of an existing supplier organisation (made by an administrator or the demo).

    After: a Supplier pending verification for `organisation` (or the existing one, unchanged)."""
    credit_code_validate(organisation.credit_code)
    if organisation.kind != OrganisationKind.SUPPLIER:
        raise QualificationInvalid(_("Only an organisation of kind supplier can have a supplier profile."))
    existing = Supplier.objects.filter(organisation=organisation).first()
    if existing:
        return existing
    now = clock.now()
    supplier = Supplier.objects.create(
        organisation=organisation, registered_at=now, updated_at=now, **_profile_clean(profile)
    )
    _verification_start(supplier=supplier, by=by)
    return supplier


@transaction.atomic
def supplier_profile_update(
    *, supplier: Supplier, by: User, name: str | None = None, **profile: Any
) -> Supplier:
    """The administrator changes the profile. A changed name or legal representative needs a fresh
    verification (the supplier goes back to pending); contacts and categories do not."""
    supplier = (
        Supplier.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=supplier.pk)
    )
    if not (user_is_supplier_admin(user=by, supplier=supplier) or user_is_platform_admin(user=by)):
        raise NotSupplierAdmin()
    profile = _profile_clean(profile)
    needs_check = (
        (name is not None and name.strip() != supplier.organisation.name)
        or (
            "legal_representative" in profile
            and profile["legal_representative"] != supplier.legal_representative
        )
        or ("address" in profile and profile["address"] != supplier.address)
    )
    if name is not None and name.strip() != supplier.organisation.name:
        supplier.organisation.name = name.strip()
        supplier.organisation.save(update_fields=["name"])
    for key, value in profile.items():
        setattr(supplier, key, value)
    supplier.updated_at = clock.now()
    supplier.save(update_fields=[*profile.keys(), "updated_at"])
    if needs_check and supplier.verification_status != VerificationStatus.PENDING:
        _verification_move(supplier=supplier, to=VerificationStatus.PENDING, by=by, reason="")
        _verification_start(supplier=supplier, by=by)
    return supplier


# --- verification (the decision comes from the approvals engine, or from an officer directly) ---------


def _verification_guard(supplier: Supplier, to: str) -> None:
    if to not in VERIFICATION_TRANSITIONS[supplier.verification_status]:
        raise VerificationTransitionRefused(
            _("A supplier that is %(state)s cannot become %(to)s.")
            % {"state": supplier.get_verification_status_display(), "to": VerificationStatus(to).label}
        )


def _verification_move(*, supplier: Supplier, to: str, by: User | None, reason: str) -> None:
    _verification_guard(supplier, to)
    supplier.verification_status = to
    supplier.verification_reason = reason
    supplier.verification_decided_at = clock.now() if to != VerificationStatus.PENDING else None
    supplier.verification_decided_by = by if to != VerificationStatus.PENDING else None
    supplier.save(
        update_fields=[
            "verification_status",
            "verification_reason",
            "verification_decided_at",
            "verification_decided_by",
        ]
    )
    if supplier.verification_decided_at is not None:
        ledger_append(
            kind="suppliers/verification",
            payload={
                "type": "suppliers/verification",
                "supplier": supplier.credit_code,
                "name": supplier.name,
                "status": to,
                "decided_at": format_time(supplier.verification_decided_at),
            },
        )


def _verification_start(*, supplier: Supplier, by: User) -> None:
    """Hand the verification to the approvals engine when it knows suppliers (see suppliers/approvals.py)."""
    from suppliers.approvals import verification_flow_start

    verification_flow_start(supplier=supplier, submitted_by=by)


@transaction.atomic
def supplier_verify(*, supplier: Supplier, by: User | None, decided_by: User | None = None) -> Supplier:
    """Pending → verified. `by` is the officer deciding directly (checked); None when the approvals engine
    decided (`decided_by` is then whoever made the last decision there)."""
    supplier = (
        Supplier.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=supplier.pk)
    )
    if by is not None and not user_may_verify_suppliers(user=by):
        raise NotAllowed(_("Only a procurement officer or an administrator can verify suppliers."))
    _verification_move(supplier=supplier, to=VerificationStatus.VERIFIED, by=by or decided_by, reason="")
    return supplier


@transaction.atomic
def supplier_reject(
    *, supplier: Supplier, by: User | None, reason: str, decided_by: User | None = None
) -> Supplier:
    """Pending → rejected, with a reason the supplier sees (`by`/`decided_by` as for `supplier_verify`)."""
    supplier = (
        Supplier.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=supplier.pk)
    )
    if by is not None and not user_may_verify_suppliers(user=by):
        raise NotAllowed(_("Only a procurement officer or an administrator can verify suppliers."))
    if not reason.strip():
        raise VerificationTransitionRefused(_("Give the reason for the rejection."))
    _verification_move(
        supplier=supplier, to=VerificationStatus.REJECTED, by=by or decided_by, reason=reason.strip()
    )
    return supplier


@transaction.atomic
def supplier_resubmit(*, supplier: Supplier, by: User) -> Supplier:
    """Rejected → pending: the administrator corrected the registration and asks again."""
    supplier = (
        Supplier.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=supplier.pk)
    )
    if not user_is_supplier_admin(user=by, supplier=supplier):
        raise NotSupplierAdmin()
    _verification_move(supplier=supplier, to=VerificationStatus.PENDING, by=by, reason="")
    _verification_start(supplier=supplier, by=by)
    return supplier


# --- staff ---------------------------------------------------------------------------------------


@transaction.atomic
def supplier_staff_add(*, supplier: Supplier, by: User, username: str, role: str) -> Membership:
    """The supplier's administrator adds an existing account as staff or as another administrator."""
    if not user_is_supplier_admin(user=by, supplier=supplier):
        raise NotSupplierAdmin()
    if role not in (Role.SUPPLIER_ADMIN, Role.SUPPLIER_STAFF):
        raise NotAllowed(_("A supplier's staff are administrators or staff members."))
    person = User.objects.filter(username=username.strip(), is_active=True).first()
    if person is None:
        raise NotFound(
            _("There is no active account with the username %(username)s.") % {"username": username}
        )
    return membership_grant(user=person, organisation=supplier.organisation, role=role)


@transaction.atomic
def supplier_staff_remove(*, supplier: Supplier, by: User, membership_id: int) -> None:
    """Remove a staff role; a person left with no role at the supplier loses its bidder certificates."""
    if not user_is_supplier_admin(user=by, supplier=supplier):
        raise NotSupplierAdmin()
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, organisation=supplier.organisation_id, is_active=True)
        .first()
    )
    if membership is None:
        raise NotFound(_("No such staff member."))
    if membership.user_id == by.pk and membership.role == Role.SUPPLIER_ADMIN:
        raise NotAllowed(_("You cannot remove your own administrator role."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    still_member = Membership.objects.filter(
        organisation=supplier.organisation_id, user=membership.user_id, is_active=True
    ).exists()
    if not still_member:
        for certificate in Certificate.objects.filter(
            supplier=supplier, holder=membership.user_id, revoked_at__isnull=True
        ):
            _certificate_revoke(certificate=certificate, by=by, reason="staff member removed")


# --- qualifications -------------------------------------------------------------------------------


@transaction.atomic
def qualification_add(
    *,
    supplier: Supplier,
    by: User,
    kind: str,
    title: str,
    file: File,
    expires_on: dt.date | None,
    number: str = "",
    category: str = "",
) -> Qualification:
    """Store a qualification document with its SHA-256. A category licence names its category."""
    if not (user_is_supplier_admin(user=by, supplier=supplier) or user_is_platform_admin(user=by)):
        raise NotSupplierAdmin()
    if kind not in QualificationKind.values:
        raise QualificationInvalid(_("Unknown kind of qualification."))
    if kind == QualificationKind.CATEGORY_LICENCE and not category.strip():
        raise QualificationInvalid(_("A category licence must name its category."))
    upload_check(file, policy=SCANS)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    qualification = Qualification(
        supplier=supplier,
        kind=kind,
        title=title.strip(),
        number=number.strip(),
        category=category.strip(),
        sha256=digest.hexdigest(),
        expires_on=expires_on,
        uploaded_by=by,
        uploaded_at=clock.now(),
    )
    qualification.file.save(file.name or "document", file, save=False)
    qualification.save()
    return qualification


@transaction.atomic
def qualification_remove(*, qualification: Qualification, by: User) -> None:
    if not user_is_supplier_admin(user=by, supplier=qualification.supplier):
        raise NotSupplierAdmin()
    stored = qualification.file.name
    storage = qualification.file.storage
    qualification.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def qualification_reminder_mark(*, qualification_id: int, expires_on: dt.date) -> bool:
    """Record that the reminder for this expiry date went out; False when it already had (idempotence)."""
    return bool(
        Qualification.objects.filter(pk=qualification_id, expires_on=expires_on)
        .exclude(reminded_for=expires_on)
        .update(reminded_for=expires_on)
    )


# --- debarment ------------------------------------------------------------------------------------


@transaction.atomic
def supplier_debar(
    *,
    supplier: Supplier,
    by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    legal_basis: str,
) -> Debarment:
    """An administrator debars a supplier for a period (published; bidding checks it).

    After: a Debarment, in the ledger. Certificates stay valid but the supplier is not eligible, so
    nothing signed with them is accepted while it lasts."""
    if not user_is_platform_admin(user=by):
        raise NotAllowed(_("Only a platform administrator can debar a supplier."))
    if ends_at <= starts_at:
        raise DebarmentInvalid(_("The debarment must end after it starts."))
    if not reason.strip() or not legal_basis.strip():
        raise DebarmentInvalid(_("Give both the reason and the legal basis of the debarment."))
    supplier = Supplier.objects.select_related("organisation").get(pk=supplier.pk)
    debarment = Debarment.objects.create(
        supplier=supplier,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        decided_by=by,
        decided_at=clock.now(),
    )
    ledger_append(
        kind="suppliers/debarment",
        payload={
            "type": "suppliers/debarment",
            "supplier": supplier.credit_code,
            "name": supplier.name,
            "from": format_time(starts_at),
            "until": format_time(ends_at),
            "reason": debarment.reason,
            "legal_basis": debarment.legal_basis,
        },
    )
    return debarment


# --- enrolment and certificates ------------------------------------------------------------------


def _enrolment_subject(*, user: User, purpose: str) -> Supplier | None:
    """The supplier a bidder certificate will name (None for a custodian), after checking the person may
    enrol for that purpose now."""
    from suppliers.selectors import supplier_of

    if purpose == CertificatePurpose.CUSTODIAN:
        if not user_has_role(user=user, role=Role.KEY_CUSTODIAN):
            raise NotAllowed(_("Only a key custodian can enrol a custodian signing key."))
        return None
    if purpose != CertificatePurpose.BIDDER:
        raise ChallengeInvalid(_("The purpose must be bidder or custodian."))
    supplier = supplier_of(user=user)
    if supplier is None:
        raise NotAllowed(_("Only a supplier's staff can enrol a bidder signing key."))
    reason = supplier_ineligibility_reason(supplier, clock.now())
    if reason:
        raise SupplierNotEligible(reason)
    return supplier


def challenge_object(challenge: EnrolmentChallenge) -> dict[str, Any]:
    """What the server hands out and the new key signs (inside the enrolment request)."""
    return {
        "type": "YZ/enroll-challenge",
        "nonce": challenge.nonce,
        "username": challenge.user.username,
        "purpose": challenge.purpose,
        "supplier": challenge.supplier.credit_code if challenge.supplier else None,
        "expires": format_time(challenge.expires_at),
    }


def enrolment_message(*, challenge: dict[str, Any], key: str) -> bytes:
    """What an enrolling key signs, with label "YZ/enroll": JCS({"challenge": c, "key": b64u(point)})."""
    return jcs({"challenge": challenge, "key": key})


@transaction.atomic
def enrolment_challenge_issue(*, user: User, purpose: str) -> EnrolmentChallenge:
    """A fresh single-use challenge for `user` to sign with the key it wants certified."""
    supplier = _enrolment_subject(user=user, purpose=purpose)
    now = clock.now()
    return EnrolmentChallenge.objects.create(
        nonce=b64u_encode(secrets.token_bytes(32)),
        user=user,
        purpose=purpose,
        supplier=supplier,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=ENROLMENT_CHALLENGE_SECONDS),
    )


def certificate_enrol(*, user: User, challenge: dict[str, Any], key: str, signature: str) -> Certificate:
    """Issue a signing certificate after a proof of possession.

    Before: `challenge` is exactly a challenge issued to `user`, unused and unexpired; the supplier
    (for a bidder) is still verified and not debarred; `key` is a P-256 point no certificate uses; and
    `signature` (P1363, b64u) by that key verifies over `enrolment_message(challenge, key)` with label
    "YZ/enroll". After: the challenge is used up (even when the proof then fails, so each challenge
    allows one attempt); a certificate from the issuing CA is stored and in the ledger.

    Two transactions on purpose: the first commits the challenge's use before the proof is checked."""
    nonce = challenge.get("nonce") if isinstance(challenge, dict) else None
    with transaction.atomic():
        stored = (
            EnrolmentChallenge.objects.select_for_update(of=("self",))
            .select_related("user", "supplier__organisation")
            .filter(nonce=nonce if isinstance(nonce, str) else "", user=user)
            .first()
        )
        now = clock.now()
        if stored is None or challenge_object(stored) != challenge:
            raise ChallengeInvalid(_("This challenge was not issued to you."))
        if stored.used_at is not None:
            raise ChallengeInvalid(_("This challenge has already been used; ask for a new one."))
        if stored.expires_at <= now:
            raise ChallengeInvalid(_("This challenge has expired; ask for a new one."))
        stored.used_at = now
        stored.save(update_fields=["used_at"])
    try:
        public_key = p256.public_key_from_bytes(b64u_decode(key))
    except (EncodingError, SB1Error):
        raise PublicKeyInvalid() from None
    try:
        p256.ecdsa_verify(
            public_key,
            ENROLMENT_LABEL,
            enrolment_message(challenge=challenge, key=key),
            b64u_decode(signature),
        )
    except (EncodingError, SB1Error):
        raise ProofOfPossessionFailed() from None
    with transaction.atomic():
        return _certificate_issue(user=user, stored=stored, key=key, public_key=public_key, now=now)


def _certificate_issue(
    *, user: User, stored: EnrolmentChallenge, key: str, public_key: Any, now: dt.datetime
) -> Certificate:
    supplier = _enrolment_subject(user=user, purpose=stored.purpose)
    if (supplier.pk if supplier else None) != stored.supplier_id:
        raise ChallengeInvalid(
            _("Your enterprise changed since the challenge was issued; ask for a new one.")
        )
    if Certificate.objects.filter(public_key=key).exists():
        raise ChallengeInvalid(_("This key already has a certificate; make a new key for a new certificate."))
    x509_certificate = ca.person_certificate_issue(
        public_key=public_key,
        common_name=user.full_name or user.username,
        user_id=user.username,
        organisation_name=supplier.name if supplier else None,
        credit_code=supplier.credit_code if supplier else None,
        unit=stored.purpose,
        not_before=now,
        days=CERTIFICATE_VALIDITY_DAYS,
    )
    der = x509_certificate.public_bytes(serialization.Encoding.DER)
    certificate = Certificate.objects.create(
        fingerprint=b64u_encode(hashlib.sha256(der).digest()),
        serial_number=format(x509_certificate.serial_number, "x"),
        der=der,
        purpose=stored.purpose,
        holder=user,
        supplier=supplier,
        public_key=key,
        subject=x509_certificate.subject.rfc4514_string(),
        not_before=x509_certificate.not_valid_before_utc,
        not_after=x509_certificate.not_valid_after_utc,
    )
    ledger_append(
        kind="suppliers/certificate",
        payload={
            "type": "suppliers/certificate",
            "signer": certificate.fingerprint,
            "purpose": certificate.purpose,
            "supplier": supplier.credit_code if supplier else None,
            "serial": certificate.serial_number,
            "not_before": format_time(certificate.not_before),
            "not_after": format_time(certificate.not_after),
        },
    )
    return certificate


def _certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    certificate.revoked_at = clock.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    ledger_append(
        kind="suppliers/revocation",
        payload={
            "type": "suppliers/revocation",
            "signer": certificate.fingerprint,
            "serial": certificate.serial_number,
            "revoked_at": format_time(certificate.revoked_at),
        },
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Revoke: by its holder, its supplier's administrator or a platform administrator.

    After: revoked from now (every later status check fails), on the CRL and in the ledger."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=certificate.pk)
    )
    allowed = (
        certificate.holder_id == by.pk
        or user_is_platform_admin(user=by)
        or (
            certificate.supplier is not None
            and user_is_supplier_admin(user=by, supplier=certificate.supplier)
        )
    )
    if not allowed:
        raise NotAllowed(
            _("Only the holder, the enterprise's administrator or an administrator can revoke it.")
        )
    if certificate.revoked_at is not None:
        raise CertificateAlreadyRevoked()
    return _certificate_revoke(certificate=certificate, by=by, reason=reason.strip())


# --- custodians' opening keys: replacement before publication ------------------------------------


@transaction.atomic
def opening_key_replace(
    *, user: User, reference: str, envelope: dict[str, Any], reason: str = ""
) -> OpeningKeyReplacement:
    """Custodian j replaces its registered opening key for the tender (it lost the key file or the
    passphrase, or fears a copy): registration itself is `bidding.services.keys.opening_key_register`.

    Before: the tender (locked, so publication waits for this) is a draft or in approval: once it is
    published, bidders seal to the keys of its notice and a replacement is refused (a lost key then
    costs nothing while k custodians remain, SEALED_BIDS.md property 2). `user` is its custodian j
    and has registered a key; `envelope` is a registration checked exactly as at registration (this
    tender and j, proof of possession, signed by the user's valid custodian certificate — a new one
    if the signing key was lost too); its key is used by no registration of any tender, current or
    replaced.
    After: the old registration is kept as an `OpeningKeyReplacement` (never deleted) and in the
    ledger with the new key id, in this transaction; the custodian's `OpeningKey` carries the new
    registration (ledgered with the others at publication). Every custodian's confirmation signed
    the set of key ids, which no longer holds: each stays on record but none counts, so publication
    waits until all n confirm the new set (`bidding.selectors.keys.confirmation_current`). The old
    key can never come back, so no old confirmation can count again."""
    from bidding.models import OpeningKey
    from bidding.services.keys import (
        _KEY_STATES,
        _custodianship,
        opening_key_registration_verified,
        opening_key_used,
    )

    tender, custodian = _custodianship(user=user, reference=reference)
    if tender.status not in _KEY_STATES:
        raise OpeningKeyReplaceRefused(
            _(
                "The tender is published: bidders seal their bids to the opening keys in its notice, so "
                "your key can no longer be replaced. If it is lost, the bids still open with the other "
                "custodians' keys as long as the threshold is met."
            ),
            code="opening_key_published",
        )
    current = (
        OpeningKey.objects.select_for_update()
        .filter(tender=tender, index=custodian.index, custodian=user)
        .first()
    )
    if current is None:
        raise OpeningKeyReplaceRefused(
            _("You have not registered an opening key for this tender yet; register one instead."),
            code="opening_key_missing",
        )
    r = opening_key_registration_verified(user=user, tender=tender, index=custodian.index, envelope=envelope)
    if opening_key_used(key_id=r["key_id"]):
        raise OpeningKeyReplaceRefused(
            _("This opening key is already registered (a key is never used for two tenders)."),
            code="opening_key_reused",
        )
    now = clock.now()
    replaced = OpeningKeyReplacement.objects.create(
        tender=tender,
        custodian=user,
        index=current.index,
        key=current.key,
        key_id=current.key_id,
        signer=current.signer,
        envelope=current.envelope,
        registered_at=current.registered_at,
        replaced_by_key_id=r["key_id"],
        replaced_at=now,
        reason=reason.strip()[:300],
    )
    current.key, current.key_id, current.signer = r["key"], r["key_id"], r["signer"]
    current.envelope, current.registered_at = envelope, now
    current.save(update_fields=["key", "key_id", "signer", "envelope", "registered_at"])
    # The old registration never reaches the ledger at publication (only current keys do), so it goes
    # in now, signed as the custodian sent it. The reason stays off the public ledger.
    ledger_append(
        kind="suppliers/opening-key-replacement",
        payload={
            "type": "suppliers/opening-key-replacement",
            "tender": tender.reference,
            "index": replaced.index,
            "replaced": replaced.envelope,
            "key_id": r["key_id"],
            "replaced_at": format_time(now),
        },
    )
    return replaced

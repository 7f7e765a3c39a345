"""Suppliers, staff and keys for tests."""

import datetime as dt

import factory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from accounts.constants import AccountKind, OrganisationKind, Role
from accounts.models import Organisation, User
from accounts.services import membership_grant
from bidding.sb1 import p256
from config import clock
from ledger.encoding import b64u_encode
from suppliers import services
from suppliers.constants import SizeClass
from suppliers.credit_code import ALPHABET, check_character
from suppliers.models import Supplier


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    account_kind = AccountKind.ENTERPRISE
    password = factory.django.Password("a-long-test-password")


_serial = iter(range(10_000, 100_000))


def credit_code_make() -> str:
    """A fresh valid code (check character computed)."""
    body = "913100007" + "".join(ALPHABET[int(d) % 31] for d in f"{next(_serial):08d}")
    return body + check_character(body)


def supplier_make(*, admin: User | None = None, verified: bool = True, name: str | None = None) -> Supplier:
    admin = admin or UserFactory()
    supplier = services.supplier_register(
        user=admin,
        name=name or f"测试企业{admin.username}",
        credit_code=credit_code_make(),
        legal_representative="法人",
        address="上海市",
        size_class=SizeClass.SMALL,
        categories=["办公设备"],
        contact_name="联系人",
        contact_phone="13800000000",
        contact_email="c@example.com",
    )
    if verified:
        officer = officer_make()
        from suppliers.approvals import supplier_verification_decide

        supplier_verification_decide(supplier=supplier, by=officer, approve=True)
        supplier.refresh_from_db()
    return supplier


def officer_make() -> User:
    agency, _ = Organisation.objects.get_or_create(name="测试采购中心", kind=OrganisationKind.AGENCY)
    officer = UserFactory(username="test-officer", account_kind=AccountKind.STAFF)
    membership_grant(user=officer, organisation=agency, role=Role.PROCUREMENT_OFFICER)
    return officer


def platform_admin_make() -> User:
    platform, _ = Organisation.objects.get_or_create(name="测试平台", kind=OrganisationKind.PLATFORM)
    admin = UserFactory(username="test-platform-admin", account_kind=AccountKind.STAFF)
    membership_grant(user=admin, organisation=platform, role=Role.PLATFORM_ADMIN)
    return admin


def custodian_make(username: str = "test-custodian") -> User:
    regulator, _ = Organisation.objects.get_or_create(name="测试财政局", kind=OrganisationKind.REGULATOR)
    person = UserFactory(username=username, account_kind=AccountKind.STAFF)
    membership_grant(user=person, organisation=regulator, role=Role.KEY_CUSTODIAN)
    return person


def enrol(user: User, purpose: str = "bidder") -> tuple[ec.EllipticCurvePrivateKey, object]:
    """Make a key, ask for a challenge, prove possession: the certificate (and the key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = b64u_encode(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    challenge = services.challenge_object(services.enrolment_challenge_issue(user=user, purpose=purpose))
    signature = p256.ecdsa_sign(key, "YZ/enroll", services.enrolment_message(challenge=challenge, key=point))
    certificate = services.certificate_enrol(
        user=user, challenge=challenge, key=point, signature=b64u_encode(signature)
    )
    return key, certificate


def later(days: int) -> dt.datetime:
    return clock.now() + dt.timedelta(days=days)


def custodian_certificate(user: User) -> tuple[ec.EllipticCurvePrivateKey, object]:
    """The custodian's signing key and a valid custodian certificate (enrolled now)."""
    return enrol(user, purpose="custodian")


def opening_keys_ready(tender) -> dict[int, ec.EllipticCurvePrivateKey]:
    """Every custodian of `tender` enrols a signing key, registers a fresh opening key and confirms the
    tender as it stands (what publication needs). Returns the opening keys by custodian index."""
    from bidding.sb1.custodian import confirmation_build, opening_key_registration_build
    from bidding.selectors.keys import confirmation_expected
    from bidding.services.keys import custodian_confirm, opening_key_register
    from ledger.encoding import format_time

    custodians = list(tender.custodians.select_related("user").order_by("index"))
    signing = {c.index: custodian_certificate(c.user) for c in custodians}
    opening = {}
    for c in custodians:
        key, certificate = signing[c.index]
        opening[c.index] = ec.generate_private_key(ec.SECP256R1())
        envelope = opening_key_registration_build(
            tender=tender.reference,
            index=c.index,
            opening_key=opening[c.index],
            signing_key=key,
            signer=certificate.fingerprint,
            created=format_time(clock.now()),
        )
        opening_key_register(user=c.user, reference=tender.reference, envelope=envelope)
    for c in custodians:
        key, certificate = signing[c.index]
        expected = confirmation_expected(tender, signer=certificate.fingerprint)
        envelope = confirmation_build(
            tender=tender.reference,
            custodians=[(i["index"], i["key_id"]) for i in expected["custodians"]],
            threshold=expected["threshold"],
            deadline=expected["deadline"],
            share_window_s=expected["share_window_s"],
            signer=certificate.fingerprint,
            signing_key=key,
        )
        custodian_confirm(user=c.user, reference=tender.reference, envelope=envelope)
    return opening

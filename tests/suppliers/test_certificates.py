"""Enrolment: proof of possession, who may enrol, the certificate and its chain, status and revocation."""

import datetime as dt

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bidding.sb1 import p256
from config import clock
from config.exceptions import NotAllowed
from ledger.encoding import b64u_encode
from ledger.models import LedgerEntry
from suppliers import ca, services
from suppliers.constants import CertificateState
from suppliers.exceptions import ChallengeInvalid, ProofOfPossessionFailed, SupplierNotEligible
from suppliers.selectors import certificate_status
from tests.suppliers.factories import (
    UserFactory,
    custodian_make,
    enrol,
    later,
    platform_admin_make,
    supplier_make,
)

pytestmark = pytest.mark.django_db


def _point(key: ec.EllipticCurvePrivateKey) -> str:
    return b64u_encode(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def test_issued_certificate_verifies_against_the_chain_and_names_the_supplier():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    key, certificate = enrol(admin)
    issued = x509.load_der_x509_certificate(bytes(certificate.der))
    chain = x509.load_pem_x509_certificates(ca.chain_pem())
    issuing, root = chain
    issued.verify_directly_issued_by(issuing)
    issuing.verify_directly_issued_by(root)
    root.verify_directly_issued_by(root)
    identifier = issued.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value
    assert identifier == "NTRCN-" + supplier.credit_code
    assert issued.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == admin.username
    assert issued.public_key().public_numbers() == key.public_key().public_numbers()
    # The SB1 signer id is b64u(SHA-256(DER)), the same value the sb1 module computes.
    from bidding.sb1.wire import signer_id

    assert certificate.fingerprint == signer_id(bytes(certificate.der))
    assert LedgerEntry.objects.filter(
        kind="suppliers/certificate", document__payload__signer=certificate.fingerprint
    ).exists()


def test_wrong_signature_is_refused_and_uses_up_the_challenge():
    admin = UserFactory()
    supplier_make(admin=admin)
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    challenge = services.challenge_object(services.enrolment_challenge_issue(user=admin, purpose="bidder"))
    point = _point(key)
    forged = p256.ecdsa_sign(other, "YZ/enroll", services.enrolment_message(challenge=challenge, key=point))
    with pytest.raises(ProofOfPossessionFailed):
        services.certificate_enrol(user=admin, challenge=challenge, key=point, signature=b64u_encode(forged))
    good = p256.ecdsa_sign(key, "YZ/enroll", services.enrolment_message(challenge=challenge, key=point))
    with pytest.raises(ChallengeInvalid, match="already been used"):
        services.certificate_enrol(user=admin, challenge=challenge, key=point, signature=b64u_encode(good))


def test_signature_over_another_label_is_refused():
    admin = UserFactory()
    supplier_make(admin=admin)
    key = ec.generate_private_key(ec.SECP256R1())
    challenge = services.challenge_object(services.enrolment_challenge_issue(user=admin, purpose="bidder"))
    point = _point(key)
    wrong_label = p256.ecdsa_sign(
        key, "SB1/manifest", services.enrolment_message(challenge=challenge, key=point)
    )
    with pytest.raises(ProofOfPossessionFailed):
        services.certificate_enrol(
            user=admin, challenge=challenge, key=point, signature=b64u_encode(wrong_label)
        )


def test_challenge_expires_and_belongs_to_one_person():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    colleague = UserFactory()
    services.supplier_staff_add(
        supplier=supplier, by=admin, username=colleague.username, role="supplier_staff"
    )
    key = ec.generate_private_key(ec.SECP256R1())
    challenge = services.challenge_object(services.enrolment_challenge_issue(user=admin, purpose="bidder"))
    point = _point(key)
    signature = b64u_encode(
        p256.ecdsa_sign(key, "YZ/enroll", services.enrolment_message(challenge=challenge, key=point))
    )
    with pytest.raises(ChallengeInvalid, match="not issued to you"):
        services.certificate_enrol(user=colleague, challenge=challenge, key=point, signature=signature)
    with (
        time_machine.travel(later(1) - dt.timedelta(hours=23), tick=False),
        pytest.raises(ChallengeInvalid, match="expired"),
    ):
        services.certificate_enrol(user=admin, challenge=challenge, key=point, signature=signature)


def test_unverified_supplier_cannot_enrol():
    admin = UserFactory()
    supplier_make(admin=admin, verified=False)
    with pytest.raises(SupplierNotEligible, match="not been verified"):
        enrol(admin)


def test_debarred_supplier_cannot_enrol_even_with_a_challenge_issued_before():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    key = ec.generate_private_key(ec.SECP256R1())
    challenge = services.challenge_object(services.enrolment_challenge_issue(user=admin, purpose="bidder"))
    services.supplier_debar(
        supplier=supplier,
        by=platform_admin_make(),
        starts_at=clock.now(),
        ends_at=later(365),
        reason="串通投标",
        legal_basis="《政府采购法》第七十七条",
    )
    point = _point(key)
    signature = b64u_encode(
        p256.ecdsa_sign(key, "YZ/enroll", services.enrolment_message(challenge=challenge, key=point))
    )
    with pytest.raises(SupplierNotEligible, match="debarred"):
        services.certificate_enrol(user=admin, challenge=challenge, key=point, signature=signature)
    with pytest.raises(SupplierNotEligible, match="debarred"):
        services.enrolment_challenge_issue(user=admin, purpose="bidder")


def test_debarment_ends_and_eligibility_returns():
    from suppliers.selectors import supplier_is_eligible

    supplier = supplier_make()
    services.supplier_debar(
        supplier=supplier,
        by=platform_admin_make(),
        starts_at=later(10),
        ends_at=later(40),
        reason="虚假材料",
        legal_basis="《政府采购法》第七十七条第一款",
    )
    assert supplier_is_eligible(supplier, clock.now())
    assert not supplier_is_eligible(supplier, later(20))
    assert supplier_is_eligible(supplier, later(41))


def test_revoked_certificate_fails_status_checks_and_is_on_the_crl():
    admin = UserFactory()
    supplier_make(admin=admin)
    _key, certificate = enrol(admin)
    before = clock.now()
    assert certificate_status(certificate.fingerprint, before).state == CertificateState.VALID
    services.certificate_revoke(certificate=certificate, by=admin, reason="key lost")
    assert certificate_status(certificate.fingerprint, clock.now()).state == CertificateState.REVOKED
    assert not certificate_status(certificate.fingerprint, later(1)).is_valid
    # What was signed before the revocation is judged at its own time.
    assert certificate_status(certificate.fingerprint, before).state == CertificateState.VALID
    assert certificate_status(certificate.fingerprint, later(800)).state in (CertificateState.REVOKED,)
    assert certificate_status("unknown", before).state == CertificateState.UNKNOWN

    from suppliers.selectors import certificate_revocation_list

    crl = x509.load_der_x509_crl(certificate_revocation_list())
    issuing = x509.load_pem_x509_certificates(ca.chain_pem())[0]
    assert crl.is_signature_valid(issuing.public_key())
    assert crl.get_revoked_certificate_by_serial_number(int(certificate.serial_number, 16)) is not None


def test_certificate_expires():
    admin = UserFactory()
    supplier_make(admin=admin)
    _key, certificate = enrol(admin)
    assert certificate_status(certificate.fingerprint, later(729)).is_valid
    assert certificate_status(certificate.fingerprint, later(731)).state == CertificateState.EXPIRED


def test_only_holder_supplier_admin_or_administrator_revokes():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    staff = UserFactory()
    services.supplier_staff_add(supplier=supplier, by=admin, username=staff.username, role="supplier_staff")
    _key, certificate = enrol(staff)
    stranger = UserFactory()
    with pytest.raises(NotAllowed):
        services.certificate_revoke(certificate=certificate, by=stranger, reason="")
    services.certificate_revoke(certificate=certificate, by=admin, reason="left the company")
    assert not certificate_status(certificate.fingerprint, clock.now()).is_valid


def test_removing_a_staff_member_revokes_their_certificates():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    staff = UserFactory()
    membership = services.supplier_staff_add(
        supplier=supplier, by=admin, username=staff.username, role="supplier_staff"
    )
    _key, certificate = enrol(staff)
    services.supplier_staff_remove(supplier=supplier, by=admin, membership_id=membership.pk)
    assert certificate_status(certificate.fingerprint, clock.now()).state == CertificateState.REVOKED


def test_custodian_enrols_without_supplier_and_others_cannot():
    custodian = custodian_make()
    _key, certificate = enrol(custodian, purpose="custodian")
    issued = x509.load_der_x509_certificate(bytes(certificate.der))
    assert issued.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER) == []
    assert issued.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == "custodian"
    with pytest.raises(NotAllowed):
        enrol(UserFactory(), purpose="custodian")

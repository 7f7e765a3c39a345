"""Custodians' opening keys: registration with proof of possession, a key never serves two tenders,
confirmation of the tender as it stands, and what publication needs and ledgers."""

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from bidding.client import crypto as client_crypto
from bidding.models import OpeningKey
from bidding.sb1.custodian import (
    custodian_key_file_decrypt,
    custodian_key_file_encrypt,
    opening_key_registration_build,
    opening_key_registration_check,
)
from bidding.selectors.keys import publication_key_violations
from bidding.services.keys import OpeningKeyRefused, ledger_keys_before_notice, opening_key_register
from config import clock
from config.exceptions import Conflict, NotFound
from ledger.encoding import b64u_decode, format_time
from ledger.models import LedgerEntry
from tests.suppliers.factories import custodian_certificate, opening_keys_ready
from tests.tenders.factories import make_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(demo):
    now = clock.now()
    return make_tender(demo, issue=now + dt.timedelta(days=1), deadline=now + dt.timedelta(days=40))


def _register(tender, custodian, signing, opening=None):
    key, certificate = signing
    opening = opening or ec.generate_private_key(ec.SECP256R1())
    envelope = opening_key_registration_build(
        tender=tender.reference,
        index=custodian.index,
        opening_key=opening,
        signing_key=key,
        signer=certificate.fingerprint,
        created=format_time(clock.now()),
    )
    return opening_key_register(user=custodian.user, reference=tender.reference, envelope=envelope), opening


def test_registration_is_stored_and_a_key_of_another_tender_is_refused(demo, tender):
    now = clock.now()
    other = make_tender(
        demo, issue=now + dt.timedelta(days=1), deadline=now + dt.timedelta(days=41), title="另一个项目"
    )
    first = tender.custodians.get(index=1)
    signing = custodian_certificate(first.user)
    stored, opening = _register(tender, first, signing)
    assert stored.index == 1 and stored.envelope["registration"]["tender"] == tender.reference
    with pytest.raises(Conflict) as refused:
        _register(other, other.custodians.get(user=first.user), signing, opening=opening)
    assert refused.value.code == "opening_key_reused"
    with pytest.raises(Conflict):  # and no second key for the same tender either
        _register(tender, first, signing)
    assert OpeningKey.objects.filter(tender__in=[tender, other]).count() == 1


def test_bad_proof_of_possession_or_foreign_signer_is_refused(demo, tender):
    first, second = tender.custodians.get(index=1), tender.custodians.get(index=2)
    signing = custodian_certificate(first.user)
    key, certificate = signing
    opening = ec.generate_private_key(ec.SECP256R1())
    envelope = opening_key_registration_build(
        tender=tender.reference,
        index=1,
        opening_key=opening,
        signing_key=key,
        signer=certificate.fingerprint,
        created=format_time(clock.now()),
    )
    envelope["pop"] = envelope["signature"]  # signed by the signing key, not the opening key
    with pytest.raises(OpeningKeyRefused):
        opening_key_register(user=first.user, reference=tender.reference, envelope=envelope)
    with pytest.raises(Exception) as foreign:  # custodian 2 cannot use custodian 1's certificate
        _register(tender, second, signing)
    assert foreign.value.code in ("not_allowed", "registration_mismatch")
    with pytest.raises(NotFound):
        opening_key_register(user=demo.users["supplier1"], reference=tender.reference, envelope=envelope)


def test_publication_needs_every_key_and_a_current_confirmation_then_ledgers_them_in_order(demo, tender):
    violations = publication_key_violations(tender)
    assert [v.rule for v in violations] == ["custodian_key_missing"] * 3
    opening_keys_ready(tender)
    assert publication_key_violations(tender) == []

    # A moved deadline makes every confirmation stale.
    tender.bid_deadline += dt.timedelta(days=1)
    tender.save(update_fields=["bid_deadline"])
    assert [v.rule for v in publication_key_violations(tender)] == ["custodian_confirmation_missing"] * 3
    tender.bid_deadline -= dt.timedelta(days=1)
    tender.save(update_fields=["bid_deadline"])

    before = LedgerEntry.objects.count()
    ledger_keys_before_notice(tender)
    kinds = list(
        LedgerEntry.objects.filter(index__gte=before).order_by("index").values_list("kind", flat=True)
    )
    assert kinds == ["SB1/opening-key"] * 3 + ["SB1/custodian-confirmation"] * 3 + ["SB1/notice"]
    notice = LedgerEntry.objects.filter(index__gte=before).get(kind="SB1/notice").document["payload"]
    assert [c["index"] for c in notice["custodians"]] == [1, 2, 3]
    assert notice["threshold"] == tender.threshold_k


def test_client_and_server_key_files_and_registrations_agree():
    """Files the CLI writes and the server's SB1 code read each other (both directions)."""
    opening = ec.generate_private_key(ec.SECP256R1())
    by_client = client_crypto.key_file_write(
        opening, kind=client_crypto.CUSTODIAN_KEY_TYPE, passphrase="correct horse ünïcode", tender="T-1"
    )
    back = custodian_key_file_decrypt(by_client, tender="T-1", passphrase="correct horse ünïcode")
    assert back.private_numbers() == opening.private_numbers()
    by_server = custodian_key_file_encrypt(tender="T-1", private_key=opening, passphrase="pässphrase 12345")
    back = client_crypto.key_file_read(
        by_server, kind=client_crypto.CUSTODIAN_KEY_TYPE, passphrase="pässphrase 12345", tender="T-1"
    )
    assert back.private_numbers() == opening.private_numbers()
    with pytest.raises(client_crypto.KeyFileError):
        client_crypto.key_file_read(
            by_server, kind=client_crypto.CUSTODIAN_KEY_TYPE, passphrase="pässphrase 12345", tender="T-2"
        )
    with pytest.raises(client_crypto.KeyFileError):
        client_crypto.key_file_read(
            by_server, kind=client_crypto.CUSTODIAN_KEY_TYPE, passphrase="wrong", tender="T-1"
        )

    signing = ec.generate_private_key(ec.SECP256R1())
    envelope = client_crypto.opening_key_registration(
        tender="T-1",
        index=2,
        opening_key=opening,
        signing_key=signing,
        signer="A" * 43,
        created=format_time(clock.now()),
    )
    checked = opening_key_registration_check(
        envelope, signing_public_key=client_crypto.point_of(signing), tender="T-1", index=2
    )
    assert b64u_decode(checked["key"]) == client_crypto.point_of(opening)

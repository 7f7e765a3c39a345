"""The platform key and the shared encodings: what a verifier outside the platform relies on."""

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured

from ledger import signing
from ledger.encoding import EncodingError, b64u_decode, b64u_encode, format_time, jcs, parse_time


@pytest.fixture
def key_dir(settings, tmp_path):
    settings.PLATFORM_KEY_DIR = tmp_path / "keys"
    settings.PLATFORM_KEY_PASSPHRASE = ""
    signing._cache.clear()
    yield settings.PLATFORM_KEY_DIR
    signing._cache.clear()


def test_b64u_round_trips_and_refuses_every_other_spelling():
    for data in [b"", b"\x00", b"\xff\xfe", bytes(range(256))]:
        assert b64u_decode(b64u_encode(data)) == data
    assert b64u_encode(b"\xfb\xff") == "-_8"
    for bad in ["AA==", "AA=", "A", "AB", "a+b/", "QQ ", 5]:
        with pytest.raises(EncodingError):
            b64u_decode(bad)


def test_time_format_is_utc_with_milliseconds():
    shanghai = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 26, 14, 5, 47, 123999, tzinfo=shanghai)
    assert format_time(moment) == "2026-11-26T06:05:47.123Z"
    assert parse_time("2026-11-26T06:05:47.123Z") == datetime(2026, 11, 26, 6, 5, 47, 123000, tzinfo=UTC)
    for bad in ["2026-11-26T06:05:47Z", "2026-11-26T06:05:47.123+00:00", "2026-02-30T00:00:00.000Z"]:
        with pytest.raises(EncodingError):
            parse_time(bad)
    with pytest.raises(EncodingError):
        format_time(datetime(2026, 1, 1))


def test_jcs_is_rfc8785():
    assert jcs({"b": 1, "a": [True, None, "é"]}) == '{"a":[true,null,"é"],"b":1}'.encode()


@pytest.mark.django_db
def test_platform_signature_is_ed25519_over_the_labelled_jcs(key_dir):
    envelope = signing.platform_sign({"type": "SB1/receipt", "sequence": 1})
    public = signing.platform_private_key().public_key()
    raw = signing.raw_public_bytes(public)
    assert envelope["key_id"] == b64u_encode(hashlib.sha256(raw).digest())
    # An outside verifier needs only the published key and the spec's message layout.
    published = {k["key_id"]: k for k in signing.platform_public_keys()}[envelope["key_id"]]
    Ed25519PublicKey.from_public_bytes(b64u_decode(published["public_key"])).verify(
        b64u_decode(envelope["signature"]), b"SB1/platform\x00" + jcs(envelope["payload"])
    )
    assert signing.platform_verify(envelope)
    assert not signing.platform_verify({**envelope, "payload": {"type": "SB1/receipt", "sequence": 2}})
    assert not signing.platform_verify({**envelope, "extra": 1})
    with pytest.raises(ValueError):
        signing.platform_sign({"untyped": True})


@pytest.mark.django_db
def test_key_file_is_private_and_encrypted_with_the_passphrase(key_dir, settings):
    settings.PLATFORM_KEY_PASSPHRASE = "correct horse"
    signing.platform_sign({"type": "t"})
    path = signing.key_path()
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()
    settings.PLATFORM_KEY_PASSPHRASE = "wrong"
    signing._cache.clear()
    with pytest.raises(ImproperlyConfigured):
        signing.platform_sign({"type": "t"})


@pytest.mark.django_db
def test_production_never_makes_a_key_by_itself(key_dir, settings):
    settings.PLATFORM_KEY_AUTOGENERATE = False
    with pytest.raises(ImproperlyConfigured):
        signing.platform_sign({"type": "t"})
    assert not signing.key_path().exists()


@pytest.mark.django_db
def test_rotation_keeps_old_signatures_checkable_and_old_keys_published(key_dir):
    old = signing.platform_sign({"type": "t", "n": 1})
    new_id = signing.platform_key_rotate()
    new = signing.platform_sign({"type": "t", "n": 2})
    assert new["key_id"] == new_id != old["key_id"]
    assert signing.platform_verify(old) and signing.platform_verify(new)
    keys = {k["key_id"]: k for k in signing.platform_public_keys()}
    assert keys[old["key_id"]]["retired"] is not None and keys[new_id]["retired"] is None


def test_times_with_non_ascii_digits_are_refused():
    from ledger.encoding import EncodingError, parse_time

    assert parse_time("2026-11-26T06:05:47.123Z").year == 2026
    with pytest.raises(EncodingError):
        parse_time("2026-11-26T06:05:47.12\u0663Z")  # ARABIC-INDIC DIGIT THREE

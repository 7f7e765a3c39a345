"""The committed SB1 vectors reproduce exactly from their written-out inputs, and every signature
in them verifies (the browser module is checked against the same file)."""

import json

import pytest

from bidding.sb1 import make_vectors, p256
from bidding.sb1.custodian import (
    confirmation_check,
    custodian_key_file_decrypt,
    opening_key_id,
    opening_key_registration_check,
)
from bidding.sb1.errors import SB1Error
from bidding.sb1.opening import share_submission_check
from bidding.sb1.sealing import (
    attachment_name_valid,
    manifest_signature_verify,
    media_type_valid,
    readout_validate,
    share_unwrap,
    withdrawal_check,
)
from bidding.sb1.shamir import gf_mul, gf_mul_fast, shamir_interpolate
from bidding.sb1.wire import b64u_field, bid_id, supplier_id, tender_id

SIGNATURE_FIELDS = {"signature", "pop"}


@pytest.fixture(scope="module")
def committed():
    return json.loads(make_vectors.VECTORS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rebuilt():
    # Round-trip through JSON so both sides have the same types (string keys, lists).
    return json.loads(json.dumps(make_vectors.build(), ensure_ascii=False))


def without_signatures(value):
    if isinstance(value, dict):
        return {k: without_signatures(v) for k, v in value.items() if k not in SIGNATURE_FIELDS}
    if isinstance(value, list):
        return [without_signatures(v) for v in value]
    return value


def test_every_deterministic_value_reproduces(committed, rebuilt):
    assert without_signatures(rebuilt) == without_signatures(committed)


def test_signatures_verify_with_the_given_public_keys(committed):
    inputs = committed["inputs"]
    bidder = b64u_field(inputs["bidder"]["public_key"])
    manifest = committed["manifest"]
    manifest_signature_verify(manifest["jcs"].encode(), b64u_field(manifest["signature"]), bidder)
    withdrawal_check(committed["withdrawal"]["envelope"], public_key=bidder)

    custodian_1 = b64u_field(inputs["custodians"][0]["signing_public_key"])
    registration = opening_key_registration_check(
        committed["registration"]["envelope"],
        signing_public_key=custodian_1,
        tender=inputs["tender"],
        index=1,
    )
    assert registration["key"] == inputs["custodians"][0]["opening_key"]
    confirmation_check(committed["confirmation"]["envelope"], signing_public_key=custodian_1)

    for entry in committed["shares"]["custodians"]:
        custodian = inputs["custodians"][entry["index"] - 1]
        accepted = share_submission_check(
            entry["envelope"],
            tender=inputs["tender"],
            index=entry["index"],
            custodian_key=b64u_field(custodian["opening_key"]),
            signing_public_key=b64u_field(custodian["signing_public_key"]),
            slot_handles={b64u_field(entry["slot"]["handle"])},
        )
        wrap = committed["wrap"]["custodians"][entry["index"] - 1]
        assert accepted.point[1:33].hex() == wrap["Z_x_hex"]
        share = share_unwrap(
            ctx=bytes.fromhex(committed["ctx"]["ctx_hex"]),
            index=entry["index"],
            shared_x=accepted.point[1:33],
            ephemeral=b64u_field(wrap["ephemeral"]),
            custodian_key=b64u_field(custodian["opening_key"]),
            wrapped=b64u_field(wrap["wrapped"]),
        )
        assert share.hex() == wrap["share_hex"]


def test_a_tampered_signature_in_the_vectors_is_refused(committed):
    bidder = b64u_field(committed["inputs"]["bidder"]["public_key"])
    manifest = committed["manifest"]
    altered = manifest["jcs"].replace('"threshold":2', '"threshold":3').encode()
    with pytest.raises(SB1Error) as refused:
        manifest_signature_verify(altered, b64u_field(manifest["signature"]), bidder)
    assert refused.value.code == "signature"


def test_key_file_decrypts_with_the_nfd_passphrase_to_the_registered_key(committed):
    vector = committed["key_file"]
    key = custodian_key_file_decrypt(
        vector["file"], tender=committed["inputs"]["tender"], passphrase=vector["passphrase"]
    )
    assert opening_key_id(key) == committed["inputs"]["custodians"][0]["key_id"]
    assert p256.private_key_scalar(key) == int(committed["inputs"]["custodians"][0]["opening_scalar_hex"], 16)


def test_shamir_field_and_interpolation_examples(committed):
    vector = committed["shamir"]
    for example in vector["gf_mul_examples"]:
        assert (
            gf_mul(example["a"], example["b"])
            == gf_mul_fast(example["a"], example["b"])
            == example["product"]
        )
    shares = {int(j): bytes.fromhex(s) for j, s in vector["shares_hex"].items()}
    for pair in ([1, 2], [1, 3], [2, 3]):
        assert shamir_interpolate({j: shares[j] for j in pair}).hex() == vector["secret_hex"]


def test_every_listed_invalid_input_is_refused(committed):
    invalid = committed["invalid"]
    for text in invalid["b64u"]:
        with pytest.raises(SB1Error):
            b64u_field(text)
    for point in invalid["points_hex"]:
        with pytest.raises(SB1Error):
            p256.point_parse(bytes.fromhex(point))
    for value, check in (("bid_ids", bid_id), ("suppliers", supplier_id), ("tenders", tender_id)):
        for item in invalid[value]:
            with pytest.raises(SB1Error):
                check(item)
    for price in invalid["readout_values"]:
        with pytest.raises(SB1Error):
            readout_validate({"price": price, "currency": "CNY"}, ["price", "currency"])
    assert not any(attachment_name_valid(n) for n in invalid["attachment_names"])
    assert not any(media_type_valid(m) for m in invalid["media_types"])

"""What SB1 refuses: manifests the server must not accept, share submissions (with the blamed
party), key files, and the Shamir properties (hypothesis)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bidding.sb1 import p256
from bidding.sb1.custodian import (
    custodian_key_file_decrypt,
    custodian_key_file_encrypt,
    share_submission_build,
)
from bidding.sb1.errors import CUSTODIAN, PLATFORM, SB1Error
from bidding.sb1.manifest import manifest_parse_and_check
from bidding.sb1.opening import share_submission_check
from bidding.sb1.seal import CountingBid, seal_statement_build, served_slot_check, slots_serve
from bidding.sb1.sealing import Attachment, BidSealer, manifest_bytes
from bidding.sb1.shamir import gf_mul_fast, shamir_interpolate, shamir_split
from bidding.sb1.wire import b64u, b64u_field

from .sb1_factory import SUPPLIER, TENDER, Tender, accept, seal_bid


@pytest.fixture(scope="module")
def tender():
    return Tender()


@pytest.fixture(scope="module")
def sealed(tender):
    return seal_bid(tender, attachments={"a.txt": ("text/plain", b"hello")})


def check(setup, raw, **overrides):
    kwargs = dict(
        tender_custodians=setup.custodians,
        threshold=setup.threshold,
        tender=TENDER,
        lot=None,
        supplier=SUPPLIER,
    )
    kwargs.update(overrides)
    return manifest_parse_and_check(raw, **kwargs)


def refused(code, function, *args, **kwargs):
    with pytest.raises(SB1Error) as error:
        function(*args, **kwargs)
    assert error.value.code == code, error.value.code
    return error.value


def edited(raw, change):
    data = json.loads(raw)
    change(data)
    return manifest_bytes(data)


def test_the_sealed_manifest_is_accepted_with_its_signature(tender, sealed):
    manifest = accept(tender, sealed)
    assert manifest.sha256 == __import__("hashlib").sha256(sealed.raw).digest()


def test_non_canonical_bytes_are_refused(tender, sealed):
    refused("not_canonical", check, tender, json.dumps(json.loads(sealed.raw)).encode())
    refused("not_canonical", check, tender, sealed.raw + b"\n")
    refused("json", check, tender, sealed.raw[:-1])


def test_wrong_signature_is_refused(tender, sealed):
    other = p256.public_key_bytes(tender.signing_keys[1])
    refused("signature", check, tender, sealed.raw, signature=sealed.signature, public_key=other)


def test_custodian_list_and_threshold_must_be_the_tenders(tender, sealed):
    refused("threshold", check, tender, sealed.raw, threshold=3)
    refused("custodians", check, tender, sealed.raw, tender_custodians=tender.custodians[:2])
    swapped = [tender.custodians[1], tender.custodians[0], tender.custodians[2]]
    refused(
        "custodians",
        check,
        tender,
        edited(sealed.raw, lambda d: d["custodians"][0].update(key_id=swapped[0].key_id)),
    )


def test_manifest_naming_another_tender_lot_bid_or_supplier_is_refused(tender, sealed):
    refused("mismatch", check, tender, sealed.raw, tender="ZB-OTHER")
    refused("mismatch", check, tender, sealed.raw, lot="lot-2")
    refused("mismatch", check, tender, sealed.raw, bid="0f8fad5b-d9cb-469f-a165-70867728950e")
    refused("mismatch", check, tender, sealed.raw, supplier="91110000100000000A")


@pytest.mark.parametrize(
    "field,value,code",
    [
        ("bid", "0F8FAD5B-D9CB-469F-A165-70867728950E", "bid_id"),
        ("bid", "0f8fad5b-d9cb-169f-a165-70867728950e", "bid_id"),
        ("supplier", "91350100M000100Y44", "supplier_id"),
        ("tender", "ZB 2026", "tender_id"),
        ("lot", "", "lot_id"),
        ("suite", "SB2", "suite"),
        ("threshold", 2.5, "type"),
        ("threshold", True, "type"),
        ("threshold", 1, "integer"),
        ("created", "2026-11-25T09:30:12Z", "time"),
        ("created", "2026-02-30T09:30:12.000Z", "time"),
        ("replaces", "AA==", "b64u"),
        ("key_commit", b64u(bytes(31)), "length"),
    ],
)
def test_bad_fields_are_refused(tender, sealed, field, value, code):
    raw = (
        edited(sealed.raw, lambda d: d.update({field: value}))
        if not isinstance(value, float)
        else sealed.raw.replace(b'"threshold":2', b'"threshold":2.5')
    )
    refused(code, check, tender, raw)


def test_extra_or_missing_keys_are_refused(tender, sealed):
    refused("keys", check, tender, edited(sealed.raw, lambda d: d.update(extra=1)))
    refused("keys", check, tender, edited(sealed.raw, lambda d: d.pop("signer")))
    refused("keys", check, tender, edited(sealed.raw, lambda d: d["files"][0].update(name="x")))


def test_off_curve_point_and_bad_pok_are_refused(tender, sealed):
    def off_curve(d):
        point = bytearray(b64u_field(d["custodians"][0]["ephemeral"]))
        point[-1] ^= 1
        d["custodians"][0]["ephemeral"] = b64u(bytes(point))

    refused("point", check, tender, edited(sealed.raw, off_curve))

    def other_pok(d):
        d["custodians"][0]["pok"] = d["custodians"][1]["pok"]

    refused("pok", check, tender, edited(sealed.raw, other_pok))

    def copied_ephemeral(d):  # a valid point whose proof is for another index
        d["custodians"][0]["ephemeral"] = d["custodians"][1]["ephemeral"]

    refused("pok", check, tender, edited(sealed.raw, copied_ephemeral))


def test_two_ephemerals_with_one_x_coordinate_are_refused(tender):
    # e and q−e give E and −E: same x, and each has a valid proof.
    e = p256.random_scalar()
    bid = seal_bid(tender, ephemeral_scalars={1: e, 2: p256.Q - e})
    refused("duplicate_ephemeral", check, tender, bid.raw)


def test_chunk_counts_must_fit_sizes(tender, sealed):
    refused("chunks", check, tender, edited(sealed.raw, lambda d: d["files"][1].update(chunks=2)))
    refused("chunks", check, tender, edited(sealed.raw, lambda d: d["files"][1].update(size=1_048_577)))
    refused("padding", check, tender, edited(sealed.raw, lambda d: d["files"][0].update(size=4000)))
    refused("files", check, tender, edited(sealed.raw, lambda d: d["files"][1].update(index=2)))


@pytest.mark.parametrize("price", ["1,000.00", "1000.0", "01000.00", "1e3.00", "10000000000000000.00"])
def test_bad_readout_values_cannot_be_sealed(tender, price):
    refused("readout", seal_bid, tender, price=price)


@pytest.mark.parametrize(
    "name", ["", ".", "..", "a/b", "a\\b", "a\tb", "a\u200bb", "a\u2029b", "Cafe\u0301", "x" * 256]
)
def test_bad_attachment_names_cannot_be_sealed(tender, name):
    refused("attachment", seal_bid, tender, attachments={name: ("text/plain", b"x")})


@pytest.mark.parametrize(
    "media_type", ["text", "Text/plain", "text/plain;charset=utf-8", "text/", "-x/y", "a/b/c"]
)
def test_bad_media_types_cannot_be_sealed(tender, media_type):
    refused("attachment", seal_bid, tender, attachments={"ok.txt": (media_type, b"x")})


def test_a_form_whose_readout_misses_a_tender_field_cannot_be_sealed(tender):
    with pytest.raises(SB1Error) as error:
        BidSealer(
            tender=TENDER,
            lot=None,
            bid="0f8fad5b-d9cb-469f-a165-70867728950e",
            supplier=SUPPLIER,
            readout={"price": "1.00", "currency": "CNY"},
            readout_fields=["price", "currency", "warranty"],
            attachments=[Attachment(1, "a", "text/plain", 1)],
            custodians=tender.custodians,
            threshold=2,
        )
    assert error.value.code == "readout"


# --- share submissions -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slot_setup(tender, sealed):
    manifest = accept(tender, sealed)
    counting = [CountingBid.of(manifest)]
    seal = seal_statement_build(
        tender=TENDER,
        deadline="2026-11-26T06:00:00.000Z",
        sealed_at="2026-11-26T06:00:00.010Z",
        counting=counting,
        custodian_count=3,
        receipts=1,
    )
    return counting, seal


def submission(tender, slot_setup, j=1, **changes):
    counting, seal = slot_setup
    served = slots_serve(tender=TENDER, counting=counting, index=j)[0]
    slot = served_slot_check(served, tender=TENDER, index=j, seal=seal)
    envelope = share_submission_build(
        slot=slot,
        opening_key=tender.opening_keys[j],
        signing_key=tender.signing_keys[j],
        signer=b64u(bytes(32)),
        created="2026-11-26T06:01:00.000Z",
    )
    if changes:
        from bidding.sb1.wire import canonical

        envelope["submission"].update(changes)
        envelope["signature"] = b64u(
            p256.ecdsa_sign(tender.signing_keys[j], "SB1/share", canonical(envelope["submission"]))
        )
    return envelope, {b64u_field(served["handle"])}


def server_check(tender, envelope, handles, j=1, served=()):
    return share_submission_check(
        envelope,
        tender=TENDER,
        index=j,
        custodian_key=tender.custodians[j - 1].key,
        signing_public_key=p256.public_key_bytes(tender.signing_keys[j]),
        slot_handles=handles,
        served_handles=served,
    )


def test_a_bad_dleq_proof_is_the_custodians_fault(tender, slot_setup):
    envelope, handles = submission(tender, slot_setup)
    proof = b64u_field(envelope["submission"]["proof"])
    envelope, handles = submission(tender, slot_setup, proof=b64u(proof[:32] + bytes(31) + b"\x01"))
    error = refused("dleq", server_check, tender, envelope, handles)
    assert (error.owner, error.custodian) == (CUSTODIAN, 1)
    # a point that is not c_j·E_j, even with the proof of the right one
    good, _ = submission(tender, slot_setup)
    envelope, handles = submission(
        tender, slot_setup, point=b64u(p256.public_point(5)), proof=good["submission"]["proof"]
    )
    assert refused("dleq", server_check, tender, envelope, handles).owner == CUSTODIAN


def test_a_handle_that_is_not_the_slot_of_ctx_and_ephemeral_is_the_custodians_fault(tender, slot_setup):
    envelope, handles = submission(tender, slot_setup, handle=b64u(bytes(32)))
    assert refused("handle", server_check, tender, envelope, handles).owner == CUSTODIAN


def test_a_slot_not_in_the_seal_is_the_platforms_fault_only_if_it_served_it(tender, slot_setup):
    envelope, handles = submission(tender, slot_setup)
    assert refused("slot", server_check, tender, envelope, set()).owner == CUSTODIAN
    assert refused("slot", server_check, tender, envelope, set(), served=handles).owner == PLATFORM


def test_a_share_signed_by_someone_else_is_refused(tender, slot_setup):
    envelope, handles = submission(tender, slot_setup)
    with pytest.raises(SB1Error) as error:
        share_submission_check(
            envelope,
            tender=TENDER,
            index=1,
            custodian_key=tender.custodians[0].key,
            signing_public_key=p256.public_key_bytes(tender.signing_keys[2]),
            slot_handles=handles,
        )
    assert error.value.code == "signature"


def test_a_slot_with_a_bad_path_is_refused_by_the_custodian_tool(tender, slot_setup):
    counting, seal = slot_setup
    served = slots_serve(tender=TENDER, counting=counting, index=1)[0]
    refused("seal", served_slot_check, {**served, "tree_size": 2}, tender=TENDER, index=1, seal=seal)
    refused(
        "proof",
        served_slot_check,
        served,
        tender=TENDER,
        index=1,
        seal={**seal, "slots": seal["slots"][::-1]},
    )
    refused(
        "handle", served_slot_check, {**served, "ctx": b64u(bytes(32))}, tender=TENDER, index=1, seal=seal
    )


# --- key files ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key_file(tender):
    return custodian_key_file_encrypt(
        tender=TENDER, private_key=tender.opening_keys[1], passphrase="Cafe\u0301 pass"
    )


def test_key_file_round_trip_normalises_the_passphrase(tender, key_file):
    key = custodian_key_file_decrypt(key_file, tender=TENDER, passphrase="Caf\u00e9 pass")
    assert p256.private_key_scalar(key) == p256.private_key_scalar(tender.opening_keys[1])
    assert custodian_key_file_decrypt(
        json.dumps(key_file).encode(), tender=TENDER, passphrase="Cafe\u0301 pass"
    )


def test_key_file_refusals(tender, key_file):
    refused("key_file", custodian_key_file_decrypt, key_file, tender=TENDER, passphrase="wrong")
    refused("mismatch", custodian_key_file_decrypt, key_file, tender="ZB-OTHER", passphrase="Cafe\u0301 pass")
    refused(
        "key_file",
        custodian_key_file_decrypt,
        {**key_file, "tender": "ZB-OTHER"},
        tender="ZB-OTHER",
        passphrase="Cafe\u0301 pass",
    )
    other_id = b64u(b"\x01" * 32)  # AAD covers key_id, so a swapped id does not decrypt
    refused(
        "key_file",
        custodian_key_file_decrypt,
        {**key_file, "key_id": other_id},
        tender=TENDER,
        passphrase="Cafe\u0301 pass",
    )
    refused(
        "integer",
        custodian_key_file_decrypt,
        {**key_file, "iterations": 599_999},
        tender=TENDER,
        passphrase="x",
    )
    refused(
        "integer",
        custodian_key_file_encrypt,
        tender=TENDER,
        private_key=tender.opening_keys[1],
        passphrase="x",
        iterations=1000,
    )


def test_a_key_file_whose_key_is_not_its_key_id_is_refused(tender):
    # Encrypted correctly (AAD and all) but holding another key than the one its key_id names.
    from bidding.sb1 import custodian

    original = custodian.opening_key_id
    try:
        custodian.opening_key_id = lambda key: original(tender.opening_keys[2])
        forged = custodian_key_file_encrypt(
            tender=TENDER, private_key=tender.opening_keys[1], passphrase="p", iterations=600_000
        )
    finally:
        custodian.opening_key_id = original
    refused("key_id", custodian_key_file_decrypt, forged, tender=TENDER, passphrase="p")


# --- Shamir ------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    secret=st.binary(min_size=1, max_size=32),
    threshold=st.integers(2, 6),
    extra=st.integers(0, 6),
    data=st.data(),
)
def test_any_k_of_n_shares_reconstruct(secret, threshold, extra, data):
    count = threshold + extra
    shares = shamir_split(secret, threshold=threshold, count=count)
    chosen = data.draw(st.lists(st.integers(1, count), min_size=threshold, max_size=threshold, unique=True))
    assert shamir_interpolate({j: shares[j] for j in chosen}) == secret


@settings(max_examples=25, deadline=None)
@given(byte=st.integers(0, 255), other=st.integers(0, 255), index=st.integers(1, 255))
def test_k_minus_one_shares_say_nothing_about_the_secret(byte, other, index):
    """k = 2: over all 256 coefficients, one share takes every value exactly once whatever the
    secret, so seeing it is equally consistent with every secret byte."""
    values = {
        shamir_split(bytes([byte]), threshold=2, count=max(index, 2), coefficients=[bytes([a])])[index][0]
        for a in range(256)
    }
    values_other = {
        shamir_split(bytes([other]), threshold=2, count=max(index, 2), coefficients=[bytes([a])])[index][0]
        for a in range(256)
    }
    assert values == values_other == set(range(256))


def test_two_of_three_shares_of_degree_two_polynomials_are_uniform():
    """k = 3: for shares 1 and 2, the 65,536 coefficient pairs give every pair of values once."""
    seen = set()
    for a1 in range(256):
        for a2 in range(256):
            s1 = 0x5A ^ gf_mul_fast(a1, 1) ^ gf_mul_fast(a2, 1)
            two = gf_mul_fast(2, 2)
            s2 = 0x5A ^ gf_mul_fast(a1, 2) ^ gf_mul_fast(a2, two)
            seen.add((s1, s2))
    assert len(seen) == 65536
    # and the library's split is this evaluation
    shares = shamir_split(b"\x5a", threshold=3, count=3, coefficients=[b"\x07", b"\x09"])
    assert shares[2][0] == 0x5A ^ gf_mul_fast(7, 2) ^ gf_mul_fast(9, gf_mul_fast(2, 2))


def test_shares_off_the_polynomials_are_detected():
    from bidding.sb1.shamir import shamir_share_on_polynomials

    shares = shamir_split(b"secret key bytes", threshold=2, count=3)
    defining = {1: shares[1], 2: shares[2]}
    assert shamir_share_on_polynomials(defining, 3, shares[3])
    assert not shamir_share_on_polynomials(defining, 3, bytes([shares[3][0] ^ 1]) + shares[3][1:])

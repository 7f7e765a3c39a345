"""Seal → submit checks → seal statement → custodians answer → open, with k=2 of n=3; and every
opening failure blamed on the party SEALED_BIDS.md "Opening" 3–4 names."""

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bidding.sb1.errors import BIDDER, CUSTODIAN, PLATFORM
from bidding.sb1.opening import MemoryChunks, bid_open
from bidding.sb1.sealing import CHUNK_SIZE, expected_chunk_lengths

from .sb1_factory import READOUT_FIELDS, Tender, accept, answer_all, random_bytes, seal_bid

BIG = random_bytes(2 * CHUNK_SIZE + CHUNK_SIZE // 2)  # 2.5 MiB: three chunks
SMALL = "合同条款 draft.docx".encode()


@pytest.fixture(scope="module")
def tender():
    return Tender()


def open_bid(tender, bid, manifest, points, **kwargs):
    received = {}
    result = bid_open(
        manifest=manifest,
        custodians=tender.custodians,
        points={j: by_ctx[manifest.ctx] for j, by_ctx in points.items() if manifest.ctx in by_ctx},
        chunks=kwargs.pop("chunks", bid.chunks),
        readout_fields=READOUT_FIELDS,
        plaintext_sink=lambda f, i, data: received.setdefault(f, []).append(data),
        **kwargs,
    )
    return result, {f: b"".join(parts) for f, parts in received.items()}


def test_a_bid_with_a_multi_chunk_attachment_opens_with_any_two_of_three(tender):
    bid = seal_bid(
        tender,
        attachments={"方案.pdf": ("application/pdf", BIG), "terms.docx": ("application/octet-stream", SMALL)},
    )
    manifest = accept(tender, bid)
    assert [f.chunks for f in manifest.files] == [1, 3, 1]
    assert [len(c) for c in bid.chunks.files[1]] == expected_chunk_lengths(len(BIG))
    for pair in ([1, 2], [1, 3], [2, 3]):
        points = answer_all(tender, [manifest], indexes=pair)
        result, received = open_bid(tender, bid, manifest, points)
        assert result.opened, result.failures
        assert result.readout == {"price": "99.50", "currency": "CNY"}
        assert received == {1: BIG, 2: SMALL}
        assert result.used_shares == tuple(pair)
        assert [a["name"] for a in result.form["attachments"]] == ["方案.pdf", "terms.docx"]


def test_one_custodian_is_not_enough(tender):
    bid = seal_bid(tender)
    manifest = accept(tender, bid)
    result, _ = open_bid(tender, bid, manifest, answer_all(tender, [manifest], indexes=[2]))
    assert not result.opened
    assert (result.reason, result.owner, result.failures[0].custodians) == (
        "shares_missing",
        CUSTODIAN,
        (1, 3),
    )


def test_missing_shares_are_the_platforms_fault_when_it_closed_the_window_early(tender):
    bid = seal_bid(tender)
    manifest = accept(tender, bid)
    result, _ = open_bid(
        tender, bid, manifest, answer_all(tender, [manifest], indexes=[2]), window_closed_early=True
    )
    assert (result.reason, result.owner) == ("shares_missing", PLATFORM)


def wrap_garbage_for(bid, index):
    """The bidder wrapped something unusable for custodian `index` (its signed wrapped value)."""
    entry = next(c for c in bid.sealer.wrapped if c.index == index)
    bad = AESGCM(entry.wrap_key).encrypt(bytes(12), b"\x00" * 32, b"")  # commits to nothing it wrapped
    return entry, bad


def reseal_with_custodian_values(tender, bid, index, *, wrapped=None, commit=None):
    """The same bid, re-signed by the bidder with custodian `index`'s wrapped/commit replaced."""
    import json

    from bidding.sb1.sealing import manifest_bytes, manifest_sign
    from bidding.sb1.wire import b64u

    manifest = json.loads(bid.raw)
    entry = manifest["custodians"][index - 1]
    if wrapped is not None:
        entry["wrapped"] = b64u(wrapped)
    if commit is not None:
        entry["commit"] = b64u(commit)
    bid.raw = manifest_bytes(manifest)
    bid.signature = manifest_sign(bid.raw, bid.bidder_key)
    return accept(tender, bid)


def test_a_bad_share_from_the_bidder_is_blamed_on_it_and_the_bid_still_opens_from_two_good_ones(tender):
    bid = seal_bid(tender)
    _, bad = wrap_garbage_for(bid, 1)
    manifest = reseal_with_custodian_values(tender, bid, 1, wrapped=bad)
    result, _ = open_bid(tender, bid, manifest, answer_all(tender, [manifest]))
    assert result.opened
    assert result.shares == {1: "bad_commit", 2: "good", 3: "good"}
    assert result.blamed_shares == [1]
    assert result.used_shares == (2, 3)


def test_a_share_that_does_not_unwrap_is_the_bidders_fault(tender):
    bid = seal_bid(tender)
    manifest = reseal_with_custodian_values(tender, bid, 2, wrapped=bytes(48))
    result, _ = open_bid(tender, bid, manifest, answer_all(tender, [manifest], indexes=[1, 2]))
    assert result.shares[2] == "bad_unwrap"
    assert (result.reason, result.owner) == ("shares_missing", BIDDER)  # good + bad reach k


def test_shares_off_the_polynomials_fail_the_bid_as_the_bidders_fault(tender):
    bid = seal_bid(tender)
    # The bidder wraps, for custodian 3, a share off the polynomials (its first byte changed),
    # correctly committed.
    true_share = bid.sealer.shares[3]
    other = bytes([true_share[0] ^ 0x01]) + true_share[1:]
    entry = bid.sealer.wrapped[2]
    from bidding.sb1.sealing import share_commit

    wrapped = AESGCM(entry.wrap_key).encrypt(bytes(12), other, b"")
    manifest = reseal_with_custodian_values(
        tender, bid, 3, wrapped=wrapped, commit=share_commit(bid.sealer.ctx, 3, other)
    )
    result, _ = open_bid(tender, bid, manifest, answer_all(tender, [manifest]))
    assert not result.opened
    assert (result.reason, result.owner, result.failures[0].custodians) == ("shamir", BIDDER, (3,))


def test_a_wrong_key_commit_is_the_bidders_fault(tender):
    import json

    from bidding.sb1.sealing import manifest_bytes, manifest_sign
    from bidding.sb1.wire import b64u

    bid = seal_bid(tender)
    data = json.loads(bid.raw)
    data["key_commit"] = b64u(bytes(32))
    bid.raw = manifest_bytes(data)
    bid.signature = manifest_sign(bid.raw, bid.bidder_key)
    manifest = accept(tender, bid)
    result, _ = open_bid(tender, bid, manifest, answer_all(tender, [manifest]))
    assert (result.reason, result.owner) == ("key_commit", BIDDER)


def test_a_chunk_changed_after_acceptance_is_the_platforms_fault(tender):
    bid = seal_bid(tender, attachments={"a.bin": ("application/octet-stream", SMALL)})
    manifest = accept(tender, bid)
    files = {f: list(c) for f, c in bid.chunks.files.items()}
    files[1][0] = bytes([files[1][0][0] ^ 1]) + files[1][0][1:]
    result, received = open_bid(
        tender, bid, manifest, answer_all(tender, [manifest]), chunks=MemoryChunks(files)
    )
    assert not result.opened
    assert (result.reason, result.owner, result.failures[0].file_index) == ("digest", PLATFORM, 1)


def test_a_lost_chunk_is_the_platforms_fault(tender):
    bid = seal_bid(tender, attachments={"big.bin": ("application/octet-stream", BIG)})
    manifest = accept(tender, bid)
    files = {f: list(c) for f, c in bid.chunks.files.items()}
    files[1].pop()
    result, _ = open_bid(tender, bid, manifest, answer_all(tender, [manifest]), chunks=MemoryChunks(files))
    assert (result.reason, result.owner) == ("chunks", PLATFORM)


def test_chunks_that_match_the_manifest_but_do_not_decrypt_are_the_bidders_fault(tender):
    import json

    from bidding.sb1.sealing import manifest_bytes, manifest_sign
    from bidding.sb1.wire import b64u, sha256

    bid = seal_bid(tender, attachments={"a.bin": ("application/octet-stream", SMALL)})
    files = {f: list(c) for f, c in bid.chunks.files.items()}
    files[1][0] = bytes(len(files[1][0]))  # the bidder uploaded (and signed the digest of) garbage
    data = json.loads(bid.raw)
    data["files"][1]["sha256"] = b64u(sha256(*files[1]))
    bid.raw = manifest_bytes(data)
    bid.signature = manifest_sign(bid.raw, bid.bidder_key)
    manifest = accept(tender, bid)
    result, received = open_bid(
        tender, bid, manifest, answer_all(tender, [manifest]), chunks=MemoryChunks(files)
    )
    assert (result.reason, result.owner, result.failures[0].file_index) == ("decrypt", BIDDER, 1)
    assert not result.opened


def test_a_form_naming_another_bid_is_the_bidders_fault(tender):
    bid = seal_bid(tender)
    victim = seal_bid(tender)
    # The bidder sealed another bid's form (with this bid's keys, so it decrypts).
    import io
    import json

    from bidding.sb1.sealing import SealedFileStream, manifest_bytes, manifest_sign

    stream = SealedFileStream(
        key=bid.sealer.key,
        ctx=bid.sealer.ctx,
        index=0,
        source=io.BytesIO(victim.sealer.form_plaintext),
        size=len(victim.sealer.form_plaintext),
    )
    chunks = list(stream)
    data = json.loads(bid.raw)
    data["files"][0] = stream.manifest_entry()
    bid.raw = manifest_bytes(data)
    bid.signature = manifest_sign(bid.raw, bid.bidder_key)
    manifest = accept(tender, bid)
    result, _ = open_bid(
        tender, bid, manifest, answer_all(tender, [manifest]), chunks=MemoryChunks({0: chunks})
    )
    assert (result.reason, result.owner) == ("mismatch", BIDDER)

"""The server's side of the opening (SEALED_BIDS.md "Opening" 2–4): checking a custodian's
share submission on arrival, and opening one bid at close with every check in the order the
spec gives, each failure recorded with its owner (bidder, custodian j, or platform).

Nothing here touches the database: the caller passes the accepted manifest, the accepted
points, the stored chunks, and writes the result (and the ledger entries) itself."""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from . import p256
from .custodian import SHARE_KEYS
from .errors import BIDDER, CUSTODIAN, PLATFORM, SB1Error
from .manifest import Manifest
from .seal import slot_leaf
from .sealing import (
    CustodianKey,
    chunk_open,
    expected_chunk_lengths,
    file_key,
    form_parse,
    key_commit,
    share_commit,
    share_unwrap,
)
from .shamir import shamir_interpolate, shamir_share_on_polynomials
from .wire import b64u_field, canonical, exact_keys, integer, time_field


@dataclass(frozen=True)
class AcceptedShare:
    """A share submission that passed every arrival check."""

    index: int
    handle: bytes
    ctx: bytes
    ephemeral: bytes
    point: bytes
    submission: dict[str, Any]


def share_submission_check(
    envelope: Any,
    *,
    tender: str,
    index: int,
    custodian_key: bytes,
    signing_public_key: bytes | ec.EllipticCurvePublicKey,
    slot_handles: Collection[bytes],
    served_handles: Collection[bytes] = (),
) -> AcceptedShare:
    """Opening 2. `slot_handles`: custodian j's slot leaves in the seal; `served_handles`: what the
    platform's log shows it served to j. Raises SB1Error with `owner` and `custodian` set."""
    exact_keys(envelope, ("submission", "signature"))
    s = exact_keys(envelope["submission"], SHARE_KEYS)
    if s["type"] != "SB1/share":
        raise SB1Error("type")
    if s["tender"] != tender or integer(s["index"], 1, 255) != index:
        raise SB1Error("mismatch")
    b64u_field(s["signer"], 32), time_field(s["created"])
    handle, ctx = b64u_field(s["handle"], 32), b64u_field(s["ctx"], 32)
    ephemeral, point = b64u_field(s["ephemeral"], 65), b64u_field(s["point"], 65)
    proof = b64u_field(s["proof"], 64)
    p256.ecdsa_verify(signing_public_key, "SB1/share", canonical(s), b64u_field(envelope["signature"], 64))
    if slot_leaf(ctx, index, ephemeral) != handle:
        raise SB1Error("handle", owner=CUSTODIAN, custodian=index)
    if handle not in slot_handles:
        if handle in served_handles:
            raise SB1Error("slot", owner=PLATFORM)
        raise SB1Error("slot", owner=CUSTODIAN, custodian=index)
    try:
        p256.dleq_verify(
            ctx=ctx, index=index, key=custodian_key, ephemeral=ephemeral, point=point, proof=proof
        )
    except SB1Error:
        raise SB1Error("dleq", owner=CUSTODIAN, custodian=index) from None
    return AcceptedShare(index, handle, ctx, ephemeral, point, s)


# --- opening one bid ---------------------------------------------------------------------------


class ChunkSource(Protocol):
    """The stored ciphertext of one bid: how many chunks file f has, and chunk i of it."""

    def chunk_count(self, file_index: int) -> int: ...

    def read_chunk(self, file_index: int, chunk_index: int) -> bytes: ...


@dataclass
class MemoryChunks:
    """A ChunkSource over {file index: [ciphertext chunks]} (tests, vectors, small bids)."""

    files: dict[int, list[bytes]]

    def chunk_count(self, file_index: int) -> int:
        return len(self.files.get(file_index, []))

    def read_chunk(self, file_index: int, chunk_index: int) -> bytes:
        return self.files[file_index][chunk_index]


@dataclass(frozen=True)
class Failure:
    code: str
    owner: str
    custodians: tuple[int, ...] = ()
    file_index: int | None = None


# Share states at close.
GOOD, BAD_UNWRAP, BAD_COMMIT, OFF_POLYNOMIAL, MISSING = (
    "good",
    "bad_unwrap",
    "bad_commit",
    "off_polynomial",
    "missing",
)


@dataclass
class OpeningResult:
    """What opening one bid found. `opened` only when no failure at all; `failures[0]` is the
    reason recorded for the bid; `blamed_shares` are the custodian indexes whose accepted
    submissions go into the ledger as evidence of the bidder's fault (Opening 3)."""

    manifest_sha256: bytes
    shares: dict[int, str] = field(default_factory=dict)
    used_shares: tuple[int, ...] = ()
    key: bytes | None = None
    form: dict[str, Any] | None = None
    failures: list[Failure] = field(default_factory=list)

    @property
    def opened(self) -> bool:
        return not self.failures and self.form is not None

    @property
    def reason(self) -> str | None:
        return self.failures[0].code if self.failures else None

    @property
    def owner(self) -> str | None:
        return self.failures[0].owner if self.failures else None

    @property
    def blamed_shares(self) -> list[int]:
        return sorted(j for j, state in self.shares.items() if state in (BAD_UNWRAP, BAD_COMMIT))

    @property
    def readout(self) -> dict[str, str] | None:
        return self.form["readout"] if self.form is not None else None


def bid_open(
    *,
    manifest: Manifest,
    custodians: Sequence[CustodianKey],
    points: Mapping[int, bytes],
    chunks: ChunkSource,
    readout_fields: Sequence[str],
    window_closed_early: bool = False,
    plaintext_sink: Callable[[int, int, bytes], None] | None = None,
) -> OpeningResult:
    """Opening 3–4 for one accepted bid. `points`: the accepted Z_j by custodian index (absent =
    no accepted share). `plaintext_sink(f, i, plaintext)` receives attachment chunks as they
    decrypt; they are only to be kept if the result is `opened`. Never raises for a bad bid: every
    failure is in the result, with its owner."""
    result = OpeningResult(manifest_sha256=manifest.sha256)
    keys = {c.index: c.key for c in custodians}

    # Opening 3: unwrap every accepted point's share and check its commitment.
    good: dict[int, bytes] = {}
    for entry in manifest.custodians:
        j = entry.index
        if j not in points:
            result.shares[j] = MISSING
            continue
        shared_x = points[j][1:33]
        try:
            share = share_unwrap(
                ctx=manifest.ctx,
                index=j,
                shared_x=shared_x,
                ephemeral=entry.ephemeral,
                custodian_key=keys[j],
                wrapped=entry.wrapped,
            )
        except SB1Error:
            result.shares[j] = BAD_UNWRAP
            continue
        if share_commit(manifest.ctx, j, share) != entry.commit:
            result.shares[j] = BAD_COMMIT
            continue
        result.shares[j] = GOOD
        good[j] = share

    key = _key_from_shares(manifest, good, result, window_closed_early)

    # Opening 4: every chunk, against the accepted manifest first (a mismatch is the platform's),
    # then AES-GCM on matching chunks (a failure is the bidder's).
    form_plaintext = _files_check(manifest, key, chunks, result, plaintext_sink)
    if key is not None and form_plaintext is not None and not result.failures:
        try:
            form = form_parse(
                form_plaintext,
                tender=manifest.tender,
                lot=manifest.lot,
                bid=manifest.bid,
                supplier=manifest.supplier,
                readout_fields=readout_fields,
            )
            described = [(a["index"], a["size"]) for a in form["attachments"]]
            if described != [(f.index, f.size) for f in manifest.files[1:]]:
                raise SB1Error("attachment")
        except SB1Error as error:
            result.failures.append(Failure(error.code, BIDDER, file_index=0))
        else:
            result.form = form
            result.key = key
    elif key is not None and not result.failures:
        result.key = key
    return result


def _key_from_shares(
    manifest: Manifest, good: dict[int, bytes], result: OpeningResult, closed_early: bool
) -> bytes | None:
    k = manifest.threshold
    if len(good) < k:
        bad = sum(1 for s in result.shares.values() if s in (BAD_UNWRAP, BAD_COMMIT))
        if len(good) + bad >= k:
            result.failures.append(Failure("shares_missing", BIDDER))
        elif closed_early:
            result.failures.append(Failure("shares_missing", PLATFORM))
        else:
            missing = tuple(j for j, s in sorted(result.shares.items()) if s == MISSING)
            result.failures.append(Failure("shares_missing", CUSTODIAN, custodians=missing))
        return None
    lowest = sorted(good)[:k]
    defining = {j: good[j] for j in lowest}
    result.used_shares = tuple(lowest)
    key = shamir_interpolate(defining)
    if key_commit(manifest.ctx, key) != manifest.key_commit:
        result.failures.append(Failure("key_commit", BIDDER))
        return None
    off = [j for j in sorted(good)[k:] if not shamir_share_on_polynomials(defining, j, good[j])]
    for j in off:
        result.shares[j] = OFF_POLYNOMIAL
    if off:
        result.failures.append(Failure("shamir", BIDDER, custodians=tuple(off)))
        return None
    return key


def _files_check(
    manifest: Manifest,
    key: bytes | None,
    chunks: ChunkSource,
    result: OpeningResult,
    sink: Callable[[int, int, bytes], None] | None,
) -> bytes | None:
    """Hash every file's stored chunks (and decrypt them when the key is known). Returns file 0's
    plaintext when it decrypted and matched. Records platform failures for files that no longer
    match the manifest, bidder failures for matching files that do not decrypt."""
    import hashlib

    form_parts: list[bytes] | None = []
    for entry in manifest.files:
        lengths = expected_chunk_lengths(entry.size)
        if chunks.chunk_count(entry.index) != len(lengths):
            result.failures.append(Failure("chunks", PLATFORM, file_index=entry.index))
            form_parts = None if entry.index == 0 else form_parts
            continue
        k_f = file_key(key, manifest.ctx, entry.index) if key is not None else None
        digest = hashlib.sha256()
        length_ok, decrypt_ok = True, True
        for i, length in enumerate(lengths):
            ciphertext = chunks.read_chunk(entry.index, i)
            digest.update(ciphertext)
            if len(ciphertext) != length:
                length_ok = False
            if k_f is None or not (length_ok and decrypt_ok):
                continue
            try:
                plaintext = chunk_open(
                    file_key=k_f,
                    ctx=manifest.ctx,
                    file_index=entry.index,
                    index=i,
                    last=i == len(lengths) - 1,
                    ciphertext=ciphertext,
                )
            except SB1Error:
                decrypt_ok = False
                continue
            if entry.index == 0:
                if form_parts is not None:
                    form_parts.append(plaintext)
            elif sink is not None:
                sink(entry.index, i, plaintext)
        if not length_ok or digest.digest() != entry.sha256:
            result.failures.append(
                Failure("digest" if length_ok else "chunks", PLATFORM, file_index=entry.index)
            )
            form_parts = None if entry.index == 0 else form_parts
        elif not decrypt_ok:
            result.failures.append(Failure("decrypt", BIDDER, file_index=entry.index))
            form_parts = None if entry.index == 0 else form_parts
    if key is None or form_parts is None:
        return None
    return b"".join(form_parts)

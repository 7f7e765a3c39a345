"""The server's pure checks of a submitted manifest (SEALED_BIDS.md "Submitting"): everything
that needs no database. The submission service adds what does: bid id reuse, ephemeral
x-coordinates already used by accepted manifests, certificates, `replaces`, eligibility, and the
stored chunks (compare them with `expected_chunk_lengths` and the parsed digests)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from . import p256
from .errors import SB1Error
from .sealing import FORM_BLOCK, CustodianKey, chunk_count, manifest_signature_verify
from .wire import (
    b64u_field,
    bid_id,
    context,
    exact_keys,
    integer,
    json_parse_canonical,
    lot_id,
    sha256,
    supplier_id,
    tender_id,
    time_field,
)

MANIFEST_KEYS = (
    "suite",
    "tender",
    "lot",
    "bid",
    "supplier",
    "replaces",
    "files",
    "key_commit",
    "threshold",
    "custodians",
    "signer",
    "created",
)
FILE_KEYS = ("index", "size", "chunks", "sha256")
CUSTODIAN_KEYS = ("index", "key_id", "ephemeral", "pok", "wrapped", "commit")
MAX_FILES = 2**32  # f is written as u32


@dataclass(frozen=True)
class ManifestFile:
    index: int
    size: int
    chunks: int
    sha256: bytes


@dataclass(frozen=True)
class ManifestCustodian:
    index: int
    key_id: str
    ephemeral: bytes
    pok: bytes
    wrapped: bytes
    commit: bytes


@dataclass(frozen=True)
class Manifest:
    """A manifest that passed every pure check, with its values decoded."""

    raw: bytes
    data: dict[str, Any]
    sha256: bytes
    ctx: bytes
    tender: str
    lot: str | None
    bid: str
    supplier: str
    replaces: bytes | None
    files: list[ManifestFile]
    key_commit: bytes
    threshold: int
    custodians: list[ManifestCustodian]
    signer: bytes
    created: str
    ephemeral_xs: list[bytes] = field(default_factory=list)


def manifest_parse(raw: bytes) -> Manifest:
    """Parse and check a manifest's own consistency: canonical JCS bytes, exact keys, integer
    ranges, identifiers, b64u lengths, points, every pok_j, distinct ephemeral x-coordinates,
    files 0..m with chunk counts that fit their sizes, custodians 1..n and 2 ≤ k ≤ n ≤ 255."""
    raw = bytes(raw)
    data = exact_keys(json_parse_canonical(raw), MANIFEST_KEYS)
    if data["suite"] != "SB1":
        raise SB1Error("suite")
    tender, lot = tender_id(data["tender"]), lot_id(data["lot"])
    bid, supplier = bid_id(data["bid"]), supplier_id(data["supplier"])
    ctx = context(tender=tender, lot=lot, bid=bid, supplier=supplier)
    replaces = None if data["replaces"] is None else b64u_field(data["replaces"], 32)

    if not isinstance(data["files"], list) or not data["files"] or len(data["files"]) > MAX_FILES:
        raise SB1Error("files")
    files = []
    for position, item in enumerate(data["files"]):
        exact_keys(item, FILE_KEYS)
        if integer(item["index"]) != position:
            raise SB1Error("files")
        size, chunks = integer(item["size"]), integer(item["chunks"])
        if chunks != chunk_count(size):
            raise SB1Error("chunks")
        files.append(ManifestFile(position, size, chunks, b64u_field(item["sha256"], 32)))
    if files[0].size == 0 or files[0].size % FORM_BLOCK:
        raise SB1Error("padding")  # file 0 is the form padded to a multiple of 4,096

    threshold = integer(data["threshold"], 2, 255)
    if not isinstance(data["custodians"], list) or not threshold <= len(data["custodians"]) <= 255:
        raise SB1Error("threshold")
    custodians, xs = [], []
    for position, item in enumerate(data["custodians"], start=1):
        exact_keys(item, CUSTODIAN_KEYS)
        if integer(item["index"], 1, 255) != position:
            raise SB1Error("custodians")
        b64u_field(item["key_id"], 32)
        ephemeral = b64u_field(item["ephemeral"], 65)
        p256.point_parse(ephemeral)
        pok = b64u_field(item["pok"], 64)
        p256.pok_verify(ctx=ctx, index=position, ephemeral=ephemeral, proof=pok)
        entry = ManifestCustodian(
            position,
            item["key_id"],
            ephemeral,
            pok,
            b64u_field(item["wrapped"], 48),
            b64u_field(item["commit"], 32),
        )
        custodians.append(entry)
        xs.append(ephemeral[1:33])
    if len(set(xs)) != len(xs):
        raise SB1Error("duplicate_ephemeral")

    return Manifest(
        raw=raw,
        data=data,
        sha256=sha256(raw),
        ctx=ctx,
        tender=tender,
        lot=lot,
        bid=bid,
        supplier=supplier,
        replaces=replaces,
        files=files,
        key_commit=b64u_field(data["key_commit"], 32),
        threshold=threshold,
        custodians=custodians,
        signer=b64u_field(data["signer"], 32),
        created=time_field(data["created"]),
        ephemeral_xs=xs,
    )


def manifest_parse_and_check(
    raw: bytes,
    *,
    tender_custodians: Sequence[CustodianKey],
    threshold: int,
    tender: str | None = None,
    lot: str | None = None,
    bid: str | None = None,
    supplier: str | None = None,
    signature: bytes | None = None,
    public_key: bytes | ec.EllipticCurvePublicKey | None = None,
) -> Manifest:
    """`manifest_parse` plus what the tender fixes: the custodians (indexes and key ids) and the
    threshold equal the tender's; the tender, lot, bid and supplier (those given) are the ones at
    hand; and, when `signature` and `public_key` are given, the bidder's signature verifies.
    (`lot` is compared whenever `tender` is given, since None means "no lots".)"""
    manifest = manifest_parse(raw)
    expected = sorted((c.index, c.key_id) for c in tender_custodians)
    if [(c.index, c.key_id) for c in manifest.custodians] != expected:
        raise SB1Error("custodians")
    if manifest.threshold != threshold:
        raise SB1Error("threshold")
    if tender is not None and (manifest.tender, manifest.lot) != (tender, lot):
        raise SB1Error("mismatch")
    if bid is not None and manifest.bid != bid:
        raise SB1Error("mismatch")
    if supplier is not None and manifest.supplier != supplier:
        raise SB1Error("mismatch")
    if (signature is None) != (public_key is None):
        raise TypeError("pass both signature and public_key, or neither")
    if signature is not None:
        manifest_signature_verify(manifest.raw, signature, public_key)
    return manifest

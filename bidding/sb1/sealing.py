"""The sealing side of SB1 (SEALED_BIDS.md "Sealing a bid"): content key and its commitment,
per-file keys, the bid form with its padding, chunk encryption streamed from a file object,
the per-custodian key wrap with its proof, the manifest, its signature, and withdrawals.

Randomness is drawn here unless a caller passes fixed values; only the test vectors do."""

import bisect
import io
import math
import re
import secrets
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import p256
from .errors import SB1Error
from .shamir import shamir_split
from .unicode_names import REFUSED_RANGES
from .wire import (
    b64u,
    canonical,
    context,
    exact_keys,
    integer,
    sha256,
    string,
    time_field,
    u8,
    u32,
    u88,
)

_REFUSED_STARTS = [first for first, _last in REFUSED_RANGES]

CHUNK_SIZE = 1_048_576
TAG_SIZE = 16
FORM_BLOCK = 4_096
READOUT_VALUE_MAX = 32
_READOUT_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_PRICE = re.compile(r"(0|[1-9][0-9]{0,14})\.[0-9]{2}")
_MEDIA_NAME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
FORM_KEYS = ("suite", "tender", "lot", "bid", "supplier", "readout", "attachments")
ATTACHMENT_KEYS = ("index", "name", "media_type", "size")


def hkdf(*, ikm: bytes, salt: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def key_commit(ctx: bytes, key: bytes) -> bytes:
    """SHA-256("SB1/key-commit" ‖ 0x00 ‖ ctx ‖ K)."""
    return sha256(b"SB1/key-commit\x00", ctx, key)


def file_key(key: bytes, ctx: bytes, index: int) -> bytes:
    """K_f = HKDF(ikm=K, salt=ctx, info="SB1/file" ‖ 0x00 ‖ u32(f), L=32)."""
    return hkdf(ikm=key, salt=ctx, info=b"SB1/file\x00" + u32(index))


# --- the bid form ------------------------------------------------------------------------------


def readout_names_validate(names: Sequence[str]) -> list[str]:
    """A notice's read-out field names: distinct, `[a-z][a-z0-9_]{0,31}`, including price and currency."""
    names = list(names)
    if (
        any(not isinstance(n, str) or not _READOUT_NAME.fullmatch(n) for n in names)
        or len(set(names)) != len(names)
        or "price" not in names
        or "currency" not in names
    ):
        raise SB1Error("readout")
    return names


def readout_value_valid(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= READOUT_VALUE_MAX
        and all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in value)
    )


def readout_validate(readout: Any, fields: Sequence[str]) -> dict[str, str]:
    """`readout` holds exactly the tender's fields, each value printable ASCII without `"` or `\\`,
    at most 32 bytes; price is `(0|[1-9][0-9]{0,14})\\.[0-9]{2}` and currency is "CNY"."""
    fields = readout_names_validate(fields)
    if not isinstance(readout, dict) or set(readout) != set(fields):
        raise SB1Error("readout")
    if not all(readout_value_valid(v) for v in readout.values()):
        raise SB1Error("readout")
    if not _PRICE.fullmatch(readout["price"]) or readout["currency"] != "CNY":
        raise SB1Error("readout")
    return readout


def _refused_in_names(code_point: int) -> bool:
    """Whether the pinned Unicode table (unicode_names.py, the browser's twin) refuses it."""
    i = bisect.bisect_right(_REFUSED_STARTS, code_point) - 1
    return i >= 0 and code_point <= REFUSED_RANGES[i][1]


def attachment_name_valid(name: Any) -> bool:
    """NFC, 1–255 code points, no control/format/line or paragraph separator characters (nor lone
    surrogates, which UTF-8 cannot carry), nothing unassigned in the pinned Unicode version (judged by
    the generated table both sides share: docs/sb1.md "Names and Unicode"), no `/` or `\\`, not `.`
    or `..`."""
    return (
        isinstance(name, str)
        and 1 <= len(name) <= 255
        and not any(c in "/\\" or _refused_in_names(ord(c)) for c in name)
        and unicodedata.normalize("NFC", name) == name
        and name not in (".", "..")
    )


def media_type_valid(media_type: Any) -> bool:
    """`type/subtype`, each a lowercase RFC 6838 restricted-name, no parameters."""
    if not isinstance(media_type, str) or media_type.count("/") != 1:
        return False
    kind, subtype = media_type.split("/")
    return bool(_MEDIA_NAME.fullmatch(kind) and _MEDIA_NAME.fullmatch(subtype))


@dataclass(frozen=True)
class Attachment:
    """File `index` (1..m) of a bid, as the form describes it."""

    index: int
    name: str
    media_type: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "media_type": self.media_type, "size": self.size}


def attachments_validate(attachments: Any) -> list[Attachment]:
    if not isinstance(attachments, list):
        raise SB1Error("attachment")
    result = []
    for position, item in enumerate(attachments, start=1):
        exact_keys(item, ATTACHMENT_KEYS)
        if item["index"] != position or type(item["index"]) is not int:
            raise SB1Error("attachment")
        if not attachment_name_valid(item["name"]) or not media_type_valid(item["media_type"]):
            raise SB1Error("attachment")
        result.append(Attachment(position, item["name"], item["media_type"], integer(item["size"])))
    return result


def form_build(
    *,
    tender: str,
    lot: str | None,
    bid: str,
    supplier: str,
    readout: Mapping[str, str],
    readout_fields: Sequence[str],
    attachments: Sequence[Attachment],
) -> dict[str, Any]:
    """The bid form (file 0), every part checked."""
    context(tender=tender, lot=lot, bid=bid, supplier=supplier)
    form = {
        "suite": "SB1",
        "tender": tender,
        "lot": lot,
        "bid": bid,
        "supplier": supplier,
        "readout": readout_validate(dict(readout), readout_fields),
        "attachments": [a.as_json() for a in attachments],
    }
    attachments_validate(form["attachments"])
    return form


def form_padded_size(form: Mapping[str, Any]) -> int:
    """P: the smallest multiple of 4,096 ≥ len(JCS(form)) + Σ (32 − len(v)) over read-out values."""
    need = len(canonical(form)) + sum(
        READOUT_VALUE_MAX - len(v.encode("ascii")) for v in form["readout"].values()
    )
    return max(1, math.ceil(need / FORM_BLOCK)) * FORM_BLOCK


def form_plaintext(form: Mapping[str, Any]) -> bytes:
    """File 0's plaintext: JCS(form) followed by spaces up to P."""
    body = canonical(form)
    return body + b" " * (form_padded_size(form) - len(body))


def form_parse(
    plaintext: bytes, *, tender: str, lot: str | None, bid: str, supplier: str, readout_fields: Sequence[str]
) -> dict[str, Any]:
    """The reader's check of file 0: trailing padding exactly spaces, the rest equal to
    JCS(parse(rest)), the size equal to P, exact keys, and the identifiers those of the manifest.
    Raises SB1Error("padding"|"form"|"mismatch"|"readout"|"attachment"|...)."""
    from .wire import json_parse_canonical  # local: keeps the import list above about sealing

    body = bytes(plaintext).rstrip(b" ")
    try:
        form = json_parse_canonical(body)
    except SB1Error as error:
        raise SB1Error("form") from error
    exact_keys(form, FORM_KEYS)
    if form["suite"] != "SB1":
        raise SB1Error("suite")
    if (form["tender"], form["lot"], form["bid"], form["supplier"]) != (tender, lot, bid, supplier):
        raise SB1Error("mismatch")
    readout_validate(form["readout"], readout_fields)
    attachments_validate(form["attachments"])
    if len(plaintext) != form_padded_size(form):
        raise SB1Error("padding")
    return form


# --- chunks ------------------------------------------------------------------------------------


def chunk_count(size: int) -> int:
    """max(1, ceil(size / 1 MiB))."""
    return max(1, math.ceil(size / CHUNK_SIZE))


def expected_chunk_lengths(size: int) -> list[int]:
    """The ciphertext length of every chunk of a file of `size` plaintext bytes (tag included)."""
    count = chunk_count(size)
    last = size - (count - 1) * CHUNK_SIZE
    return [CHUNK_SIZE + TAG_SIZE] * (count - 1) + [last + TAG_SIZE]


def chunk_nonce(index: int, last: bool) -> bytes:
    """u88(i) ‖ (0x01 if last else 0x00)."""
    return u88(index) + (b"\x01" if last else b"\x00")


def chunk_aad(ctx: bytes, file_index: int) -> bytes:
    """ "SB1/chunk" ‖ 0x00 ‖ ctx ‖ u32(f)."""
    return b"SB1/chunk\x00" + ctx + u32(file_index)


def chunk_seal(
    *, file_key: bytes, ctx: bytes, file_index: int, index: int, last: bool, plaintext: bytes
) -> bytes:
    return AESGCM(file_key).encrypt(chunk_nonce(index, last), plaintext, chunk_aad(ctx, file_index))


def chunk_open(
    *, file_key: bytes, ctx: bytes, file_index: int, index: int, last: bool, ciphertext: bytes
) -> bytes:
    try:
        return AESGCM(file_key).decrypt(chunk_nonce(index, last), ciphertext, chunk_aad(ctx, file_index))
    except InvalidTag:
        raise SB1Error("decrypt") from None


class SealedFileStream:
    """The ciphertext chunks of one file, read from `source` one chunk at a time, so memory
    stays at about one chunk whatever the file's size. Iterate once; afterwards `sha256`
    (SHA-256 over the ciphertext chunks in order) and `manifest_entry()` are available."""

    def __init__(self, *, key: bytes, ctx: bytes, index: int, source: BinaryIO, size: int) -> None:
        self.ctx, self.index, self.size = ctx, index, integer(size)
        self.chunks = chunk_count(size)
        self._file_key = file_key(key, ctx, index)
        self._source = source
        self._digest = None
        self._hash = None

    def __iter__(self) -> Iterator[bytes]:
        import hashlib

        if self._hash is not None:
            raise RuntimeError("a sealed file stream can be read once")
        self._hash = hashlib.sha256()
        remaining = self.size
        for i in range(self.chunks):
            want = min(CHUNK_SIZE, remaining)
            plaintext = _read_exactly(self._source, want)
            remaining -= want
            last = i == self.chunks - 1
            if last and self._source.read(1):
                raise SB1Error("files")  # the file is longer than the size declared for it
            ciphertext = chunk_seal(
                file_key=self._file_key,
                ctx=self.ctx,
                file_index=self.index,
                index=i,
                last=last,
                plaintext=plaintext,
            )
            self._hash.update(ciphertext)
            yield ciphertext
        self._digest = self._hash.digest()

    @property
    def sha256(self) -> bytes:
        if self._digest is None:
            raise RuntimeError("read every chunk first")
        return self._digest

    def manifest_entry(self) -> dict[str, Any]:
        return {"index": self.index, "size": self.size, "chunks": self.chunks, "sha256": b64u(self.sha256)}


def _read_exactly(source: BinaryIO, count: int) -> bytes:
    parts, got = [], 0
    while got < count:
        part = source.read(count - got)
        if not part:
            raise SB1Error("files")  # shorter than its declared size
        parts.append(part)
        got += len(part)
    return b"".join(parts)


# --- wrapping K's shares for the custodians ----------------------------------------------------


def share_commit(ctx: bytes, index: int, share: bytes) -> bytes:
    """commit_j = SHA-256("SB1/share-commit" ‖ 0x00 ‖ ctx ‖ u8(j) ‖ s_j)."""
    return sha256(b"SB1/share-commit\x00", ctx, u8(index), share)


def wrap_key(*, ctx: bytes, index: int, shared_x: bytes, ephemeral: bytes, custodian_key: bytes) -> bytes:
    """W_j = HKDF(ikm=Z_x, salt=E_j ‖ C_j, info="SB1/wrap" ‖ 0x00 ‖ ctx ‖ u8(j), L=32)."""
    return hkdf(ikm=shared_x, salt=ephemeral + custodian_key, info=b"SB1/wrap\x00" + ctx + u8(index))


_ZERO_NONCE = bytes(12)


@dataclass(frozen=True)
class WrappedShare:
    """One custodian's entry of the manifest, with the intermediate values the vectors show."""

    index: int
    key_id: str
    ephemeral: bytes
    pok: bytes
    wrapped: bytes
    commit: bytes
    shared_x: bytes
    wrap_key: bytes

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "key_id": self.key_id,
            "ephemeral": b64u(self.ephemeral),
            "pok": b64u(self.pok),
            "wrapped": b64u(self.wrapped),
            "commit": b64u(self.commit),
        }


def share_wrap(
    *,
    ctx: bytes,
    index: int,
    custodian_key: bytes,
    key_id: str,
    share: bytes,
    ephemeral_scalar: int | None = None,
    pok_nonce: int | None = None,
) -> WrappedShare:
    """Wrap s_j for custodian j under a fresh ephemeral ECDH key (fixed only for vectors)."""
    p256.point_parse(custodian_key)
    e = p256.random_scalar() if ephemeral_scalar is None else ephemeral_scalar
    ephemeral = p256.public_point(e)
    shared_x = p256.ecdh_x(e, custodian_key)
    w = wrap_key(ctx=ctx, index=index, shared_x=shared_x, ephemeral=ephemeral, custodian_key=custodian_key)
    return WrappedShare(
        index=index,
        key_id=key_id,
        ephemeral=ephemeral,
        pok=p256.pok_prove(ctx=ctx, index=index, scalar=e, nonce=pok_nonce),
        wrapped=AESGCM(w).encrypt(_ZERO_NONCE, share, b""),
        commit=share_commit(ctx, index, share),
        shared_x=shared_x,
        wrap_key=w,
    )


def share_unwrap(
    *, ctx: bytes, index: int, shared_x: bytes, ephemeral: bytes, custodian_key: bytes, wrapped: bytes
) -> bytes:
    """s_j from wrapped_j, given Z_x; raises SB1Error("unwrap") if AES-GCM refuses it."""
    w = wrap_key(ctx=ctx, index=index, shared_x=shared_x, ephemeral=ephemeral, custodian_key=custodian_key)
    try:
        return AESGCM(w).decrypt(_ZERO_NONCE, wrapped, b"")
    except InvalidTag:
        raise SB1Error("unwrap") from None


# --- the whole bid -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustodianKey:
    """Custodian j's opening key for one tender, as the published notice fixes it."""

    index: int
    key: bytes  # C_j, raw uncompressed
    key_id: str


class BidSealer:
    """Seals one bid: makes K (or takes a fixed one), the form, the shares and their wraps; then
    streams each file's chunks (`seal_file`) and finally builds the manifest.

    Use: `sealer = BidSealer(...)`; for f in 0..m: `stream = sealer.seal_file(f, source)` and
    upload every chunk it yields; then `sealer.manifest(replaces=..., signer=..., created=...)`."""

    def __init__(
        self,
        *,
        tender: str,
        lot: str | None,
        bid: str,
        supplier: str,
        readout: Mapping[str, str],
        readout_fields: Sequence[str],
        attachments: Sequence[Attachment],
        custodians: Sequence[CustodianKey],
        threshold: int,
        key: bytes | None = None,
        coefficients: Sequence[bytes] | None = None,
        ephemeral_scalars: Mapping[int, int] | None = None,
        pok_nonces: Mapping[int, int] | None = None,
    ) -> None:
        self.tender, self.lot, self.bid, self.supplier = tender, lot, bid, supplier
        self.ctx = context(tender=tender, lot=lot, bid=bid, supplier=supplier)
        self.form = form_build(
            tender=tender,
            lot=lot,
            bid=bid,
            supplier=supplier,
            readout=readout,
            readout_fields=readout_fields,
            attachments=attachments,
        )
        self.form_plaintext = form_plaintext(self.form)
        self.attachments = list(attachments)
        self.key = secrets.token_bytes(32) if key is None else key
        if len(self.key) != 32:
            raise SB1Error("length")
        self.key_commit = key_commit(self.ctx, self.key)
        self.custodians = sorted(custodians, key=lambda c: c.index)
        if [c.index for c in self.custodians] != list(range(1, len(self.custodians) + 1)):
            raise SB1Error("custodians")
        self.threshold = threshold
        self.shares = shamir_split(
            self.key, threshold=threshold, count=len(self.custodians), coefficients=coefficients
        )
        ephemeral_scalars = ephemeral_scalars or {}
        pok_nonces = pok_nonces or {}
        self.wrapped = [
            share_wrap(
                ctx=self.ctx,
                index=c.index,
                custodian_key=c.key,
                key_id=c.key_id,
                share=self.shares[c.index],
                ephemeral_scalar=ephemeral_scalars.get(c.index),
                pok_nonce=pok_nonces.get(c.index),
            )
            for c in self.custodians
        ]
        self._streams: dict[int, SealedFileStream] = {}

    def file_size(self, index: int) -> int:
        return len(self.form_plaintext) if index == 0 else self.attachments[index - 1].size

    def seal_file(self, index: int, source: BinaryIO | None = None) -> SealedFileStream:
        """The chunk stream of file `index`; file 0 (the padded form) needs no source."""
        if index == 0:
            source = io.BytesIO(self.form_plaintext)
        elif not 1 <= index <= len(self.attachments) or source is None:
            raise SB1Error("files")
        stream = SealedFileStream(
            key=self.key, ctx=self.ctx, index=index, source=source, size=self.file_size(index)
        )
        self._streams[index] = stream
        return stream

    def manifest(self, *, replaces: bytes | None, signer: str, created: str) -> dict[str, Any]:
        """The manifest, once every file's stream has been read to its end."""
        files = []
        for index in range(len(self.attachments) + 1):
            if index not in self._streams:
                raise SB1Error("files")
            files.append(self._streams[index].manifest_entry())
        return {
            "suite": "SB1",
            "tender": self.tender,
            "lot": self.lot,
            "bid": self.bid,
            "supplier": self.supplier,
            "replaces": None if replaces is None else b64u(replaces),
            "files": files,
            "key_commit": b64u(self.key_commit),
            "threshold": self.threshold,
            "custodians": [w.manifest_entry() for w in self.wrapped],
            "signer": signer,
            "created": time_field(created),
        }


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return canonical(manifest)


def manifest_sha256(manifest: Mapping[str, Any] | bytes) -> bytes:
    """SHA-256(JCS(manifest)) (pass the object, or its JCS bytes)."""
    return sha256(manifest if isinstance(manifest, bytes) else canonical(manifest))


def manifest_sign(
    manifest: Mapping[str, Any] | bytes,
    private_key: ec.EllipticCurvePrivateKey,
    *,
    deterministic: bool = False,
) -> bytes:
    """The bidder's 64-byte signature over JCS(manifest) with label "SB1/manifest"."""
    raw = manifest if isinstance(manifest, bytes) else canonical(manifest)
    return p256.ecdsa_sign(private_key, "SB1/manifest", raw, deterministic=deterministic)


def manifest_signature_verify(
    raw: bytes, signature: bytes, public_key: bytes | ec.EllipticCurvePublicKey
) -> None:
    p256.ecdsa_verify(public_key, "SB1/manifest", raw, signature)


# --- withdrawal --------------------------------------------------------------------------------

WITHDRAWAL_KEYS = (
    "type",
    "suite",
    "tender",
    "lot",
    "bid",
    "supplier",
    "manifest_sha256",
    "signer",
    "created",
)


def withdrawal_build(
    *,
    tender: str,
    lot: str | None,
    bid: str,
    supplier: str,
    manifest_sha256: bytes,
    signer: str,
    created: str,
    private_key: ec.EllipticCurvePrivateKey,
    deterministic: bool = False,
) -> dict[str, Any]:
    """{"statement": w, "signature": b64u} signed over JCS(w) with label "SB1/withdrawal"."""
    context(tender=tender, lot=lot, bid=bid, supplier=supplier)
    statement = {
        "type": "SB1/withdrawal",
        "suite": "SB1",
        "tender": tender,
        "lot": lot,
        "bid": bid,
        "supplier": supplier,
        "manifest_sha256": b64u(manifest_sha256),
        "signer": signer,
        "created": time_field(created),
    }
    signature = p256.ecdsa_sign(
        private_key, "SB1/withdrawal", canonical(statement), deterministic=deterministic
    )
    return {"statement": statement, "signature": b64u(signature)}


def withdrawal_check(
    envelope: Any, *, public_key: bytes | ec.EllipticCurvePublicKey
) -> tuple[dict[str, Any], bytes]:
    """Check a withdrawal's form and signature (the certificate behind `public_key`, and that it
    names the current version, are the caller's). Returns (statement, withdrawal_sha256)."""
    from .wire import b64u_field, bid_id, lot_id, supplier_id, tender_id

    exact_keys(envelope, ("statement", "signature"))
    statement = exact_keys(envelope["statement"], WITHDRAWAL_KEYS)
    if statement["type"] != "SB1/withdrawal" or statement["suite"] != "SB1":
        raise SB1Error("type")
    (
        tender_id(statement["tender"]),
        lot_id(statement["lot"]),
        bid_id(statement["bid"]),
        supplier_id(statement["supplier"]),
    )
    b64u_field(statement["manifest_sha256"], 32)
    b64u_field(string(statement["signer"]), 32)
    time_field(statement["created"])
    raw = canonical(statement)
    p256.ecdsa_verify(public_key, "SB1/withdrawal", raw, b64u_field(envelope["signature"], 64))
    return statement, sha256(raw)

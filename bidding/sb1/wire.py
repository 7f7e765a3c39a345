"""How SB1 objects travel: strict canonical JSON, exact key sets, integer and time ranges,
b64u fields of fixed lengths, the identifiers T, L, B, S and the bid context `ctx`.
Encodings themselves come from `ledger.encoding` (one implementation for the whole platform)."""

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from ledger.encoding import EncodingError, b64u_decode, b64u_encode, jcs, parse_time
from suppliers.credit_code import credit_code_is_valid

from .errors import SB1Error

MAX_INTEGER = 2**53 - 1
_TENDER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_BID_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_SUPPLIER_ID = re.compile(r"[0-9A-HJ-NP-RTUWXY]{18}")


def b64u(data: bytes) -> str:
    return b64u_encode(data)


def b64u_field(value: Any, length: int | None = None) -> bytes:
    """Decode a b64u string from a message, refusing padding and non-canonical text; if `length`
    is given the decoded bytes must have exactly that many."""
    try:
        data = b64u_decode(value)
    except EncodingError:
        raise SB1Error("b64u") from None
    if length is not None and len(data) != length:
        raise SB1Error("length")
    return data


def _refuse_constant(name: str) -> Any:
    raise SB1Error("json")


def _refuse_float(text: str) -> Any:
    # No SB1 object holds a non-integer number; "1.0" or "1e3" would also fail the JCS comparison.
    raise SB1Error("type")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise SB1Error("json")
    return obj


def json_parse(raw: bytes) -> Any:
    """Parse UTF-8 JSON strictly (no NaN/Infinity, no floats, no duplicate keys)."""
    try:
        text = bytes(raw).decode("utf-8")
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_refuse_float, object_pairs_hook=_no_duplicates
        )
    except SB1Error:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SB1Error("json") from None


def canonical(obj: Any) -> bytes:
    """JCS(obj), with any value JCS cannot represent refused as SB1Error."""
    try:
        return jcs(obj)
    except Exception:  # rfc8785 raises its own types (integer domain, bad surrogates...)
        raise SB1Error("json") from None


def json_parse_canonical(raw: bytes) -> Any:
    """Parse bytes that must equal JCS(parse(bytes)) exactly."""
    obj = json_parse(raw)
    if canonical(obj) != bytes(raw):
        raise SB1Error("not_canonical")
    return obj


def exact_keys(obj: Any, keys: Iterable[str]) -> dict[str, Any]:
    if not isinstance(obj, dict) or set(obj) != set(keys):
        raise SB1Error("keys")
    return obj


def integer(value: Any, low: int = 0, high: int = MAX_INTEGER) -> int:
    if type(value) is not int:  # bool is an int subclass: refused
        raise SB1Error("type")
    if not low <= value <= high:
        raise SB1Error("integer")
    return value


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise SB1Error("type")
    return value


def time_field(value: Any) -> str:
    """An RFC 3339 UTC time with milliseconds, ASCII digits only; returned unchanged."""
    if not isinstance(value, str) or not value.isascii():
        raise SB1Error("time")
    try:
        parse_time(value)
    except EncodingError:
        raise SB1Error("time") from None
    return value


def sha256(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def u8(x: int) -> bytes:
    return x.to_bytes(1, "big")


def u32(x: int) -> bytes:
    return x.to_bytes(4, "big")


def u88(x: int) -> bytes:
    return x.to_bytes(11, "big")


# --- identifiers --------------------------------------------------------------------------------


def tender_id(value: Any) -> str:
    if not isinstance(value, str) or not _TENDER_ID.fullmatch(value):
        raise SB1Error("tender_id")
    return value


def lot_id(value: Any) -> str | None:
    """A lot identifier, or None for a tender without lots."""
    if value is None:
        return None
    if not isinstance(value, str) or not _TENDER_ID.fullmatch(value):
        raise SB1Error("lot_id")
    return value


def bid_id(value: Any) -> str:
    if not isinstance(value, str) or not _BID_ID.fullmatch(value):
        raise SB1Error("bid_id")
    return value


def supplier_id(value: Any) -> str:
    if not isinstance(value, str) or not _SUPPLIER_ID.fullmatch(value) or not credit_code_is_valid(value):
        raise SB1Error("supplier_id")
    return value


def context(*, tender: str, lot: str | None, bid: str, supplier: str) -> bytes:
    """ctx = SHA-256(JCS({"suite":"SB1","tender":T,"lot":L,"bid":B,"supplier":S})), after
    checking every identifier."""
    obj = {
        "suite": "SB1",
        "tender": tender_id(tender),
        "lot": lot_id(lot),
        "bid": bid_id(bid),
        "supplier": supplier_id(supplier),
    }
    return sha256(jcs(obj))


def signer_id(certificate_der: bytes) -> str:
    """`signer` = b64u(SHA-256(certificate DER))."""
    return b64u(sha256(certificate_der))


def key_id(public_key: bytes) -> str:
    """An opening key's `key_id` = b64u(SHA-256(raw point)); a platform key's, over its 32 raw bytes."""
    return b64u(sha256(public_key))

"""The byte and text encodings of SB1 and the ledger, one implementation each, for every app:
base64url without padding (strict), RFC 8785 canonical JSON, and the RFC 3339 UTC time format
with milliseconds (`2026-11-26T06:05:47.123Z`)."""

import base64
import binascii
import re
from datetime import UTC, datetime
from typing import Any

import rfc8785

_B64U_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
_TIME_FORMAT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z")


class EncodingError(ValueError):
    """Input that is not in the one accepted form (padded or non-canonical base64url, bad time)."""


def b64u_encode(data: bytes) -> str:
    """base64url (RFC 4648 section 5) without '=' padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    """The inverse of `b64u_encode`, refusing anything it would not have produced: padding,
    characters outside the URL-safe alphabet, an impossible length, or non-zero unused bits
    (so each byte string has exactly one accepted text)."""
    if not isinstance(text, str) or not _B64U_ALPHABET.fullmatch(text) or len(text) % 4 == 1:
        raise EncodingError("not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise EncodingError("not unpadded base64url") from exc
    if b64u_encode(data) != text:
        raise EncodingError("non-canonical base64url (unused bits set)")
    return data


def jcs(obj: Any) -> bytes:
    """RFC 8785 canonical JSON (UTF-8 bytes). Integers must lie within ±(2^53 − 1)."""
    return rfc8785.dumps(obj)


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with exactly three fraction digits and 'Z': 2026-11-26T06:05:47.123Z.
    Sub-millisecond digits are cut, not rounded, so a time never moves into the future."""
    if moment.tzinfo is None:
        raise EncodingError("a naive datetime has no defined UTC time")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    """The inverse of `format_time`: only that exact form is accepted; returns an aware UTC time."""
    match = _TIME_FORMAT.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise EncodingError("not an RFC 3339 UTC time with milliseconds")
    year, month, day, hour, minute, second, millis = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, millis * 1000, tzinfo=UTC)
    except ValueError as exc:
        raise EncodingError("not a valid date and time") from exc

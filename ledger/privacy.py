"""The ledger's privacy rule as code: a scanner that reads entries and reports anything that
identifies a natural person or opens a private record (docs/ledger.md "What the ledger may hold").

It looks at every string (and integer) anywhere in an entry's document for
- fields named for personal data ("username", "email", "phone", ... : PERSONAL_FIELDS);
- patterns: resident ID numbers (GB 11643-1999, with a valid birth date and check digit),
  mainland mobile and landline telephone numbers, e-mail addresses;
- known private values the caller passes by label: usernames (as whole words), people's names,
  document tokens, enquiry numbers, addresses, ... (as substrings);
- hashes of known private text: SHA-256 (hex or b64u) of each value in `private_texts`, so a
  plain hash of a comment or of a form is caught too.

The ledger sits below the apps that hold the private records, so the caller collects the known
values (the tests do it from every table that holds them)."""

import base64
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_ALNUM_BEFORE, _ALNUM_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
ID_NUMBER = re.compile(_ALNUM_BEFORE + r"(\d{6})(\d{8})(\d{3})([0-9Xx])" + _ALNUM_AFTER)
MOBILE = re.compile(_ALNUM_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}" + _ALNUM_AFTER)
LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)\s?|0\d{2,3}[- ])\d{7,8}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# A field with one of these names holds personal data whatever its value looks like (a username
# that is also an ordinary word, "officer", is caught here rather than by its text).
PERSONAL_FIELDS = frozenset(
    {
        "username",
        "user",
        "email",
        "phone",
        "mobile",
        "telephone",
        "id_number",
        "full_name",
        "address",
        "contact",
    }
)


@dataclass(frozen=True)
class PrivacyFinding:
    index: int  # the entry's index in the ledger
    kind: str  # the entry's kind
    path: str  # where in the document, e.g. "payload.actor.username"
    what: str  # "id_number", "phone", "email", "hash_of_private_text", or a caller's label
    value: str  # the offending string (for the test's failure message; never logged elsewhere)

    def __str__(self) -> str:
        return f"entry {self.index} ({self.kind}) {self.path}: {self.what} {self.value!r}"


def id_number_valid(text: str) -> bool:
    """A resident identity number (GB 11643-1999): 17 digits, a real birth date, the ISO 7064
    MOD 11-2 check character."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date(2100, 12, 31):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def _leaves(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and key.lower() in PERSONAL_FIELDS and value[key] not in (None, ""):
                yield f"{path}.{key}" if path else key, _PERSONAL_FIELD
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _leaves(item, f"{path}[{n}]")
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, str(value)  # an ID or phone number written as a number is still one


_PERSONAL_FIELD = "\x00personal-field"  # a marker `scan` reports as the field itself


def _hash_forms(text: str) -> set[str]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return {digest.hex(), base64.urlsafe_b64encode(digest).rstrip(b"=").decode()}


class LedgerPrivacyScanner:
    """Built once with what is private, then `scan(index=, kind=, document=)` per entry."""

    def __init__(
        self,
        *,
        private_words: Mapping[str, Iterable[str]] | None = None,  # whole-word matches (usernames)
        private_values: Mapping[str, Iterable[str]] | None = None,  # substring matches (names, tokens, ...)
        private_texts: Iterable[str] = (),  # texts whose plain SHA-256 must not appear
    ):
        self._words = [
            (label, re.compile(r"(?<![0-9A-Za-z_.@-])" + re.escape(word) + r"(?![0-9A-Za-z_.@-])", re.I))
            for label, words in (private_words or {}).items()
            for word in {w for w in words if w}
        ]
        self._values = [
            (label, value)
            for label, values in (private_values or {}).items()
            for value in {v.strip() for v in values if v and len(v.strip()) >= 2}
        ]
        self._hashes = {form: text for text in private_texts if text for form in _hash_forms(text)}

    def scan(self, *, index: int, kind: str, document: Any) -> list[PrivacyFinding]:
        findings: list[PrivacyFinding] = []

        def found(path: str, what: str, value: str) -> None:
            findings.append(PrivacyFinding(index=index, kind=kind, path=path, what=what, value=value))

        for path, text in _leaves(document, ""):
            if text is _PERSONAL_FIELD:
                found(path, "personal_field", path.rsplit(".", 1)[-1])
                continue
            for match in ID_NUMBER.finditer(text):
                if id_number_valid(match.group(0)):
                    found(path, "id_number", match.group(0))
            for match in MOBILE.finditer(text):
                found(path, "phone", match.group(0))
            for match in LANDLINE.finditer(text):
                found(path, "phone", match.group(0))
            for match in EMAIL.finditer(text):
                found(path, "email", match.group(0))
            for label, pattern in self._words:
                if pattern.search(text):
                    found(path, label, text)
            for label, value in self._values:
                if value in text:
                    found(path, label, value)
            if text in self._hashes:
                found(path, "hash_of_private_text", self._hashes[text])
        return findings

    def scan_entries(self, entries: Iterable[Any]) -> list[PrivacyFinding]:
        """Scan ledger entries (anything with `index`, `kind` and `document`)."""
        return [
            finding
            for entry in entries
            for finding in self.scan(index=entry.index, kind=entry.kind, document=entry.document)
        ]

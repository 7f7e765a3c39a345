"""Every uploaded file is checked here before it is stored: its size, and its type read from its
first bytes (magic numbers, via the `filetype` library), never from its name or the browser's
Content-Type. The number of files in one request is bounded by DATA_UPLOAD_MAX_NUMBER_FILES
(= UPLOAD_MAX_FILES), which Django enforces for forms and the API alike.

Services that store a file call `upload_check` (so every entry point, page or API, is covered);
forms add `upload_validator` to their FileField so the message appears beside the field.
Sealed-bid chunks are ciphertext and are not typed: SEALED_BIDS.md bounds their sizes."""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError

HEAD_BYTES = 8192  # what `filetype` reads; enough for every signature below

# Kinds by the name `filetype` gives them, plus the two it does not know: OFD (China's fixed-layout
# format, a ZIP with OFD.xml at its root) and plain UTF-8 text without markup.
PDF, PNG, JPEG, OFD, DOCX, XLSX, DOC, XLS, ZIP, TEXT = (
    "pdf", "png", "jpg", "ofd", "docx", "xlsx", "doc", "xls", "zip", "txt",
)  # fmt: skip


class UploadRefused(DomainError):
    code = "upload_refused"


@dataclass(frozen=True)
class UploadPolicy:
    """What one place accepts: the kinds, how they are named to people, and an optional size limit
    below the platform's UPLOAD_MAX_BYTES."""

    kinds: frozenset[str]
    described: Promise
    max_bytes: int | None = None

    def limit(self) -> int:
        platform = settings.UPLOAD_MAX_BYTES
        return min(self.max_bytes, platform) if self.max_bytes else platform


# Scans of certificates, licences and application materials.
SCANS = UploadPolicy(frozenset({PDF, PNG, JPEG, OFD}), _("PDF, JPG, PNG or OFD"))
# Tender documents: also office documents, ZIP archives of them, and plain text.
TENDER_DOCUMENTS = UploadPolicy(
    frozenset({PDF, PNG, JPEG, OFD, DOCX, XLSX, DOC, XLS, ZIP, TEXT}),
    _("PDF, Word, Excel, OFD, ZIP, JPG, PNG or plain text"),
)
PDF_ONLY = UploadPolicy(frozenset({PDF}), _("PDF"))


def _head(upload: Any) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _is_ofd(upload: Any) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return "OFD.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def _is_plain_text(head: bytes) -> bool:
    """UTF-8 without control bytes and without HTML/SVG/XML markup (which a browser would run)."""
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # only a character cut at the end of the head is fine
            return False
    lowered = head.lower()
    return not any(tag in lowered for tag in _MARKUP)


def upload_kind(upload: Any) -> str | None:
    """The file's kind read from its content: a name from the constants above, another `filetype`
    name (say "exe"), or None when nothing recognises it."""
    head = _head(upload)
    guessed = filetype.guess(head)
    if guessed is not None:
        if guessed.extension == ZIP and _is_ofd(upload):
            return OFD
        return guessed.extension
    if head and _is_plain_text(head):
        return TEXT
    return None


def upload_problem(upload: Any, policy: UploadPolicy) -> str | None:
    """Why the upload is refused, in the user's language, or None when it is accepted."""
    limit = policy.limit()
    size = upload.size
    if size is None or size > limit:
        return str(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(limit)}
        )
    if size == 0:
        return str(_("The file is empty."))
    if upload_kind(upload) not in policy.kinds:
        return str(
            _("The file's content is not %(kinds)s, whatever its name says.") % {"kinds": policy.described}
        )
    return None


def upload_check(upload: Any, *, policy: UploadPolicy) -> None:
    """Refuse (UploadRefused, 400) a file too large, empty, or of a kind the policy does not accept."""
    problem = upload_problem(upload, policy)
    if problem:
        raise UploadRefused(problem)


def upload_validator(policy: UploadPolicy) -> Callable[[Any], None]:
    """The same check as a form field validator."""

    def validate(upload: Any) -> None:
        problem = upload_problem(upload, policy)
        if problem:
            raise ValidationError(problem, code="upload_refused")

    return validate

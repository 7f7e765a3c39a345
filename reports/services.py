"""Issuing signed PDF documents: render, sign, store, log in the ledger."""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from config import clock
from config.site import absolute_url
from ledger.encoding import format_time
from ledger.services import ledger_append
from reports.models import SignedDocument
from reports.pdf import qr_svg_data_uri, render_pdf, sign_pdf
from reports.signing import certificate_fingerprint, document_signer


def verification_url(document: SignedDocument) -> str:
    """The QR code's address: the site the issuing request came to, else SITE_URL (config/site.py)."""
    return absolute_url(reverse("reports:verify", args=[document.token]))


@transaction.atomic
def signed_document_issue(
    *,
    kind: str,
    title: str,
    template_name: str,
    context: dict[str, Any],
    subject_ref: str = "",
    filename: str,
    public: bool = False,
) -> SignedDocument:
    """Render `template_name` to PDF with a QR code to its public verification page, sign it, store it.

    `public`: anyone may download it (an opening record); otherwise only the readers its subject's
    app registers (reports.access), and the verification page checks it without showing it.

    Before: nothing. After: a SignedDocument whose file is the signed PDF and whose `sha256` is that
    file's hash; a ledger entry "document.issued" with its kind, hash and time. Not the token: it
    names the verification page, which for a private document only its holders should find."""
    document = SignedDocument(
        kind=kind, title=title, subject_ref=subject_ref, issued_at=clock.now(), public=public
    )
    url = verification_url(document)
    pdf = render_pdf(
        template_name, {**context, "document": document, "verify_url": url, "qr": qr_svg_data_uri(url)}
    )
    signed = sign_pdf(pdf, reason=title)
    signer = document_signer()
    document.sha256 = hashlib.sha256(signed).hexdigest()
    document.size = len(signed)
    document.signer_subject = signer.certificate.subject.rfc4514_string()
    document.signer_fingerprint = certificate_fingerprint(signer.certificate)
    document.file.save(filename, ContentFile(signed), save=False)
    document.save()
    ledger_append(
        kind="document.issued",
        payload={
            "document_kind": kind,
            "sha256": document.sha256,
            "issued_at": format_time(document.issued_at),
        },
    )
    return document

"""PDF documents: render a template with WeasyPrint (CJK through Noto fonts), sign it PAdES with the
platform's document-signing certificate (pyHanko), and verify such a signature."""

import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import segno
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.template.loader import render_to_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from reports.signing import document_signer


def qr_svg_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI, for <img> in a PDF template."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree, language, title), so screen readers can read it."""
    from weasyprint import HTML  # imported late: loading Pango is slow and only PDF paths need it

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _asn1(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign_pdf(pdf: bytes, *, reason: str, location: str = "Yizhan") -> bytes:
    """Sign `pdf` (an incremental update) with the platform document-signing key, PAdES baseline B."""
    signer_keys = document_signer()
    key_der = signer_keys.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1(signer_keys.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in signer_keys.chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="YizhanSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    sha256: str
    signed: bool  # the file carries a signature at all
    intact: bool  # the signed bytes were not changed
    trusted: bool  # the certificate chains to the platform root
    covers_whole_file: bool  # nothing was appended after signing
    signer: str

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def verify_pdf(pdf: bytes) -> SignatureCheck:
    """Check the first signature of `pdf` against the platform root certificate."""
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(BytesIO(pdf))
        embedded = reader.embedded_signatures
    except Exception:  # noqa: BLE001 — anything unreadable is simply "not a signed PDF"
        return SignatureCheck(digest, False, False, False, False, "")
    if not embedded:
        return SignatureCheck(digest, False, False, False, False, "")
    root = document_signer().root
    context = ValidationContext(trust_roots=[_asn1(root)], allow_fetching=False)
    status = validate_pdf_signature(embedded[0], context)
    return SignatureCheck(
        sha256=digest,
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
    )

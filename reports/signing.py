"""The platform's document-signing certificate: an ECDSA P-256 key under
settings.PLATFORM_KEY_DIR/documents, certified by the platform issuing CA (suppliers.ca).

In the embedded default the platform CA is created on first use when `ca_init` has not been run;
production runs `manage.py ca_init` once and keeps the key directory and passphrase safe."""

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from config import clock
from suppliers import ca

KEY_FILE, CERT_FILE = "document-signing.key.pem", "document-signing.crt.pem"
CERT_YEARS = 5
# id-kp-documentSigning (RFC 9336): the certificate signs documents, not TLS or code.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


def signing_dir() -> Path:
    return Path(settings.PLATFORM_KEY_DIR) / "documents"


@dataclass(frozen=True)
class DocumentSigner:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # issuing CA, root
    root: x509.Certificate


def _issue() -> None:
    directory = signing_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not ca.ca_exists():
        ca.ca_init()
    issuing = ca.issuing_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now().replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yizhan platform"),
                    x509.NameAttribute(NameOID.COMMON_NAME, "Yizhan document signing"),
                ]
            )
        )
        .issuer_name(issuing.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Never valid before its issuer: a chain whose leaf predates the CA does not validate.
        .not_valid_before(max(now - dt.timedelta(minutes=5), issuing.certificate.not_valid_before_utc))
        .not_valid_after(
            min(now + dt.timedelta(days=365 * CERT_YEARS), issuing.certificate.not_valid_after_utc)
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuing.key.public_key()), critical=False
        )
        .sign(issuing.key, hashes.SHA384())
    )
    passphrase = settings.PLATFORM_KEY_PASSPHRASE
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    fd = os.open(directory / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    (directory / CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@lru_cache(maxsize=4)
def _loaded(directory: str, mtime_ns: int) -> DocumentSigner:
    path = Path(directory)
    passphrase = settings.PLATFORM_KEY_PASSPHRASE.encode() or None
    key = serialization.load_pem_private_key((path / KEY_FILE).read_bytes(), password=passphrase)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    issuing = ca.issuing_ca()
    return DocumentSigner(
        key=key,
        certificate=x509.load_pem_x509_certificate((path / CERT_FILE).read_bytes()),
        chain=(issuing.certificate, issuing.root),
        root=issuing.root,
    )


def document_signer() -> DocumentSigner:
    """The document-signing key and certificate, issued on first use."""
    directory = signing_dir()
    if not (directory / KEY_FILE).exists() or not (directory / CERT_FILE).exists():
        _issue()
    return _loaded(str(directory), (directory / KEY_FILE).stat().st_mtime_ns)


def certificate_fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()

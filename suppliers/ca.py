"""The platform certificate authority: a root CA and an issuing CA (ECDSA P-384), their keys in
files under settings.PLATFORM_KEY_DIR/ca (outside the repository), encrypted with
settings.PLATFORM_KEY_PASSPHRASE when it is set (production settings require it).

The root signs only the issuing CA; the issuing CA signs people's certificates and the CRL."""

import contextlib
import datetime as dt
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from config import clock
from suppliers.exceptions import CertificateAuthorityMissing

ROOT_KEY, ROOT_CERT = "root.key.pem", "root.crt.pem"
ISSUING_KEY, ISSUING_CERT = "issuing.key.pem", "issuing.crt.pem"
ROOT_YEARS, ISSUING_YEARS = 20, 10
# ETSI EN 319 412-1 semantic identifier for a national trade register number in China; the subject's
# organizationIdentifier (2.5.4.97) of a bidder's certificate is "NTRCN-" + the credit code.
ORGANIZATION_IDENTIFIER_PREFIX = "NTRCN-"


def ca_dir() -> Path:
    return Path(settings.PLATFORM_KEY_DIR) / "ca"


def _encryption() -> serialization.KeySerializationEncryption:
    passphrase = settings.PLATFORM_KEY_PASSPHRASE
    if passphrase:
        return serialization.BestAvailableEncryption(passphrase.encode())
    return serialization.NoEncryption()


def _write_private(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, _encryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yizhan platform"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def ca_exists() -> bool:
    return all((ca_dir() / name).exists() for name in (ROOT_KEY, ROOT_CERT, ISSUING_KEY, ISSUING_CERT))


def ca_init() -> tuple[x509.Certificate, x509.Certificate]:
    """Make the root and issuing CA. Refuses to overwrite: a new root would orphan every certificate.

    The files are written into a fresh directory that is then renamed into place, so two processes
    racing to make the CA leave exactly one (the loser gets FileExistsError)."""
    final = ca_dir()
    if ca_exists():
        raise FileExistsError(f"a platform CA already exists in {final}")
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory = Path(tempfile.mkdtemp(prefix=".ca-", dir=final.parent))
    now = clock.now().replace(microsecond=0)

    root_key = ec.generate_private_key(ec.SECP384R1())
    root_name = _name("Yizhan Root CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA384())
    )
    issuing_key = ec.generate_private_key(ec.SECP384R1())
    issuing = (
        x509.CertificateBuilder()
        .subject_name(_name("Yizhan Issuing CA 1"))
        .issuer_name(root_name)
        .public_key(issuing_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * ISSUING_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(issuing_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA384())
    )
    _write_private(directory / ROOT_KEY, root_key)
    _write_private(directory / ISSUING_KEY, issuing_key)
    (directory / ROOT_CERT).write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (directory / ISSUING_CERT).write_bytes(issuing.public_bytes(serialization.Encoding.PEM))
    try:
        os.rename(directory, final)
    except OSError:
        shutil.rmtree(directory, ignore_errors=True)
        raise FileExistsError(f"a platform CA already exists in {final}") from None
    _issuing_loaded.cache_clear()
    return root, issuing


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class IssuingCA:
    root: x509.Certificate
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


@lru_cache(maxsize=4)
def _issuing_loaded(directory: str, mtime_ns: int) -> IssuingCA:
    path = Path(directory)
    passphrase = settings.PLATFORM_KEY_PASSPHRASE.encode() or None
    key = serialization.load_pem_private_key((path / ISSUING_KEY).read_bytes(), password=passphrase)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return IssuingCA(
        root=x509.load_pem_x509_certificate((path / ROOT_CERT).read_bytes()),
        certificate=x509.load_pem_x509_certificate((path / ISSUING_CERT).read_bytes()),
        key=key,
    )


def _autogenerate_allowed() -> bool:
    """Outside production a missing CA is made on first use (the embedded default and tests);
    production refuses and the operator runs `manage.py ca_init` (or installs an external CA's files)."""
    if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith("production"):
        return False
    return bool(getattr(settings, "PLATFORM_KEY_AUTOGENERATE", True))


def issuing_ca() -> IssuingCA:
    """The issuing CA with its key (decrypted once per process and key file)."""
    if not ca_exists():
        if not _autogenerate_allowed():
            raise CertificateAuthorityMissing()
        with contextlib.suppress(FileExistsError):  # another process made it first
            ca_init()
    directory = ca_dir()
    return _issuing_loaded(str(directory), (directory / ISSUING_KEY).stat().st_mtime_ns)


def chain_pem() -> bytes:
    """The issuing and root certificates, PEM, for clients to verify a person's certificate."""
    ca = issuing_ca()
    return ca.certificate.public_bytes(serialization.Encoding.PEM) + ca.root.public_bytes(
        serialization.Encoding.PEM
    )


def person_certificate_issue(
    *,
    public_key: ec.EllipticCurvePublicKey,
    common_name: str,
    user_id: str,
    organisation_name: str | None,
    credit_code: str | None,
    unit: str,
    not_before: dt.datetime,
    days: int,
) -> x509.Certificate:
    """Sign a certificate binding `public_key` to a person (UID, CN) and, for a bidder, its supplier
    (O = name, organizationIdentifier = NTRCN-<credit code>). OU says bidder or custodian."""
    ca = issuing_ca()
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if organisation_name and credit_code:
        attributes += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation_name),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, ORGANIZATION_IDENTIFIER_PREFIX + credit_code),
        ]
    attributes += [
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        x509.NameAttribute(NameOID.USER_ID, user_id),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    not_before = not_before.replace(microsecond=0)
    not_after = min(not_before + dt.timedelta(days=days), ca.certificate.not_valid_after_utc)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1 or 1)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[
                            x509.UniformResourceIdentifier(
                                settings.SITE_URL.rstrip("/") + "/suppliers/crl.der"
                            )
                        ],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .sign(ca.key, hashes.SHA384())
    )


def crl_build(
    *, revoked: list[tuple[int, dt.datetime]], this_update: dt.datetime
) -> x509.CertificateRevocationList:
    """The issuing CA's CRL over (serial, revoked_at) pairs; the next one is due within a day."""
    ca = issuing_ca()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(this_update)
        .next_update(this_update + dt.timedelta(days=1))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    for serial, revoked_at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(revoked_at).build()
        )
    return builder.sign(ca.key, hashes.SHA384())

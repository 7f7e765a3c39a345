"""The client's key handling: P-256 signing keys, passphrase-protected key files, and the SB1
opening-key registration and custodian confirmation. The SB1 objects come from `bidding.sb1`, the
same code the server checks them with; this module only adds the signing-key backup file and maps
SB1's refusals to `KeyFileError` for the command line.

Key files are JSON, one format for both kinds (SEALED_BIDS.md "Keys" defines the custodian one):
  {"type": T, <header fields>, "kdf":"PBKDF2-SHA256","iterations":i,"salt":b64u(16),"nonce":b64u(12),
   "ciphertext":b64u(AES-256-GCM(PBKDF2-SHA256(NFC passphrase, salt, i), nonce, PKCS#8 DER, AAD))}
  AAD = T ‖ 0x00 ‖ JCS(the object without "nonce" and "ciphertext")
- "SB1/custodian-key": header {"tender": T, "key_id": b64u(SHA-256(C_j))} (the spec's format).
- "YZ/signing-key": header {"key": b64u(raw public point)}; the browser's backup file is the same."""

import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bidding.sb1 import p256
from bidding.sb1.custodian import (
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    confirmation_build,
    custodian_key_file_decrypt,
    custodian_key_file_encrypt,
    opening_key_registration_build,
    passphrase_key,
)
from bidding.sb1.errors import SB1Error
from bidding.sb1.wire import key_id
from ledger.encoding import b64u_decode, b64u_encode, jcs

ITERATIONS = MIN_ITERATIONS
SIGNING_KEY_TYPE = "YZ/signing-key"
CUSTODIAN_KEY_TYPE = "SB1/custodian-key"
_SIGNING_KEY_FIELDS = {"type", "key", "kdf", "iterations", "salt", "nonce", "ciphertext"}

__all__ = [
    "key_id",
    "point_of",
    "sign",
    "verify",
    "key_generate",
    "key_file_write",
    "key_file_read",
    "opening_key_registration",
    "custodian_confirmation",
    "KeyFileError",
]


class KeyFileError(ValueError):
    """A key file that cannot be used: wrong passphrase, another tender, a damaged or foreign file."""


def key_generate() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


point_of = p256.public_key_bytes


def sign(key: ec.EllipticCurvePrivateKey, label: str, message: bytes) -> str:
    """b64u of the P1363 signature r‖s over label ‖ 0x00 ‖ message."""
    return b64u_encode(p256.ecdsa_sign(key, label, message))


def verify(point: bytes, label: str, message: bytes, signature: str) -> bool:
    try:
        p256.ecdsa_verify(point, label, message, b64u_decode(signature))
    except (SB1Error, ValueError):
        return False
    return True


def key_file_write(
    key: ec.EllipticCurvePrivateKey,
    *,
    kind: str,
    passphrase: str,
    tender: str | None = None,
    iterations: int = ITERATIONS,
) -> dict[str, Any]:
    """The key file object for `key` (see the module docstring)."""
    if kind == CUSTODIAN_KEY_TYPE:
        if not tender:
            raise ValueError("a custodian key file names its tender")
        return custodian_key_file_encrypt(
            tender=tender, private_key=key, passphrase=passphrase, iterations=iterations
        )
    if kind != SIGNING_KEY_TYPE:
        raise ValueError(f"unknown key file type {kind}")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header: dict[str, Any] = {
        "type": kind,
        "key": b64u_encode(point_of(key)),
        "kdf": "PBKDF2-SHA256",
        "iterations": iterations,
        "salt": b64u_encode(salt),
    }
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    aad = kind.encode("ascii") + b"\x00" + jcs(header)
    ciphertext = AESGCM(passphrase_key(passphrase, salt, iterations)).encrypt(nonce, der, aad)
    return {**header, "nonce": b64u_encode(nonce), "ciphertext": b64u_encode(ciphertext)}


def key_file_read(
    data: dict[str, Any] | bytes | str, *, kind: str, passphrase: str, tender: str | None = None
) -> ec.EllipticCurvePrivateKey:
    """The private key in a key file; refuses another kind or tender, a wrong passphrase, a key that
    is not P-256, or one whose public key differs from the file's `key`/`key_id`."""
    if isinstance(data, bytes | str):
        data = json.loads(data)
    if not isinstance(data, dict) or data.get("type") != kind:
        raise KeyFileError(f"not a {kind} file")
    if kind == CUSTODIAN_KEY_TYPE:
        if data.get("tender") != tender:
            raise KeyFileError(f"this key file is for tender {data.get('tender')}, not {tender}")
        try:
            return custodian_key_file_decrypt(data, tender=tender, passphrase=passphrase)
        except SB1Error as exc:
            raise KeyFileError(
                f"the key file cannot be used ({exc.code}): wrong passphrase, or it was altered"
            ) from None
    if set(data) != _SIGNING_KEY_FIELDS or data["kdf"] != "PBKDF2-SHA256":
        raise KeyFileError("the key file does not have the expected fields")
    iterations = data["iterations"]
    if not isinstance(iterations, int) or not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise KeyFileError("the key file's iteration count is out of range")
    header = {k: v for k, v in data.items() if k not in ("nonce", "ciphertext")}
    salt, nonce = b64u_decode(data["salt"]), b64u_decode(data["nonce"])
    if len(salt) != 16 or len(nonce) != 12:
        raise KeyFileError("the key file's salt or nonce has the wrong length")
    try:
        der = AESGCM(passphrase_key(passphrase, salt, iterations)).decrypt(
            nonce, b64u_decode(data["ciphertext"]), kind.encode("ascii") + b"\x00" + jcs(header)
        )
    except InvalidTag:
        raise KeyFileError("wrong passphrase, or the file was altered") from None
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise KeyFileError("the key in the file is not a P-256 key")
    if b64u_encode(point_of(key)) != data["key"]:
        raise KeyFileError("the key in the file does not match the file's key identifier")
    return key


def opening_key_registration(
    *,
    tender: str,
    index: int,
    opening_key: ec.EllipticCurvePrivateKey,
    signing_key: ec.EllipticCurvePrivateKey,
    signer: str,
    created: str,
) -> dict[str, Any]:
    """{"registration": r, "pop", "signature"} as SEALED_BIDS.md "Keys" defines it."""
    return opening_key_registration_build(
        tender=tender,
        index=index,
        opening_key=opening_key,
        signing_key=signing_key,
        signer=signer,
        created=created,
    )


def custodian_confirmation(
    *,
    tender: str,
    custodians: list[dict[str, Any]],
    threshold: int,
    deadline: str,
    share_window_s: int,
    signer: str,
    signing_key: ec.EllipticCurvePrivateKey,
) -> dict[str, Any]:
    return confirmation_build(
        tender=tender,
        custodians=[(c["index"], c["key_id"]) for c in custodians],
        threshold=threshold,
        deadline=deadline,
        share_window_s=share_window_s,
        signer=signer,
        signing_key=signing_key,
    )

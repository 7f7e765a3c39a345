"""The client's own cryptography (independent of the server's code, checked against it in tests):
P-256 keys, labelled ECDSA in IEEE P1363 form, passphrase-protected key files, the SB1 opening-key
registration and custodian confirmation.

Key files are JSON, one format for both kinds (SEALED_BIDS.md "Keys" defines the custodian one):
  {"type": T, <header fields>, "kdf":"PBKDF2-SHA256","iterations":i,"salt":b64u(16),"nonce":b64u(12),
   "ciphertext":b64u(AES-256-GCM(PBKDF2-SHA256(NFC passphrase, salt, i), nonce, PKCS#8 DER, AAD))}
  AAD = T ‖ 0x00 ‖ JCS(the object without "nonce" and "ciphertext")
- "SB1/custodian-key": header {"tender": T, "key_id": b64u(SHA-256(C_j))} (the spec's format).
- "YZ/signing-key": header {"key": b64u(raw public point)}; the browser's backup file is the same."""

import hashlib
import json
import secrets
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from ledger.encoding import b64u_decode, b64u_encode, jcs

ITERATIONS = 600_000
MAX_ITERATIONS = 10_000_000
SIGNING_KEY_TYPE = "YZ/signing-key"
CUSTODIAN_KEY_TYPE = "SB1/custodian-key"
_HEADER_KEYS = {SIGNING_KEY_TYPE: ("key",), CUSTODIAN_KEY_TYPE: ("tender", "key_id")}


class KeyFileError(ValueError):
    """A key file that cannot be used: wrong passphrase, another tender, a damaged or foreign file."""


def key_generate() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def point_of(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def key_id(point: bytes) -> str:
    return b64u_encode(hashlib.sha256(point).digest())


def sign(key: ec.EllipticCurvePrivateKey, label: str, message: bytes) -> str:
    """b64u of the P1363 signature r‖s over label ‖ 0x00 ‖ message."""
    der = key.sign(label.encode("ascii") + b"\x00" + message, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return b64u_encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def verify(point: bytes, label: str, message: bytes, signature: str) -> bool:
    raw = b64u_decode(signature)
    if len(raw) != 64:
        return False
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    try:
        public.verify(
            encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
            label.encode("ascii") + b"\x00" + message,
            ec.ECDSA(hashes.SHA256()),
        )
    except InvalidSignature:
        return False
    return True


def _wrapping_key(passphrase: str, salt: bytes, iterations: int) -> bytes:
    normalised = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(normalised)


def _aad(kind: str, header: dict[str, Any]) -> bytes:
    return kind.encode("ascii") + b"\x00" + jcs(header)


def key_file_write(key: ec.EllipticCurvePrivateKey, *, kind: str, passphrase: str, tender: str | None = None,
                   iterations: int = ITERATIONS) -> dict[str, Any]:
    """The key file object for `key` (see the module docstring)."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    point = point_of(key)
    header: dict[str, Any] = {"type": kind}
    if kind == CUSTODIAN_KEY_TYPE:
        if not tender:
            raise ValueError("a custodian key file names its tender")
        header |= {"tender": tender, "key_id": key_id(point)}
    elif kind == SIGNING_KEY_TYPE:
        header |= {"key": b64u_encode(point)}
    else:
        raise ValueError(f"unknown key file type {kind}")
    header |= {"kdf": "PBKDF2-SHA256", "iterations": iterations, "salt": b64u_encode(salt)}
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    ciphertext = AESGCM(_wrapping_key(passphrase, salt, iterations)).encrypt(nonce, der, _aad(kind, header))
    return {**header, "nonce": b64u_encode(nonce), "ciphertext": b64u_encode(ciphertext)}


def key_file_read(data: dict[str, Any] | bytes | str, *, kind: str, passphrase: str,
                  tender: str | None = None) -> ec.EllipticCurvePrivateKey:
    """The private key in a key file; refuses another kind or tender, a wrong passphrase, a key that
    is not P-256, or one whose public key differs from the file's `key`/`key_id`."""
    if isinstance(data, bytes | str):
        data = json.loads(data)
    if not isinstance(data, dict) or data.get("type") != kind:
        raise KeyFileError(f"not a {kind} file")
    expected = {"type", *_HEADER_KEYS[kind], "kdf", "iterations", "salt", "nonce", "ciphertext"}
    if set(data) != expected or data["kdf"] != "PBKDF2-SHA256":
        raise KeyFileError("the key file does not have the expected fields")
    iterations = data["iterations"]
    if not isinstance(iterations, int) or not ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise KeyFileError("the key file's iteration count is out of range")
    if kind == CUSTODIAN_KEY_TYPE and data["tender"] != tender:
        raise KeyFileError(f"this key file is for tender {data['tender']}, not {tender}")
    header = {k: v for k, v in data.items() if k not in ("nonce", "ciphertext")}
    salt, nonce = b64u_decode(data["salt"]), b64u_decode(data["nonce"])
    if len(salt) != 16 or len(nonce) != 12:
        raise KeyFileError("the key file's salt or nonce has the wrong length")
    try:
        der = AESGCM(_wrapping_key(passphrase, salt, iterations)).decrypt(
            nonce, b64u_decode(data["ciphertext"]), _aad(kind, header)
        )
    except InvalidTag:
        raise KeyFileError("wrong passphrase, or the file was altered") from None
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise KeyFileError("the key in the file is not a P-256 key")
    point = point_of(key)
    if (kind == CUSTODIAN_KEY_TYPE and key_id(point) != data["key_id"]) or (
        kind == SIGNING_KEY_TYPE and b64u_encode(point) != data["key"]
    ):
        raise KeyFileError("the key in the file does not match the file's key identifier")
    return key


def opening_key_registration(*, tender: str, index: int, opening_key: ec.EllipticCurvePrivateKey,
                             signing_key: ec.EllipticCurvePrivateKey, signer: str, created: str) -> dict[str, Any]:
    """{"registration": r, "pop", "signature"} as SEALED_BIDS.md "Keys" defines it."""
    point = point_of(opening_key)
    registration = {"type": "SB1/opening-key", "tender": tender, "index": index, "key": b64u_encode(point),
                    "key_id": key_id(point), "signer": signer, "created": created}
    raw = jcs(registration)
    return {"registration": registration, "pop": sign(opening_key, "SB1/key-pop", raw),
            "signature": sign(signing_key, "SB1/opening-key", raw)}


def custodian_confirmation(*, tender: str, custodians: list[dict[str, Any]], threshold: int, deadline: str,
                           share_window_s: int, signer: str, signing_key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    confirmation = {"type": "SB1/custodian-confirmation", "tender": tender,
                    "custodians": sorted(({"index": c["index"], "key_id": c["key_id"]} for c in custodians),
                                         key=lambda c: c["index"]),
                    "threshold": threshold, "deadline": deadline, "share_window_s": share_window_s,
                    "signer": signer}
    return {"confirmation": confirmation, "signature": sign(signing_key, "SB1/confirm", jcs(confirmation))}

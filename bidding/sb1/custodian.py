"""The custodian's side of SB1 (SEALED_BIDS.md "Keys" and Opening 1): the per-tender opening
key, its registration with proof of possession, the passphrase-encrypted key file the browser
page and the CLI share, the confirmation of the tender's parameters, and the answer to a slot
(Z_j = c_j·E_j with its DLEQ proof). The server's checks of each object are here too."""

import secrets
import unicodedata
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from . import p256
from .errors import SB1Error
from .seal import ServedSlot
from .wire import (
    b64u,
    b64u_field,
    canonical,
    exact_keys,
    integer,
    json_parse,
    key_id,
    string,
    tender_id,
    time_field,
)

REGISTRATION_KEYS = ("type", "tender", "index", "key", "key_id", "signer", "created")
KEY_FILE_KEYS = ("type", "tender", "key_id", "kdf", "iterations", "salt", "nonce", "ciphertext")
KEY_FILE_AAD_KEYS = ("type", "tender", "key_id", "kdf", "iterations", "salt")
CONFIRMATION_KEYS = ("type", "tender", "custodians", "threshold", "deadline", "share_window_s", "signer")
SHARE_KEYS = ("type", "tender", "handle", "index", "ctx", "ephemeral", "point", "proof", "signer", "created")
MIN_ITERATIONS = 600_000
MAX_ITERATIONS = 10_000_000


def opening_key_generate() -> ec.EllipticCurvePrivateKey:
    """A fresh opening key pair (c_j, C_j); one per custodian per tender."""
    return ec.generate_private_key(ec.SECP256R1())


def opening_key_id(private_or_public: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey | bytes) -> str:
    raw = (
        private_or_public
        if isinstance(private_or_public, bytes)
        else p256.public_key_bytes(private_or_public)
    )
    return key_id(raw)


# --- registration ------------------------------------------------------------------------------


def opening_key_registration_build(
    *,
    tender: str,
    index: int,
    opening_key: ec.EllipticCurvePrivateKey,
    signing_key: ec.EllipticCurvePrivateKey,
    signer: str,
    created: str,
    deterministic: bool = False,
) -> dict[str, Any]:
    """`{"registration": r, "pop": b64u, "signature": b64u}`: pop by the opening key with label
    "SB1/key-pop", signature by the custodian's signing key with label "SB1/opening-key"."""
    public = p256.public_key_bytes(opening_key)
    registration = {
        "type": "SB1/opening-key",
        "tender": tender_id(tender),
        "index": integer(index, 1, 255),
        "key": b64u(public),
        "key_id": key_id(public),
        "signer": signer,
        "created": time_field(created),
    }
    raw = canonical(registration)
    return {
        "registration": registration,
        "pop": b64u(p256.ecdsa_sign(opening_key, "SB1/key-pop", raw, deterministic=deterministic)),
        "signature": b64u(p256.ecdsa_sign(signing_key, "SB1/opening-key", raw, deterministic=deterministic)),
    }


def opening_key_registration_check(
    envelope: Any,
    *,
    signing_public_key: bytes | ec.EllipticCurvePublicKey,
    tender: str | None = None,
    index: int | None = None,
) -> dict[str, Any]:
    """Form, key_id = SHA-256(key), pop and custodian signature. (That the signer's certificate is
    valid and that no other registration uses this key are the caller's checks.)"""
    exact_keys(envelope, ("registration", "pop", "signature"))
    r = exact_keys(envelope["registration"], REGISTRATION_KEYS)
    if r["type"] != "SB1/opening-key":
        raise SB1Error("type")
    tender_id(r["tender"]), integer(r["index"], 1, 255), time_field(r["created"]), b64u_field(r["signer"], 32)
    if (tender is not None and r["tender"] != tender) or (index is not None and r["index"] != index):
        raise SB1Error("mismatch")
    public = b64u_field(r["key"], 65)
    p256.point_parse(public)
    if r["key_id"] != key_id(public):
        raise SB1Error("key_id")
    raw = canonical(r)
    p256.ecdsa_verify(public, "SB1/key-pop", raw, b64u_field(envelope["pop"], 64))
    p256.ecdsa_verify(signing_public_key, "SB1/opening-key", raw, b64u_field(envelope["signature"], 64))
    return r


# --- the key file ------------------------------------------------------------------------------


def passphrase_key(passphrase: str, salt: bytes, iterations: int) -> bytes:
    """PBKDF2-SHA256 over the NFC passphrase: the key that encrypts a key file (also the client's
    signing-key backup, which follows the same format)."""
    normalised = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(
        normalised
    )


def _key_file_aad(header: dict[str, Any]) -> bytes:
    return b"SB1/custodian-key\x00" + canonical({k: header[k] for k in KEY_FILE_AAD_KEYS})


def custodian_key_file_encrypt(
    *,
    tender: str,
    private_key: ec.EllipticCurvePrivateKey,
    passphrase: str,
    iterations: int = MIN_ITERATIONS,
    salt: bytes | None = None,
    nonce: bytes | None = None,
) -> dict[str, Any]:
    """The key file object: AES-256-GCM over the PKCS#8 DER under PBKDF2-SHA256(NFC passphrase).
    `salt` and `nonce` are random unless given (vectors only)."""
    integer(iterations, MIN_ITERATIONS, MAX_ITERATIONS)
    salt = secrets.token_bytes(16) if salt is None else salt
    nonce = secrets.token_bytes(12) if nonce is None else nonce
    if len(salt) != 16 or len(nonce) != 12:
        raise SB1Error("length")
    header = {
        "type": "SB1/custodian-key",
        "tender": tender_id(tender),
        "key_id": opening_key_id(private_key),
        "kdf": "PBKDF2-SHA256",
        "iterations": iterations,
        "salt": b64u(salt),
    }
    der = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    ciphertext = AESGCM(passphrase_key(passphrase, salt, iterations)).encrypt(
        nonce, der, _key_file_aad(header)
    )
    return {**header, "nonce": b64u(nonce), "ciphertext": b64u(ciphertext)}


def custodian_key_file_decrypt(
    key_file: dict[str, Any] | bytes, *, tender: str, passphrase: str
) -> ec.EllipticCurvePrivateKey:
    """The opening key inside a key file; refuses a file of another tender, a wrong passphrase,
    a key that is not P-256, or one whose public key does not have the file's key_id."""
    data = json_parse(key_file) if isinstance(key_file, bytes) else key_file
    exact_keys(data, KEY_FILE_KEYS)
    if data["type"] != "SB1/custodian-key" or data["kdf"] != "PBKDF2-SHA256":
        raise SB1Error("key_file")
    if data["tender"] != tender:
        raise SB1Error("mismatch")
    iterations = integer(data["iterations"], MIN_ITERATIONS, MAX_ITERATIONS)
    salt, nonce = b64u_field(data["salt"], 16), b64u_field(data["nonce"], 12)
    b64u_field(string(data["key_id"]), 32)
    try:
        der = AESGCM(passphrase_key(passphrase, salt, iterations)).decrypt(
            nonce, b64u_field(data["ciphertext"]), _key_file_aad(data)
        )
    except InvalidTag:
        raise SB1Error("key_file") from None
    try:
        private_key = serialization.load_der_private_key(der, password=None)
    except ValueError:
        raise SB1Error("key_file") from None
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP256R1
    ):
        raise SB1Error("key_file")
    if opening_key_id(private_key) != data["key_id"]:
        raise SB1Error("key_id")
    return private_key


# --- confirmation ------------------------------------------------------------------------------


def confirmation_build(
    *,
    tender: str,
    custodians: Sequence[tuple[int, str]],
    threshold: int,
    deadline: str,
    share_window_s: int,
    signer: str,
    signing_key: ec.EllipticCurvePrivateKey,
    deterministic: bool = False,
) -> dict[str, Any]:
    """`{"confirmation": c, "signature": b64u}`, label "SB1/confirm"; custodians as (index, key_id)."""
    confirmation = {
        "type": "SB1/custodian-confirmation",
        "tender": tender_id(tender),
        "custodians": [{"index": j, "key_id": k} for j, k in sorted(custodians)],
        "threshold": integer(threshold, 2, 255),
        "deadline": time_field(deadline),
        "share_window_s": integer(share_window_s),
        "signer": signer,
    }
    return {
        "confirmation": confirmation,
        "signature": b64u(
            p256.ecdsa_sign(signing_key, "SB1/confirm", canonical(confirmation), deterministic=deterministic)
        ),
    }


def confirmation_check(
    envelope: Any, *, signing_public_key: bytes | ec.EllipticCurvePublicKey
) -> dict[str, Any]:
    exact_keys(envelope, ("confirmation", "signature"))
    c = exact_keys(envelope["confirmation"], CONFIRMATION_KEYS)
    if c["type"] != "SB1/custodian-confirmation":
        raise SB1Error("type")
    (
        tender_id(c["tender"]),
        time_field(c["deadline"]),
        integer(c["share_window_s"]),
        b64u_field(c["signer"], 32),
    )
    if (
        not isinstance(c["custodians"], list)
        or not 2 <= integer(c["threshold"], 2, 255) <= len(c["custodians"]) <= 255
    ):
        raise SB1Error("threshold")
    for position, item in enumerate(c["custodians"], start=1):
        exact_keys(item, ("index", "key_id"))
        if integer(item["index"], 1, 255) != position:
            raise SB1Error("custodians")
        b64u_field(item["key_id"], 32)
    p256.ecdsa_verify(signing_public_key, "SB1/confirm", canonical(c), b64u_field(envelope["signature"], 64))
    return c


# --- answering a slot --------------------------------------------------------------------------


def share_submission_build(
    *,
    slot: ServedSlot,
    opening_key: ec.EllipticCurvePrivateKey,
    signing_key: ec.EllipticCurvePrivateKey,
    signer: str,
    created: str,
    nonce: int | None = None,
    deterministic: bool = False,
) -> dict[str, Any]:
    """`{"submission": s, "signature": b64u}` for one checked slot (`seal.served_slot_check`):
    Z_j = c_j·E_j with its DLEQ proof, signed with label "SB1/share". `nonce` only for vectors."""
    point, proof = p256.dleq_prove(
        ctx=slot.ctx,
        index=slot.index,
        scalar=p256.private_key_scalar(opening_key),
        ephemeral=slot.ephemeral,
        nonce=nonce,
    )
    submission = {
        "type": "SB1/share",
        "tender": slot.tender,
        "handle": b64u(slot.handle),
        "index": slot.index,
        "ctx": b64u(slot.ctx),
        "ephemeral": b64u(slot.ephemeral),
        "point": b64u(point),
        "proof": b64u(proof),
        "signer": signer,
        "created": time_field(created),
    }
    return {
        "submission": submission,
        "signature": b64u(
            p256.ecdsa_sign(signing_key, "SB1/share", canonical(submission), deterministic=deterministic)
        ),
    }

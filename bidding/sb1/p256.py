"""P-256 for SB1: raw uncompressed SEC1 points (checked on the curve, never the identity),
scalars below q, point arithmetic (pycryptodome `ECC`), ECDH and ECDSA in IEEE P1363 form
(`cryptography`), and the two Fiat–Shamir proofs (Schnorr pok, Chaum–Pedersen DLEQ)."""

import hashlib
import secrets

from Crypto.PublicKey import ECC
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from .errors import SB1Error

# Curve constants (FIPS 186-4 D.1.2.3); q is the group order.
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
Q = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_CURVE = "p256"
G = ECC.EccPoint(
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    curve=_CURVE,
)
POINT_SIZE = 65
SIGNATURE_SIZE = 64


def point_parse(raw: bytes) -> ECC.EccPoint:
    """A 65-byte `0x04‖x‖y` on P-256 (coordinates below p), as a point; anything else is refused."""
    if not isinstance(raw, bytes | bytearray) or len(raw) != POINT_SIZE or raw[0] != 0x04:
        raise SB1Error("point")
    x = int.from_bytes(raw[1:33], "big")
    y = int.from_bytes(raw[33:], "big")
    if x >= P or y >= P or (y * y - (x * x * x - 3 * x + B)) % P != 0:
        raise SB1Error("point")
    # (0, 0) is not on the curve (B != 0), so the identity can never be spelled this way.
    return ECC.EccPoint(x, y, curve=_CURVE)


def point_bytes(point: ECC.EccPoint) -> bytes:
    """The raw uncompressed encoding of a point that is not the identity."""
    if point.is_point_at_infinity():
        raise SB1Error("point")
    return b"\x04" + int(point.x).to_bytes(32, "big") + int(point.y).to_bytes(32, "big")


def point_x(raw: bytes) -> bytes:
    """The 32-byte x-coordinate of a raw point (after checking it)."""
    point_parse(raw)
    return bytes(raw[1:33])


def scalar_parse(raw: bytes) -> int:
    """A 32-byte big-endian scalar read from a message: must be below q."""
    if len(raw) != 32:
        raise SB1Error("length")
    value = int.from_bytes(raw, "big")
    if value >= Q:
        raise SB1Error("scalar")
    return value


def scalar_bytes(value: int) -> bytes:
    return value.to_bytes(32, "big")


def random_scalar() -> int:
    """Uniform in [1, q−1]."""
    return 1 + secrets.randbelow(Q - 1)


def scalar_mult(scalar: int, point: ECC.EccPoint) -> ECC.EccPoint:
    return point * scalar


def public_point(scalar: int) -> bytes:
    """`scalar·G` as raw bytes; the scalar must be in [1, q−1]."""
    if not 0 < scalar < Q:
        raise SB1Error("scalar")
    return point_bytes(G * scalar)


def hash_to_scalar(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big") % Q


# --- keys in `cryptography` form -------------------------------------------------------------


def private_key_from_scalar(scalar: int) -> ec.EllipticCurvePrivateKey:
    if not 0 < scalar < Q:
        raise SB1Error("scalar")
    return ec.derive_private_key(scalar, ec.SECP256R1())


def private_key_scalar(key: ec.EllipticCurvePrivateKey) -> int:
    if not isinstance(key.curve, ec.SECP256R1):
        raise SB1Error("point")
    return key.private_numbers().private_value


def public_key_from_bytes(raw: bytes) -> ec.EllipticCurvePublicKey:
    point_parse(raw)
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes(raw))


def public_key_bytes(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        key = key.public_key()
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def ecdh_x(scalar: int, peer: bytes) -> bytes:
    """The 32-byte x-coordinate of `scalar·peer` (ECDH as WebCrypto's `deriveBits` gives it)."""
    return private_key_from_scalar(scalar).exchange(ec.ECDH(), public_key_from_bytes(peer))


# --- ECDSA with labels ------------------------------------------------------------------------


def labelled(label: str, message: bytes) -> bytes:
    """What a signature "over X with label ℓ" signs: ℓ ‖ 0x00 ‖ X."""
    return label.encode("ascii") + b"\x00" + message


def ecdsa_sign(
    private_key: ec.EllipticCurvePrivateKey, label: str, message: bytes, *, deterministic: bool = False
) -> bytes:
    """ECDSA P-256/SHA-256 over ℓ ‖ 0x00 ‖ message, as 64-byte IEEE P1363 r‖s. `deterministic`
    (RFC 6979) only keeps the committed test vectors stable; verifiers never depend on it."""
    der = private_key.sign(
        labelled(label, message), ec.ECDSA(hashes.SHA256(), deterministic_signing=deterministic)
    )
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def ecdsa_verify(
    public_key: bytes | ec.EllipticCurvePublicKey, label: str, message: bytes, signature: bytes
) -> None:
    """Raise SB1Error("signature") unless `signature` (P1363) verifies over ℓ ‖ 0x00 ‖ message."""
    if isinstance(public_key, bytes | bytearray):
        public_key = public_key_from_bytes(public_key)
    if len(signature) != SIGNATURE_SIZE:
        raise SB1Error("signature")
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < Q and 0 < s < Q):
        raise SB1Error("signature")
    try:
        public_key.verify(encode_dss_signature(r, s), labelled(label, message), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SB1Error("signature") from None


# --- Schnorr proof of knowledge of an ephemeral scalar (Sealing 6) ----------------------------


def _pok_hash(ctx: bytes, index: int, ephemeral: bytes, commitment: bytes) -> int:
    return hash_to_scalar(b"SB1/ephemeral\x00", ctx, bytes([index]), ephemeral, commitment)


def pok_prove(*, ctx: bytes, index: int, scalar: int, nonce: int | None = None) -> bytes:
    """`h ‖ r` proving knowledge of `scalar` for E = scalar·G; `nonce` (t) fixed only for vectors."""
    t = random_scalar() if nonce is None else nonce
    if not 0 < t < Q:
        raise SB1Error("scalar")
    ephemeral = public_point(scalar)
    h = _pok_hash(ctx, index, ephemeral, point_bytes(G * t))
    r = (t - h * scalar) % Q
    return scalar_bytes(h) + scalar_bytes(r)


def pok_verify(*, ctx: bytes, index: int, ephemeral: bytes, proof: bytes) -> None:
    """A' = r·G + h·E, not the identity, must hash to h; else SB1Error("pok")."""
    if len(proof) != 64:
        raise SB1Error("pok")
    e_point = point_parse(ephemeral)
    h = int.from_bytes(proof[:32], "big")
    r = int.from_bytes(proof[32:], "big")
    if h >= Q or r >= Q:
        raise SB1Error("pok")
    a = G * r + e_point * h
    if a.is_point_at_infinity() or _pok_hash(ctx, index, ephemeral, point_bytes(a)) != h:
        raise SB1Error("pok")


# --- Chaum–Pedersen DLEQ: log_G(C) = log_E(Z) (Opening 1–2) -----------------------------------


def _dleq_hash(ctx: bytes, index: int, key: bytes, ephemeral: bytes, point: bytes, a: bytes, d: bytes) -> int:
    return hash_to_scalar(b"SB1/dleq\x00", ctx, bytes([index]), key, ephemeral, point, a, d)


def dleq_prove(
    *, ctx: bytes, index: int, scalar: int, ephemeral: bytes, nonce: int | None = None
) -> tuple[bytes, bytes]:
    """(Z = scalar·E as raw bytes, proof h ‖ r); `nonce` (t) fixed only for vectors."""
    t = random_scalar() if nonce is None else nonce
    if not 0 < t < Q:
        raise SB1Error("scalar")
    e_point = point_parse(ephemeral)
    key = public_point(scalar)
    z = point_bytes(e_point * scalar)
    a = point_bytes(G * t)
    d = point_bytes(e_point * t)
    h = _dleq_hash(ctx, index, key, ephemeral, z, a, d)
    r = (t - h * scalar) % Q
    return z, scalar_bytes(h) + scalar_bytes(r)


def dleq_verify(*, ctx: bytes, index: int, key: bytes, ephemeral: bytes, point: bytes, proof: bytes) -> None:
    """h, r < q; A' = r·G + h·C, D' = r·E + h·Z, neither the identity, hashing to h; else SB1Error("dleq")."""
    if len(proof) != 64:
        raise SB1Error("dleq")
    c_point, e_point, z_point = point_parse(key), point_parse(ephemeral), point_parse(point)
    h = int.from_bytes(proof[:32], "big")
    r = int.from_bytes(proof[32:], "big")
    if h >= Q or r >= Q:
        raise SB1Error("dleq")
    a = G * r + c_point * h
    d = e_point * r + z_point * h
    if a.is_point_at_infinity() or d.is_point_at_infinity():
        raise SB1Error("dleq")
    if _dleq_hash(ctx, index, key, ephemeral, point, point_bytes(a), point_bytes(d)) != h:
        raise SB1Error("dleq")

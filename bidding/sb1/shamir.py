"""Shamir secret sharing over GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1 (0x11B), byte-wise:
byte b of the secret is the constant term of its own polynomial (SEALED_BIDS.md, Sealing 5)."""

import secrets
from collections.abc import Mapping, Sequence

from .errors import SB1Error


def gf_mul(a: int, b: int) -> int:
    result = 0
    while b:
        if b & 1:
            result ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return result


_EXP = [0] * 510
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _EXP[_i + 255] = _value
    _LOG[_value] = _i
    _value = gf_mul(_value, 3)  # 3 generates the multiplicative group of this field


def gf_mul_fast(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def gf_inv(a: int) -> int:
    if a == 0:
        raise ZeroDivisionError("0 has no inverse in GF(2^8)")
    return _EXP[255 - _LOG[a]]


def random_coefficients(threshold: int, size: int = 32) -> list[bytes]:
    """k−1 rows of `size` uniformly random bytes (zero allowed): row d−1 holds the x^d coefficients."""
    return [secrets.token_bytes(size) for _ in range(threshold - 1)]


def shamir_split(
    secret: bytes, *, threshold: int, count: int, coefficients: Sequence[bytes] | None = None
) -> dict[int, bytes]:
    """Shares {j: s_j} for j = 1..count. `coefficients[d-1][b]` is the x^d coefficient of byte b's
    polynomial (random unless given, for vectors); there are threshold−1 rows."""
    if not 2 <= threshold <= count <= 255:
        raise SB1Error("threshold")
    if coefficients is None:
        coefficients = random_coefficients(threshold, len(secret))
    if len(coefficients) != threshold - 1 or any(len(row) != len(secret) for row in coefficients):
        raise SB1Error("length")
    shares = {}
    for j in range(1, count + 1):
        share = bytearray(secret)
        power = 1
        for row in coefficients:
            power = gf_mul_fast(power, j)
            for b, c in enumerate(row):
                share[b] ^= gf_mul_fast(c, power)
        shares[j] = bytes(share)
    return shares


def shamir_interpolate(shares: Mapping[int, bytes], x: int = 0) -> bytes:
    """The polynomials through `shares` ({j: s_j}, distinct j in 1..255) evaluated at `x`
    (0 gives the secret). With k shares of degree-(k−1) polynomials this is exact."""
    if not shares:
        raise SB1Error("shamir")
    indexes = list(shares)
    size = len(shares[indexes[0]])
    if any(not 1 <= j <= 255 for j in indexes) or any(len(s) != size for s in shares.values()):
        raise SB1Error("shamir")
    result = bytearray(size)
    for i in indexes:
        # Lagrange basis at x: Π_{m≠i} (x − m)/(i − m); subtraction is XOR in GF(2^8).
        num, den = 1, 1
        for m in indexes:
            if m != i:
                num = gf_mul_fast(num, x ^ m)
                den = gf_mul_fast(den, i ^ m)
        basis = gf_mul_fast(num, gf_inv(den))
        if basis:
            for b, v in enumerate(shares[i]):
                result[b] ^= gf_mul_fast(v, basis)
    return bytes(result)


def shamir_share_on_polynomials(defining: Mapping[int, bytes], index: int, share: bytes) -> bool:
    """Does share `index` lie on the polynomials defined by the k shares in `defining`?"""
    return shamir_interpolate(defining, index) == share

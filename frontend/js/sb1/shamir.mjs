// Shamir secret sharing over GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1 (0x11B), byte-wise:
// byte b of the secret is the constant term of its own polynomial (SEALED_BIDS.md, Sealing 5).
import { SB1Error } from "./errors.mjs";
import { randomBytes } from "./primitives.mjs";

export function gfMul(a, b) {
  let result = 0;
  while (b) {
    if (b & 1) result ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11b;
    b >>= 1;
  }
  return result;
}

const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
for (let i = 0, value = 1; i < 255; i++) {
  EXP[i] = EXP[i + 255] = value;
  LOG[value] = i;
  value = gfMul(value, 3); // 3 generates the multiplicative group of this field
}

function mul(a, b) {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

function inv(a) {
  if (a === 0) throw new SB1Error("shamir");
  return EXP[255 - LOG[a]];
}

/** Shares {j: s_j} (a Map) for j = 1..count. `coefficients[d-1][b]` is the x^d coefficient of
 * byte b's polynomial: threshold−1 rows, random unless given (vectors only). */
export function shamirSplit(secret, { threshold, count, coefficients }) {
  if (!(Number.isInteger(threshold) && Number.isInteger(count) && 2 <= threshold && threshold <= count && count <= 255)) {
    throw new SB1Error("threshold");
  }
  const rows = coefficients ?? Array.from({ length: threshold - 1 }, () => randomBytes(secret.length));
  if (rows.length !== threshold - 1 || rows.some((row) => row.length !== secret.length)) throw new SB1Error("length");
  const shares = new Map();
  for (let j = 1; j <= count; j++) {
    const share = Uint8Array.from(secret);
    let power = 1;
    for (const row of rows) {
      power = mul(power, j);
      for (let b = 0; b < row.length; b++) share[b] ^= mul(row[b], power);
    }
    shares.set(j, share);
  }
  return shares;
}

/** The polynomials through `shares` (a Map j → s_j, distinct j in 1..255) at `x` (0: the secret). */
export function shamirInterpolate(shares, x = 0) {
  const indexes = [...shares.keys()];
  if (!indexes.length) throw new SB1Error("shamir");
  const size = shares.get(indexes[0]).length;
  if (indexes.some((j) => !(j >= 1 && j <= 255)) || [...shares.values()].some((s) => s.length !== size)) {
    throw new SB1Error("shamir");
  }
  const result = new Uint8Array(size);
  for (const i of indexes) {
    // Lagrange basis at x: Π_{m≠i} (x − m)/(i − m); subtraction is XOR in GF(2^8).
    let num = 1;
    let den = 1;
    for (const m of indexes) {
      if (m !== i) {
        num = mul(num, x ^ m);
        den = mul(den, i ^ m);
      }
    }
    const basis = mul(num, inv(den));
    if (basis) {
      const share = shares.get(i);
      for (let b = 0; b < size; b++) result[b] ^= mul(share[b], basis);
    }
  }
  return result;
}

// P-256 for SB1: raw uncompressed points checked on the curve (never the identity), scalars below
// q, the two Fiat–Shamir proofs (Schnorr pok, Chaum–Pedersen DLEQ) with @noble/curves point
// arithmetic (WebCrypto has none), and ECDH and labelled ECDSA (IEEE P1363) on WebCrypto.
import { p256 } from "@noble/curves/nist.js";

import { asBytes, b64u, concat, u8, uint, utf8 } from "./encoding.mjs";
import { SB1Error } from "./errors.mjs";
import { randomBytes, sha256 } from "./primitives.mjs";

const Point = p256.Point;
const subtle = globalThis.crypto.subtle;
export const Q = Point.Fn.ORDER;
export const P = Point.Fp.ORDER;
export const G = Point.BASE;
const CURVE = { namedCurve: "P-256" };

export function bigFromBytes(bytes) {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

export function scalarBytes(value) {
  return uint(value, 32);
}

/** A 32-byte big-endian scalar read from a message: must be below q. */
export function scalarParse(raw) {
  const bytes = asBytes(raw, 32);
  const value = bigFromBytes(bytes);
  if (value >= Q) throw new SB1Error("scalar");
  return value;
}

/** Uniform in [1, q−1] (rejection sampling). */
export function randomScalar() {
  for (;;) {
    const value = bigFromBytes(randomBytes(32));
    if (value > 0n && value < Q) return value;
  }
}

/** A 65-byte `0x04‖x‖y` on P-256 with coordinates below p, as a noble point; anything else
 * (compressed, hybrid, off the curve, the identity) is refused. */
export function pointParse(raw) {
  let bytes;
  try {
    bytes = asBytes(raw);
  } catch {
    throw new SB1Error("point");
  }
  if (bytes.length !== 65 || bytes[0] !== 0x04) throw new SB1Error("point");
  if (bigFromBytes(bytes.subarray(1, 33)) >= P || bigFromBytes(bytes.subarray(33)) >= P) {
    throw new SB1Error("point");
  }
  try {
    const point = Point.fromBytes(bytes);
    point.assertValidity();
    if (point.is0()) throw new Error("identity");
    return point;
  } catch {
    throw new SB1Error("point");
  }
}

/** The raw uncompressed encoding of a point that is not the identity. */
export function pointBytes(point) {
  if (point.is0()) throw new SB1Error("point");
  return point.toBytes(false);
}

/** `scalar·G` as raw bytes; the scalar must be in [1, q−1]. */
export function publicPoint(scalar) {
  if (!(scalar > 0n && scalar < Q)) throw new SB1Error("scalar");
  return pointBytes(G.multiply(scalar));
}

export async function hashToScalar(...parts) {
  return bigFromBytes(await sha256(concat(...parts))) % Q;
}

// --- WebCrypto keys from scalars ---------------------------------------------------------------

function jwkOf(scalar) {
  const point = publicPoint(scalar);
  return {
    kty: "EC",
    crv: "P-256",
    d: b64u(scalarBytes(scalar)),
    x: b64u(point.subarray(1, 33)),
    y: b64u(point.subarray(33)),
  };
}

/** A P-256 private key for `usage` ("ECDSA" signing or "ECDH") from its scalar, through JWK
 * (WebCrypto imports no bare scalar). */
export async function privateKeyFromScalar(scalar, algorithm = "ECDSA", extractable = false) {
  const usages = algorithm === "ECDSA" ? ["sign"] : ["deriveBits"];
  return subtle.importKey("jwk", jwkOf(scalar), { name: algorithm, ...CURVE }, extractable, usages);
}

/** The scalar and raw public point of an extractable P-256 private CryptoKey. */
export async function scalarOfPrivateKey(privateKey) {
  const jwk = await subtle.exportKey("jwk", privateKey);
  if (jwk.kty !== "EC" || jwk.crv !== "P-256") throw new SB1Error("point");
  const scalar = bigFromBytes(asBytes(jwk.d, 32));
  const point = publicPoint(scalar);
  if (b64u(point.subarray(1, 33)) !== jwk.x || b64u(point.subarray(33)) !== jwk.y) throw new SB1Error("point");
  return { scalar, point };
}

/** ECDH as SB1 uses it: the 32-byte x-coordinate of `scalar·peer` (WebCrypto deriveBits). */
export async function ecdhX(scalar, peer) {
  const peerBytes = pointBytes(pointParse(peer));
  const own = await privateKeyFromScalar(scalar, "ECDH");
  const other = await subtle.importKey("raw", peerBytes, { name: "ECDH", ...CURVE }, false, []);
  return new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: other }, own, 256));
}

// --- ECDSA with labels ---------------------------------------------------------------------------

/** What a signature "over X with label ℓ" signs: ℓ ‖ 0x00 ‖ X. */
export function labelled(label, message) {
  return concat(utf8(label), new Uint8Array([0]), message);
}

/** ECDSA P-256/SHA-256 by a private CryptoKey (extractable or not) over ℓ ‖ 0x00 ‖ message:
 * 64-byte P1363 r‖s, WebCrypto's native form. */
export async function ecdsaSign(privateKey, label, message) {
  const signature = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, labelled(label, message));
  return new Uint8Array(signature);
}

/** A verifying CryptoKey from a raw point (bytes or b64u), or the CryptoKey itself. */
export async function verifyingKey(publicKey) {
  if (publicKey instanceof CryptoKey) return publicKey;
  const raw = pointBytes(pointParse(publicKey));
  return subtle.importKey("raw", raw, { name: "ECDSA", ...CURVE }, false, ["verify"]);
}

/** Raise SB1Error("signature") unless `signature` (P1363, 0 < r, s < q) verifies over ℓ ‖ 0x00 ‖ message. */
export async function ecdsaVerify(publicKey, label, message, signature) {
  const sig = asBytes(signature);
  if (sig.length !== 64) throw new SB1Error("signature");
  const r = bigFromBytes(sig.subarray(0, 32));
  const s = bigFromBytes(sig.subarray(32));
  if (!(r > 0n && r < Q && s > 0n && s < Q)) throw new SB1Error("signature");
  const key = await verifyingKey(publicKey);
  const ok = await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, sig, labelled(label, message));
  if (!ok) throw new SB1Error("signature");
}

// --- Schnorr proof of knowledge of an ephemeral scalar (Sealing 6) ------------------------------

function pokHash(ctx, index, ephemeral, commitment) {
  return hashToScalar(utf8("SB1/ephemeral\0"), ctx, u8(index), ephemeral, commitment);
}

/** `h ‖ r` proving knowledge of `scalar` for E = scalar·G; `nonce` (t) is fixed only by vectors. */
export async function pokProve({ ctx, index, scalar, nonce }) {
  const t = nonce ?? randomScalar();
  if (!(t > 0n && t < Q)) throw new SB1Error("scalar");
  const ephemeral = publicPoint(scalar);
  const h = await pokHash(ctx, index, ephemeral, pointBytes(G.multiply(t)));
  const r = (((t - h * scalar) % Q) + Q) % Q;
  return concat(scalarBytes(h), scalarBytes(r));
}

/** A' = r·G + h·E, not the identity, must hash to h; else SB1Error("pok"). */
export async function pokVerify({ ctx, index, ephemeral, proof }) {
  const bytes = asBytes(proof);
  if (bytes.length !== 64) throw new SB1Error("pok");
  const e = pointParse(ephemeral);
  const h = bigFromBytes(bytes.subarray(0, 32));
  const r = bigFromBytes(bytes.subarray(32));
  if (h >= Q || r >= Q) throw new SB1Error("pok");
  const a = G.multiplyUnsafe(r).add(e.multiplyUnsafe(h));
  if (a.is0() || (await pokHash(ctx, index, pointBytes(e), pointBytes(a))) !== h) throw new SB1Error("pok");
}

// --- Chaum–Pedersen DLEQ: log_G(C) = log_E(Z) (Opening 1–2) -------------------------------------

function dleqHash(ctx, index, key, ephemeral, point, a, d) {
  return hashToScalar(utf8("SB1/dleq\0"), ctx, u8(index), key, ephemeral, point, a, d);
}

/** { point: Z = scalar·E (raw), proof: h ‖ r }; `nonce` (t) is fixed only by vectors. */
export async function dleqProve({ ctx, index, scalar, ephemeral, nonce }) {
  const t = nonce ?? randomScalar();
  if (!(t > 0n && t < Q)) throw new SB1Error("scalar");
  const e = pointParse(ephemeral);
  const eBytes = pointBytes(e);
  const key = publicPoint(scalar);
  const z = pointBytes(e.multiply(scalar));
  const a = pointBytes(G.multiply(t));
  const d = pointBytes(e.multiply(t));
  const h = await dleqHash(ctx, index, key, eBytes, z, a, d);
  const r = (((t - h * scalar) % Q) + Q) % Q;
  return { point: z, proof: concat(scalarBytes(h), scalarBytes(r)) };
}

/** h, r < q; A' = r·G + h·C, D' = r·E + h·Z, neither the identity, hashing to h; else SB1Error("dleq"). */
export async function dleqVerify({ ctx, index, key, ephemeral, point, proof }) {
  const bytes = asBytes(proof);
  if (bytes.length !== 64) throw new SB1Error("dleq");
  const c = pointParse(key);
  const e = pointParse(ephemeral);
  const z = pointParse(point);
  const h = bigFromBytes(bytes.subarray(0, 32));
  const r = bigFromBytes(bytes.subarray(32));
  if (h >= Q || r >= Q) throw new SB1Error("dleq");
  const a = G.multiplyUnsafe(r).add(c.multiplyUnsafe(h));
  const d = e.multiplyUnsafe(r).add(z.multiplyUnsafe(h));
  if (a.is0() || d.is0()) throw new SB1Error("dleq");
  const expected = await dleqHash(ctx, index, pointBytes(c), pointBytes(e), pointBytes(z), pointBytes(a), pointBytes(d));
  if (expected !== h) throw new SB1Error("dleq");
}

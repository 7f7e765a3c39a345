// How SB1 objects travel, as the browser checks them: exact key sets, integer ranges, the
// identifiers T, L, B, S (GB 32100-2015 check character included) and the bid context `ctx`.
import { MAX_INTEGER, b64u, jcs } from "./encoding.mjs";
import { SB1Error } from "./errors.mjs";
import { sha256 } from "./primitives.mjs";

const TENDER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BID_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SUPPLIER_ID = /^[0-9A-HJ-NP-RTUWXY]{18}$/;
const CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

export function exactKeys(obj, keys) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new SB1Error("keys");
  const have = Object.keys(obj).sort();
  const want = [...keys].sort();
  if (have.length !== want.length || have.some((k, i) => k !== want[i])) throw new SB1Error("keys");
  return obj;
}

export function integer(value, low = 0, high = MAX_INTEGER) {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new SB1Error("type");
  if (value < low || value > high) throw new SB1Error("integer");
  return value;
}

export function string(value) {
  if (typeof value !== "string") throw new SB1Error("type");
  return value;
}

export function tenderId(value) {
  if (typeof value !== "string" || !TENDER_ID.test(value)) throw new SB1Error("tender_id");
  return value;
}

/** A lot identifier, or null for a tender without lots. */
export function lotId(value) {
  if (value === null) return null;
  if (typeof value !== "string" || !TENDER_ID.test(value)) throw new SB1Error("lot_id");
  return value;
}

export function bidId(value) {
  if (typeof value !== "string" || !BID_ID.test(value)) throw new SB1Error("bid_id");
  return value;
}

/** GB 32100-2015: weights 3^i mod 31, check = (31 − Σ value·weight mod 31) mod 31. */
function creditCodeValid(code) {
  let total = 0;
  let weight = 1;
  for (let i = 0; i < 17; i++) {
    total += CREDIT_ALPHABET.indexOf(code[i]) * weight;
    weight = (weight * 3) % 31;
  }
  return CREDIT_ALPHABET[(31 - (total % 31)) % 31] === code[17];
}

export function supplierId(value) {
  if (typeof value !== "string" || !SUPPLIER_ID.test(value) || !creditCodeValid(value)) throw new SB1Error("supplier_id");
  return value;
}

/** A fresh bid id: a lowercase canonical version 4 UUID from the browser's random source. */
export function newBidId() {
  return bidId(globalThis.crypto.randomUUID());
}

/** ctx = SHA-256(JCS({"suite":"SB1","tender":T,"lot":L,"bid":B,"supplier":S})), after checking each identifier. */
export function context({ tender, lot, bid, supplier }) {
  return sha256(
    jcs({ suite: "SB1", tender: tenderId(tender), lot: lotId(lot), bid: bidId(bid), supplier: supplierId(supplier) }),
  );
}

/** An opening key's `key_id` = b64u(SHA-256(raw point)). */
export async function keyId(publicKey) {
  return b64u(await sha256(publicKey));
}

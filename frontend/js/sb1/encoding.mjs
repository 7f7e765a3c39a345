// The byte and text encodings of SB1 (SEALED_BIDS.md "Notation"), one implementation for every
// browser module: strict b64u, hex, big-endian integers, RFC 8785 JCS (the `canonicalize`
// package by the RFC's author, behind a check that only SB1's value types reach it), strict
// canonical parsing, and the RFC 3339 UTC time with milliseconds.
import canonicalize from "canonicalize";

import { SB1Error } from "./errors.mjs";

export const MAX_INTEGER = 2 ** 53 - 1;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(text) {
  return encoder.encode(text);
}

export function concat(...parts) {
  const size = parts.reduce((total, part) => total + part.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Unsigned big-endian in `size` bytes (u8, u32, u88 of the spec). */
export function uint(value, size) {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * size)) throw new SB1Error("integer");
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
export const u8 = (x) => uint(x, 1);
export const u32 = (x) => uint(x, 4);
export const u88 = (x) => uint(x, 11);

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(text) {
  if (typeof text !== "string" || !/^(?:[0-9a-f]{2})*$/.test(text)) throw new SB1Error("type", "not lowercase hex");
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64U_VALUE = new Map([...B64U].map((c, i) => [c, i]));

/** base64url (RFC 4648 section 5) without padding. */
export function b64u(bytes) {
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64U[n >> 18] + B64U[(n >> 12) & 63] + B64U[(n >> 6) & 63] + B64U[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64U[n >> 18] + B64U[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64U[n >> 18] + B64U[(n >> 12) & 63] + B64U[(n >> 6) & 63];
  }
  return out;
}

/** The inverse of `b64u`, refusing anything it would not have produced (padding, other
 * alphabets, impossible lengths, unused bits set); with `length`, exactly that many bytes. */
export function b64uDecode(text, length) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new SB1Error("b64u");
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (const c of text) {
    buffer = (buffer << 6) | B64U_VALUE.get(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if (buffer & ((1 << bits) - 1)) throw new SB1Error("b64u"); // unused bits must be zero
  if (length !== undefined && out.length !== length) throw new SB1Error("length");
  return out;
}

/** Bytes from either a Uint8Array/ArrayBuffer or a b64u string (of `length` bytes if given). */
export function asBytes(value, length) {
  if (typeof value === "string") return b64uDecode(value, length);
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
  if (length !== undefined && bytes.length !== length) throw new SB1Error("length");
  return bytes;
}

function checkJcsValue(value, depth) {
  if (depth > 64) throw new SB1Error("json", "nested too deeply");
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string") {
    if (!value.isWellFormed()) throw new SB1Error("json", "lone surrogate");
    return;
  }
  if (typeof value === "number") {
    // SB1 has no fractions; JCS's integer domain is ±(2^53 − 1).
    if (!Number.isSafeInteger(value)) throw new SB1Error("type", "not an integer in JCS range");
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) checkJcsValue(item, depth + 1);
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) checkJcsValue(item, depth + 1);
    return;
  }
  throw new SB1Error("type", "not a JSON value");
}

/** JCS(obj) as UTF-8 bytes; only null, booleans, strings, safe integers, arrays and plain objects. */
export function jcs(obj) {
  checkJcsValue(obj, 0);
  return utf8(canonicalize(obj));
}

/** Parse UTF-8 JSON strictly (JSON.parse takes the last of duplicate keys and accepts floats;
 * callers that need more use `jsonParseCanonical`). */
export function jsonParse(raw) {
  try {
    const text = typeof raw === "string" ? raw : strictDecoder.decode(raw);
    return JSON.parse(text);
  } catch {
    throw new SB1Error("json");
  }
}

/** Parse bytes that must equal JCS(parse(bytes)) exactly (which also refuses duplicate keys,
 * floats, exponents, escapes JCS would not write, and any whitespace). */
export function jsonParseCanonical(raw) {
  const bytes = asBytes(raw);
  const obj = jsonParse(bytes);
  let again;
  try {
    again = jcs(obj);
  } catch {
    throw new SB1Error("not_canonical");
  }
  if (!bytesEqual(again, bytes)) throw new SB1Error("not_canonical");
  return obj;
}

const TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z$/;

/** An RFC 3339 UTC time with milliseconds, returned unchanged; anything else is refused. */
export function timeField(value) {
  const match = typeof value === "string" ? TIME.exec(value) : null;
  if (!match) throw new SB1Error("time");
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const moment = new Date(Date.UTC(2000, 0, 1, hour, minute, second));
  moment.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0–99 as 19xx
  if (
    year < 1 || moment.getUTCFullYear() !== year || moment.getUTCMonth() !== month - 1 ||
    moment.getUTCDate() !== day || moment.getUTCHours() !== hour || moment.getUTCMinutes() !== minute ||
    moment.getUTCSeconds() !== second
  ) {
    throw new SB1Error("time");
  }
  return value;
}

/** Milliseconds since the epoch of an SB1 time. */
export function timeMillis(value) {
  return Date.parse(timeField(value));
}

/** This browser's clock in the SB1 time format (`created` fields are the client's clock). */
export function timeNow() {
  return new Date().toISOString();
}

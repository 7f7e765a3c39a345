// The sealing side of SB1 in the browser (SEALED_BIDS.md "Sealing a bid"): content key and its
// commitment, per-file keys, the bid form with its padding, chunk encryption streamed from a
// Blob one 1 MiB slice at a time, the per-custodian key wrap with its proof, the manifest, its
// signature and withdrawals. Mirrors bidding/sb1/sealing.py; randomness is drawn here unless a
// caller passes fixed values (only the test vectors do).
import { sha256 as streamingSha256 } from "@noble/hashes/sha2.js";

import { asBytes, b64u, concat, jcs, timeField, u32, u8, u88, utf8 } from "./encoding.mjs";
import { SB1Error } from "./errors.mjs";
import { ecdhX, ecdsaSign, ecdsaVerify, pointParse, pokProve, publicPoint, randomScalar } from "./p256.mjs";
import { aesGcmDecrypt, aesGcmEncrypt, aesKey, hkdf, randomBytes, sha256 } from "./primitives.mjs";
import { shamirSplit } from "./shamir.mjs";
import { REFUSED_RANGES } from "./unicode_names.mjs";
import { bidId, context, exactKeys, integer, keyId, lotId, supplierId, tenderId } from "./wire.mjs";

export const CHUNK_SIZE = 1_048_576;
export const TAG_SIZE = 16;
export const FORM_BLOCK = 4_096;
export const READOUT_VALUE_MAX = 32;
const READOUT_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const PRICE = /^(0|[1-9][0-9]{0,14})\.[0-9]{2}$/;
const MEDIA_NAME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// Names are judged against one pinned Unicode table, the server's too (unicode_names.mjs, generated
// with bidding/sb1/unicode_names.py by bidding/sb1/make_unicode_table.py): control, format,
// surrogate, line and paragraph separators, and code points that version leaves unassigned.
// A code point this browser does not know is refused too (its NFC check could differ).
const UNKNOWN_HERE = /\p{Cn}/u;

/** Whether code point `c` is refused in names by the pinned table (binary search of its ranges). */
export function refusedInNames(c) {
  let low = 0;
  let high = REFUSED_RANGES.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = REFUSED_RANGES[middle];
    if (c < first) high = middle - 1;
    else if (c > last) low = middle + 1;
    else return true;
  }
  return false;
}

/** key_commit = SHA-256("SB1/key-commit" ‖ 0x00 ‖ ctx ‖ K). */
export function keyCommit(ctx, key) {
  return sha256(utf8("SB1/key-commit\0"), ctx, key);
}

/** K_f = HKDF(ikm=K, salt=ctx, info="SB1/file" ‖ 0x00 ‖ u32(f), L=32). */
export function fileKey(key, ctx, index) {
  return hkdf({ ikm: key, salt: ctx, info: concat(utf8("SB1/file\0"), u32(index)) });
}

// --- the bid form ----------------------------------------------------------------------------------

/** A notice's read-out field names: distinct, `[a-z][a-z0-9_]{0,31}`, including price and currency. */
export function readoutNamesValidate(names) {
  if (
    !Array.isArray(names) ||
    names.some((n) => typeof n !== "string" || !READOUT_NAME.test(n)) ||
    new Set(names).size !== names.length ||
    !names.includes("price") ||
    !names.includes("currency")
  ) {
    throw new SB1Error("readout");
  }
  return names;
}

export function readoutValueValid(value) {
  return typeof value === "string" && value.length <= READOUT_VALUE_MAX && /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(value);
}

/** `readout` holds exactly the tender's fields, each printable ASCII without `"` or `\`, at most
 * 32 bytes; price is `(0|[1-9][0-9]{0,14})\.[0-9]{2}` and currency "CNY". */
export function readoutValidate(readout, fields) {
  readoutNamesValidate(fields);
  if (readout === null || typeof readout !== "object" || Array.isArray(readout)) throw new SB1Error("readout");
  const keys = Object.keys(readout);
  if (keys.length !== fields.length || fields.some((f) => !Object.hasOwn(readout, f))) throw new SB1Error("readout");
  if (!keys.every((k) => readoutValueValid(readout[k]))) throw new SB1Error("readout");
  if (!PRICE.test(readout.price) || readout.currency !== "CNY") throw new SB1Error("readout");
  return readout;
}

/** NFC, 1–255 code points, no control/format/line or paragraph separator characters (nor lone
 * surrogates), nothing unassigned in the pinned Unicode version, no `/` or `\`, not `.` or `..`. */
export function attachmentNameValid(name) {
  if (typeof name !== "string") return false;
  const codePoints = [...name];
  return (
    codePoints.length >= 1 &&
    codePoints.length <= 255 &&
    !codePoints.some((c) => c === "/" || c === "\\" || refusedInNames(c.codePointAt(0)) || UNKNOWN_HERE.test(c)) &&
    name.normalize("NFC") === name &&
    name !== "." &&
    name !== ".."
  );
}

/** `type/subtype`, each a lowercase RFC 6838 restricted-name, no parameters. */
export function mediaTypeValid(mediaType) {
  if (typeof mediaType !== "string") return false;
  const parts = mediaType.split("/");
  return parts.length === 2 && MEDIA_NAME.test(parts[0]) && MEDIA_NAME.test(parts[1]);
}

export function attachmentsValidate(attachments) {
  if (!Array.isArray(attachments)) throw new SB1Error("attachment");
  attachments.forEach((item, position) => {
    exactKeys(item, ["index", "name", "media_type", "size"]);
    if (item.index !== position + 1) throw new SB1Error("attachment");
    if (!attachmentNameValid(item.name) || !mediaTypeValid(item.media_type)) throw new SB1Error("attachment");
    integer(item.size);
  });
  return attachments;
}

/** The bid form (file 0), every part checked. `attachments`: [{name, media_type, size}] in file order. */
export function formBuild({ tender, lot, bid, supplier, readout, readoutFields, attachments }) {
  tenderId(tender);
  lotId(lot);
  bidId(bid);
  supplierId(supplier);
  const form = {
    suite: "SB1",
    tender,
    lot,
    bid,
    supplier,
    readout: readoutValidate({ ...readout }, readoutFields),
    attachments: attachments.map((a, i) => ({ index: i + 1, name: a.name, media_type: a.media_type, size: a.size })),
  };
  attachmentsValidate(form.attachments);
  return form;
}

/** P: the smallest multiple of 4,096 ≥ len(JCS(form)) + Σ (32 − len(v)) over read-out values. */
export function formPaddedSize(form) {
  const need =
    jcs(form).length + Object.values(form.readout).reduce((total, v) => total + READOUT_VALUE_MAX - v.length, 0);
  return Math.max(1, Math.ceil(need / FORM_BLOCK)) * FORM_BLOCK;
}

/** File 0's plaintext: JCS(form) followed by spaces up to P. */
export function formPlaintext(form) {
  const body = jcs(form);
  const out = new Uint8Array(formPaddedSize(form)).fill(0x20);
  out.set(body);
  return out;
}

// --- chunks ----------------------------------------------------------------------------------------

/** max(1, ceil(size / 1 MiB)). */
export function chunkCount(size) {
  return Math.max(1, Math.ceil(size / CHUNK_SIZE));
}

/** The ciphertext length of every chunk of a file of `size` plaintext bytes (tag included). */
export function expectedChunkLengths(size) {
  const count = chunkCount(size);
  const last = size - (count - 1) * CHUNK_SIZE;
  return [...Array(count - 1).fill(CHUNK_SIZE + TAG_SIZE), last + TAG_SIZE];
}

/** u88(i) ‖ (0x01 if last else 0x00). */
export function chunkNonce(index, last) {
  return concat(u88(index), new Uint8Array([last ? 1 : 0]));
}

/** "SB1/chunk" ‖ 0x00 ‖ ctx ‖ u32(f). */
export function chunkAad(ctx, fileIndex) {
  return concat(utf8("SB1/chunk\0"), ctx, u32(fileIndex));
}

async function readSlice(source, start, end) {
  if (source instanceof Uint8Array) return source.subarray(start, end);
  return new Uint8Array(await source.slice(start, end).arrayBuffer());
}

/** Seal one file from `source` (a Blob/File, or bytes) one 1 MiB slice at a time: each
 * ciphertext chunk is handed to `await onChunk(fileIndex, chunkIndex, bytes)` before the next
 * slice is read, and fed to a running SHA-256, so memory stays at a few chunks whatever the
 * size. `onProgress(bytes)` gets the plaintext bytes sealed of this file after each chunk.
 * Returns the manifest entry {index, size, chunks, sha256}. */
export async function sealFileStream({ key, ctx, index, source, size, onChunk, onProgress }) {
  integer(size);
  const sourceSize = source instanceof Uint8Array ? source.length : source.size;
  if (sourceSize !== size) throw new SB1Error("files", "the file's size changed since it was described");
  const cryptoKey = await aesKey(await fileKey(key, ctx, index));
  const aad = chunkAad(ctx, index);
  const chunks = chunkCount(size);
  const digest = streamingSha256.create();
  for (let i = 0; i < chunks; i++) {
    const start = i * CHUNK_SIZE;
    const end = Math.min(size, start + CHUNK_SIZE);
    const plaintext = await readSlice(source, start, end);
    if (plaintext.length !== end - start) throw new SB1Error("files", "the file could not be read completely");
    const ciphertext = await aesGcmEncrypt(cryptoKey, chunkNonce(i, i === chunks - 1), plaintext, aad);
    digest.update(ciphertext);
    if (onChunk) await onChunk(index, i, ciphertext);
    if (onProgress) onProgress(end);
  }
  return { index, size, chunks, sha256: b64u(digest.digest()) };
}

/** Decrypt one chunk (the reader's side; the browser uses it only to check its own output). */
export async function chunkOpen({ fileKey: k, ctx, fileIndex, index, last, ciphertext }) {
  return aesGcmDecrypt(k, chunkNonce(index, last), ciphertext, chunkAad(ctx, fileIndex));
}

// --- wrapping K's shares for the custodians -------------------------------------------------------

const ZERO_NONCE = new Uint8Array(12);

/** commit_j = SHA-256("SB1/share-commit" ‖ 0x00 ‖ ctx ‖ u8(j) ‖ s_j). */
export function shareCommit(ctx, index, share) {
  return sha256(utf8("SB1/share-commit\0"), ctx, u8(index), share);
}

/** W_j = HKDF(ikm=Z_x, salt=E_j ‖ C_j, info="SB1/wrap" ‖ 0x00 ‖ ctx ‖ u8(j), L=32). */
export function wrapKey({ ctx, index, sharedX, ephemeral, custodianKey }) {
  return hkdf({ ikm: sharedX, salt: concat(ephemeral, custodianKey), info: concat(utf8("SB1/wrap\0"), ctx, u8(index)) });
}

/** Wrap s_j for custodian j under a fresh ephemeral ECDH key (fixed only for vectors). Returns
 * the manifest entry's values and the intermediate ones the vectors show. */
export async function shareWrap({ ctx, index, custodianKey, keyId: id, share, ephemeralScalar, pokNonce }) {
  const c = pointParse(custodianKey).toBytes(false);
  const e = ephemeralScalar ?? randomScalar();
  const ephemeral = publicPoint(e);
  const sharedX = await ecdhX(e, c);
  const w = await wrapKey({ ctx, index, sharedX, ephemeral, custodianKey: c });
  return {
    index,
    keyId: id,
    ephemeral,
    pok: await pokProve({ ctx, index, scalar: e, nonce: pokNonce }),
    wrapped: await aesGcmEncrypt(w, ZERO_NONCE, share),
    commit: await shareCommit(ctx, index, share),
    sharedX,
    wrapKey: w,
  };
}

/** s_j from wrapped_j, given Z_x; SB1Error("unwrap") if AES-GCM refuses it. */
export async function shareUnwrap({ ctx, index, sharedX, ephemeral, custodianKey, wrapped }) {
  const w = await wrapKey({ ctx, index, sharedX, ephemeral, custodianKey });
  return aesGcmDecrypt(w, ZERO_NONCE, wrapped, new Uint8Array(0), "unwrap");
}

// --- the whole bid ---------------------------------------------------------------------------------

/** Seals one bid: K (or a fixed one), the form, the shares and their wraps (`await
 * BidSealer.create(...)`); then each file's chunks (`sealFile`), and finally the manifest.
 * `custodians`: [{index, key (raw bytes or b64u C_j), key_id}] as the published notice fixes them. */
export class BidSealer {
  static async create({
    tender,
    lot,
    bid,
    supplier,
    readout,
    readoutFields,
    attachments,
    custodians,
    threshold,
    key,
    coefficients,
    ephemeralScalars = {},
    pokNonces = {},
  }) {
    const sealer = new BidSealer();
    Object.assign(sealer, { tender, lot, bid, supplier, threshold });
    sealer.ctx = await context({ tender, lot, bid, supplier });
    sealer.form = formBuild({ tender, lot, bid, supplier, readout, readoutFields, attachments });
    sealer.formPlaintext = formPlaintext(sealer.form);
    sealer.attachments = sealer.form.attachments;
    sealer.key = key ?? randomBytes(32);
    if (sealer.key.length !== 32) throw new SB1Error("length");
    sealer.keyCommit = await keyCommit(sealer.ctx, sealer.key);
    const ordered = [...custodians].sort((a, b) => a.index - b.index);
    if (ordered.some((c, i) => c.index !== i + 1)) throw new SB1Error("custodians");
    for (const c of ordered) {
      // The notice pairs each key with its id; a mismatch means the page was given the wrong notice.
      if ((await keyId(asBytes(c.key, 65))) !== c.key_id) throw new SB1Error("key_id");
    }
    sealer.custodians = ordered;
    sealer.shares = shamirSplit(sealer.key, { threshold, count: ordered.length, coefficients });
    sealer.wrapped = [];
    for (const c of ordered) {
      sealer.wrapped.push(
        await shareWrap({
          ctx: sealer.ctx,
          index: c.index,
          custodianKey: asBytes(c.key, 65),
          keyId: c.key_id,
          share: sealer.shares.get(c.index),
          ephemeralScalar: ephemeralScalars[c.index],
          pokNonce: pokNonces[c.index],
        }),
      );
    }
    sealer.files = new Map();
    return sealer;
  }

  fileCount() {
    return this.attachments.length + 1;
  }

  fileSize(index) {
    return index === 0 ? this.formPlaintext.length : this.attachments[index - 1].size;
  }

  /** Seal file `index` (0: the padded form, needs no source), streaming as `sealFileStream`. */
  async sealFile(index, source, { onChunk, onProgress } = {}) {
    if (index === 0) source = this.formPlaintext;
    else if (!(index >= 1 && index <= this.attachments.length) || !source) throw new SB1Error("files");
    const entry = await sealFileStream({
      key: this.key,
      ctx: this.ctx,
      index,
      source,
      size: this.fileSize(index),
      onChunk,
      onProgress,
    });
    this.files.set(index, entry);
    return entry;
  }

  /** The manifest, once every file has been sealed. `replaces`: b64u manifest_sha256 or null. */
  manifest({ replaces, signer, created }) {
    const files = [];
    for (let index = 0; index < this.fileCount(); index++) {
      if (!this.files.has(index)) throw new SB1Error("files");
      files.push(this.files.get(index));
    }
    return {
      suite: "SB1",
      tender: this.tender,
      lot: this.lot,
      bid: this.bid,
      supplier: this.supplier,
      replaces: replaces === null || replaces === undefined ? null : b64u(asBytes(replaces, 32)),
      files,
      key_commit: b64u(this.keyCommit),
      threshold: this.threshold,
      custodians: this.wrapped.map((w) => ({
        index: w.index,
        key_id: w.keyId,
        ephemeral: b64u(w.ephemeral),
        pok: b64u(w.pok),
        wrapped: b64u(w.wrapped),
        commit: b64u(w.commit),
      })),
      signer: b64u(asBytes(signer, 32)),
      created: timeField(created),
    };
  }

  /** Forget the content key (file keys live only as non-extractable CryptoKeys inside sealFile). */
  forgetKey() {
    this.key.fill(0);
    for (const share of this.shares.values()) share.fill(0);
  }
}

export function manifestBytes(manifest) {
  return jcs(manifest);
}

/** SHA-256(JCS(manifest)) (pass the object or its JCS bytes). */
export function manifestSha256(manifest) {
  return sha256(manifest instanceof Uint8Array ? manifest : jcs(manifest));
}

/** The bidder's 64-byte signature over JCS(manifest) with label "SB1/manifest". */
export function manifestSign(manifest, signingKey) {
  return ecdsaSign(signingKey, "SB1/manifest", manifest instanceof Uint8Array ? manifest : jcs(manifest));
}

export function manifestSignatureVerify(raw, signature, publicKey) {
  return ecdsaVerify(publicKey, "SB1/manifest", raw, signature);
}

// --- withdrawal ------------------------------------------------------------------------------------

/** {"statement": w, "signature": b64u} signed over JCS(w) with label "SB1/withdrawal". */
export async function withdrawalBuild({ tender, lot, bid, supplier, manifestSha256: hash, signer, created, signingKey }) {
  await context({ tender, lot, bid, supplier });
  const statement = {
    type: "SB1/withdrawal",
    suite: "SB1",
    tender,
    lot,
    bid,
    supplier,
    manifest_sha256: b64u(asBytes(hash, 32)),
    signer: b64u(asBytes(signer, 32)),
    created: timeField(created),
  };
  const signature = await ecdsaSign(signingKey, "SB1/withdrawal", jcs(statement));
  return { statement, signature: b64u(signature) };
}

/** withdrawal_sha256 = b64u(SHA-256(JCS(w))). */
export async function withdrawalSha256(statement) {
  return b64u(await sha256(jcs(statement)));
}

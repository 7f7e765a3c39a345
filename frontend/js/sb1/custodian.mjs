// The custodian's side of SB1 in the browser (SEALED_BIDS.md "Keys" and Opening 1): the
// per-tender opening key, its registration with proof of possession, the passphrase-encrypted
// key file the page and the CLI share, the confirmation, the checks of the seal statement and of
// each served slot, and the answer Z_j = c_j·E_j with its DLEQ proof, signed. Mirrors
// bidding/sb1/custodian.py and seal.py.
import { asBytes, b64u, b64uDecode, concat, jcs, jsonParse, timeField, timeMillis, timeNow, utf8, u8 } from "./encoding.mjs";
import { SB1Error } from "./errors.mjs";
import { merkleRoot, verifyInclusion } from "./merkle.mjs";
import { dleqProve, ecdsaSign, pointParse, privateKeyFromScalar, publicPoint, scalarOfPrivateKey } from "./p256.mjs";
import { aesGcmDecrypt, aesGcmEncrypt, passphraseKey, randomBytes, sha256 } from "./primitives.mjs";
import { exactKeys, integer, keyId, string, tenderId } from "./wire.mjs";

const subtle = globalThis.crypto.subtle;
export const MIN_ITERATIONS = 600_000;
export const MAX_ITERATIONS = 10_000_000;
const KEY_FILE_KEYS = ["type", "tender", "key_id", "kdf", "iterations", "salt", "nonce", "ciphertext"];
const KEY_FILE_AAD_KEYS = ["type", "tender", "key_id", "kdf", "iterations", "salt"];
const SEAL_KEYS = ["type", "suite", "tender", "deadline", "sealed_at", "count", "bids", "root", "slots", "receipts"];
const SLOT_KEYS = ["tender", "handle", "index", "ctx", "ephemeral", "leaf_index", "tree_size", "path"];

// --- the opening key ---------------------------------------------------------------------------

/** An opening key (c_j, C_j) in the forms SB1 needs: the scalar (DLEQ), the raw point, its
 * key_id, the PKCS#8 DER (for the key file), and an ECDSA CryptoKey (for the pop). */
async function openingKeyFromPkcs8(pkcs8) {
  let imported;
  try {
    imported = await subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  } catch {
    throw new SB1Error("key_file");
  }
  const { scalar, point } = await scalarOfPrivateKey(imported);
  return { scalar, point, keyId: await keyId(point), pkcs8, signingKey: imported };
}

/** A fresh opening key pair, made here (the private key never leaves this browser but in the
 * encrypted key file); one per custodian per tender. */
export async function openingKeyGenerate() {
  const pair = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  return openingKeyFromPkcs8(new Uint8Array(await subtle.exportKey("pkcs8", pair.privateKey)));
}

/** `{"registration": r, "pop", "signature"}`: pop by the opening key ("SB1/key-pop"), signature
 * by the custodian's signing key ("SB1/opening-key"), both over JCS(r). */
export async function openingKeyRegistrationBuild({ tender, index, openingKey, signingKey, signer, created }) {
  const registration = {
    type: "SB1/opening-key",
    tender: tenderId(tender),
    index: integer(index, 1, 255),
    key: b64u(openingKey.point),
    key_id: openingKey.keyId,
    signer: b64u(asBytes(signer, 32)),
    created: timeField(created ?? timeNow()),
  };
  const raw = jcs(registration);
  return {
    registration,
    pop: b64u(await ecdsaSign(openingKey.signingKey, "SB1/key-pop", raw)),
    signature: b64u(await ecdsaSign(signingKey, "SB1/opening-key", raw)),
  };
}

/** `{"confirmation": c, "signature"}` with label "SB1/confirm"; custodians [{index, key_id}]. */
export async function confirmationBuild({ tender, custodians, threshold, deadline, shareWindowS, signer, signingKey }) {
  const confirmation = {
    type: "SB1/custodian-confirmation",
    tender: tenderId(tender),
    custodians: [...custodians].sort((a, b) => a.index - b.index).map((c) => ({ index: c.index, key_id: c.key_id })),
    threshold: integer(threshold, 2, 255),
    deadline: timeField(deadline),
    share_window_s: integer(shareWindowS),
    signer: b64u(asBytes(signer, 32)),
  };
  return { confirmation, signature: b64u(await ecdsaSign(signingKey, "SB1/confirm", jcs(confirmation))) };
}

// --- the key file --------------------------------------------------------------------------------

function keyFileAad(header) {
  return concat(utf8("SB1/custodian-key\0"), jcs(Object.fromEntries(KEY_FILE_AAD_KEYS.map((k) => [k, header[k]]))));
}

/** The key file object: AES-256-GCM over the PKCS#8 DER under PBKDF2-SHA256(NFC passphrase).
 * `salt` and `nonce` are random unless given (vectors only). */
export async function keyFileEncrypt({ tender, openingKey, passphrase, iterations = MIN_ITERATIONS, salt, nonce }) {
  integer(iterations, MIN_ITERATIONS, MAX_ITERATIONS);
  salt = salt ?? randomBytes(16);
  nonce = nonce ?? randomBytes(12);
  if (salt.length !== 16 || nonce.length !== 12) throw new SB1Error("length");
  const header = {
    type: "SB1/custodian-key",
    tender: tenderId(tender),
    key_id: openingKey.keyId,
    kdf: "PBKDF2-SHA256",
    iterations,
    salt: b64u(salt),
  };
  const key = await passphraseKey(passphrase, salt, iterations);
  const ciphertext = await aesGcmEncrypt(key, nonce, openingKey.pkcs8, keyFileAad(header));
  return { ...header, nonce: b64u(nonce), ciphertext: b64u(ciphertext) };
}

/** The opening key inside a key file (object, JSON text or bytes); refuses a file of another
 * tender, a wrong passphrase, a key that is not P-256, or one whose point does not have the
 * file's key_id. Any valid P-256 PKCS#8 is accepted. */
export async function keyFileDecrypt(keyFile, { tender, passphrase }) {
  const data = typeof keyFile === "object" && !(keyFile instanceof Uint8Array) ? keyFile : jsonParse(keyFile);
  exactKeys(data, KEY_FILE_KEYS);
  if (data.type !== "SB1/custodian-key" || data.kdf !== "PBKDF2-SHA256") throw new SB1Error("key_file");
  if (data.tender !== tender) throw new SB1Error("mismatch");
  const iterations = integer(data.iterations, MIN_ITERATIONS, MAX_ITERATIONS);
  const salt = b64uDecode(data.salt, 16);
  const nonce = b64uDecode(data.nonce, 12);
  b64uDecode(string(data.key_id), 32);
  const key = await passphraseKey(passphrase, salt, iterations);
  const pkcs8 = await aesGcmDecrypt(key, nonce, b64uDecode(data.ciphertext), keyFileAad(data), "key_file");
  const openingKey = await openingKeyFromPkcs8(pkcs8);
  if (openingKey.keyId !== data.key_id) throw new SB1Error("key_id");
  return openingKey;
}

/** An opening key from its bare scalar (test custodians and vectors only). */
export async function openingKeyFromScalar(scalar) {
  const signingKey = await privateKeyFromScalar(scalar, "ECDSA", true);
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", signingKey));
  const point = publicPoint(scalar);
  return { scalar, point, keyId: await keyId(point), pkcs8, signingKey };
}

// --- the seal and the served slots ---------------------------------------------------------------

/** SHA-256("SB1/slot" ‖ 0x00 ‖ ctx ‖ u8(j) ‖ E_j): a slot's leaf input and its handle. */
export function slotLeaf(ctx, index, ephemeral) {
  return sha256(utf8("SB1/slot\0"), ctx, u8(index), ephemeral);
}

function compareBytes(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The form of a seal statement payload, and that `root` is the tree over `bids` (sorted, distinct). */
export async function sealStatementCheck(seal, { tender, custodianCount }) {
  exactKeys(seal, SEAL_KEYS);
  if (seal.type !== "SB1/seal" || seal.suite !== "SB1" || seal.tender !== tender) throw new SB1Error("seal");
  timeField(seal.deadline);
  timeField(seal.sealed_at);
  integer(seal.receipts);
  if (!Array.isArray(seal.bids) || integer(seal.count) !== seal.bids.length) throw new SB1Error("seal");
  const bids = seal.bids.map((b) => b64uDecode(b, 32));
  for (let i = 1; i < bids.length; i++) if (compareBytes(bids[i - 1], bids[i]) >= 0) throw new SB1Error("seal");
  const root = await merkleRoot(bids);
  if (b64u(root) !== seal.root) throw new SB1Error("seal");
  if (!Array.isArray(seal.slots) || seal.slots.length !== custodianCount) throw new SB1Error("seal");
  for (const slotRoot of seal.slots) b64uDecode(slotRoot, 32);
  return seal;
}

/** The custodian tool's checks of one served slot against a checked seal statement: tender and
 * index are ours, `tree_size` is the seal's `count`, the handle is the slot leaf of the served
 * ctx and ephemeral, and the inclusion path leads to `slots[index-1]`. Returns the decoded slot. */
export async function servedSlotCheck(slot, { tender, index, seal }) {
  exactKeys(slot, SLOT_KEYS);
  if (slot.tender !== tender || slot.index !== index) throw new SB1Error("mismatch");
  const handle = b64uDecode(slot.handle, 32);
  const ctx = b64uDecode(slot.ctx, 32);
  const ephemeral = b64uDecode(slot.ephemeral, 65);
  pointParse(ephemeral);
  if (integer(slot.tree_size) !== seal.count) throw new SB1Error("seal");
  if (b64u(await slotLeaf(ctx, index, ephemeral)) !== slot.handle) throw new SB1Error("handle");
  if (!Array.isArray(slot.path)) throw new SB1Error("proof");
  const path = slot.path.map((node) => b64uDecode(node, 32));
  const root = b64uDecode(seal.slots[index - 1], 32);
  if (!(await verifyInclusion(handle, integer(slot.leaf_index), slot.tree_size, path, root))) throw new SB1Error("proof");
  return { tender, handle, index, ctx, ephemeral };
}

/** `{"submission": s, "signature"}` for one checked slot: Z_j = c_j·E_j with its DLEQ proof,
 * signed with label "SB1/share". `nonce` only for vectors. */
export async function shareSubmissionBuild({ slot, openingKey, signingKey, signer, created, nonce }) {
  const { point, proof } = await dleqProve({
    ctx: slot.ctx,
    index: slot.index,
    scalar: openingKey.scalar,
    ephemeral: slot.ephemeral,
    nonce,
  });
  const submission = {
    type: "SB1/share",
    tender: slot.tender,
    handle: b64u(slot.handle),
    index: slot.index,
    ctx: b64u(slot.ctx),
    ephemeral: b64u(slot.ephemeral),
    point: b64u(point),
    proof: b64u(proof),
    signer: b64u(asBytes(signer, 32)),
    created: timeField(created ?? timeNow()),
  };
  return { submission, signature: b64u(await ecdsaSign(signingKey, "SB1/share", jcs(submission))) };
}

/** Answer every served slot of custodian `index` for `tender` (SEALED_BIDS.md Opening 1):
 * decrypts the key file, checks it is for this tender and (if given) has `keyId`; checks the seal
 * statement (form and root; `custodianCount` defaults to its number of slots), that its
 * deadline equals `confirmedDeadline` (the custodian's latest confirmation) when given, that
 * this browser's clock is at or past it, and every slot; then returns one signed submission a
 * slot. Nothing is answered unless every check passes. The checks that need the ledger (the
 * seal's signature and inclusion, that it is the tender's first seal, and which deadline the
 * custodian last confirmed) are ledger.mjs's `sealLedgerChecks`, run by the page first. `kept`
 * ({b64u handle: envelope}) holds answers given before: a slot with one is answered with it again,
 * byte for byte (Opening 1: "a resend repeats the stored answer"); keeping them is the page's.
 * Codes: "deadline" (not the confirmed one), "too_early". */
export async function computeShares({
  slots,
  seal,
  keyFile,
  passphrase,
  tender,
  index,
  signingKey,
  signer,
  keyId: expectedKeyId,
  confirmedDeadline,
  custodianCount,
  now = Date.now,
  created,
  kept = {},
}) {
  const openingKey = await keyFileDecrypt(keyFile, { tender, passphrase });
  if (expectedKeyId !== undefined && openingKey.keyId !== expectedKeyId) throw new SB1Error("key_id");
  await sealStatementCheck(seal, { tender, custodianCount: custodianCount ?? seal.slots?.length });
  if (confirmedDeadline !== undefined && timeMillis(seal.deadline) !== timeMillis(confirmedDeadline)) {
    throw new SB1Error("deadline", `${seal.deadline} is not the confirmed ${confirmedDeadline}`);
  }
  if (now() < timeMillis(seal.deadline)) throw new SB1Error("too_early", "this clock is before the deadline");
  const checked = [];
  for (const slot of slots) checked.push(await servedSlotCheck(slot, { tender, index, seal }));
  const answers = [];
  for (const slot of checked) {
    const before = kept[b64u(slot.handle)];
    answers.push(before ?? await shareSubmissionBuild({ slot, openingKey, signingKey, signer, created: created ?? timeNow() }));
  }
  return answers;
}

// The public ledger checked in the browser (docs/ledger.md), as the Python client does
// (bidding/client/bid.py): platform Ed25519 signatures, inclusion proofs under a signed tree head,
// a prefix of the log streamed and rehashed against the signed head of its size, and the custodian's
// opening checks on top of them (SEALED_BIDS.md "Opening" 1: the seal is the tender's first in the
// ledger; its deadline is the one in the custodian's latest confirmation). `getJson(path)` fetches a
// public ledger API path and returns its JSON; nothing it returns is believed unchecked.
import { ed25519 } from "@noble/curves/ed25519.js";
import { b64uDecode, bytesEqual, jcs, jsonParseCanonical, utf8, concat } from "./encoding.mjs";
import { SB1Error } from "./errors.mjs";
import { MerkleFrontier, verifyConsistency, verifyInclusion } from "./merkle.mjs";
import { ecdsaVerify } from "./p256.mjs";

export const LEDGER_RANGE = 1000; // entries a request (the API's cap)
const SEAL_TYPE = "SB1/seal";
const CONFIRMATION_KEYS = ["type", "tender", "custodians", "threshold", "deadline", "share_window_s", "signer"];

/** {key_id: raw 32-byte Ed25519 public key} of every platform key, retired ones included. */
export async function platformKeys(getJson) {
  const { keys } = await getJson("/api/ledger/keys/");
  return Object.fromEntries(keys.map((k) => [k.key_id, b64uDecode(k.public_key, 32)]));
}

/** `{"payload","key_id","signature"}`: Ed25519 over "SB1/platform" ‖ 0x00 ‖ JCS(payload). */
export function platformSignatureOk(envelope, keys) {
  if (!envelope || typeof envelope !== "object" || Object.keys(envelope).sort().join() !== "key_id,payload,signature") return false;
  const key = keys[envelope.key_id];
  if (!key) return false;
  try {
    const message = concat(utf8("SB1/platform\0"), jcs(envelope.payload));
    return ed25519.verify(b64uDecode(envelope.signature, 64), message, key, { zip215: false });
  } catch {
    return false;
  }
}

function signedHeadOk(head, keys, size) {
  return platformSignatureOk(head, keys) && head.payload.type === "ledger/tree-head" && head.payload.size === size;
}

/** The document is entry `proof.index` under the platform-signed tree head `proof.tree_head`. */
export async function ledgerProofOk(document, proof, keys) {
  const head = proof.tree_head;
  if (!signedHeadOk(head, keys, proof.tree_size)) return false;
  return verifyInclusion(
    jcs(document), proof.index, proof.tree_size, proof.path.map((p) => b64uDecode(p, 32)), b64uDecode(head.payload.root, 32),
  );
}

/** Read entries 0..size−1, LEDGER_RANGE at a time, hand each document (parsed from its exact leaf
 * input, which must be canonical JSON) to `visit(index, document)`, recompute the root as they
 * stream past (O(log n) memory), and check it against the platform-signed tree head of that size,
 * which is returned. Throws SB1Error("ledger", …) when the entries do not give the signed root. */
export async function ledgerPrefixScan({ getJson, size, keys, visit, onProgress }) {
  const frontier = new MerkleFrontier();
  while (frontier.size < size) {
    const end = Math.min(frontier.size + LEDGER_RANGE, size);
    const { entries } = await getJson(`/api/ledger/entries/range/?start=${frontier.size}&end=${end}`);
    if (!Array.isArray(entries) || !entries.length) throw new SB1Error("ledger", `no entries from ${frontier.size}`);
    for (const entry of entries) {
      const index = frontier.size;
      if (entry?.index !== index || index >= end) throw new SB1Error("ledger", `entries out of order at ${index}`);
      const leafInput = b64uDecode(entry.leaf_input);
      let document;
      try {
        document = jsonParseCanonical(leafInput);
      } catch {
        throw new SB1Error("ledger", `entry ${index} is not canonical JSON`);
      }
      await frontier.append(leafInput);
      await visit(index, document);
    }
    onProgress?.(frontier.size, size);
  }
  const head = await getJson(`/api/ledger/tree-head/?size=${size}`);
  if (!signedHeadOk(head, keys, size)) throw new SB1Error("ledger", `the tree head of size ${size} is not signed`);
  if (!bytesEqual(b64uDecode(head.payload.root, 32), await frontier.root())) {
    throw new SB1Error("ledger_changed", `entries 0..${size - 1} do not give the signed root`);
  }
  return head;
}

/** Two platform-signed tree heads are of one append-only log (RFC 9162 consistency proof). */
export async function ledgerHeadsConsistent({ getJson, keys, old, current }) {
  let [a, b] = [old, current];
  if (!signedHeadOk(a, keys, a?.payload?.size) || !signedHeadOk(b, keys, b?.payload?.size)) return false;
  if (a.payload.size > b.payload.size) [a, b] = [b, a];
  const { proof } = await getJson(`/api/ledger/proofs/consistency/?size1=${a.payload.size}&size2=${b.payload.size}`);
  return verifyConsistency(
    a.payload.size, b.payload.size, b64uDecode(a.payload.root, 32), b64uDecode(b.payload.root, 32), proof.map((p) => b64uDecode(p, 32)),
  );
}

/** The confirmation object if `envelope` is `{"confirmation","signature"}` of `tender`, signed with
 * label "SB1/confirm" by `signingPublicKey` (raw P-256 point); else null. */
export async function ownConfirmation(envelope, { tender, signingPublicKey }) {
  const c = envelope?.confirmation;
  if (!c || typeof c !== "object" || Object.keys(c).sort().join() !== [...CONFIRMATION_KEYS].sort().join()) return null;
  if (c.type !== "SB1/custodian-confirmation" || c.tender !== tender || typeof envelope.signature !== "string") return null;
  try {
    await ecdsaVerify(signingPublicKey, "SB1/confirm", jcs(c), b64uDecode(envelope.signature, 64));
  } catch {
    return null;
  }
  return c;
}

/** The custodian tool's checks of the served seal that need the ledger (SEALED_BIDS.md "Opening" 1),
 * done before anything is answered: the seal's platform signature and inclusion proof; every entry
 * 0..seal read and rehashed against the signed tree head of that size, none before the seal a seal
 * statement of the tender, the entry at the seal's index the served statement; that head consistent
 * with the inclusion proof's; and the deadline of the custodian's latest confirmation — `kept` if
 * given (a confirmation envelope the custodian holds), else the last one in that verified prefix
 * signed by `signingPublicKey`. Returns {confirmedDeadline, source}; the caller passes the deadline
 * to computeShares, which compares it with the seal's. Codes: seal_signature, seal_inclusion,
 * seal_not_first (detail: the earlier entry's index), ledger, ledger_changed, ledger_heads,
 * no_confirmation, kept_confirmation. */
export async function sealLedgerChecks({ served, tender, getJson, signingPublicKey, kept, onProgress }) {
  const keys = await platformKeys(getJson);
  const envelope = served.seal;
  if (!platformSignatureOk(envelope, keys)) throw new SB1Error("seal_signature");
  const sealIndex = served.seal_ledger_index;
  const inclusion = served.seal_inclusion ?? (await ledgerInclusion(getJson, sealIndex, keys));
  if (inclusion.index !== sealIndex || !(await ledgerProofOk(envelope, inclusion, keys))) throw new SB1Error("seal_inclusion");
  let keptConfirmation = null;
  if (kept !== undefined && kept !== null) {
    keptConfirmation = await ownConfirmation(kept, { tender, signingPublicKey });
    if (!keptConfirmation) throw new SB1Error("kept_confirmation");
  }
  const logged = [];
  const sealBytes = jcs(envelope);
  const prefixHead = await ledgerPrefixScan({
    getJson,
    size: sealIndex + 1,
    keys,
    onProgress,
    visit: async (index, document) => {
      const payload = document?.payload;
      if (index < sealIndex && payload && payload.type === SEAL_TYPE && payload.tender === tender) {
        throw new SB1Error("seal_not_first", String(index));
      }
      if (index === sealIndex && !bytesEqual(jcs(document), sealBytes)) throw new SB1Error("seal_inclusion");
      if (document && typeof document === "object" && "confirmation" in document) {
        const mine = await ownConfirmation(document, { tender, signingPublicKey });
        if (mine) logged.push(mine);
      }
    },
  });
  if (!(await ledgerHeadsConsistent({ getJson, keys, old: prefixHead, current: inclusion.tree_head }))) {
    throw new SB1Error("ledger_heads");
  }
  if (keptConfirmation) return { confirmedDeadline: keptConfirmation.deadline, source: "kept" };
  if (logged.length) return { confirmedDeadline: logged[logged.length - 1].deadline, source: "ledger" };
  throw new SB1Error("no_confirmation");
}

/** Entry `index`'s inclusion proof in the current tree, with that size's signed tree head. */
async function ledgerInclusion(getJson, index) {
  const head = await getJson("/api/ledger/tree-head/");
  const proof = await getJson(`/api/ledger/proofs/inclusion/?index=${index}&size=${head.payload.size}`);
  return { ...proof, tree_head: head };
}

// RFC 9162 Merkle tree hashing for SB1's seal (`root`, `slots`) and the custodian's check of a
// served slot's inclusion path; the same algorithms as ledger/merkle.py, on WebCrypto SHA-256.
import { bytesEqual, concat } from "./encoding.mjs";
import { sha256 } from "./primitives.mjs";

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function leafHash(leafInput) {
  return sha256(concat(LEAF, leafInput));
}

export function nodeHash(left, right) {
  return sha256(concat(NODE, left, right));
}

function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

async function rootOfHashes(hashes) {
  if (hashes.length === 1) return hashes[0];
  const k = splitPoint(hashes.length);
  return nodeHash(await rootOfHashes(hashes.slice(0, k)), await rootOfHashes(hashes.slice(k)));
}

/** MTH(D[n]) over the leaf *inputs*; the empty tree's root is SHA-256(""). */
export async function merkleRoot(leafInputs) {
  if (!leafInputs.length) return sha256(new Uint8Array(0));
  return rootOfHashes(await Promise.all(leafInputs.map(leafHash)));
}

/** RFC 9162 2.1.3.2: does `path` prove `leafInput` is leaf `index` of the `treeSize`-leaf tree with `root`? */
export async function verifyInclusion(leafInput, index, treeSize, path, root) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(treeSize) && index >= 0 && index < treeSize)) return false;
  // Big-endian bit fiddling on numbers up to 2^53: BigInt keeps it exact.
  let fn = BigInt(index);
  let sn = BigInt(treeSize - 1);
  let r = await leafHash(leafInput);
  for (const p of path) {
    if (p.length !== 32 || sn === 0n) return false;
    if (fn & 1n || fn === sn) {
      r = await nodeHash(p, r);
      if (!(fn & 1n)) {
        while (fn && !(fn & 1n)) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && bytesEqual(r, root);
}

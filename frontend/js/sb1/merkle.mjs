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

/** MTH(D[n]) of leaf inputs given one at a time, in O(log n) memory: the hashes of the perfect
 * subtrees making up the tree so far, largest first (ledger.merkle.MerkleFrontier). */
export class MerkleFrontier {
  constructor() {
    this.size = 0;
    this.subtrees = [];
  }

  async append(leafInput) {
    let digest = await leafHash(leafInput);
    for (let size = this.size; size % 2 === 1; size = Math.floor(size / 2)) {
      digest = await nodeHash(this.subtrees.pop(), digest);
    }
    this.subtrees.push(digest);
    this.size += 1;
  }

  async root() {
    if (!this.subtrees.length) return sha256(new Uint8Array(0));
    let root = this.subtrees[this.subtrees.length - 1];
    for (let i = this.subtrees.length - 2; i >= 0; i--) root = await nodeHash(this.subtrees[i], root);
    return root;
  }
}

/** RFC 9162 2.1.4.2 (ledger.merkle.verify_consistency): is the `size1` tree with `root1` a prefix of
 * the `size2` tree with `root2`? size1 == size2 needs an empty proof and equal roots; size1 == 0 an
 * empty proof and root1 = SHA-256(""). */
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (size1 === 0) return proof.length === 0 && bytesEqual(root1, await sha256(new Uint8Array(0)));
  if (!proof.length || proof.some((c) => c.length !== 32)) return false;
  const path = [...proof];
  let fn = BigInt(size1 - 1);
  let sn = BigInt(size2 - 1);
  if ((BigInt(size1) & (BigInt(size1) - 1n)) === 0n) path.unshift(root1); // a power of two
  while (fn & 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (fn & 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (!(fn & 1n)) {
        while (fn && !(fn & 1n)) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return bytesEqual(fr, root1) && bytesEqual(sr, root2) && sn === 0n;
}

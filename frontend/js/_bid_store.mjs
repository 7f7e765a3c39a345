// The bid page's store of sealed bids not yet fully sent (IndexedDB "yizhan-bids"), so an upload
// survives a reload, a closed tab or a crash: what sending needs and nothing that opens the bid.
// Kept: the manifest bytes as signed, its signature and SHA-256, the plaintext file sizes (the
// server has them too, and the manifest holds them) and every ciphertext chunk with its SHA-256.
// Never kept: the content key K, its shares, the ephemeral scalars, the form or any attachment's
// plaintext or name. SEALED_BIDS.md asks the bidder to keep nothing else: a withdrawal or a
// replacement needs only manifest_sha256 (in the receipt and on the server) and the signing key
// (in "yizhan-keys"). The module name starts with "_" so frontend/build.mjs bundles it into the
// page instead of making it an entry point of its own.

const DB_NAME = "yizhan-bids";
const BIDS = "bids"; // one record a bid: {bid, username, tender, lot, state, started, fileSizes, ...}
const CHUNKS = "chunks"; // one record a ciphertext chunk: {bid, file, index, data: Blob, sha256}

// "sealing": chunks are being made; the key is only in the sealing page's memory, so a record left
// in this state by a closed page can never be finished. "sealed": the manifest is signed and stored.
export const SEALING = "sealing";
export const SEALED = "sealed";

export const isQuotaError = (error) => error?.name === "QuotaExceededError";

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

function open() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => {
      const database = opening.result;
      database.createObjectStore(BIDS, { keyPath: "bid" }).createIndex("owner", ["username", "tender"]);
      database.createObjectStore(CHUNKS, { keyPath: ["bid", "file", "index"] });
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new DOMException("the bid store is blocked by another window", "InvalidStateError"));
  });
}

// Every chunk key of one bid: [bid] sorts before [bid, f, i], and an array after every number.
const chunksOf = (bid) => IDBKeyRange.bound([bid], [bid, []]);

export class BidStore {
  /** The store, or null where this browser gives none (IndexedDB off, or refused). */
  static async open() {
    try {
      if (!globalThis.indexedDB) return null;
      return new BidStore(await open());
    } catch {
      return null;
    }
  }

  constructor(database) {
    this.database = database;
  }

  /** Run `action(stores)` in one transaction; resolves with its result once the transaction is
   * committed (so a write is on disk as far as IndexedDB promises), rejects with the
   * transaction's error (QuotaExceededError when the origin's quota is full). */
  transact(names, mode, action) {
    return new Promise((resolve, reject) => {
      let tx;
      try {
        tx = this.database.transaction(names, mode, { durability: "strict" });
      } catch (error) {
        reject(error);
        return;
      }
      const stores = Object.fromEntries([names].flat().map((name) => [name, tx.objectStore(name)]));
      let result;
      new Promise((done) => done(action(stores))).then(
        (value) => (result = value),
        (error) => {
          reject(error);
          try {
            tx.abort();
          } catch {
            // already finished
          }
        },
      );
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new DOMException("the transaction was aborted", "AbortError"));
    });
  }

  /** Begin a bid: called when its first chunk (the padded form, which gives file 0's size) is made. */
  begin({ bid, username, tender, lot, fileSizes }) {
    const record = { bid, username, tender, lot, state: SEALING, started: new Date().toISOString(), fileSizes };
    return this.transact(BIDS, "readwrite", (s) => void s[BIDS].put(record));
  }

  /** One ciphertext chunk, as a Blob: the browser keeps it on disk, not in this page's memory. */
  putChunk({ bid, file, index, bytes, sha256 }) {
    const data = new Blob([bytes], { type: "application/octet-stream" });
    return this.transact(CHUNKS, "readwrite", (s) => void s[CHUNKS].put({ bid, file, index, data, sha256 }));
  }

  /** The bid is sealed: its manifest (exact bytes), signature and manifest_sha256 (b64u). */
  sealed(bid, { manifestBytes, signature, manifestSha256, created, chunks }) {
    return this.transact(BIDS, "readwrite", async (s) => {
      const record = await request(s[BIDS].get(bid));
      if (!record) throw new DOMException("the stored bid is gone", "NotFoundError");
      s[BIDS].put({ ...record, state: SEALED, manifest: manifestBytes, signature, manifestSha256, created, chunks });
    });
  }

  /** This user's stored bids in this tender, oldest first. */
  async list({ username, tender }) {
    const records = await this.transact(BIDS, "readonly", (s) => request(s[BIDS].index("owner").getAll([username, tender])));
    return records.sort((a, b) => a.started.localeCompare(b.started));
  }

  /** One stored chunk {data: Blob, sha256}, or undefined. */
  chunk(bid, file, index) {
    return this.transact(CHUNKS, "readonly", (s) => request(s[CHUNKS].get([bid, file, index])));
  }

  /** [[file, index], ...] of the chunks stored for a bid. */
  async chunkKeys(bid) {
    const keys = await this.transact(CHUNKS, "readonly", (s) => request(s[CHUNKS].getAllKeys(chunksOf(bid))));
    return keys.map(([, file, index]) => [file, index]);
  }

  /** Forget a bid: its record and all its chunks, in one transaction. */
  remove(bid) {
    return this.transact([BIDS, CHUNKS], "readwrite", (s) => {
      s[BIDS].delete(bid);
      s[CHUNKS].delete(chunksOf(bid));
    });
  }
}

/** Whether the origin's storage has room for `bytes` more (with a margin), as far as the browser
 * says; true when it cannot say (a write that does not fit then fails with QuotaExceededError). */
export async function storageHasRoom(bytes) {
  if (!navigator.storage?.estimate) return true;
  try {
    const { quota, usage } = await navigator.storage.estimate();
    if (typeof quota !== "number" || typeof usage !== "number") return true;
    return quota - usage >= bytes * 1.1 + 1_048_576;
  } catch {
    return true;
  }
}

/** Ask the browser not to evict the store under storage pressure (best effort: it may say no). */
export function storagePersistAsk() {
  navigator.storage?.persist?.().catch(() => {});
}

// Web Locks keep two windows from sending (or one from discarding what another is sealing) the
// same stored bid. Where the browser has none, the server's idempotent answers keep it safe anyway.
const lockName = (bid) => `yizhan-bid:${bid}`;

/** Run `action` holding this bid's lock; `null` (without running it) if another window holds it. */
export async function withBidLock(bid, action) {
  if (!navigator.locks) return action();
  let ran = false;
  const result = await navigator.locks.request(lockName(bid), { ifAvailable: true }, async (lock) => {
    if (!lock) return null;
    ran = true;
    return action();
  });
  return ran ? result : null;
}

/** The bids whose lock some window holds right now (sealing or sending them). */
export async function bidsBusy() {
  if (!navigator.locks?.query) return new Set();
  const { held = [] } = await navigator.locks.query();
  return new Set(held.map((lock) => lock.name).filter((n) => n.startsWith("yizhan-bid:")).map((n) => n.slice(11)));
}

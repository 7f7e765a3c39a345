// The custodian's answers in this browser (IndexedDB "yizhan-shares"), so a resend repeats the stored
// answer instead of computing a new one (SEALED_BIDS.md Opening 1: "it answers each slot once (a
// resend repeats the stored answer, unless that answer was refused for a bad proof, when it computes
// a new one)"), as the CLI does with its answers file beside the opening key. One record a slot:
// {username, tender, index, handle, envelope}; the envelope is the signed submission as sent. The
// point in it is the custodian's own answer, kept on the custodian's own machine, as the CLI keeps it.
// The module name starts with "_" so frontend/build.mjs bundles it into the page.

const DB_NAME = "yizhan-shares";
const ANSWERS = "answers";

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
      opening.result.createObjectStore(ANSWERS, { keyPath: ["username", "tender", "index", "handle"] });
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new DOMException("the answer store is blocked by another window", "InvalidStateError"));
  });
}

export class ShareStore {
  /** The store for one custodian's slots of one tender, or null where this browser gives none. */
  static async open({ username, tender, index }) {
    try {
      if (!globalThis.indexedDB) return null;
      return new ShareStore(await open(), { username, tender, index });
    } catch {
      return null;
    }
  }

  constructor(database, owner) {
    this.database = database;
    this.owner = owner;
  }

  #transact(mode, action) {
    return new Promise((resolve, reject) => {
      const tx = this.database.transaction(ANSWERS, mode, { durability: "strict" });
      let result;
      Promise.resolve(action(tx.objectStore(ANSWERS))).then((value) => { result = value; }, reject);
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  #key(handle) {
    return [this.owner.username, this.owner.tender, this.owner.index, handle];
  }

  /** {handle: envelope} of the answers kept for these handles. */
  async kept(handles) {
    const records = await this.#transact("readonly", (store) =>
      Promise.all(handles.map((handle) => request(store.get(this.#key(handle))))));
    return Object.fromEntries(records.filter(Boolean).map((record) => [record.handle, record.envelope]));
  }

  /** Keep answers before they are sent (a page closed mid-send repeats them). Resolves once committed. */
  async keep(envelopes) {
    await this.#transact("readwrite", (store) => {
      for (const envelope of envelopes) {
        store.put({ ...this.owner, handle: envelope.submission.handle, envelope });
      }
    });
  }

  /** Forget answers the server refused for a bad proof: the next send computes them afresh. */
  async forget(handles) {
    await this.#transact("readwrite", (store) => {
      for (const handle of handles) store.delete(this.#key(handle));
    });
  }
}

// The bid page: seals the form and attachments in this browser (sb1/index.mjs `sealBid`, chunk by
// chunk), uploads each ciphertext chunk as it is made, survives a dropped connection (unsent
// chunks are kept until the server acknowledges them; when the connection is back it asks the
// server which chunks it holds and sends only the others), finalizes with the signed manifest,
// and shows the platform-signed receipt. Every step on the server is idempotent, so retrying is safe.
//
// It also survives a reload, a closed tab or a crashed browser: the sealed bid (manifest, signature,
// ciphertext chunks; never the key or any plaintext) is kept in IndexedDB as it is sealed
// (_bid_store.mjs), and on load the page offers to continue sending or to discard what a previous
// visit left unsent. Where the browser's storage has no room, the page falls back to memory and says
// that a reload would lose the upload.
import { b64u, jcs, timeNow } from "./sb1/encoding.mjs";
import { sealBid, withdrawalBuild } from "./sb1/index.mjs";
import { sha256 } from "./sb1/primitives.mjs";
import { CHUNK_SIZE, TAG_SIZE } from "./sb1/sealing.mjs";
import { newBidId } from "./sb1/wire.mjs";
import { heldKey } from "./keys.mjs";
import { priceWordsFollow, readoutFromForm } from "./_readout.mjs";
import { BidStore, SEALED, bidsBusy, storageHasRoom, storagePersistAsk, withBidLock } from "./_bid_store.mjs";

const zh = () => document.documentElement.lang.startsWith("zh");
const t = (en, cn) => (zh() ? cn : en);
const RETRY_MS = 1500;
const FORM_ALLOWANCE = 65_536; // the padded form's sealed size is known only once sealing starts

class Refused extends Error {
  // the server said no (or this browser cannot go on): retrying would not help
  constructor(message, { code = null, status = null } = {}) {
    super(message);
    Object.assign(this, { code, status });
  }
}

function csrfToken() {
  // After the deadline the page has no form, and sends nothing but reads.
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

function say(text, { error = false } = {}) {
  const region = document.getElementById("bid-status");
  const p = document.createElement("p");
  p.className = error ? "govuk-error-message" : "govuk-body";
  p.textContent = text;
  region.replaceChildren(p);
}

function setProgress(id, done, total) {
  const bar = document.getElementById(id);
  if (!bar) return; // after the deadline the page has no progress bars
  const percent = total ? Math.floor((100 * done) / total) : 0;
  bar.value = percent;
  bar.textContent = `${percent}%`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- upload progress, time left, and the deadline -----------------------------------------------------

const SPEED_WINDOW_MS = 10_000; // the current speed: bytes acknowledged over the last 10 seconds

function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

function durationText(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return t(`${s} s`, `${s} 秒`);
  const m = Math.ceil(s / 60);
  return m < 90 ? t(`${m} min`, `${m} 分钟`) : t(`${(m / 60).toFixed(1)} h`, `${(m / 60).toFixed(1)} 小时`);
}

/** The platform's time zone, named: every time a bidder is shown is Beijing time. */
function beijingParts(iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const ms = (iso.match(/\.(\d{3})/) ?? [null, "000"])[1];
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}.${ms}` };
}

/** Per-file bytes sent and time left at the current speed, and the warning when the rest of the
 * upload will likely not reach the server before the deadline (the server's clock decides: the
 * page corrects its own clock by the server time it was rendered with). */
class ProgressReport {
  constructor({ names = [], deadline = null, clockOffsetMs = 0 } = {}) {
    Object.assign(this, { names, deadline: deadline ? Date.parse(deadline) : null, clockOffsetMs });
    this.files = []; // [{total, sent}] in sealed bytes
    this.samples = []; // [time, bytes acknowledged so far]
  }

  setFiles(chunkLengths) {
    this.files = chunkLengths.map((lengths) => ({ total: lengths.reduce((a, b) => a + b, 0), sent: 0 }));
    this.render();
  }

  acknowledged(f, bytes) {
    if (!this.files[f]) return;
    this.files[f].sent = Math.min(this.files[f].total, this.files[f].sent + bytes);
    const now = Date.now();
    this.samples.push([now, this.files.reduce((n, file) => n + file.sent, 0)]);
    while (this.samples.length > 2 && now - this.samples[0][0] > SPEED_WINDOW_MS) this.samples.shift();
    this.render();
  }

  done() {
    for (const file of this.files) file.sent = file.total;
    this.render();
  }

  speed() {
    if (this.samples.length < 2) return null;
    const [[t0, b0], [t1, b1]] = [this.samples[0], this.samples[this.samples.length - 1]];
    return t1 > t0 ? (b1 - b0) / ((t1 - t0) / 1000) : null;
  }

  name(f) {
    if (f === 0) return t("Bid form", "投标表单");
    return this.names[f - 1] ?? t(`Attachment ${f}`, `附件 ${f}`);
  }

  render() {
    const list = document.getElementById("bid-file-progress");
    if (!list) return;
    const speed = this.speed();
    let before = 0; // files go in order: a file's time left includes the files before it
    const items = this.files.map((file, f) => {
      const left = file.total - file.sent;
      before += left;
      const li = document.createElement("li");
      li.dataset.file = String(f);
      let text = `${this.name(f)}: ${sizeText(file.sent)} / ${sizeText(file.total)}`;
      if (left === 0) text += t(" · sent", " · 已发送");
      else if (speed) text += t(` · about ${durationText(before / speed)} left`, ` · 约剩 ${durationText(before / speed)}`);
      li.textContent = text;
      return li;
    });
    list.replaceChildren(...items);
    this.warn(speed, before);
  }

  warn(speed, remaining) {
    const warning = document.getElementById("bid-deadline-warning");
    if (!warning || this.deadline === null) return;
    const serverNow = Date.now() + this.clockOffsetMs;
    const late = remaining > 0 && speed !== null && serverNow + (remaining / speed) * 1000 > this.deadline;
    if (late === !warning.hidden) return;
    warning.hidden = !late;
    if (late) {
      const detail = document.getElementById("bid-deadline-warning-detail");
      const finish = beijingParts(new Date(serverNow + (remaining / speed) * 1000).toISOString()).time.slice(0, 8);
      const deadline = beijingParts(new Date(this.deadline).toISOString()).time.slice(0, 8);
      detail.textContent = t(`At ${sizeText(speed)}/s the rest (${sizeText(remaining)}) would arrive at about ${finish}, after the deadline ${deadline} (Beijing time).`,
                             `按当前 ${sizeText(speed)}/秒 的速度，剩余的 ${sizeText(remaining)} 约在 ${finish} 送达，晚于截止时间 ${deadline}（北京时间）。`);
      say(warning.textContent.trim().replace(/\s+/g, " "));
    }
  }
}

/** fetch that tells a lost connection (thrown TypeError: retry later) from a refusal (Refused). */
async function call(url, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", ...headers },
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refused(data.message || `HTTP ${response.status}`, { code: data.code, status: response.status });
  return data;
}

const json = (value) => ({ body: JSON.stringify(value), headers: { "Content-Type": "application/json" } });

/** Until it succeeds: a call that fails only because the connection is down is repeated. */
async function persist(action, onOffline) {
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (error instanceof Refused) throw error;
      onOffline();
      await sleep(RETRY_MS);
    }
  }
}

/** The warning that this upload lives in memory only (shown once, kept visible). */
function memoryWarn() {
  const warning = document.getElementById("bid-memory-warning");
  if (!warning || !warning.hidden) return;
  warning.hidden = false;
  say(warning.textContent.trim().replace(/\s+/g, " "));
}

// While a bid is being sealed (its key exists only in this page), or while its chunks are only in
// memory, leaving the page loses it: the browser asks first.
function leaveGuard(event) {
  event.preventDefault();
  event.returnValue = "";
}

class Uploader {
  constructor({ api, tender, lot, bid, username, store = null, attachmentSizes = [], report = new ProgressReport() }) {
    Object.assign(this, { api, tender, lot, bid, username, store, attachmentSizes, report });
    this.keeping = store !== null; // chunks go to the store (else: memory only)
    this.pending = new Map(); // "f/i" → {bytes, sha256} not yet acknowledged; null: read it from the store
    this.total = 0;
    this.acknowledged = 0;
    this.offline = false;
    this.opened = null;
  }

  /** An uploader for a bid the store kept from an earlier visit: every chunk of its manifest is
   * pending until the server says it holds it. */
  static fromStored({ api, record, store, manifest, report }) {
    const uploader = new Uploader({ api, tender: record.tender, lot: record.lot, bid: record.bid, username: record.username, store, report });
    uploader.keeping = false; // nothing more to keep: it is all there
    uploader.fileSizes = record.fileSizes;
    for (const file of manifest.files) {
      for (let i = 0; i < file.chunks; i++) uploader.pending.set(`${file.index}/${i}`, null);
    }
    uploader.total = uploader.pending.size;
    return uploader;
  }

  lostConnection() {
    if (!this.offline) say(t("The connection is lost. Sealing goes on; the upload resumes by itself when the connection is back.",
                               "网络连接中断。加密继续进行，连接恢复后将自动续传。"));
    this.offline = true;
  }

  /** Write to the store; on any failure (QuotaExceededError above all) go on in memory only. */
  async keep(write) {
    if (!this.keeping) return false;
    try {
      await write();
      return true;
    } catch {
      this.keeping = false;
      window.addEventListener("beforeunload", leaveGuard);
      memoryWarn();
      return false;
    }
  }

  /** The bid's first chunk is made: keep its record (sizes, no manifest yet) and open the upload. */
  async begin(fileSizes) {
    this.fileSizes = fileSizes;
    await this.keep(() => this.store.begin({ bid: this.bid, username: this.username, tender: this.tender, lot: this.lot, fileSizes }));
    return this.open(fileSizes);
  }

  async open(fileSizes) {
    const upload = await persist(() => call(this.api.uploads, { method: "POST",
      ...json({ tender: this.tender, lot: this.lot, bid: this.bid, file_sizes: fileSizes }) }), () => this.lostConnection());
    this.total = upload.chunk_lengths.reduce((n, lengths) => n + lengths.length, 0);
    this.chunkLengths = upload.chunk_lengths;
    this.report.setFiles(upload.chunk_lengths);
    return upload;
  }

  chunkUrl(f, i) {
    return `${this.api.uploads}${this.bid}/files/${f}/chunks/${i}/`;
  }

  async put(f, i, body, digest) {
    await call(this.chunkUrl(f, i), { method: "PUT", body,
      headers: { "Content-Type": "application/octet-stream", "X-Chunk-SHA256": digest } });
    if (this.pending.delete(`${f}/${i}`)) {
      this.acknowledged += 1;
      this.report.acknowledged(f, this.chunkLengths?.[f]?.[i] ?? 0);
    }
    setProgress("bid-upload-progress", this.acknowledged, this.total);
  }

  /** A pending chunk's body and digest: from memory, or as the Blob the store holds (the fetch
   * streams it from disk, so a resumed upload never holds the whole bid in memory). */
  async chunkBody(f, i, entry) {
    if (entry) return { body: entry.bytes, digest: entry.sha256 };
    const stored = await this.store.chunk(this.bid, f, i);
    if (!stored) {
      throw new Refused(t("A part of this sealed bid is missing from this browser's storage, so it cannot be sent. Discard it and seal the bid again.",
                          "本浏览器存储中缺少该已加密投标的部分数据，无法发送。请放弃它并重新加密投标。"));
    }
    return { body: stored.data, digest: stored.sha256 };
  }

  /** The sealer's onChunk: the form's first chunk opens the upload (its size gives the padded form's). */
  async onChunk(f, i, bytes) {
    if (this.opened === null) this.opened = this.begin([bytes.length - TAG_SIZE, ...this.attachmentSizes]);
    await this.opened;
    const digest = b64u(await sha256(bytes));
    const kept = await this.keep(() => this.store.putChunk({ bid: this.bid, file: f, index: i, bytes, sha256: digest }));
    this.pending.set(`${f}/${i}`, kept ? null : { bytes, sha256: digest });
    if (this.offline) return; // kept for the resume
    try {
      await this.put(f, i, bytes, digest);
    } catch (error) {
      if (error instanceof Refused) throw error;
      this.lostConnection();
    }
  }

  /** What the server holds of this upload (GET uploads/<bid>/). One the server does not know (it
   * was never opened, or was cleared) is opened again with the same sizes. */
  async status() {
    try {
      return await call(`${this.api.uploads}${this.bid}/`);
    } catch (error) {
      if (!(error instanceof Refused) || error.status !== 404) throw error;
      await this.open(this.fileSizes);
      return call(`${this.api.uploads}${this.bid}/`);
    }
  }

  acknowledge(present) {
    for (const [f, i] of present) {
      const key = `${f}/${i}`;
      if (this.pending.has(key)) {
        this.pending.delete(key);
        this.acknowledged += 1;
        this.report.acknowledged(f, this.chunkLengths?.[f]?.[i] ?? 0);
      }
    }
    setProgress("bid-upload-progress", this.acknowledged, this.total);
  }

  /** Ask which chunks the server holds, send the rest; repeat until none is missing. */
  async resume() {
    while (this.pending.size) {
      try {
        const status = await this.status();
        if (!this.chunkLengths) {
          this.chunkLengths = status.chunk_lengths;
          this.report.setFiles(status.chunk_lengths);
        }
        if (this.offline) say(t("Connected again: resuming the upload.", "连接已恢复，正在续传。"));
        this.offline = false;
        this.acknowledge(status.present);
        for (const [key, entry] of [...this.pending]) {
          const [f, i] = key.split("/").map(Number);
          const { body, digest } = await this.chunkBody(f, i, entry);
          await this.put(f, i, body, digest);
        }
      } catch (error) {
        if (error instanceof Refused) throw error;
        this.lostConnection();
        await sleep(RETRY_MS);
      }
    }
    setProgress("bid-upload-progress", this.total, this.total);
    this.report.done();
  }

  finalize(manifestBytes, signature) {
    return persist(() => call(`${this.api.uploads}${this.bid}/finalize/`, { method: "POST",
      ...json({ manifest: b64u(manifestBytes), signature }) }), () => this.lostConnection());
  }
}

/** A receipt is for this bid only if it names exactly what was sealed here. */
function receiptCheck(receipt, { tender, lot, bid, supplier, manifestSha256 }) {
  const p = receipt?.payload ?? {};
  if (p.type !== "SB1/receipt" || p.tender !== tender || p.lot !== lot || p.bid !== bid || p.supplier !== supplier
      || p.manifest_sha256 !== manifestSha256) {
    throw new Refused(t("The receipt is not for the bid sealed here.", "回执与本机加密的投标不符。"));
  }
}

async function showReceipt(receipt) {
  const text = JSON.stringify(receipt, null, 2);
  const at = beijingParts(receipt.payload.received_at);
  // When the last byte of the finalize reached the platform: what "in time" is judged by.
  document.getElementById("bid-receipt-time").textContent = receipt.payload.type === "SB1/receipt"
    ? t(`Received at ${at.time} on ${at.date} (Beijing time, UTC+8)`, `接收时间：${at.date} ${at.time}（北京时间，UTC+8）`)
    : t(`Withdrawal received at ${at.time} on ${at.date} (Beijing time, UTC+8)`, `撤回接收时间：${at.date} ${at.time}（北京时间，UTC+8）`);
  document.getElementById("bid-receipt-json").textContent = text;
  document.getElementById("bid-receipt-hash").textContent = b64u(await sha256(jcs(receipt)));
  const link = document.getElementById("bid-receipt-download");
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = `receipt-${receipt.payload.bid}.json`;
  document.getElementById("bid-receipt").hidden = false;
  // The list of versions below was rendered before this one existed.
  const versions = document.getElementById("bid-versions");
  if (versions) {
    const note = document.createElement("p");
    note.className = "govuk-body";
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = window.location.pathname;
    link.textContent = versions.dataset.afterReceipt;
    note.append(link);
    versions.replaceChildren(note);
  }
}

function progressReport(config, names = []) {
  const offset = config.server_time ? Date.parse(config.server_time) - (config.loadedAt ?? Date.now()) : 0;
  return new ProgressReport({ names, deadline: config.deadline, clockOffsetMs: offset });
}

/** The bytes a bid takes sealed: every chunk carries a 16-byte tag. */
function sealedSize(plaintextSizes) {
  return plaintextSizes.reduce((total, size) => total + size + TAG_SIZE * Math.max(1, Math.ceil(size / CHUNK_SIZE)), 0);
}

async function submitBid(config, form, store) {
  const readout = readoutFromForm(form, config.readout_items);
  if (!readout) return false; // every problem is shown beside its field and in the summary; nothing sealed
  const record = await heldKey(config.username);
  if (!record || !record.fingerprint) {
    throw new Refused(t("This browser holds no enrolled signing key for you: make one on the certificates page first.",
                        "此浏览器中没有您已登记的签名密钥：请先在证书页面生成。"));
  }
  const lotInput = document.getElementById("bid-lot");
  const lot = lotInput ? lotInput.value : null;
  // A bid of this lot left unsent here would compete with the new one (and its `replaces` would go
  // stale once the new one is received): sealing a new one discards it, after asking.
  const busy = await bidsBusy();
  const unsent = store
    ? (await store.list({ username: config.username, tender: config.tender })).filter((r) => r.lot === lot && r.state === SEALED && !busy.has(r.bid))
    : [];
  if (unsent.length) {
    if (!window.confirm(t("A sealed bid for this lot is not fully sent from this browser. Sealing a new bid discards it. Go on?",
                          "本浏览器中有该包尚未发送完的已加密投标。加密新投标将放弃它。是否继续？"))) return false;
    for (const old of unsent) await withBidLock(old.bid, () => unsentDiscard(store, old));
  }
  const attachments = [...document.getElementById("bid-attachments").files];
  const bid = newBidId();
  const keeping = store !== null && (await storageHasRoom(FORM_ALLOWANCE + sealedSize(attachments.map((file) => file.size))));
  const uploader = new Uploader({ api: config.api, tender: config.tender, lot, bid, username: config.username,
                                  store: keeping ? store : null, attachmentSizes: attachments.map((file) => file.size),
                                  report: progressReport(config, attachments.map((file) => file.name)) });
  say(t("Sealing and uploading…", "正在加密并上传……"));
  if (keeping) storagePersistAsk();
  else memoryWarn();
  window.addEventListener("beforeunload", leaveGuard);
  let stored = false;
  try {
    await withBidLock(bid, async () => {
      const sealed = await sealBid({
        tender: config.tender, lot, bid, supplier: config.supplier, readout, readoutFields: config.readout,
        attachments, custodians: config.custodians, threshold: config.threshold,
        replaces: config.current[lot ?? "null"] ?? config.current[lot] ?? null,
        signer: record.fingerprint, signingKey: record.key,
        onChunk: (f, i, bytes) => uploader.onChunk(f, i, bytes),
        onProgress: (done, total) => setProgress("bid-seal-progress", done, total),
      });
      stored = await uploader.keep(() => store.sealed(bid, {
        manifestBytes: sealed.manifestBytes, signature: sealed.signature, manifestSha256: sealed.manifestSha256,
        created: sealed.manifest.created, chunks: sealed.files.reduce((n, file) => n + file.chunks, 0),
      }));
      if (stored) window.removeEventListener("beforeunload", leaveGuard); // a reload now costs nothing
      setProgress("bid-seal-progress", 1, 1);
      await uploader.resume();
      say(t("Every chunk is stored. Finalizing…", "所有数据块已保存，正在提交……"));
      const answer = await uploader.finalize(sealed.manifestBytes, sealed.signature);
      receiptCheck(answer.receipt, { tender: config.tender, lot, bid, supplier: config.supplier, manifestSha256: sealed.manifestSha256 });
      await showReceipt(answer.receipt);
      stored = false; // received: nothing of it is kept any more
      const warning = document.getElementById("bid-memory-warning");
      if (warning) warning.hidden = true; // a reload loses nothing now
      say(t("Your bid was received. Keep the receipt.", "投标已接收，请妥善保存回执。"));
    });
  } finally {
    window.removeEventListener("beforeunload", leaveGuard);
    // Received, refused while sealing, or not kept whole: the store has nothing worth keeping.
    if (store && !stored) await store.remove(bid).catch(() => {});
  }
  return true;
}

// --- sealed bids a previous visit left unsent -------------------------------------------------------

function localTime(iso) {
  return new Date(iso).toLocaleString(zh() ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

function lotLabel(lot) {
  if (lot === null) return "";
  const option = document.querySelector(`#bid-lot option[value="${CSS.escape(lot)}"]`);
  return option ? option.textContent.trim() : lot;
}

function unsentPanel() {
  return document.getElementById("bid-unsent");
}

function unsentEntryRemove(bid) {
  document.getElementById(`bid-unsent-${bid}`)?.remove();
  const panel = unsentPanel();
  if (panel && !panel.querySelector(".yz-unsent")) panel.hidden = true;
}

async function unsentDiscard(store, record) {
  await store.remove(record.bid);
  unsentEntryRemove(record.bid);
}

/** Send the rest of a stored bid, finalize, check the receipt, then forget the bid. */
async function unsentSend(config, store, record) {
  const manifest = JSON.parse(new TextDecoder().decode(record.manifest));
  const uploader = Uploader.fromStored({ api: config.api, record, store, manifest, report: progressReport(config) });
  say(t("Sending the rest of the sealed bid…", "正在发送该已加密投标的其余部分……"));
  await uploader.resume();
  say(t("Every chunk is stored. Finalizing…", "所有数据块已保存，正在提交……"));
  const answer = await uploader.finalize(record.manifest, record.signature);
  receiptCheck(answer.receipt, { tender: record.tender, lot: record.lot, bid: record.bid, supplier: manifest.supplier,
                                 manifestSha256: record.manifestSha256 });
  await showReceipt(answer.receipt);
  await store.remove(record.bid);
  unsentEntryRemove(record.bid);
  say(t("Your bid was received. Keep the receipt.", "投标已接收，请妥善保存回执。"));
}

function button(text, className) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = `govuk-button ${className}`.trim();
  element.textContent = text;
  return element;
}

/** One stored bid in the panel: what it is, how much the server holds, and what can be done. */
async function unsentEntry(config, store, record, open) {
  const chunks = record.chunks;
  const when = localTime(record.created);
  const lot = lotLabel(record.lot);
  const what = lot ? t(`A bid sealed at ${when} (lot: ${lot})`, `${when} 加密的投标（包：${lot}）`)
                   : t(`A bid sealed at ${when}`, `${when} 加密的投标`);
  let held = null;
  try {
    const status = await call(`${config.api.uploads}${record.bid}/`);
    if (status.finalized) {
      // Received before the page that sent it could show the receipt: show it now, keep nothing.
      const manifest = JSON.parse(new TextDecoder().decode(record.manifest));
      receiptCheck(status.receipt, { tender: record.tender, lot: record.lot, bid: record.bid, supplier: manifest.supplier,
                                     manifestSha256: record.manifestSha256 });
      await showReceipt(status.receipt);
      await store.remove(record.bid);
      return { entry: null, text: t(`${what} was received; its receipt is shown below.`, `${what}已被接收，回执见下方。`) };
    }
    held = status.present.length;
  } catch (error) {
    // Never opened there (or cleared): sending opens it again. Anything else: not known now.
    if (error instanceof Refused && error.status === 404) held = 0;
  }
  let text = held === null
    ? t(`${what} is not fully sent (${chunks} chunks in all); the server cannot be reached to say how many it holds.`,
        `${what}尚未发送完（共 ${chunks} 个数据块）；暂时无法连接服务器查询已接收的数量。`)
    : t(`${what} is not fully sent: ${held} of ${chunks} chunks sent.`, `${what}尚未发送完：已发送 ${held} / ${chunks} 个数据块。`);
  if (!open) {
    text += " " + t("The bid deadline has passed: it can no longer be sent.", "投标截止时间已过，无法再发送。");
  }
  const entry = document.createElement("div");
  entry.className = "yz-unsent";
  entry.id = `bid-unsent-${record.bid}`;
  const description = document.createElement("p");
  description.className = "govuk-body";
  description.id = `bid-unsent-${record.bid}-text`;
  description.textContent = text;
  const buttons = document.createElement("div");
  buttons.className = "govuk-button-group";
  const actions = [];
  if (open) {
    const send = button(t("Continue sending", "继续发送"), "");
    send.addEventListener("click", () => act(actions, async () => {
      const done = await withBidLock(record.bid, () => unsentSend(config, store, record));
      if (done === null) say(t("This bid is being sent from another window.", "该投标正在另一个窗口中发送。"));
    }));
    actions.push(send);
  }
  const discard = button(t("Discard", "放弃"), "govuk-button--warning");
  discard.addEventListener("click", () => act(actions, async () => {
    if (!window.confirm(t(`Discard the sealed bid from ${when}? It cannot be sent afterwards: you would have to seal the bid again.`,
                          `确定放弃 ${when} 加密的投标？放弃后无法再发送，须重新加密投标。`))) return;
    const done = await withBidLock(record.bid, () => unsentDiscard(store, record));
    if (done === null) say(t("This bid is being sent from another window.", "该投标正在另一个窗口中发送。"));
    else say(t("The unsent sealed bid was discarded.", "未发送完的已加密投标已放弃。"));
  }));
  actions.push(discard);
  for (const action of actions) {
    action.setAttribute("aria-describedby", description.id);
    buttons.append(action);
  }
  entry.append(description, buttons);
  return { entry, text };
}

/** Run a button's action with every button of its entry disabled; a failure is said, not thrown. */
async function act(actions, action) {
  for (const element of actions) element.disabled = true;
  try {
    await action();
  } catch (error) {
    say(error.message, { error: true });
  } finally {
    for (const element of actions) if (element.isConnected) element.disabled = false;
  }
}

/** Show (again) what this user left unsent in this tender. A bid whose sealing was cut off cannot
 * be finished, its key being gone with the page that made it, so it is cleared. */
async function unsentShow(config, store, open) {
  const panel = unsentPanel();
  if (!store || !panel) return;
  const busy = await bidsBusy(); // being sealed or sent in another window right now
  const records = (await store.list({ username: config.username, tender: config.tender })).filter((r) => !busy.has(r.bid));
  const cut = records.filter((r) => r.state !== SEALED);
  for (const record of cut) await withBidLock(record.bid, () => store.remove(record.bid));
  const list = document.getElementById("bid-unsent-list");
  const entries = [];
  for (const record of records.filter((r) => r.state === SEALED)) entries.push(await unsentEntry(config, store, record, open));
  const shown = entries.map((e) => e.entry).filter(Boolean);
  list.replaceChildren(...shown);
  panel.hidden = shown.length === 0;
  const messages = entries.map((e) => e.text);
  if (cut.length) {
    messages.push(t("Sealing a bid in this browser was cut off before it was finished; it cannot be finished (its key is never stored), so it was cleared. Seal the bid again.",
                    "本浏览器中有投标在加密完成前中断；由于密钥从不保存，无法继续完成，已将其清除。请重新加密投标。"));
  }
  if (messages.length) say(messages.join(" "));
}

/** Withdraw the counting version of a lot: a statement signed here, its receipt from the server. */
async function withdraw(config, button) {
  const record = await heldKey(config.username);
  if (!record || !record.fingerprint) {
    throw new Refused(t("This browser holds no enrolled signing key for you.", "此浏览器中没有您已登记的签名密钥。"));
  }
  const envelope = await withdrawalBuild({
    tender: config.tender, lot: button.dataset.lot || null, bid: button.dataset.bid, supplier: config.supplier,
    manifestSha256: button.dataset.manifest, signer: record.fingerprint, created: timeNow(), signingKey: record.key,
  });
  const answer = await call(config.api.withdrawals, { method: "POST", ...json(envelope) });
  await showReceipt(answer.receipt);
  say(t("The bid was withdrawn. Keep the withdrawal receipt; reload the page to see the versions.",
        "投标已撤回，请保存撤回回执；重新加载页面可查看各版本。"));
}

async function main() {
  const configElement = document.getElementById("bid-config");
  if (!configElement) return;
  const config = JSON.parse(configElement.textContent);
  config.loadedAt = Date.now(); // with config.server_time: how far this computer's clock is off
  const open = unsentPanel()?.dataset.open === "true";
  const store = await BidStore.open();
  const form = document.getElementById("bid-form");
  priceWordsFollow();
  for (const button of document.querySelectorAll(".yz-withdraw")) {
    button.addEventListener("click", async () => {
      if (!window.confirm(t("Withdraw this bid? Nothing of this lot will count unless you submit a new bid before the deadline.",
                            "确定撤回该投标？除非在截止前重新提交，该包将没有有效投标。"))) return;
      button.disabled = true;
      try {
        await withdraw(config, button);
      } catch (error) {
        say(error.message, { error: true });
        button.disabled = false;
      }
    });
  }
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = document.getElementById("bid-submit");
      button.disabled = true;
      try {
        if (!(await submitBid(config, form, store))) button.disabled = false; // declined: nothing sealed
      } catch (error) {
        // A bid sealed whole but then refused is still kept: offer it as one from an earlier visit.
        await unsentShow(config, store, open).catch(() => {});
        say(error.message, { error: true });
        button.disabled = false;
      }
    });
  }
  if (!store) return;
  await unsentShow(config, store, open);
}

main().catch((error) => say(error.message, { error: true }));

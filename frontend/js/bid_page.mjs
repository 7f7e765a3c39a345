// The bid page: seals the form and attachments in this browser (sb1/index.mjs `sealBid`, chunk by
// chunk), uploads each ciphertext chunk as it is made, survives a dropped connection (unsent
// chunks are kept until the server acknowledges them; when the connection is back it asks the
// server which chunks it holds and sends only the others), finalizes with the signed manifest,
// and shows the platform-signed receipt. Every step on the server is idempotent, so retrying is safe.
import { b64u, jcs, timeNow } from "./sb1/encoding.mjs";
import { sealBid, withdrawalBuild } from "./sb1/index.mjs";
import { sha256 } from "./sb1/primitives.mjs";
import { newBidId } from "./sb1/wire.mjs";
import { heldKey } from "./keys.mjs";

const zh = () => document.documentElement.lang.startsWith("zh");
const t = (en, cn) => (zh() ? cn : en);
const RETRY_MS = 1500;

class Refused extends Error {} // the server said no: retrying would not help

function csrfToken() {
  return document.querySelector("#bid-form input[name=csrfmiddlewaretoken]").value;
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
  const percent = total ? Math.floor((100 * done) / total) : 0;
  bar.value = percent;
  bar.textContent = `${percent}%`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch that tells a lost connection (thrown TypeError: retry later) from a refusal (Refused). */
async function call(url, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", ...headers },
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refused(data.message || `HTTP ${response.status}`);
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

class Uploader {
  constructor({ api, tender, lot, bid, attachmentSizes }) {
    Object.assign(this, { api, tender, lot, bid, attachmentSizes });
    this.pending = new Map(); // "f/i" → ciphertext not yet acknowledged
    this.total = 0;
    this.acknowledged = 0;
    this.offline = false;
    this.opened = null;
  }

  lostConnection() {
    if (!this.offline) say(t("The connection is lost. Sealing goes on; the upload resumes by itself when the connection is back.",
                               "网络连接中断。加密继续进行，连接恢复后将自动续传。"));
    this.offline = true;
  }

  async open(formSize) {
    const sizes = [formSize, ...this.attachmentSizes];
    const upload = await persist(() => call(this.api.uploads, { method: "POST",
      ...json({ tender: this.tender, lot: this.lot, bid: this.bid, file_sizes: sizes }) }), () => this.lostConnection());
    this.total = upload.chunk_lengths.reduce((n, lengths) => n + lengths.length, 0);
    return upload;
  }

  chunkUrl(f, i) {
    return `${this.api.uploads}${this.bid}/files/${f}/chunks/${i}/`;
  }

  async put(f, i, bytes) {
    const digest = b64u(await sha256(bytes));
    await call(this.chunkUrl(f, i), { method: "PUT", body: bytes,
      headers: { "Content-Type": "application/octet-stream", "X-Chunk-SHA256": digest } });
    if (this.pending.delete(`${f}/${i}`)) this.acknowledged += 1;
    setProgress("bid-upload-progress", this.acknowledged, this.total);
  }

  /** The sealer's onChunk: the form's first chunk opens the upload (its size gives the padded form's). */
  async onChunk(f, i, bytes) {
    if (this.opened === null) this.opened = this.open(bytes.length - 16);
    await this.opened;
    this.pending.set(`${f}/${i}`, bytes);
    if (this.offline) return; // kept for the resume
    try {
      await this.put(f, i, bytes);
    } catch (error) {
      if (error instanceof Refused) throw error;
      this.lostConnection();
    }
  }

  /** Ask which chunks the server holds, send the rest; repeat until none is missing. */
  async resume() {
    while (this.pending.size) {
      try {
        const status = await call(`${this.api.uploads}${this.bid}/`);
        if (this.offline) say(t("Connected again: resuming the upload.", "连接已恢复，正在续传。"));
        this.offline = false;
        for (const [f, i] of status.present) {
          if (this.pending.delete(`${f}/${i}`)) this.acknowledged += 1;
        }
        for (const [key, bytes] of [...this.pending]) {
          const [f, i] = key.split("/").map(Number);
          await this.put(f, i, bytes);
        }
      } catch (error) {
        if (error instanceof Refused) throw error;
        this.lostConnection();
        await sleep(RETRY_MS);
      }
    }
    setProgress("bid-upload-progress", this.total, this.total);
  }

  finalize(manifestBytes, signature) {
    return persist(() => call(`${this.api.uploads}${this.bid}/finalize/`, { method: "POST",
      ...json({ manifest: b64u(manifestBytes), signature }) }), () => this.lostConnection());
  }
}

async function showReceipt(receipt) {
  const text = JSON.stringify(receipt, null, 2);
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

async function submitBid(config, form) {
  const record = await heldKey(config.username);
  if (!record || !record.fingerprint) {
    throw new Refused(t("This browser holds no enrolled signing key for you: make one on the certificates page first.",
                        "此浏览器中没有您已登记的签名密钥：请先在证书页面生成。"));
  }
  const lotInput = document.getElementById("bid-lot");
  const lot = lotInput ? lotInput.value : null;
  const readout = { price: document.getElementById("bid-price").value.trim(), currency: "CNY" };
  for (const input of form.querySelectorAll(".yz-readout")) readout[input.dataset.field] = input.value.trim();
  const attachments = [...document.getElementById("bid-attachments").files];
  const bid = newBidId();
  const uploader = new Uploader({ api: config.api, tender: config.tender, lot, bid,
                                  attachmentSizes: attachments.map((file) => file.size) });
  say(t("Sealing and uploading…", "正在加密并上传……"));
  const sealed = await sealBid({
    tender: config.tender, lot, bid, supplier: config.supplier, readout, readoutFields: config.readout,
    attachments, custodians: config.custodians, threshold: config.threshold,
    replaces: config.current[lot ?? "null"] ?? config.current[lot] ?? null,
    signer: record.fingerprint, signingKey: record.key,
    onChunk: (f, i, bytes) => uploader.onChunk(f, i, bytes),
    onProgress: (done, total) => setProgress("bid-seal-progress", done, total),
  });
  setProgress("bid-seal-progress", 1, 1);
  await uploader.resume();
  say(t("Every chunk is stored. Finalizing…", "所有数据块已保存，正在提交……"));
  const answer = await uploader.finalize(sealed.manifestBytes, sealed.signature);
  if (answer.receipt.payload.manifest_sha256 !== sealed.manifestSha256) {
    throw new Refused(t("The receipt is not for the bid sealed here.", "回执与本机加密的投标不符。"));
  }
  await showReceipt(answer.receipt);
  say(t("Your bid was received. Keep the receipt.", "投标已接收，请妥善保存回执。"));
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

const form = document.getElementById("bid-form");
const configElement = document.getElementById("bid-config");
if (form && configElement) {
  const config = JSON.parse(configElement.textContent);
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
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = document.getElementById("bid-submit");
    button.disabled = true;
    try {
      await submitBid(config, form);
    } catch (error) {
      say(error.message, { error: true });
      button.disabled = false;
    }
  });
}

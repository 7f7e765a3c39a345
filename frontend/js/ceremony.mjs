// The opening room (bidding/templates/bidding/ceremony_room.html): a WebSocket to ws/ceremony/<ref>/,
// the page rebuilt from the room's event log (every audience is a stream numbered on its own; on
// reconnect we send the last number we saw in each stream and get only what we missed), a
// "connection lost, reconnecting…" state that recovers by itself, announcements for screen readers,
// and the role's own panel. The custodian's points and proofs are computed here, in this browser, by
// the SB1 library, and kept (IndexedDB, _share_store.mjs) so a resend repeats them.

import { computeShares } from "./sb1/custodian.mjs";
import { b64uDecode } from "./sb1/encoding.mjs";
import { sealLedgerChecks } from "./sb1/ledger.mjs";
import { heldKey } from "./keys.mjs";
import { ShareStore } from "./_share_store.mjs";
import { amountInWords } from "./_readout.mjs";

const root = document.getElementById("ceremony");
const state = JSON.parse(document.getElementById("ceremony-state").textContent);
const zh = () => (document.documentElement.lang || "zh").startsWith("zh");
const T = (en, cn) => (zh() ? cn : en);

const PHASES = {
  lobby: ["Lobby", "候场"], seal: ["Seal", "封存"], shares: ["Share submission", "解密份额提交"],
  decryption: ["Decryption", "解密"], readout: ["Read-out", "唱标"], confirmation: ["Confirmation", "确认"],
  closed: ["Closed", "结束"], failed: ["Failed", "流标"],
};
const phaseLabel = (p) => T(...(PHASES[p] || [p, p]));

const seen = {}; // stream → the last number seen in it
let socket = null;
let retry = 0;
let clockOffset = Date.parse(state.server_time) - Date.now(); // server clock minus ours
let windowEnds = state.share_window_ends_at;
let confirmationEnds = state.confirmation_ends_at;
let phase = state.phase;
let requestId = 0;
const pending = new Map();

// --- screen-reader announcements and the connection banner -----------------------------------

function announce(text) {
  const region = document.getElementById("announcer");
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 50);
}

function connection(kind) {
  const banner = document.getElementById("connection");
  banner.dataset.state = kind;
  banner.textContent = {
    connecting: T("Connecting to the opening room…", "正在连接开标室…"),
    live: T("Connected: events appear as they happen.", "已连接：事件实时显示。"),
    lost: T("Connection lost, reconnecting…", "连接中断，正在重新连接…"),
  }[kind];
}

// --- the log → the page -------------------------------------------------------------------------

function logLine(event, text) {
  const li = document.createElement("li");
  li.dataset.stream = event.stream;
  li.dataset.seq = event.seq;
  const time = new Date(event.at);
  li.textContent = `${time.toLocaleTimeString(zh() ? "zh-CN" : "en-GB", { hour12: false })} ${text}`;
  document.getElementById("event-log").prepend(li);
}

function setPhase(value, detail = "") {
  phase = value;
  document.getElementById("phase-tag").textContent = phaseLabel(value);
  document.getElementById("phase-detail").textContent = detail;
  for (const li of document.querySelectorAll("#phase-list li")) {
    if (li.dataset.phase === value) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
  const confirmPanel = document.getElementById("confirm-panel");
  if (confirmPanel) confirmPanel.hidden = value !== "confirmation";
  if (value !== "shares") { const s = document.getElementById("shortfall"); if (s) s.hidden = true; }
  const submit = document.getElementById("shares-submit");
  if (submit) submit.disabled = value !== "shares";
}

function cell(text, numeric = false) {
  const td = document.createElement("td");
  td.className = "govuk-table__cell" + (numeric ? " govuk-table__cell--numeric" : "");
  td.textContent = text;
  return td;
}

const REASONS = {
  shares_missing: ["too few custodians' shares to rebuild the key", "保管人解密份额不足，无法恢复密钥"],
  key_commit: ["the rebuilt key does not match the bidder's key commitment", "恢复的密钥与投标人的密钥承诺不符"],
  shamir: ["the bidder's shares are not consistent", "投标人生成的份额不一致"],
  chunks: ["stored ciphertext is missing or has the wrong length", "存储的密文缺失或长度不符"],
  digest: ["stored ciphertext no longer matches the accepted manifest", "存储的密文与已接收的清单不一致"],
  decrypt: ["the ciphertext does not decrypt", "密文无法解密"],
};
const OWNERS = {
  bidder: ["the bidder's fault (counts as revoked)", "投标人原因（视为撤销投标）"],
  custodian: ["a key custodian's fault (counts as withdrawn)", "密钥保管人原因（视为撤回投标）"],
  platform: ["the platform's fault (counts as withdrawn)", "平台原因（视为撤回投标）"],
};
function remarkText(remark) {
  if (remark.code === "above_max_price") return T(`Above the maximum price (${remark.max} CNY)`, `超过最高限价（${remark.max} 元）`);
  return remark.code;
}
function reasonText(r) {
  if (r.state === "opened" || !r.reason_code) return "";
  const reason = REASONS[r.reason_code] ? T(...REASONS[r.reason_code]) : T("the bid form is not valid", "投标文件格式无效");
  const owner = OWNERS[r.owner] ? T(...OWNERS[r.owner]) : r.owner;
  return `${reason} — ${owner}${r.blamed?.length ? "：" + r.blamed.join("、") : ""}`;
}

const ITEMS = Object.fromEntries((state.readout_items || []).map((item) => [item.name, item]));

/** One moment as every page shows it: Beijing time, `2026-12-08 02:36:07` (config/timefmt.py). */
function beijingTime(iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** "交货期：30 天": a read-out item with its label and unit (a choice by its option's label); a value
 * that is not valid for its type is shown as declared, never hidden. */
function itemText(name, value) {
  const item = ITEMS[name];
  if (!item) return `${name}: ${value}`;
  const label = zh() ? item.label : item.label_en || item.label;
  const unit = zh() ? item.unit : item.unit_en || item.unit;
  const valid = new RegExp(item.pattern).test(value);
  let shown = value === "" ? "—" : value;
  if (valid && item.type === "choice") shown = item.choices[Number(value) - 1] ?? value;
  else if (valid && unit) shown = `${value} ${unit}`;
  return `${label}${zh() ? "：" : ": "}${shown}`;
}

function renderReadout(rows) {
  const body = document.getElementById("readout-rows");
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement("tr");
    tr.className = "govuk-table__row";
    tr.dataset.position = r.position;
    const status = r.state === "opened" ? T("Opened", "已解密") : T("Could not be opened", "解密失败");
    const notes = [...(r.remark_codes || []).map(remarkText), reasonText(r)].filter(Boolean).join("；");
    const fields = Object.entries(r.fields).map(([k, v]) => itemText(k, v)).join(zh() ? "；" : "; ");
    const price = cell(r.price ?? "—", true);
    const words = r.price ? amountInWords(r.price) : "";
    if (words) {
      const small = document.createElement("span");
      small.className = "govuk-body-s yz-amount-words";
      small.textContent = words;
      price.append(document.createElement("br"), small);
    }
    tr.append(cell(String(r.position)), cell(r.supplier + (r.lot ? T(` (lot ${r.lot})`, `（第 ${r.lot} 包）`) : "")),
      cell(beijingTime(r.received_at)), price, cell(fields || "—"), cell(notes ? `${status}：${notes}` : status));
    if ((r.remark_codes || []).length || r.state !== "opened") tr.classList.add("ceremony-marked");
    body.append(tr);
  }
}

function objectionItem(payload) {
  let li = document.querySelector(`#objections li[data-id="${payload.id}"]`);
  if (!li) {
    li = document.createElement("li");
    li.dataset.id = payload.id;
    const q = document.createElement("p");
    q.className = "govuk-body";
    q.textContent = `${payload.supplier}（${payload.by}）：${payload.text}`;
    li.append(q);
    if (state.role === "host") {
      const form = document.createElement("form");
      form.noValidate = true;
      form.className = "answer-form";
      const id = `answer-${payload.id}`;
      form.innerHTML = `<div class="govuk-form-group"><label class="govuk-label" for="${id}"></label><textarea class="govuk-textarea" id="${id}" rows="2"></textarea></div><button class="govuk-button" type="submit"></button>`;
      form.querySelector("label").textContent = T("Your answer", "答复");
      form.querySelector("button").textContent = T("Answer the objection", "答复异议");
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        await act("answer", { objection: payload.id, text: form.querySelector("textarea").value });
      });
      li.append(form);
    }
    document.getElementById("objections")?.append(li);
  }
  return li;
}

const apply = {
  phase(e) {
    const p = e.payload;
    let detail = "";
    if (p.phase === "seal") {
      document.getElementById("seal-count").textContent = p.count;
      document.getElementById("seal-root").textContent = p.root;
      detail = T(`${p.count} bids in the sealed set.`, `密封投标文件 ${p.count} 份。`);
    } else if (p.phase === "shares") {
      windowEnds = p.window_ends_at;
      detail = T("Custodians are submitting their shares.", "密钥保管人正在提交解密份额。");
    } else if (p.phase === "decryption") {
      detail = T(`Opening ${p.bids} bids.`, `正在解密 ${p.bids} 份投标文件。`);
    } else if (p.phase === "confirmation") {
      confirmationEnds = p.ends_at;
      detail = T("Bidders confirm the read-out or object.", "投标人确认唱标结果或提出异议。");
    } else if (p.phase === "failed") {
      detail = p.reason;
      // The host's link to the drafted failure notice (rendered hidden for the tender's officers).
      const link = document.getElementById("failure-notice-link");
      if (link) link.hidden = false;
    } else if (p.phase === "closed") {
      detail = T("The opening has closed.", "开标已结束。");
    }
    setPhase(p.phase, detail);
    const text = `${T("Phase", "阶段")}：${phaseLabel(p.phase)}。${detail}`;
    logLine(e, text);
    return text;
  },
  share_progress(e) {
    const p = e.payload;
    const td = document.querySelector(`#custodian-progress tr[data-index="${p.index}"] [data-cell=accepted]`);
    if (td) td.textContent = `${p.accepted} / ${p.slots}`;
    const text = T(`Custodian ${p.index} (${p.custodian}): ${p.accepted} of ${p.slots} shares accepted.`,
      `保管人 ${p.index}（${p.custodian}）：已接受 ${p.accepted}/${p.slots} 份。`);
    logLine(e, text);
    return text;
  },
  share_refused(e) {
    const p = e.payload;
    const text = T(`Refused: a share from custodian ${p.index} (${p.custodian}), ${p.code}, fault: ${p.owner}.`,
      `拒绝：保管人 ${p.index}（${p.custodian}）提交的份额，原因 ${p.code}，责任方 ${p.owner}。`);
    logLine(e, text);
    return text;
  },
  share_window_short(e) {
    const s = document.getElementById("shortfall");
    if (s) s.hidden = false;
    const text = T("The share window ended with too few custodians; the host may extend it.",
      "解密窗口结束时提交份额的保管人不足，主持人可以延长窗口。");
    logLine(e, text);
    return text;
  },
  share_window_extended(e) {
    windowEnds = e.payload.ends_at;
    const s = document.getElementById("shortfall");
    if (s) s.hidden = true;
    const text = T(`The host extended the share window by ${e.payload.minutes} minutes.`, `主持人将解密窗口延长 ${e.payload.minutes} 分钟。`)
      + (e.payload.reason ? ` ${e.payload.reason}` : "");
    logLine(e, text);
    return text;
  },
  bid_processed(e) {
    const p = e.payload;
    document.getElementById("decryption-progress").textContent = T(`${p.processed} of ${p.total} bids processed.`, `已处理 ${p.processed}/${p.total} 份投标文件。`);
    const text = T(`Bid no. ${p.position}: ${p.state === "opened" ? "opened" : "could not be opened"}.`,
      `第 ${p.position} 号投标文件：${p.state === "opened" ? "解密成功" : "解密失败"}。`);
    logLine(e, text);
    return text;
  },
  readout(e) {
    renderReadout(e.payload.rows);
    const text = T(`Read-out published: ${e.payload.rows.length} bids.`, `唱标结果已公布：${e.payload.rows.length} 份投标。`);
    logLine(e, text);
    return text;
  },
  check_in(e) {
    const status = document.getElementById("check-in-status");
    if (status && e.payload.role === "bidder") status.textContent = T("You are checked in.", "已签到。");
    const text = T(`${e.payload.name} checked in.`, `${e.payload.name} 已签到。`);
    logLine(e, text);
    return text;
  },
  confirmation(e) {
    const p = e.payload;
    const label = { confirmed: T("confirmed the read-out", "确认唱标结果"), objected: T("objected", "提出异议"),
      deemed: T("is taken to accept (no answer in the window)", "未在规定时间内确认，视为认可") }[p.decision];
    const text = `${p.supplier} ${label}`;
    logLine(e, text);
    return text;
  },
  objection(e) {
    objectionItem(e.payload);
    const text = T(`Objection from ${e.payload.supplier}: ${e.payload.text}`, `${e.payload.supplier} 提出异议：${e.payload.text}`);
    logLine(e, text);
    return text;
  },
  objection_answered(e) {
    const li = document.querySelector(`#objections li[data-id="${e.payload.id}"]`);
    if (li) {
      li.querySelector("form")?.remove();
      const a = document.createElement("p");
      a.className = "govuk-body govuk-!-font-weight-bold";
      a.textContent = `${T("Answer", "答复")}（${e.payload.by}）：${e.payload.answer}`;
      li.append(a);
    }
    const text = `${T("The host answered", "主持人答复")}：${e.payload.answer}`;
    logLine(e, text);
    return text;
  },
  record_published(e) {
    document.getElementById("record-link").hidden = false;
    const text = T("The signed opening record is published.", "已签名的开标记录已公布。");
    logLine(e, text);
    return text;
  },
  slots_served(e) {
    const n = e.payload.handles.length;
    const mine = state.role === "custodian" && state.custodian_index === e.payload.index;
    const text = mine
      ? T(`Your ${n} slots were served.`, `已向您提供 ${n} 个解密位。`)
      : T(`Custodian ${e.payload.index} was served ${n} slots.`, `已向保管人 ${e.payload.index} 提供 ${n} 个解密位。`);
    logLine(e, text);
    return text;
  },
};

function onEvent(event, { live }) {
  if (event.seq <= (seen[event.stream] || 0)) return; // never twice
  seen[event.stream] = event.seq;
  root.dataset.seen = JSON.stringify(seen);
  const handler = apply[event.kind];
  const text = handler ? handler(event) : (logLine(event, event.kind), event.kind);
  if (live) announce(text);
}

// --- the socket ---------------------------------------------------------------------------------

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${root.dataset.wsPath}`);
  socket.addEventListener("open", () => { retry = 0; });
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "hello") {
      clockOffset = Date.parse(data.server_time) - Date.now();
      socket.send(JSON.stringify({ type: "resume", after: seen }));
      connection("live");
      root.dataset.connected = "true";
    } else if (data.type === "event") {
      onEvent(data, { live: root.dataset.connected === "true" && document.readyState === "complete" });
    } else if (data.type === "ok" || data.type === "error") {
      const waiter = pending.get(data.id);
      if (waiter) { pending.delete(data.id); (data.type === "ok" ? waiter.resolve : waiter.reject)(data); }
      if (data.type === "error" && !waiter) announce(data.message);
    }
  });
  socket.addEventListener("close", () => {
    root.dataset.connected = "false";
    for (const waiter of pending.values()) waiter.reject({ message: T("Connection lost.", "连接中断。") });
    pending.clear();
    connection("lost");
    retry += 1;
    setTimeout(connect, Math.min(10_000, 500 * 2 ** Math.min(retry, 5)));
  });
}

function act(type, body = {}) {
  return new Promise((resolve, reject) => {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      reject({ message: T("Not connected; try again in a moment.", "尚未连接，请稍后再试。") });
      return;
    }
    const id = ++requestId;
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ type, id, ...body }));
  }).catch((error) => { announce(error.message); throw error; });
}

// --- countdown from the server clock; participants nudge the server when a time is reached ------

function tick() {
  const now = Date.now() + clockOffset;
  const line = document.getElementById("countdown");
  let target = null;
  let label = "";
  if (phase === "lobby") { target = Date.parse(state.deadline); label = T("Opening in", "距开标"); }
  else if (phase === "shares" && windowEnds) { target = Date.parse(windowEnds); label = T("Share window closes in", "解密窗口剩余"); }
  else if (phase === "confirmation" && confirmationEnds) { target = Date.parse(confirmationEnds); label = T("Confirmation closes in", "确认时间剩余"); }
  if (target === null) { line.textContent = ""; return; }
  const left = Math.max(0, Math.round((target - now) / 1000));
  const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
  line.textContent = `${label} ${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  if (left === 0 && state.role !== "observer" && socket?.readyState === WebSocket.OPEN && Date.now() % 5000 < 1000) {
    socket.send(JSON.stringify({ type: "tick" }));
  }
}

// --- the role's panel ---------------------------------------------------------------------------

function bidderPanel() {
  document.getElementById("check-in")?.addEventListener("click", async () => {
    await act("check_in");
  });
  document.getElementById("confirm")?.addEventListener("click", async () => {
    await act("confirm");
    document.getElementById("bidder-status").textContent = T("You confirmed the read-out.", "您已确认唱标结果。");
  });
  document.getElementById("object-form")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    await act("object", { text: document.getElementById("objection-text").value });
    document.getElementById("bidder-status").textContent = T("Your objection was recorded.", "您的异议已记录。");
  });
}

function hostPanel() {
  document.getElementById("extend-form")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    await act("extend", { minutes: Number(document.getElementById("extend-minutes").value),
      reason: document.getElementById("extend-reason").value });
  });
  document.getElementById("close-window")?.addEventListener("click", async () => { await act("close_window"); });
}

// The public ledger API, read as anyone may (no cookie needed); every answer is checked by ledger.mjs.
async function ledgerJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, credentials: "omit" });
  if (!response.ok) throw new Error(T(`The ledger answered ${response.status} to ${path}.`, `公开账本对 ${path} 返回 ${response.status}。`));
  return response.json();
}

// The custodian's refusals, in the page's language; the CLI (bidding/client/custodian_open.py) says
// the same in English. "Nothing was sent" is true of each: all checks run before any answer is made.
function custodianRefusal(error, { served, confirmedDeadline }) {
  const sealIndex = served?.seal_ledger_index;
  const sealDeadline = served?.seal?.payload?.deadline;
  const none = T(" Nothing was sent.", "未提交任何份额。");
  const text = {
    seal_signature: () => T("The seal statement is not signed by the platform.", "封存声明没有平台的有效签名。"),
    seal_inclusion: () => T("The seal statement is not in the ledger as served.", "封存声明不在所示的公开账本位置。"),
    seal_not_first: () => T(
      `Ledger entry ${error.detail} is an earlier seal statement of this tender: the served seal (entry ${sealIndex}) is not the tender's first.`,
      `公开账本第 ${error.detail} 条是本项目更早的封存声明：所提供的封存声明（第 ${sealIndex} 条）不是本项目的第一份。`),
    ledger_changed: () => T(
      `The ledger entries 0..${sealIndex} do not give the platform-signed root of that size: the ledger was changed.`,
      `公开账本第 0 至 ${sealIndex} 条算不出平台对同一规模签名的树根：账本已被改动。`),
    ledger: () => T(`The ledger could not be read and checked (${error.detail}).`, `无法读取并核验公开账本（${error.detail}）。`),
    ledger_heads: () => T("The ledger's signed tree heads are not of one log.", "公开账本的签名树头不属于同一日志。"),
    no_confirmation: () => T(
      "No confirmation of this tender signed by your signing key is in the ledger before the seal.",
      "封存声明之前的公开账本中没有以您的签名密钥签署的本项目确认。"),
    deadline: () => T(
      `The seal's deadline ${sealDeadline} is not the deadline of your latest confirmation ${confirmedDeadline}.`,
      `封存声明的截止时间 ${sealDeadline} 与您最近一次确认的截止时间 ${confirmedDeadline} 不一致。`),
    too_early: () => T("This computer's clock is before the deadline: nothing is answered before it.",
      "本机时钟早于投标截止时间：截止前不提交任何份额。"),
  }[error?.code];
  return text ? text() + none : null;
}

function custodianPanel() {
  const panel = document.getElementById("custodian-panel");
  if (!panel) return;
  const status = document.getElementById("shares-status");
  const say = (text) => { status.textContent = text; };
  document.getElementById("shares-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const checked = {};
    try {
      const file = document.getElementById("key-file").files[0];
      if (!file) throw new Error(T("Choose your opening key file.", "请选择您的开标密钥文件。"));
      const keyFile = JSON.parse(await file.text());
      const held = await heldKey(panel.dataset.username);
      if (!held?.fingerprint) throw new Error(T("This browser holds no certified signing key of yours.", "本浏览器没有保存您已获证书的签名密钥。"));
      if (!held.publicKey) throw new Error(T("This browser's record of your signing key lacks its public key.", "本浏览器保存的签名密钥记录缺少公钥。"));
      say(T("Fetching your slots…", "正在获取解密位…"));
      const served = (await act("slots")).result;
      checked.served = served;
      // Before anything is answered: the seal is the tender's first in the ledger (every entry up to
      // it read and rehashed here), and the deadline you last confirmed, signed by your own key.
      const { confirmedDeadline } = await sealLedgerChecks({
        served, tender: state.tender, getJson: ledgerJson, signingPublicKey: b64uDecode(held.publicKey, 65),
        onProgress: (done, total) => say(T(`Checking the ledger: ${done} of ${total} entries…`, `正在核验公开账本：${done}/${total} 条…`)),
      });
      checked.confirmedDeadline = confirmedDeadline;
      // Each slot is answered once: an answer kept in this browser is sent again as it was.
      const store = await ShareStore.open({ username: panel.dataset.username, tender: state.tender, index: served.index });
      if (!store) throw new Error(T("This browser cannot keep your answers (IndexedDB is off); use the command-line client.",
        "本浏览器无法保存您的份额（IndexedDB 不可用）；请使用命令行客户端。"));
      const kept = await store.kept(served.slots.map((slot) => slot.handle));
      say(T(`Checking ${served.slots.length} slots and computing your shares…`, `正在核验 ${served.slots.length} 个解密位并计算份额…`));
      const envelopes = await computeShares({
        slots: served.slots, seal: served.seal.payload, keyFile, tender: state.tender, index: served.index,
        passphrase: document.getElementById("key-passphrase").value, signingKey: held.key, signer: held.fingerprint,
        confirmedDeadline, // and this browser's own clock (SEALED_BIDS.md: "its own clock"), not the server's
        kept,
      });
      await store.keep(envelopes); // before sending: a page closed mid-send repeats these
      const results = (await act("shares", { envelopes })).result;
      const accepted = results.filter((r) => r.state === "accepted").length;
      const refused = results.filter((r) => r.state === "refused");
      // A refused proof is computed afresh next time (the CLI does the same).
      await store.forget(refused.filter((r) => r.code === "dleq").map((r) => r.handle));
      say(T(`${accepted} shares accepted` + (refused.length ? `, ${refused.length} refused (${refused[0].code}).` : "."),
        `已接受 ${accepted} 份` + (refused.length ? `，拒绝 ${refused.length} 份（${refused[0].code}）。` : "。")));
    } catch (error) {
      say(custodianRefusal(error, checked) ?? `${T("Not submitted", "未提交")}：${error.message ?? error.code ?? error}`);
    }
  });
}

setPhase(phase);
connection("connecting");
bidderPanel();
hostPanel();
custodianPanel();
connect();
setInterval(tick, 1000);
tick();

// The approval page, live. For every event recorded on this approval the server pushes the history
// row this viewer may see: it is appended to the history table (once: rows are keyed by the
// event's sequence number) and announced in a polite status region, and the path region is
// fetched again. Reconnects with backoff; on every (re)connect, and whenever a pushed row is not
// the next one, it fetches the rows after the last one shown, so nothing is missed or doubled.
const region = document.getElementById("approval-timeline");
const historyTable = document.getElementById("approval-history");
const announcer = document.getElementById("approval-history-status");
const rows = historyTable?.tBodies[0];

function lastTimelineSeq() {
  return Number(region.querySelector("[data-last-seq]")?.dataset.lastSeq || 0);
}

function lastHistorySeq() {
  let last = 0;
  for (const row of rows?.rows || []) last = Math.max(last, Number(row.dataset.seq || 0));
  return last;
}

async function fetchOk(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } });
  return response.ok ? response : null;
}

async function refreshTimeline() {
  const response = await fetchOk(region.dataset.timelineUrl);
  if (response) region.innerHTML = await response.text();
}

function cell(row, child) {
  const td = row.insertCell();
  td.className = "govuk-table__cell";
  td.append(child);
  return td;
}

// Adds the entry's row in sequence order unless it is shown already; true when it was added.
function addRow(entry) {
  if (!rows || rows.querySelector(`tr[data-seq="${Number(entry.seq)}"]`)) return false;
  const later = [...rows.rows].find((row) => Number(row.dataset.seq) > entry.seq);
  const row = document.createElement("tr");
  row.className = "govuk-table__row";
  row.dataset.seq = String(entry.seq);
  row.dataset.kind = entry.kind;
  const time = document.createElement("time");
  time.dateTime = entry.at;
  time.textContent = entry.at_display;
  cell(row, time);
  cell(row, entry.what);
  cell(row, entry.who);
  cell(row, entry.comment);
  rows.insertBefore(row, later || null);
  return true;
}

// Each new row is said once: one action often records several events at once (a decision, then
// the next step starting), so announcements are added as lines rather than replacing each other.
function announce(entries) {
  if (!announcer) return;
  for (const entry of entries) {
    const line = document.createElement("p");
    line.textContent = entry.announcement;
    announcer.append(line);
  }
  while (announcer.childElementCount > 10) announcer.firstElementChild.remove();
}

function show(entries) {
  announce(entries.filter(addRow));
}

async function catchUp() {
  if (!historyTable) return;
  const url = new URL(historyTable.dataset.historyUrl, location.href);
  url.searchParams.set("after", String(lastHistorySeq()));
  const response = await fetchOk(url);
  if (response) show((await response.json()).entries);
}

// One update at a time, in the order the socket delivered them, so a catch-up and a pushed row
// never race to insert the same event.
let queue = Promise.resolve();
function later(task) {
  queue = queue.then(task).catch(() => {});
}

function received(event) {
  if (event.type !== "changed") return;
  later(async () => {
    if (event.entry && historyTable) {
      const shown = lastHistorySeq();
      if (event.entry.seq === shown + 1) show([event.entry]);
      else if (event.entry.seq > shown) await catchUp(); // a gap: fetch what came in between
    }
    if (event.seq > lastTimelineSeq()) await refreshTimeline();
  });
}

function connect(attempt = 0) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${region.dataset.socketPath}`);
  let opened = false;
  socket.addEventListener("open", () => {
    opened = true;
    region.dataset.live = "connected";
    // Whatever was recorded while the page loaded or the socket was down.
    later(async () => {
      await catchUp();
      if (attempt > 0 || lastHistorySeq() > lastTimelineSeq()) await refreshTimeline();
    });
  });
  socket.addEventListener("message", (message) => received(JSON.parse(message.data)));
  socket.addEventListener("close", (closed) => {
    region.dataset.live = "disconnected";
    if (closed.code === 4403) return; // not allowed to follow this approval: do not retry
    const delay = Math.min(30000, 1000 * 2 ** (opened ? 0 : attempt));
    setTimeout(() => connect(opened ? 1 : attempt + 1), delay);
  });
}

if (region && "WebSocket" in window) {
  connect();
}

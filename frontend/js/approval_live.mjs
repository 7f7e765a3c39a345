// The approval page, live: when the server says something was recorded on this approval, fetch
// the timeline region again and swap it in (the region is aria-live, so screen readers hear the
// change). Reconnects with backoff; after a reconnect it fetches once, so nothing is missed.
const region = document.getElementById("approval-timeline");

async function refresh() {
  const response = await fetch(region.dataset.timelineUrl, {
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch" },
  });
  if (response.ok) {
    region.innerHTML = await response.text();
  }
}

function connect(attempt = 0) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${region.dataset.socketPath}`);
  let opened = false;
  socket.addEventListener("open", () => {
    opened = true;
    region.dataset.live = "connected";
    if (attempt > 0) refresh();
  });
  socket.addEventListener("message", (message) => {
    const event = JSON.parse(message.data);
    const shown = Number(region.querySelector("[data-last-seq]")?.dataset.lastSeq || 0);
    if (event.type === "changed" && event.seq > shown) refresh();
  });
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

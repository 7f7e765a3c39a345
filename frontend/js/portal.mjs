// Portal application page: the progress region follows the server live over a WebSocket and
// re-renders from the server when told something changed. The form is not checked here: the
// server's one check lists every problem at once, fields and materials (一次性告知), and
// govuk-frontend's ErrorSummary moves the focus to its summary.

function followProgress(region) {
  const wsPath = region.dataset.ws;
  const refreshUrl = region.dataset.refresh;
  if (!wsPath || !refreshUrl) return;
  let delay = 1000;
  const refresh = async () => {
    const response = await fetch(refreshUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
    if (response.ok) region.innerHTML = await response.text();
  };
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${wsPath}`);
    socket.addEventListener("open", () => {
      region.dataset.live = "connected";
      if (delay > 1000) refresh(); // reconnected: fetch what may have been missed
      delay = 1000;
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "changed") refresh();
    });
    socket.addEventListener("close", (event) => {
      region.dataset.live = "disconnected";
      if (event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
}

const progress = document.querySelector("#progress[data-ws]");
if (progress) followProgress(progress);

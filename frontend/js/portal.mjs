// Portal application page: (1) the schema-driven form checks itself before sending and lists every
// problem at once (the server checks again and adds the materials); (2) the progress region follows
// the server live over a WebSocket and re-renders from the server when told something changed.

function checkForm(form) {
  const summary = form.querySelector("#client-errors");
  if (!summary) return;
  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.hasAttribute("formnovalidate")) return;
    const invalid = [...form.elements].filter((el) => el.willValidate && !el.checkValidity());
    if (!invalid.length) return;
    event.preventDefault();
    const list = summary.querySelector("ul");
    list.replaceChildren();
    const seen = new Set();
    for (const el of invalid) {
      if (seen.has(el.name)) continue;
      seen.add(el.name);
      const group = el.closest(".govuk-form-group");
      const label = group?.querySelector("legend, label")?.textContent.trim() ?? el.name;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `#${el.id}`;
      a.textContent = `${label}: ${el.validationMessage}`;
      li.append(a);
      list.append(li);
    }
    summary.hidden = false;
    summary.focus();
  });
  form.noValidate = true; // our summary replaces the browser's one-at-a-time bubbles
}

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

const form = document.querySelector("[data-module='yz-schema-form']");
if (form) checkForm(form);
const progress = document.querySelector("#progress[data-ws]");
if (progress) followProgress(progress);

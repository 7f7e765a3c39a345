// The bid deadline countdown on a public tender page: ticks in the browser; the server's text is what
// shows without script. (Was an inline script; moved here so the Content-Security-Policy forbids those.)
const el = document.getElementById("countdown");
if (el) {
  const deadline = new Date(el.dataset.deadline).getTime();
  const zh = document.documentElement.lang.startsWith("zh");
  const tick = () => {
    const left = Math.max(0, deadline - Date.now());
    const d = Math.floor(left / 86400000);
    const h = Math.floor(left / 3600000) % 24;
    const m = Math.floor(left / 60000) % 60;
    el.textContent = `${d} ${zh ? "天" : "d"} ${h} ${zh ? "小时" : "h"} ${m} ${zh ? "分" : "min"}`;
  };
  tick();
  setInterval(tick, 60000);
}

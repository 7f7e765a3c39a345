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
    // Days, hours and minutes, as the users read it: "距开标 3天6小时52分".
    el.textContent = zh ? `距开标 ${d}天${h}小时${m}分` : `${d} d ${h} h ${m} min to the opening`;
  };
  tick();
  setInterval(tick, 60000);
}

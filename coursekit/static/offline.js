/* Learning to Fall: reading offline. Registers the course's service worker (sw.js at the site's root)
   when the site is served over http(s), and fills the "Reading offline" control where a page has
   one. Nothing is sent anywhere. Without scripts, or from file://, pages simply read as before. */
(() => {
  "use strict";
  const me = [...document.scripts].find((s) => /_static\/offline\.js(\?|$)/.test(s.src));
  if (!me || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) {
    const box = document.getElementById("offline-control");
    if (box) box.querySelector(".offline-status").textContent =
      "This browser cannot keep the course for reading offline here. Every page still works while you are online.";
    return;
  }
  const ROOT = me.src.replace(/_static\/offline\.js.*$/, "");
  const box = document.getElementById("offline-control");
  const mb = (bytes) => (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
  let size = 0;

  function show(text, actions = []) {
    if (!box) return;
    box.querySelector(".offline-status").textContent = text;
    const row = box.querySelector(".offline-actions");
    row.replaceChildren(...actions.map(([label, message]) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "wb-button";
      b.textContent = label;
      b.addEventListener("click", () => {
        show(message === "save" ? "Saving the course on this device\u2026" : "Removing the saved copy\u2026");
        navigator.serviceWorker.ready.then((r) => r.active && r.active.postMessage({ type: message }));
      });
      return b;
    }));
  }

  navigator.serviceWorker.addEventListener("message", (event) => {
    const m = event.data || {};
    if (m.type === "progress") show(`Saving the course on this device: ${m.done} of ${m.total} files\u2026`);
    if (m.type === "status") {
      box && box.setAttribute("data-ready", m.ready ? "true" : "false");
      if (m.ready) show(`Saved on this device for reading offline (${mb(m.bytes)}): every page, the search, the exercises and `
        + "your answer boxes work without a connection. The copy updates itself when the course changes.", [["Remove the offline copy", "remove"]]);
      else show(`Save the course for reading offline: it keeps every page, the search and the exercises on this device (about ${mb(size)}, text only).`,
        [["Save the course for offline reading", "save"]]);
    }
    if (m.type === "error") show("The course could not be saved for offline reading just now. Try again when you have a steady connection.",
      [["Try again", "save"]]);
  });

  if (box) {
    fetch(ROOT + "_static/offline-manifest.json", { cache: "no-cache" }).then((r) => r.json()).then((m) => { size = m.bytes; }).catch(() => {});
    show("Checking whether the course is saved on this device\u2026");
  }
  navigator.serviceWorker.register(ROOT + "sw.js", { scope: ROOT }).then(() => navigator.serviceWorker.ready)
    .then((r) => r.active && r.active.postMessage({ type: "status" }))
    .catch(() => show("This browser did not let the course be saved for reading offline. Every page still works while you are online."));
})();

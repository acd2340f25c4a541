/* Learning to Fall: where a trainee is in the course, from what this browser keeps (nothing is sent or
   stored anywhere else): the last page read, for "Continue where you left off" on the home page, and
   which exercises have answers, marked in words beside their links (the menu, module pages, the
   exercise index). Without scripts or storage, pages read as before. */
(() => {
  "use strict";
  const me = [...document.scripts].find((s) => /_static\/progress\.js(\?|$)/.test(s.src));
  const slug = document.querySelector('meta[name="coursekit-course"]')?.content;
  if (!me || !slug) return;
  let store;
  try { store = window.localStorage; store.setItem("coursekit:test", "1"); store.removeItem("coursekit:test"); } catch { return; }
  const ROOT = new URL(me.src.replace(/_static\/progress\.js.*$/, ""), location.href).href;
  const LAST = `coursekit:${slug}:last-page`;
  const ANSWERS = `coursekit:${slug}:answers:`;
  const relative = (href) => {
    const url = new URL(href, location.href);
    url.hash = ""; url.search = "";
    return url.href.startsWith(ROOT) ? url.href.slice(ROOT.length) : null;
  };

  // the last page read: any page of the course but the home page, search and the index
  const here = relative(location.href);
  const title = document.querySelector("article h1");
  if (here !== null && title && !/^(index\.html|search\.html|genindex\.html|)$/.test(here)) {
    try { store.setItem(LAST, JSON.stringify({ page: here, title: title.textContent.replace(/#\s*$/, "").trim() })); } catch { /* full */ }
  }

  // exercises with answers in this browser, marked in words beside every link to them
  const answered = new Set(Object.keys(store).filter((k) => k.startsWith(ANSWERS)).map((k) => k.slice(ANSWERS.length)));
  if (answered.size) {
    for (const a of document.querySelectorAll("a[href]")) {
      if (a.closest(".portfolio, .workbook-tools, .answer-box, #resume")) continue;
      const rel = relative(a.getAttribute("href"));
      const m = rel && rel.match(/^exercises\/[^/]+\/([^/]+)\.html$/);
      if (m && answered.has(m[1]) && !a.querySelector(".answered-mark")) {
        const mark = document.createElement("span");
        mark.className = "answered-mark";
        mark.textContent = " (answered)";
        a.append(mark);
      }
    }
  }

  // the home page: continue where you left off, and a way to forget it
  const resume = document.getElementById("resume");
  if (!resume) return;
  const slot = resume.querySelector(".resume-last");
  function show() {
    let last = null;
    try { last = JSON.parse(store.getItem(LAST)); } catch { last = null; }
    if (!last || !last.page) {
      slot.textContent = "When you have read a page of the course, a link here will take you back to it.";
      return;
    }
    const link = document.createElement("a");
    link.href = ROOT + last.page;
    link.textContent = last.title || last.page;
    const forget = document.createElement("button");
    forget.type = "button";
    forget.className = "wb-button";
    forget.textContent = "Forget where I was";
    forget.addEventListener("click", () => { store.removeItem(LAST); show(); });
    const p = document.createElement("p");
    p.append("Continue where you left off: ", link, ".");
    const note = document.createElement("p");
    note.className = "resume-note";
    note.textContent = "Kept in this browser only, like your answers; nothing is sent anywhere.";
    const actions = document.createElement("p");
    actions.className = "wb-actions";
    actions.append(forget);
    slot.replaceChildren(p, note, actions);
  }
  show();
})();

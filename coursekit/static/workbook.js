/* Learning to Fall workbook: answer boxes kept in this browser only, answers as notebooks, and the
   portfolio. The only requests are reads of the site's own catalogue and notebooks; nothing is sent. */
(() => {
  "use strict";
  const me = [...document.scripts].find((s) => /_static\/workbook\.js(\?|$)/.test(s.src));
  const boxes = [...document.querySelectorAll(".answer-box[data-cell]")];
  const tools = document.getElementById("workbook-tools");
  const folio = document.getElementById("portfolio");
  if (!me || !(boxes.length || tools || folio)) return;
  const ROOT = me.src.replace(/_static\/workbook\.js.*$/, "");
  const MONTHS = "January February March April May June July August September October November December".split(" ");
  const REMEDY = "if it is one of your exercises, download a fresh copy of this exercise from its page";
  let CAT, PREFIX;

  // --- helpers
  const el = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== false) e.setAttribute(k === "cls" ? "class" : k, v === true ? "" : v);
    }
    e.append(...kids);
    return e;
  };
  const strip = (s) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
  const blank = (s) => !strip(s || "");
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const dateText = (d) => `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
  const now = () => new Date().toISOString();
  const when = (iso) => {
    const d = new Date(iso), t = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    return isNaN(d) ? "at an unknown time" : d.toDateString() === new Date().toDateString() ? `at ${t}` : `on ${dateText(d)} at ${t}`;
  };
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const tags = (c) => (Array.isArray(c?.metadata?.tags) ? c.metadata.tags : []);
  const text = (c) => (Array.isArray(c.source) ? c.source.join("") : String(c.source ?? ""));
  const button = (label, onclick) => el("button", { type: "button", cls: "wb-button", onclick }, label);
  const status = () => el("div", { cls: "wb-status", role: "status" });
  const say = (where, ...lines) => where.replaceChildren(...lines.map((l) => (typeof l === "string" ? el("p", { text: l }) : l)));
  const list = (items) => (items.length ? [el("ul", {}, ...items.map((p) => el("li", { text: p })))] : []);
  const entryOf = (id) => CAT.exercises.find((e) => e.id === id);
  // answers that may go in a portfolio; a prompt marked private (a code word, a stop-point rating, disguise
  // notes) is kept in this browser and in the trainee's own downloads only
  const shareable = (entry) => entry.prompts.filter((p) => !p.private);
  const answered = (entry, cells, prompts = entry.prompts) => prompts.filter((p) => !blank(cells[p.cell])).length;

  function download(name, blob) {
    const a = el("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 30000);
  }

  // --- storage: this browser only, one key per exercise
  const store = {
    ok: (() => { try { localStorage.setItem("coursekit:test", "1"); localStorage.removeItem("coursekit:test"); return true; } catch { return false; } })(),
    get(id) {
      try { const v = JSON.parse(localStorage.getItem(PREFIX + id)); return v?.cells && typeof v.cells === "object" ? v : null; } catch { return null; }
    },
    put(id, cells, saved) {
      const kept = Object.fromEntries(Object.entries(cells).filter(([, t]) => !blank(t)));
      if (Object.keys(kept).length) localStorage.setItem(PREFIX + id, JSON.stringify({ cells: kept, saved }));
      else localStorage.removeItem(PREFIX + id);
    },
    ids() { // in course order
      const keys = this.ok ? Object.keys(localStorage) : [];
      return CAT.exercises.map((e) => e.id).filter((id) => keys.includes(PREFIX + id));
    },
  };

  // --- notebooks
  const copies = {};
  async function courseNotebook(entry) {
    if (!copies[entry.id]) {
      const r = await fetch(ROOT + entry.notebook, { credentials: "same-origin" });
      if (!r.ok) throw new Error(`the course's copy of "${entry.title}" could not be read`);
      copies[entry.id] = await r.text();
    }
    return JSON.parse(copies[entry.id]);
  }

  async function filledNotebook(entry, cells, saved) {
    const nb = await courseNotebook(entry);
    for (const c of nb.cells) if (tags(c).includes("response") && c.id in cells) c.source = cells[c.id] ? cells[c.id].split(/(?<=\n)/) : [];
    nb.metadata.coursekit.saved = saved;
    return JSON.stringify(nb, null, 1) + "\n";
  }

  // As coursekit/workbook.py's answers_from: cells the trainee added join the answer above them (those
  // above the first answer join the first); a copy whose cell ids all differ is read in order.
  function answersFrom(nb, entry, courseIds) {
    const known = entry.prompts.map((p) => p.cell), parts = {};
    const cells = nb.cells.filter((c) => c && typeof c === "object");
    const responses = cells.filter((c) => tags(c).includes("response"));
    if (!responses.some((c) => known.includes(c.id))) {
      responses.slice(0, known.length).forEach((c, i) => { parts[known[i]] = [text(c)]; });
    } else {
      let current = null, before = [];
      for (const c of cells) {
        if (tags(c).includes("response") && known.includes(c.id) && !(c.id in parts)) {
          current = c.id;
          parts[c.id] = [...before, text(c)];
          before = [];
        } else if (!courseIds.has(c.id)) (current ? parts[current] : before).push(text(c));
      }
    }
    return Object.fromEntries(Object.entries(parts).map(([k, ps]) => [k, ps.filter((p) => !blank(p)).join("\n\n")]));
  }

  async function readNotebook(json, name, modified) {
    let nb;
    try { nb = JSON.parse(json); } catch { throw `${name}: damaged, it cannot be read as a notebook; ${REMEDY}.`; }
    if (!Array.isArray(nb?.cells)) throw `${name}: not a notebook; ${REMEDY}.`;
    const meta = nb.metadata?.coursekit || {};
    const same = CAT.exercises.filter((e) => e.title === meta.title); // by title only for files without an id
    const entry = meta.id ? entryOf(meta.id) : same.find((e) => e.module === meta.module) || same[0];
    if (!entry) throw `${name}: not an exercise from this course.`;
    const course = await courseNotebook(entry);
    const cells = answersFrom(nb, entry, new Set(course.cells.map((c) => c.id)));
    return { entry, cells, name, saved: typeof meta.saved === "string" && !isNaN(new Date(meta.saved)) ? meta.saved : modified };
  }

  // --- zip files: written stored (no compression); read stored, or deflated where the browser can --
  const CRC = Array.from({ length: 256 }, (_, n) => {
    for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
    return n >>> 0;
  });
  const crc32 = (bytes) => { let c = ~0; for (const b of bytes) c = CRC[(c ^ b) & 255] ^ (c >>> 8); return ~c >>> 0; };
  const le = (...fields) => new Uint8Array(fields.flatMap(([x, n]) => Array.from({ length: n }, (_, i) => (x >>> (8 * i)) & 255)));

  function zip(files) {
    const d = new Date(), enc = new TextEncoder(), body = [], central = [];
    const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
    const day = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
    let offset = 0, size = 0;
    for (const f of files) {
      const name = enc.encode(f.name), data = enc.encode(f.text), n = data.length;
      const common = [[20, 2], [0x800, 2], [0, 2], [time, 2], [day, 2], [crc32(data), 4], [n, 4], [n, 4], [name.length, 2], [0, 2]];
      const local = le([0x04034b50, 4], ...common);
      const entry = le([0x02014b50, 4], [20, 2], ...common, [0, 10], [offset, 4]);
      body.push(local, name, data);
      central.push(entry, name);
      offset += local.length + name.length + n;
      size += entry.length + name.length;
    }
    const count = files.length;
    return new Blob([...body, ...central, le([0x06054b50, 4], [0, 4], [count, 2], [count, 2], [size, 4], [offset, 4], [0, 2])],
      { type: "application/zip" });
  }

  async function unzip(buffer, zipName) {
    const v = new DataView(buffer), u = new Uint8Array(buffer), found = [], dec = new TextDecoder();
    const u16 = (at) => v.getUint16(at, true), u32 = (at) => v.getUint32(at, true);
    const damaged = `${zipName}: damaged, it cannot be read as a zip file.`;
    let end = buffer.byteLength - 22;
    while (end >= 0 && u32(end) !== 0x06054b50) end--;
    if (end < 0) throw damaged;
    for (let i = 0, p = u32(end + 16); i < u16(end + 10); i++) {
      if (u32(p) !== 0x02014b50) throw damaged;
      const method = u16(p + 10), size = u32(p + 20), at = u32(p + 42), name = dec.decode(u.subarray(p + 46, p + 46 + u16(p + 28)));
      p += 46 + u16(p + 28) + u16(p + 30) + u16(p + 32);
      if (!/\.ipynb$/i.test(name) || /(^|\/)(\.|__MACOSX)/.test(name)) continue;
      const start = at + 30 + u16(at + 26) + u16(at + 28);
      let data = u.subarray(start, start + size);
      if (method === 8 && typeof DecompressionStream === "function") {
        data = await new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer();
      } else if (method !== 0) {
        throw `${zipName}: this browser cannot open this kind of zip file. Unzip it first (most devices do when you open it), then open the notebooks inside.`;
      }
      found.push({ name: `${zipName}: ${name.split("/").pop()}`, json: dec.decode(data) });
    }
    return found;
  }

  // The files a trainee picked, notebooks and zips: one copy of each exercise, the most recently saved.
  async function openFiles(files) {
    const newest = new Map(), problems = [];
    for (const file of files) {
      const modified = new Date(file.lastModified || Date.now()).toISOString();
      try {
        const buffer = await file.arrayBuffer(), head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
        const parts = head[0] === 0x50 && head[1] === 0x4b ? await unzip(buffer, file.name)
          : [{ name: file.name, json: new TextDecoder().decode(buffer) }];
        if (!parts.length) problems.push(`${file.name}: holds no notebooks.`);
        for (const part of parts) {
          try {
            const r = await readNotebook(part.json, part.name, modified), other = newest.get(r.entry.id);
            if (other) {
              const [a, b] = new Date(r.saved) > new Date(other.saved) ? [r, other] : [other, r];
              problems.push(`${a.name} and ${b.name} are both "${r.entry.title}": used ${a.name}, the more recently saved.`);
              newest.set(r.entry.id, a);
            } else newest.set(r.entry.id, r);
          } catch (e) { problems.push(String(e)); }
        }
      } catch (e) { problems.push(typeof e === "string" ? e : `${file.name}: cannot be read.`); }
    }
    return { found: CAT.exercises.filter((e) => newest.has(e.id)).map((e) => newest.get(e.id)), problems };
  }

  // Into this browser's storage, asking before different answers already here are replaced.
  function restore(found, problems) {
    const done = [];
    if (!store.ok && found.length) problems.push("This browser is not letting the page save answers (its storage is turned off), so they could not be opened here. \u201cMy portfolio\u201d can still use the files.");
    if (!store.ok) return done;
    for (const r of found) {
      const have = store.get(r.entry.id), title = `"${r.entry.title}"`;
      if (!answered(r.entry, r.cells)) { problems.push(`${r.name}: holds no answers, so there was nothing to open.`); continue; }
      const sorted = (cells) => JSON.stringify(Object.entries(cells).filter(([, t]) => !blank(t)).sort());
      if (have && sorted(have.cells) !== sorted(r.cells) && !window.confirm(`${title}: this browser holds different answers, ` +
        `saved ${when(have.saved)}; the file ${r.name} was saved ${when(r.saved)}, so ${new Date(r.saved) > new Date(have.saved) ? "the file's" : "this browser's"} ` +
        "are the newer.\n\nReplace the answers in this browser with the file's? (Cancel keeps this browser's.)")) {
        problems.push(`${title}: kept the answers already in this browser.`);
        continue;
      }
      try { store.put(r.entry.id, r.cells, r.saved); done.push(r.entry.title); } catch { problems.push(`${title}: not opened, this browser's storage is full.`); }
    }
    return done;
  }

  function filePicker(label, onfiles) {
    const input = el("input", { type: "file", multiple: true, hidden: true });
    input.addEventListener("change", () => { const files = [...input.files]; input.value = ""; if (files.length) onfiles(files); });
    return [button(label, () => input.click()), input];
  }

  // --- an exercise page: a labelled box under each prompt, saved as the trainee types
  function exercisePage(entry) {
    const id = entry.id, note = status();
    let timer = null;
    courseNotebook(entry).catch(() => {});  // read now, so "Download my answers" needs no network later
    const areas = boxes.map((box) => {
      const cell = box.dataset.cell, old = box.querySelector(".answer-box__label");
      const mine = box.querySelector(".answer-box__private");
      const ta = el("textarea", { cls: "answer-box__input", id: `answer-${cell}`, "aria-labelledby": old.id, rows: 4,
        "aria-describedby": mine ? mine.id : false });
      const a = { cell, ta, state: el("p", { cls: "answer-box__status", role: "status" }), dirty: false };
      old.replaceWith(el("label", { cls: "answer-box__label", id: old.id, for: ta.id }, ...old.childNodes));
      box.querySelector(".answer-box__space")?.replaceWith(ta, a.state);
      const span = (box.dataset.words || "").split("-").map(Number);
      if (span.length === 2 && span.every((n) => Number.isInteger(n))) {  // a length the exercise asks for
        const count = el("p", { cls: "answer-box__count", "aria-live": "polite", id: `answer-count-${cell}` });
        const asked = span[0] ? `${span[0].toLocaleString("en-GB")} to ${span[1].toLocaleString("en-GB")}` : `at most ${span[1].toLocaleString("en-GB")}`;
        const counted = () => {
          const n = (ta.value.match(/[^\s]+/g) || []).length;
          count.textContent = `${plural(n, "word")}; the exercise asks for ${asked}.`;
        };
        ta.addEventListener("input", counted);
        a.count = counted;
        a.state.after(count);
        ta.setAttribute("aria-describedby", [ta.getAttribute("aria-describedby"), count.id].filter(Boolean).join(" "));
      }
      box.classList.add("answer-box--live");
      ta.addEventListener("input", () => { a.dirty = true; clearTimeout(timer); timer = setTimeout(save, 500); });
      ta.addEventListener("blur", () => timer && save());
      return a;
    });
    const saidSaved = (a, saved) => { // unchanged text is not announced again
      const said = `Saved in this browser ${when(saved)}`;
      if (a.state.textContent !== said) a.state.textContent = said;
    };

    function save() {
      clearTimeout(timer);
      timer = null;
      const dirty = areas.filter((a) => a.dirty);
      if (!dirty.length || !store.ok) return;
      const cells = { ...store.get(id)?.cells }, saved = now();
      for (const a of dirty) { cells[a.cell] = a.ta.value; a.dirty = false; }
      try { store.put(id, cells, saved); dirty.forEach((a) => saidSaved(a, saved)); } catch {
        dirty.forEach((a) => { a.state.textContent = "Not saved: this browser's storage is full or turned off. Download your answers to keep them."; });
      }
    }
    function load() {
      const have = store.get(id);
      for (const a of areas) {
        if (document.activeElement !== a.ta) a.ta.value = have?.cells[a.cell] || "";
        if (have && a.ta.value) saidSaved(a, have.saved);
        a.count?.();
      }
    }
    load();
    addEventListener("storage", (e) => e.key === PREFIX + id && load());
    addEventListener("pagehide", save);
    document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && save());

    const where = store.ok
      ? "What you write in the boxes below is saved as you type, in this browser on this device only. Nothing is sent anywhere. " +
        "Your answers are erased if you clear this browser's data (history, cookies and site data), and you will not find them in a private window, " +
        "in another browser or on another device; Safari may also clear them when you have not visited the course for a week. "
      : "This browser is not letting the page save what you write (its storage is turned off, or this is a private window): download your answers before you leave the page. ";
    const actions = el("p", { cls: "wb-actions" },
      button("Download my answers", async () => {
        save();
        try {
          const cells = Object.fromEntries(areas.map((a) => [a.cell, a.ta.value]));
          download(`${id}.ipynb`, new Blob([await filledNotebook(entry, cells, store.get(id)?.saved || now())], { type: "application/x-ipynb+json" }));
          say(note, `Your answers are in the file ${id}.ipynb, in your downloads. It holds everything you wrote, ` +
            "the answers marked \u201cfor you alone\u201d too: it is your own copy, not one to hand in. Keep it somewhere private.");
        } catch (e) { say(note, `Could not make the file: ${e.message}. Please try again.`); }
      }),
      button("Delete my answers from this browser", () => {
        if (!window.confirm(`Delete your answers to "${entry.title}" from this browser? Download them first if you want to keep them.`)) return;
        clearTimeout(timer);
        if (store.ok) localStorage.removeItem(PREFIX + id);
        areas.forEach((a) => { a.ta.value = a.state.textContent = ""; a.dirty = false; });
        say(note, "Your answers to this exercise are deleted from this browser.");
      }));
    // the build writes the note into the page (so nothing moves when this script runs): fill its
    // place for the buttons, and say so plainly if this browser will not keep what is written
    const built = document.querySelector(".workbook-note");
    if (built) {
      if (!store.ok) built.querySelector("p").textContent = where;
      built.querySelector(".wb-actions").replaceWith(actions);
      built.append(note);
      return;
    }
    (document.querySelector("p.exercise-download") || boxes[0]).after(el("div", { cls: "workbook-note" },
      el("p", {}, el("strong", { text: "Where your answers are kept. " }), where,
        "To keep a copy, download your answers as a notebook file and keep it somewhere private; to bring them back, open the file with \u201cOpen saved answers\u201d on ",
        el("a", { href: ROOT + "exercises/index.html" }, "the exercise index"), "."),
      actions, note));
  }

  // --- the exercise index: every answer at once, and opening saved files
  function indexTools() {
    const held = el("div"), note = status();
    const all = button("Download all my answers", async () => {
      const ids = store.ids(), folder = `${CAT.course.slug}-my-answers`;
      try {
        const files = [{ name: `${folder}/README.txt`, text: `Your answers to ${CAT.course.title}, downloaded on ${dateText(new Date())}. ` +
          `Open them in a notebook editor, or on the course website with "Open saved answers" (it opens this zip).\r\n\r\n` +
          `This is your own backup: it holds everything you wrote, including the answers marked "for you alone" ` +
          `(code words, checks, stop-point ratings, disguise notes). Keep it private and do not hand it in: ` +
          `to give a tutor or supervisor your answers, use "My portfolio" on the course website, which leaves those out.\r\n` }];
        for (const [n, id] of ids.entries()) {
          const have = store.get(id);
          files.push({ name: `${folder}/${String(n + 1).padStart(2, "0")}-${id}.ipynb`, text: await filledNotebook(entryOf(id), have.cells, have.saved) });
        }
        const name = `${folder}-${now().slice(0, 10)}.zip`;
        download(name, zip(files));
        say(note, `Your answers to ${plural(ids.length, "exercise")} are in ${name}, in your downloads. It is your own backup, ` +
          "with every answer, the private ones too: keep it somewhere private, and use \u201cMy portfolio\u201d for anything you hand in.");
      } catch (e) { say(note, `Could not make the zip file: ${e.message}. Please try again.`); }
    });
    const [open, input] = filePicker("Open saved answers", async (files) => {
      say(note, "Reading\u2026");
      const { found, problems } = await openFiles(files), done = restore(found, problems);
      say(note, done.length ? `Answers opened in this browser for ${plural(done.length, "exercise")}: ${done.join("; ")}.` : "No answers were opened.", ...list(problems));
      refresh();
    });
    function refresh() {
      const ids = store.ids();
      all.disabled = !ids.length;
      say(held, ids.length ? `This browser holds your answers to ${plural(ids.length, "exercise")}:`
        : "No answers are saved in this browser yet. Write them in the boxes on an exercise page, or open files you saved before.",
      ...(ids.length ? [el("ul", {}, ...ids.map((id) => {
        const e = entryOf(id), have = store.get(id);
        return el("li", {}, el("a", { href: ROOT + e.page }, e.title), ` (${answered(e, have.cells)} of ${e.prompts.length} prompts, saved ${when(have.saved)})`);
      }))] : []));
    }
    tools.replaceChildren(el("h2", { text: "Your answers in this browser" }), held, el("p", { cls: "wb-actions" }, all, open, input),
      el("p", { text: "Files you open are read here, in this browser: nothing is uploaded. If this browser already holds different answers to an exercise, you are asked which to keep." }),
      note);
    refresh();
  }

  // --- the portfolio: the same layout as coursekit/workbook.py, so the two can be compared exactly -
  const inlinePlain = (t) => t.replace(/<!--.*?-->/g, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\{[A-Za-z0-9_:.-]+\}`([^`<]*?)[ \t]*(<[^`>]*>)?`/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/__(.+?)__/g, "$1")
    .replace(/(?<![A-Za-z0-9_*\\])\*(?=[^ *])(.+?)(?<=[^ \\])\*(?![A-Za-z0-9_*])/g, "$1")
    .replace(/(?<![A-Za-z0-9_\\])_(?=[^ _])(.+?)(?<=[^ \\])_(?![A-Za-z0-9_])/g, "$1")
    .replace(/\\([!-\/:-@\[-`{-~])/g, "$1")
    .replace(/[ \t\r\n]+/g, " ").replace(/^ +| +$/g, "");

  function promptParagraphs(md) {
    const blocks = [];
    let current = [];
    const flush = () => { if (current.length) blocks.push(current.join(" ")); current = []; };
    for (const line of md.split("\n")) {
      const s = strip(strip(line).replace(/^>[ ]?/, ""));
      if (!s || /^\|?[ :|-]*-[ :|-]*$/.test(s)) flush();
      else if (s.startsWith("|")) { flush(); blocks.push(s.replace(/^\||\|$/g, "").split("|").map(strip).filter(Boolean).join(" · ")); }
      else if (/^#{1,6}[ ]/.test(s)) { flush(); blocks.push(s.replace(/^#{1,6}[ ]+/, "")); }
      else if (/^([-*+]|[0-9]+[.)])[ ]/.test(s)) { flush(); current.push(s.replace(/^[-*+][ ]+/, "• ")); }
      else current.push(s);
    }
    flush();
    return blocks.map(inlinePlain).filter(Boolean);
  }
  const answerParagraphs = (t) => t.replace(/\r\n?/g, "\n").split(/\n[ \t]*(?:\n[ \t]*)+/).map(strip).filter(Boolean);

  // Identical, character for character, to PORTFOLIO_CSS in coursekit/workbook.py.
  const PORTFOLIO_CSS = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;" +
    "color:#1a1a1a;background:#fff}.pf-course,.pf-date,.pf-meta,.pf-none{color:#444}.pf-none{font-style:italic}" +
    ".pf-prompt{margin:1.5rem 0 .5rem;padding:.25rem 1rem;border-left:4px solid #5a6b7d;background:#f3f5f7}" +
    ".pf-exercise{margin-top:2.5rem;border-top:1px solid #ccc}@media print{body{margin:0;max-width:none}" +
    ".pf-exercise{break-before:page;border:0}.pf-item{break-inside:avoid}a{color:inherit;text-decoration:none}}";

  function portfolioBody(items, unanswered, level) {
    const h = (n, inner, attrs = "") => `<h${level + n}${attrs}>${inner}</h${level + n}>`;
    const out = ['<article class="portfolio-doc">', "<header>", `<p class="pf-course">${esc(CAT.course.title)}</p>`,
      h(0, "Workbook portfolio"), `<p class="pf-date">Put together on ${dateText(new Date())}</p>`, "</header>"];
    if (items.length) {
      out.push('<nav aria-labelledby="pf-contents">', h(1, "Contents", ' id="pf-contents"'), "<ol>",
        ...items.map((it) => `<li><a href="#pf-${esc(it.id)}">${esc(it.title)}</a></li>`), "</ol>", "</nav>");
    }
    for (const it of items) {
      out.push(`<section class="pf-exercise" id="pf-${esc(it.id)}">`, h(1, esc(it.title)), `<p class="pf-meta">${esc(it.kind)} · ${esc(it.moduleTitle)}</p>`);
      const shown = shareable(it).filter((p) => unanswered || !blank(it.cells[p.cell]));
      if (!shown.length) out.push('<p class="pf-none">No answers yet.</p>');
      for (const p of shown) {
        const prompt = promptParagraphs(p.prompt).map((x) => `<p>${esc(x)}</p>`).join("");
        const answer = answerParagraphs(it.cells[p.cell] || "").map((x) => `<p>${esc(x).replaceAll("\n", "<br>")}</p>`).join("");
        out.push('<div class="pf-item">', ...(prompt ? [`<blockquote class="pf-prompt">${prompt}</blockquote>`] : []),
          `<div class="pf-answer">${answer || '<p class="pf-none">No answer yet.</p>'}</div>`, "</div>");
      }
      out.push("</section>");
    }
    return [...out, "</article>"].join("\n") + "\n";
  }
  const portfolioFile = (items, unanswered) => '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Workbook portfolio: ${esc(CAT.course.title)}</title>\n` +
    `<style>${PORTFOLIO_CSS}</style>\n</head>\n<body>\n<main>\n${portfolioBody(items, unanswered, 1)}</main>\n</body>\n</html>\n`;

  function portfolioPage() {
    let picked = null; // answers from files opened here (never stored), or null: this browser's
    const choice = el("div", { cls: "portfolio__list" }), from = el("p"), note = status(), preview = el("div", { cls: "portfolio__preview" });
    const unanswered = el("input", { type: "checkbox", id: "pf-unanswered", onchange: render });
    const cellsOf = (id) => (picked ? picked.get(id) : store.get(id))?.cells || {};
    const chosen = () => [...choice.querySelectorAll("input:checked")].map((box) => ({ ...entryOf(box.value), cells: cellsOf(box.value) }));
    const [open, input] = filePicker("Use saved files instead", async (files) => {
      const { found, problems } = await openFiles(files);
      picked = new Map(found.map((r) => [r.entry.id, r]));
      say(note, `Read ${plural(found.length, "exercise")} from the files you chose; nothing was saved in this browser.`, ...list(problems));
      choices();
    });
    const back = button("Use the answers saved in this browser", () => { picked = null; say(note); choices(); });
    const printIt = button("Print or save as PDF", () => window.print());
    const saveIt = button("Download as one HTML file", () => {
      download(`${CAT.course.slug}-portfolio-${now().slice(0, 10)}.html`, new Blob([portfolioFile(chosen(), unanswered.checked)], { type: "text/html" }));
      say(note, "Your portfolio is in your downloads, as one HTML file that any browser opens.");
    });
    function choices() {
      const ids = picked ? CAT.exercises.map((e) => e.id).filter((id) => picked.has(id)) : store.ids();
      back.hidden = !picked;
      from.textContent = picked ? "From the files you chose:" : "From the answers saved in this browser:";
      say(choice, ids.length ? el("ul", {}, ...ids.map((id) => {
        const e = entryOf(id), cells = cellsOf(id), open = shareable(e), kept = answered(e, cells) - answered(e, cells, open);
        const about = [`${answered(e, cells, open)} of ${open.length} prompts answered`, e.moduleTitle];
        if (kept) about.push(`${plural(kept, "answer")} for you alone never go in`);
        if (e.private) about.push("a private exercise: left out unless you tick it");
        return el("li", {}, el("input", { type: "checkbox", id: `pf-pick-${id}`, value: id, checked: !e.private, onchange: render }),
          el("label", { for: `pf-pick-${id}` }, e.title, el("span", { cls: "portfolio__about", text: ` ${about.join(" \u00b7 ")}` })));
      })) : picked ? "None of the files you chose holds answers to an exercise of this course."
        : "No answers are saved in this browser yet. Write them in the boxes on an exercise page, or use files you saved.");
      render();
    }
    function render() {
      const items = chosen();
      printIt.disabled = saveIt.disabled = !items.length;
      preview.innerHTML = portfolioBody(items, unanswered.checked, 2);
    }
    folio.replaceChildren(el("section", { cls: "portfolio__choose", "aria-labelledby": "pf-choose" },
      el("h2", { id: "pf-choose", text: "Choose what goes in" }), from, choice,
      el("p", { cls: "portfolio__option" }, unanswered, el("label", { for: "pf-unanswered", text: "Include the prompts I have not answered" })),
      el("p", { cls: "wb-actions" }, printIt, saveIt, open, input, back), note), preview);
    // print only the portfolio: hide all that is not on the way from the page to it
    for (let node = preview; node !== document.body; node = node.parentElement) {
      for (const other of node.parentElement.children) if (other !== node) other.classList.add("wb-noprint");
    }
    choices();
  }

  // --- start
  if (!document.querySelector('link[href*="workbook.css"]')) document.head.append(el("link", { rel: "stylesheet", href: ROOT + "_static/workbook.css" }));
  fetch(ROOT + "_static/workbook-catalogue.json", { credentials: "same-origin" })
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then((cat) => {
      CAT = cat;
      PREFIX = `coursekit:${cat.course.slug}:answers:`;
      const here = location.pathname.replace(/\.html$/, "");
      const entry = boxes.length && (entryOf(boxes[0].dataset.exercise) ||
        cat.exercises.find((e) => new URL(e.page, ROOT).pathname.replace(/\.html$/, "") === here));
      if (entry) exercisePage(entry);
      if (tools) indexTools();
      if (folio) portfolioPage();
    })
    .catch((e) => console.warn("workbook: the course catalogue could not be read, so the answer boxes stay as they are.", e));
})();

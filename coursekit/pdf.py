"""One PDF per edition: the edition built as a single HTML page, then printed by Chromium.

Why this route (measured on the reference machine, README "PDF editions"): Sphinx's singlehtml
builder plus Debian's Chromium gives a tagged PDF with an outline in seconds, from the same HTML,
CSS and fonts as the site and with nothing to download; the LaTeX route needs a 1.4 GB font
package and gives untagged PDFs; Jupyter Book's own pdfhtml downloads a browser.

The page is prepared before printing: a cover, a contents list with page numbers (read from a
first printing's outline), every document on a new page with the course and its module in the
running head, folds opened, answer boxes as writing space, and download links told for paper."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

from .course import Course
from .editions import build_many, build_one
from .printing import browser, print_file
from .programme import Programme
from .project import CourseError

PREPARE = r"""(info) => {
  const article = document.querySelector('article.bd-article') || document.body;
  const esc = (s) => '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  // same-document links: index.html#x -> #x, so the PDF links stay inside the file
  for (const a of document.querySelectorAll('a[href^="index.html#"]')) a.setAttribute('href', a.getAttribute('href').slice(10));
  // folds open, download links for paper
  for (const d of document.querySelectorAll('details')) d.open = true;
  // on paper a fold cannot be opened: what it asks becomes what to do before reading on
  for (const s of document.querySelectorAll('details > summary')) {
    for (const t of s.childNodes) if (t.nodeType === 3) t.textContent = t.textContent.replace(/\bopen (after|when)\b/g, 'read on only $1');
  }
  for (const p of document.querySelectorAll('p.exercise-download')) {
    p.textContent = 'On paper: write your answers in the spaces below. On the course website this exercise can be '
      + 'done on its own page, where answers are kept in your browser, or downloaded as a notebook.';
  }
  // an answer box's label repeats its prompt for screen readers; on paper the prompt is just above it
  for (const l of document.querySelectorAll('.answer-box__label span')) l.remove();
  // what only works on the website: the note on answers kept in the browser, the workbook's tools
  for (const el of document.querySelectorAll('.headerlink, .workbook-tools, .workbook-note, #portfolio, .onlyprint, #jb-print-docs-body')) el.remove();
  // the portfolio's page describes buttons: on paper, say where the portfolio is made
  const portfolio = document.querySelector('span[id="document-exercises/portfolio"] + section');
  if (portfolio) {
    for (const p of portfolio.querySelectorAll(':scope > p')) p.remove();
    const p = document.createElement('p');
    p.textContent = 'On the course website, the page “My portfolio” puts the answers you have written on '
      + 'the exercise pages together into one document, for yourself or for supervision. It is made in your browser '
      + 'from what that browser has saved, and you can print it or save it as a PDF from there.';
    portfolio.appendChild(p);
  }
  // links to files of the built site (downloads, handouts, other formats) mean nothing on paper and
  // would point into the machine that printed it: keep their words, drop the link
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (href.startsWith('#') || /^(https?|mailto|tel):/i.test(href)) continue;
    const span = document.createElement('span');
    span.className = 'paper-link';
    span.append(...a.childNodes);
    a.replaceWith(span);
  }
  // tables fit the page: wide ones (six columns or more) in smaller type, words wrapping in their cells
  for (const t of document.querySelectorAll('article table')) {
    const cols = t.rows.length ? Math.max(...[...t.rows].map((r) => r.cells.length)) : 0;
    if (cols >= 6) t.classList.add('pdf-wide');
  }
  const norm = (s) => s.replace(/\s+/g, ' ').trim();
  let cursor = 0;
  const pageOf = (title) => {  // the outline of the first printing, in order: match titles in sequence
    const key = title.replace(/\s+/g, '');  // the outline loses the spaces at line breaks
    for (let i = cursor; i < info.pages.length; i++) if (info.pages[i][0] === key) { cursor = i + 1; return info.pages[i][1]; }
    return '';
  };
  // Running heads name the course and the module. A new sheet starts only where it earns one: at each
  // module (its overview), at each top-level document, at the instructor's notes on a module, and
  // before a document of more than about a page and a half; shorter documents follow on the same
  // sheet after a rule. Documents of one module share one named page, since a change of named page
  // forces a new sheet in Chromium.
  let css = '@page cover { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }\n'
    + `@page front { @top-left { content: ${esc(info.title)}; } @top-right { content: "Contents"; } @bottom-center { content: counter(page); font-size: 9pt; } }\n`;
  const named = new Map();
  for (const span of document.querySelectorAll('span[id^="document-"]')) {
    const doc = span.id.slice(9), section = span.nextElementSibling;
    if (!section) continue;
    const parts = doc.split('/');
    const key = (parts[0] === 'chapters' || parts[0] === 'exercises') ? parts[1]
              : (parts[0] === 'instructor' && parts[1] === 'modules') ? parts[2] : null;
    const head = key && info.modules[key] ? (parts[0] === 'instructor' ? 'Instructor notes: ' : '') + info.modules[key]
               : (section.querySelector('h1,h2,h3') || {}).textContent || '';
    const group = key ? (parts[0] === 'instructor' ? 'notes-' + key : 'module-' + key) : 'doc-' + doc;
    if (!named.has(group)) {
      named.set(group, 'p' + named.size);
      css += `@page ${named.get(group)} { @top-left { content: ${esc(info.title)}; } @top-right { content: ${esc(head.replace(/#$/, '').trim())}; } }\n`;
    }
    section.style.page = named.get(group);
    const opensModule = key && (doc.endsWith('/index') || parts[0] === 'instructor');
    const long = section.textContent.length > 5200;
    section.classList.add((!key || opensModule || long) ? 'pdf-new-sheet' : 'pdf-follows');
    // the empty anchor before the document goes with it: same page type, and the new sheet starts at it
    span.style.cssText += `display: block; page: ${section.style.page};`;
    if (section.classList.contains('pdf-new-sheet')) span.style.breakBefore = 'page';
  }
  const style = document.createElement('style');
  style.textContent = css + `
    body { page: cover; }
    .pdf-follows { break-before: auto; margin-top: 10mm; padding-top: 6mm; border-top: 0.5pt solid #999; }
    h1, h2, h3, h4, caption, .table-caption, figcaption { break-after: avoid; }
    caption, .table-caption { break-inside: avoid; }
    .pst-scrollable-table-container { overflow: visible !important; }
    article table { max-width: 100%; break-inside: auto !important; }
    article table tr { break-inside: avoid; }
    table.pdf-wide { width: 100% !important; font-size: 7.5pt; table-layout: fixed; }
    table.pdf-wide th, table.pdf-wide td { padding: 2pt 3pt; overflow-wrap: anywhere; hyphens: auto; }
    table.pdf-wide tr { break-inside: auto; }
    article table tr:nth-last-child(2) { break-after: avoid; }
    p:has(+ .pst-scrollable-table-container), p:has(+ table), p:has(+ ul), p:has(+ ol) { break-after: avoid; }
    .pdf-cover h1 { display: block !important; }
    .pdf-cover { page: cover; height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
    .pdf-cover h1 { font-size: 30pt; margin-bottom: 6mm; } .pdf-cover .pdf-logo { max-height: 30mm; max-width: 80mm; margin-bottom: 10mm; align-self: flex-start; } .pdf-cover p { font-size: 13pt; margin: 2mm 0; }
    .pdf-cover .pdf-owner { margin-top: 25mm; padding-bottom: 1mm; border-bottom: 0.75pt solid #444; width: 120mm; }
    .pdf-contents { page: front; break-after: page; } .pdf-contents ol { list-style: none; padding-left: 0; }
    .pdf-contents li { display: flex; gap: 2mm; margin: 1mm 0; } .pdf-contents li.level-2 { padding-left: 6mm; }
    .pdf-contents li .dots { flex: 1; border-bottom: 1px dotted #888; margin-bottom: 1.2mm; }`;
  document.head.appendChild(style);
  // cover and contents
  const cover = document.createElement('section');
  cover.className = 'pdf-cover';
  cover.innerHTML = '<h1></h1><p class="subtitle"></p><p class="institution"></p><p class="edition"></p><p class="version"></p>';
  cover.querySelector('h1').textContent = info.title;
  if (info.logo) {
    const img = document.createElement('img');
    img.src = info.logo; img.alt = info.institution || info.title; img.className = 'pdf-logo';
    cover.prepend(img);
  }
  cover.querySelector('.subtitle').textContent = info.subtitle;
  cover.querySelector('.institution').textContent = info.institution;
  cover.querySelector('.edition').textContent = info.edition;
  cover.querySelector('.version').textContent = 'Version ' + info.version + ', printed ' + info.date;
  if (/learner/i.test(info.edition)) {  // a trainee's own copy: room for a name
    const owner = document.createElement('p');
    owner.className = 'pdf-owner';
    owner.textContent = 'This copy belongs to: ';
    cover.appendChild(owner);
  }
  const contents = document.createElement('nav');
  contents.className = 'pdf-contents';
  contents.setAttribute('aria-label', 'Contents');
  contents.innerHTML = '<h2>Contents</h2><ol></ol>';
  const list = contents.querySelector('ol');
  for (const span of document.querySelectorAll('span[id^="document-"]')) {
    const section = span.nextElementSibling, h = section && section.querySelector('h1,h2,h3');
    if (!h) continue;
    const doc = span.id.slice(9), level = doc.endsWith('/index') || doc.split('/').length < 3 ? 1 : 2;
    const title = norm(h.textContent);
    const li = document.createElement('li');
    li.className = 'level-' + level;
    li.innerHTML = '<a></a><span class="dots"></span><span class="pageno"></span>';
    li.querySelector('a').textContent = title;
    li.querySelector('a').setAttribute('href', '#' + span.id);
    li.querySelector('.pageno').textContent = pageOf(title);
    list.appendChild(li);
  }
  article.prepend(contents);
  article.prepend(cover);
  // the headings' words, for the bookmarks (Chromium joins a wrapped title's lines without a space)
  return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => norm(h.textContent));
}"""


def _module_heads(course: Course) -> dict[str, str]:
    return {m.key: m.full_title for m in course.modules}


def _outline_pages(data: bytes) -> list[tuple[str, int]]:
    """Every bookmark's title and the (1-based) page it points to, in document order."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    found: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append(("".join(str(item.title).split()), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


def pdf_info(programme: Programme, label: str) -> dict[str, str]:
    """The PDF's document information, from the programme file."""
    subject = programme.subtitle or "Therapeutic failure, rupture and repair, and shame"
    return {"title": f"{programme.title}: {label}", "author": programme.author or programme.institution,
            "subject": subject, "creator": f"coursekit {programme.version}", "lang": "en-GB"}


def pdf_name(programme: Programme, edition: str) -> str:
    return f"{programme.slug}-{edition}.pdf"


def build_pdfs(root: Path, editions: list[str], programme: Programme) -> dict[str, tuple[Path, int, float]]:
    """Build each edition as one page and print it; return each PDF's path, page count and seconds."""
    import pypdf

    course = Course(root, programme)
    results = {}
    info = {"title": programme.title, "subtitle": programme.subtitle, "institution": programme.institution,
            "version": programme.version, "date": dt.date.today().strftime("%-d %B %Y"),
            "modules": _module_heads(course), "logo": f"_static/{programme.logo.name}" if programme.logo else ""}
    building: dict[str, float] = {}  # seconds each one-page build took
    if len(editions) > 1:  # the one-page builds run side by side, as the HTML builds do
        for edition, (code, seconds, output) in build_many(root, editions, programme.path, builder="singlehtml").items():
            if code != 0:
                raise CourseError(f"the {edition} edition did not build as one page:\n{output.rstrip()}")
            building[edition] = seconds
    else:
        started = time.monotonic()
        if build_one(root, editions[0], programme, builder="singlehtml") != 0:
            raise CourseError(f"the {editions[0]} edition did not build as one page: see the messages above")
        building[editions[0]] = time.monotonic() - started
    for edition in editions:
        started = time.monotonic() - building[edition]
        html = root / "_build" / edition / "singlehtml" / "index.html"
        out = root / "_build" / edition / "pdf" / pdf_name(programme, edition)
        for old in out.parent.glob("*.pdf"):  # another programme's PDF would be mistaken for this one
            old.unlink()
        label = {"learner": "Learner edition", "instructor": "Instructor edition"}[edition]
        with browser() as b:
            first = print_file(b, html, out, prepare=PREPARE, arg={**info, "edition": label, "pages": []}, mend=False)
            pages = _outline_pages(first)
            # the cover and contents are part of the first printing, so page numbers hold
            data = print_file(b, html, out, prepare=PREPARE, arg={**info, "edition": label, "pages": pages},
                              info=pdf_info(programme, label))
        results[edition] = (out, len(pypdf.PdfReader(io.BytesIO(data)).pages), time.monotonic() - started)
    return results

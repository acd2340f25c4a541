"""The view to project in the seminar room, made from the session plans.

For each meeting of each format the programme uses (a week's session, or a day), the instructor
build writes one page into _build/instructor/html/room/: every phase of the meeting in order (the
day's opening, each row of each session plan, breaks, the closing), one at a time in type that reads
from the back of a room, with a countdown of the phase's minutes (start, pause, next, back; keys as
well as buttons) and what the room needs to see during it: the discussion questions the plan names,
a drill's criteria, the module's grounding steps at a close. The page is one self-contained file
(its style and script inline, nothing fetched), so it works offline and from a memory stick; without
scripts it is a plain timed list. Only the instructor edition has it: the plans' notes are not shown,
but the pages are the facilitator's, and no learner page links to them."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from . import notebooks
from .course import Course
from .plans import Meeting, Timetable, clock, hm, row_label

FOLDER = "room"


@dataclass(frozen=True)
class Phase:
    """One phase on the screen: what kind, what it is called, when it starts, how long, and what to show."""

    kind: str
    title: str
    start: int | None
    minutes: int
    screen: str = ""  # HTML: questions, criteria or grounding steps


def _questions(html_root: Path, module: str) -> list[str]:
    """The module's discussion questions as HTML, links made plain text, from its built page."""
    page = html_root / "chapters" / module / "discussion.html"
    if not page.is_file():
        return []
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    listing = soup.select_one("section#discussion-questions ol")
    if listing is None:
        return []
    out = []
    for item in listing.find_all("li", recursive=False):
        for a in item.find_all("a"):
            a.unwrap()
        out.append(item.decode_contents().strip())
    return out


def _criteria(course: Course, exercise: str | None) -> str:
    """A drill's criteria, as the trainees read them in the exercise."""
    from .handouts import render

    ex = course.exercise(exercise) if exercise else None
    if ex is None:
        return ""
    text = "\n\n".join(notebooks.text(c) for c in ex.notebook().cells if "criteria" in notebooks.tags(c))
    return render(text) if text else ""


def _grounding(course: Course, module: str) -> str:
    steps = (course.module(module).content_note or {}).get("grounding") or []
    if not steps:
        return ""
    return "<p>Before you go:</p><ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in steps) + "</ol>"


def phases(course: Course, meeting: Meeting, html_root: Path) -> list[Phase]:
    """Every phase of one meeting, in order, with its clock time and what the screen shows."""
    out: list[Phase] = []
    last_module = None
    for slot in meeting.slots:
        if slot.parts:  # an opening or closing in its timed parts: a phase each, the grounding on the last
            at = slot.start
            for n, part in enumerate(slot.parts):
                screen = _grounding(course, last_module) if slot.kind == "closing" and last_module and \
                    n == len(slot.parts) - 1 else ""
                out.append(Phase(slot.kind, part.activity, at, part.minutes, screen))
                at += part.minutes
            continue
        if slot.session is None:
            screen = ""
            if slot.kind == "break":
                screen = f"<p>Back at {clock(slot.end)}.</p>"
            elif slot.kind == "closing" and last_module:
                screen = _grounding(course, last_module)
            out.append(Phase(slot.kind, row_label(slot.kind, slot.activity), slot.start, slot.minutes, screen))
            continue
        session = slot.session
        last_module = session.module
        questions = _questions(html_root, session.module)
        at = slot.start
        for row in session.rows:
            screen = ""
            if row.questions:
                # each question is the page's own list item (its paragraphs): the number goes inside the first
                screen = "".join('<div class="question">' + (questions[q - 1] if questions[q - 1].startswith("<p>")
                                                              else f"<p>{questions[q - 1]}</p>")
                                 .replace("<p>", f"<p><span>Question {q}.</span> ", 1) + "</div>"
                                 for q in row.questions if 0 < q <= len(questions))
            elif row.kind == "exercise" and row.exercise:
                criteria = _criteria(course, row.exercise)
                ex = course.exercise(row.exercise)
                screen = (f"<p class='exercise'>{html.escape(ex.title)}</p>" if ex else "") + criteria
            elif row.kind == "closing":
                screen = _grounding(course, session.module)
            out.append(Phase(row.kind, row_label(row.kind, row.activity), at, row.minutes, screen))
            at += row.minutes
    return out


CSS = """
* { box-sizing: border-box; }
html { color-scheme: light; }
body { margin: 0; font: 1.6rem/1.4 system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; color: #111; background: #fff; }
main { max-width: 72rem; margin: 0 auto; padding: 2vh 4vw 11rem; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; align-items: baseline; font-size: 1.1rem; color: #333; }
header h1 { font-size: 1.3rem; margin: 0; }
.phase { margin: 2vh 0 0; }
.phase[hidden] { display: none; }
.phase .when { font-size: 1.2rem; color: #333; margin: 0; }
.phase h2 { font-size: clamp(2.2rem, 5.5vw, 4.5rem); line-height: 1.1; margin: 0.5rem 0 1rem; }
.phase .screen { font-size: clamp(1.6rem, 3vw, 2.6rem); }
.phase .screen .question span { font-weight: 700; }
.phase .screen li { margin-bottom: 0.4em; }
.timer { font-variant-numeric: tabular-nums; font-weight: 700; font-size: clamp(3.5rem, 11vw, 9rem); line-height: 1; margin: 1vh 0 0; }
.timer.over { color: #8a1c1c; }
.next { font-size: 1.1rem; color: #333; width: 100%; text-align: center; margin: 0; }
.controls { position: fixed; left: 0; right: 0; bottom: 0; display: flex; flex-wrap: wrap; gap: 0.75rem;
            justify-content: center; padding: 0.75rem; background: #f1f3f5; border-top: 1px solid #888; }
.controls button { font: inherit; font-size: 1.2rem; font-weight: 600; min-height: 48px; min-width: 48px;
                   padding: 0.4rem 1.2rem; color: #111; background: #fff; border: 2px solid #0b57a4; border-radius: 0.4rem; cursor: pointer; }
.controls button:focus-visible { outline: 4px solid #111; outline-offset: 2px; }
.keys { font-size: 1rem; color: #333; width: 100%; text-align: center; margin: 0; }
.noscript-list .phase { border-top: 1px solid #999; padding-top: 1rem; }
@media (scripting: none) { .controls, .timer, .next { display: none; } }
@media print { .controls, .timer, .next { display: none; } .phase[hidden] { display: block; } }
"""

SCRIPT = """
(() => {
  "use strict";
  const phases = [...document.querySelectorAll(".phase")];
  const minutes = phases.map((p) => Number(p.dataset.minutes));
  const timer = document.getElementById("timer"), next = document.getElementById("next");
  const toggle = document.getElementById("toggle"), status = document.getElementById("status");
  document.body.classList.remove("noscript-list");
  let at = 0, left = minutes[0] * 60, running = false, tick = null, last = 0;
  const fmt = (s) => { const a = Math.abs(s); return (s < 0 ? "+" : "") + Math.floor(a / 60) + ":" + String(a % 60).padStart(2, "0"); };
  function draw() {
    phases.forEach((p, i) => { p.hidden = i !== at; });
    timer.textContent = fmt(left);
    timer.classList.toggle("over", left < 0);
    timer.setAttribute("aria-label", left < 0 ? `${fmt(left)} over time` : `${fmt(left)} left`);
    next.textContent = at + 1 < phases.length ? `Next: ${phases[at + 1].querySelector("h2").textContent}` : "The last phase.";
    toggle.textContent = running ? "Pause" : (left === minutes[at] * 60 ? "Start" : "Resume");
    document.title = `${fmt(left)} · ${phases[at].querySelector("h2").textContent}`;
  }
  function stop() { running = false; clearInterval(tick); tick = null; }
  function go(i) {
    if (i < 0 || i >= phases.length) return;
    stop(); at = i; left = minutes[at] * 60; draw();
    status.textContent = `Phase ${at + 1} of ${phases.length}: ${phases[at].querySelector("h2").textContent}`;
  }
  function startPause() {
    if (running) { stop(); draw(); status.textContent = "Paused."; return; }
    running = true; last = Date.now();
    tick = setInterval(() => {
      const now = Date.now();
      if (now - last >= 1000) { left -= Math.floor((now - last) / 1000); last += 1000 * Math.floor((now - last) / 1000); draw(); }
    }, 200);
    draw(); status.textContent = "Running.";
  }
  toggle.addEventListener("click", startPause);
  document.getElementById("back").addEventListener("click", () => go(at - 1));
  document.getElementById("forward").addEventListener("click", () => go(at + 1));
  document.getElementById("reset").addEventListener("click", () => go(at));
  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest("button")) return;
    const k = e.key;
    if (k === " " || k === "k") { e.preventDefault(); startPause(); }
    else if (k === "ArrowRight" || k === "n" || k === "PageDown") { e.preventDefault(); go(at + 1); }
    else if (k === "ArrowLeft" || k === "p" || k === "PageUp") { e.preventDefault(); go(at - 1); }
    else if (k === "r") { go(at); }
  });
  draw();
})();
"""


def page(course: Course, table: Timetable, meeting: Meeting, items: list[Phase]) -> str:
    prog = course.programme
    title = f"{meeting.name}: {table.title}"
    head_title = f"{title} — {prog.title}"
    sections = []
    for n, p in enumerate(items, 1):
        when = (f"{clock(p.start)} · " if p.start is not None else "") + f"{p.minutes} minutes · phase {n} of {len(items)}"
        sections.append(f'<section class="phase" data-minutes="{p.minutes}" aria-labelledby="phase-{n}">'
                        f'<p class="when">{when}</p><h2 id="phase-{n}">{html.escape(p.title)}</h2>'
                        f'<div class="screen">{p.screen}</div></section>')
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n<link rel="icon" href="data:,">\n'
            f"<title>{html.escape(head_title)}</title>\n<style>{CSS}</style>\n</head>\n"
            '<body class="noscript-list">\n<main>\n'
            f"<header><h1>{html.escape(prog.title)}</h1><span>{html.escape(title)}, "
            f"{clock(meeting.start)} to {clock(meeting.end)}</span><a href='index.html'>All sessions</a></header>\n"
            '<p class="timer" id="timer" role="timer" aria-live="off"></p>\n'
            + "\n".join(sections) +
            '\n<p class="visually-hidden" id="status" aria-live="polite" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)"></p>'
            '\n</main>\n<div class="controls" role="group" aria-label="Timer"><p class="next" id="next"></p>'
            '<button type="button" id="back">Back</button><button type="button" id="toggle">Start</button>'
            '<button type="button" id="forward">Next</button><button type="button" id="reset">Restart phase</button>'
            '<p class="keys">Keys: Space starts and pauses, → next phase, ← back, R restarts the phase.</p></div>\n'
            f"<script>{SCRIPT}</script>\n</body>\n</html>\n")


def slug(fmt: str, n: int) -> str:
    return f"{fmt}-{n}"


def write_html(course: Course, html_root: Path) -> list[str]:
    """Write a page for every meeting of every format the programme uses, and an index; the names
    written (as 'room/<name>'), for the guide's links to be checked against."""
    out = html_root / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    names, listing = ["room/index"], []
    for key in course.formats:
        table = course.timetable(key)
        items = []
        for n, meeting in enumerate(table.meetings, 1):
            name = slug(key, n)
            (out / f"{name}.html").write_text(page(course, table, meeting, phases(course, meeting, html_root)),
                                              encoding="utf-8")
            names.append(f"room/{name}")
            what = ", ".join(dict.fromkeys(course.module(s.session.module).full_title for s in meeting.slots if s.session))
            items.append(f"<li><a href='{name}.html'>{html.escape(meeting.name)}</a>: {html.escape(what)} "
                         f"({clock(meeting.start)} to {clock(meeting.end)}, {hm(meeting.end - meeting.start)})</li>")
        listing.append(f"<h2>{html.escape(table.title)}</h2><ul>{''.join(items)}</ul>")
    index = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="robots" content="noindex">\n<link rel="icon" href="data:,">\n'
             f"<title>To project: {html.escape(course.programme.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
             f"<h1>To project in the room</h1><p>One page for each session: the phase in large type with a countdown "
             f"of its minutes from the session plans, and the questions, criteria or grounding steps the room needs. "
             f"Nothing on these pages needs the network.</p>{''.join(listing)}\n</main>\n</body>\n</html>\n")
    (out / "index.html").write_text(index, encoding="utf-8")
    return names


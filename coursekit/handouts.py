"""Printable handouts for the seminar room, made from the course's own sources and built pages.

Nothing here is a second copy of course text. Role cards, drill cards and stage slips come from
the exercise notebooks' tagged cells; seminar handouts from the built module pages (objectives,
discussion questions, key points); the joining letter, forms, attendance record and certificates
from the programme, the modules' data and the formats' timetables. The instructor build writes
each handout as a print-ready HTML page into _build/instructor/html/handouts/ (the guide links
them); `coursekit handouts` prints them to _build/instructor/handouts/ as PDFs."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from . import notebooks
from .course import Course
from .exercises import INSTRUCTOR_ONLY_TAGS, Exercise
from .plans import hm
from .project import CourseError

FOLDER = "handouts"
CSS = """
@page { size: A4; margin: 16mm 16mm 18mm 16mm; @bottom-left { content: var(--foot); } }
@page { @bottom-left { content: "%(foot)s"; font: 8pt system-ui, sans-serif; color: #555; }
        @bottom-right { content: "Page " counter(page); font: 8pt system-ui, sans-serif; color: #555; } }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; color: #111; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 5mm 0 2mm; } h3 { font-size: 11.5pt; margin: 4mm 0 1mm; }
h1, h2, h3 { break-after: avoid; }
.sheet { break-after: page; } .sheet:last-child { break-after: auto; }
.card { border: 1px dashed #777; padding: 6mm; height: 128mm; overflow: hidden; break-inside: avoid; }
.cards { display: grid; grid-template-columns: 1fr; gap: 0; }
.cards .card { height: 128mm; border-width: 0.5px; font-size: 10.5pt; }
.role { text-transform: uppercase; letter-spacing: 0.08em; font-size: 9pt; font-weight: 700; }
.warning { font-weight: 700; }
.slip { border: 1px dashed #777; padding: 6mm; min-height: 120mm; break-inside: avoid; margin-bottom: 6mm; }
table { border-collapse: collapse; width: 100%%; } th, td { border: 1px solid #444; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
.lines { border-bottom: 1px solid #999; height: 9mm; }
.box { border: 1px solid #444; min-height: 28mm; padding: 2mm; margin-bottom: 3mm; }
.scale { display: flex; gap: 6mm; } .scale span { border: 1px solid #444; width: 9mm; height: 7mm; text-align: center; }
.certificate { text-align: center; border: 3px double #333; padding: 20mm 14mm; margin-top: 10mm; }
.certificate h1 { font-size: 26pt; } .certificate p { font-size: 13pt; }
.meta { color: #444; font-size: 9.5pt; }
.logo { display: block; max-height: 18mm; max-width: 60mm; margin: 0 0 4mm; } .certificate .logo { margin: 0 auto 6mm; }
a { color: inherit; text-decoration: none; }
@page seminar { margin: 10mm 11mm 13mm 11mm; }
.seminar { page: seminar; font-size: 7.9pt; line-height: 1.24; column-count: 2; column-gap: 6mm; }
.seminar h1 { font-size: 12.5pt; margin: 0 0 1mm; column-span: all; } .seminar > .meta { column-span: all; margin-bottom: 2mm; }
.seminar h2 { font-size: 9.5pt; margin: 2mm 0 0.8mm; } .seminar ol, .seminar ul { margin: 0; padding-left: 4.5mm; }
.seminar li { margin: 0 0 0.6mm; } .seminar p { margin: 0 0 0.8mm; }
.evaluation { font-size: 10pt; line-height: 1.3; } .evaluation h1 { font-size: 16pt; } .evaluation p { margin: 1.5mm 0; }
.evaluation .box { min-height: 24mm; margin-bottom: 1mm; } .evaluation td:last-child { width: 55%%; }
.evaluation td, .evaluation th { padding: 1mm 2mm; height: 7mm; } .evaluation .box, .evaluation table { break-inside: avoid; }
"""


@dataclass(frozen=True)
class Handout:
    """One printable handout: its file stem, title, what it is for, and its HTML body."""

    name: str
    title: str
    purpose: str
    body: str
    group: str


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render(markdown: str) -> str:
    """A notebook cell's Markdown as HTML for paper: citation links become their text."""
    text = re.sub(r"\[([^\]]+)\]\(cite:[^)]*\)", r"\1", markdown)
    return _md().render(text)


def _page(title: str, foot: str, sheets: list[str]) -> str:
    style = CSS % {"foot": foot.replace('"', "'")}
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(f'<section class="sheet">{s}</section>' for s in sheets) + "\n</main>\n</body>\n</html>\n")


def _cells(ex: Exercise) -> list:
    return list(ex.notebook().cells)


def exercise_handouts(ex: Exercise) -> list[tuple[str, str]]:
    """The handouts made from one exercise, as (name, title), read from its cells' tags."""
    tags = set().union(*(notebooks.tags(c) for c in _cells(ex)))
    found = []
    if tags & {"brief", "client-only"}:
        found.append((f"role-cards-{ex.id}", "role cards"))
    if "statement" in tags:
        found.append((f"drill-cards-{ex.id}", "drill cards"))
    if "stage" in tags:
        found.append((f"stage-slips-{ex.id}", "stage slips"))
    return found


# ------------------------------------------------------------------------------- role cards

def role_cards(course: Course, ex: Exercise) -> Handout | None:
    cells = _cells(ex)
    briefs: dict[str, dict[str, list[str]]] = {}
    observer = [notebooks.text(c) for c in cells if "observer" in notebooks.tags(c)]
    for cell in cells:
        tags = notebooks.tags(cell)
        brief = str(notebooks.cell_meta(cell).get("brief", ""))
        if brief and tags & {"brief", "client-only"}:
            part = "client" if "client-only" in tags else "all"
            briefs.setdefault(brief, {"all": [], "client": []})[part].append(notebooks.text(cell))
    if not briefs:
        return None
    sheets = []
    for brief, parts in briefs.items():
        shared = "".join(render(t) for t in parts["all"])
        secret = "".join(render(t) for t in parts["client"])
        head = f'<p class="meta">{html.escape(ex.title)} · brief {html.escape(brief)}</p>'
        sheets.append(f'{head}<p class="role">Therapist\'s card</p>{shared}'
                      '<p class="meta">Read only this card. Your aim is to notice what happens and respond to it, '
                      "not to perform a perfect repair.</p>")
        sheets.append(f'{head}<p class="role">Client\'s card</p><p class="warning">Only the person playing the client '
                      f"(and the observer) reads this card.</p>{shared}{secret}")
        sheets.append(f'{head}<p class="role">Observer\'s card</p><p class="warning">Do not show this card to the '
                      f"person playing the therapist.</p>{shared}{secret}"
                      + "".join(render(t) for t in observer))
    return Handout(f"role-cards-{ex.id}", f"Role cards: {ex.title}",
                   "one card per role and brief: therapist, client (with what only the client knows), observer "
                   "(with the checklist)", _page(f"Role cards: {ex.title}", course.programme.title, sheets), "role-play")


# ------------------------------------------------------------------------------- drill cards

def drill_cards(course: Course, ex: Exercise) -> Handout | None:
    cells = _cells(ex)
    criteria = _criteria_names("\n".join(notebooks.text(c) for c in cells if "criteria" in notebooks.tags(c)))
    cards = []
    for i, cell in enumerate(cells):
        if "statement" in notebooks.tags(cell):
            level = notebooks.cell_meta(cell).get("level", "")
            example = cells[i + 1] if i + 1 < len(cells) and "example" in notebooks.tags(cells[i + 1]) else None
            cards.append((level, notebooks.text(cell), notebooks.text(example) if example else ""))
    if not cards:
        return None
    sheets = []
    # two cards a page, one above the other; the next page holds their backs in the same places, so
    # that printed double-sided (flip on the long edge) each back lands behind its front
    for start in range(0, len(cards), 2):
        group = cards[start:start + 2]
        fronts = "".join(f'<div class="card"><p class="role">{html.escape(level.capitalize())} · card {start + n + 1}'
                         f'</p>{render(text)}<p class="meta">The partner reads this statement aloud, with some '
                         f"feeling. The back of the card is for the partner.</p></div>"
                         for n, (level, text, _) in enumerate(group))
        backs = "".join(f'<div class="card"><p class="role">Back of card {start + n + 1}: for the partner</p>'
                        f"{render(re.sub(r'^#+ .*', '', example, count=1, flags=re.M))}"
                        f'<p class="meta"><strong>A good response:</strong> {criteria}</p></div>'
                        for n, (level, text, example) in enumerate(group))
        sheets.append(f'<div class="cards">{fronts}</div>')
        sheets.append(f'<div class="cards">{backs}</div>')
    return Handout(f"drill-cards-{ex.id}", f"Drill cards: {ex.title}",
                   f"{len(cards)} statements, one a card, by level; criteria and example responses on the back "
                   "(print double-sided, flip on the long edge)",
                   _page(f"Drill cards: {ex.title}", course.programme.title, sheets), "drill")


def _criteria_names(markdown: str) -> str:
    """The criteria's short names: the bold lead of each item of the criteria list, in order."""
    names = []
    tokens = _md().parse(markdown)
    for n, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            inline = next((t for t in tokens[n:] if t.type == "inline"), None)
            children = [c for c in (inline.children or [] if inline else []) if c.type != "text" or c.content]
            if len(children) > 2 and children[0].type == "strong_open":
                names.append(children[1].content.strip().rstrip("."))
    return html.escape("; ".join(names)) + "." if names else ""


# ------------------------------------------------------------------------------- stage slips

def stage_slips(course: Course, ex: Exercise) -> Handout | None:
    cells = [c for c in _cells(ex) if not INSTRUCTOR_ONLY_TAGS & notebooks.tags(c)]
    slips: list[list[str]] = []
    collecting = False
    for cell in cells:
        tags, text = notebooks.tags(cell), notebooks.text(cell)
        if "stage" in tags:
            slips.append([text])
            collecting = True
        elif collecting and re.match(r"^#{1,2} ", text):
            collecting = False  # a new part of the notebook: the stage's questions have ended
        elif collecting and not tags & {"response", "example"}:
            slips[-1].append(text)  # model answers stay off the slips: the facilitator has them in the guide
    slips = [s for s in slips if s]
    if not slips:
        return None
    sheets = [f'<div class="slip"><p class="meta">{html.escape(ex.title)} · slip {n} of {len(slips)}</p>'
              + "".join(render(t) for t in parts) + "</div>" for n, parts in enumerate(slips, 1)]
    return Handout(f"stage-slips-{ex.id}", f"Stage slips: {ex.title}",
                   f"{len(slips)} slips, one stage each, to hand out one at a time",
                   _page(f"Stage slips: {ex.title}", course.programme.title, sheets), "case")


# ------------------------------------------------------------------------------- from the built pages

def _fragment(page: Path, selector: str) -> str:
    """The inner HTML of one element of a built page, links turned into plain text for paper."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one(selector)
    if found is None:
        raise CourseError(f"{page}: no {selector} to make a handout from")
    for a in found.find_all("a"):
        if "headerlink" in (a.get("class") or []):
            a.decompose()
        else:
            a.unwrap()
    for h in found.find_all(["h1", "h2"]):
        h.name = "h3"
    return "".join(str(c) for c in found.children)


def seminar_handout(course: Course, module, html_root: Path) -> Handout:
    index = html_root / "chapters" / module.key / "index.html"
    discussion = html_root / "chapters" / module.key / "discussion.html"
    objectives = _fragment(index, "div.objectives")
    questions = _fragment(discussion, "section#discussion-questions")
    key_points = _fragment(discussion, "section#key-points")
    body = (f"<div class='seminar'><h1>{html.escape(module.full_title)}</h1><p class='meta'>"
            f"{html.escape(course.programme.title)}: seminar handout</p><h2>Learning objectives</h2>" + objectives
            + questions.replace("<h3", "<h2", 1).replace("</h3>", "</h2>", 1)
            + key_points.replace("<h3", "<h2", 1).replace("</h3>", "</h2>", 1) + "</div>")
    return Handout(f"seminar-{module.key}", f"Seminar handout: {module.full_title}",
                   "one page of objectives, discussion questions and key points",
                   _page(f"Seminar handout: {module.full_title}", course.programme.title, [body]), "module")


# ------------------------------------------------------------------------------- support, letter, forms

def _contacts(course: Course) -> str:
    rows = []
    for label, contact in course.programme.contacts():
        if contact:
            extra = f" ({html.escape(contact['hours'])})" if contact.get("hours") else ""
            rows.append(f"<tr><th>{label}</th><td>{html.escape(contact['name'])}<br>{html.escape(contact['contact'])}"
                        f"{extra}</td></tr>")
        else:
            rows.append(f"<tr><th>{label}</th><td><div class='lines'></div><div class='lines'></div></td></tr>")
    rows.append("<tr><th>Emergency services</th><td>Your local emergency number; in the UK, 999 or 112</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _logo(course: Course) -> str:
    """The programme's logo at the head of a letter, sheet or certificate (the build copies it into _static)."""
    prog = course.programme
    if not prog.logo:
        return ""
    return (f"<img class='logo' src='../_static/{html.escape(prog.logo.name)}' "
            f"alt='{html.escape(prog.institution or prog.title)}'>")


def support_sheet(course: Course) -> Handout:
    orientation = course.every_module.get("orientation")
    steps = orientation.content_note["grounding"] if orientation else []
    body = (_logo(course) + f"<h1>Grounding and support</h1><p class='meta'>{html.escape(course.programme.title)}"
            + (f", {html.escape(course.programme.institution)}" if course.programme.institution else "") + "</p>"
            "<h2>If something stirs you up</h2><ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in steps) + "</ol>"
            "<p>Clinical material goes to your supervisor; your own history to your personal therapy. If you feel "
            "unsafe, or cannot keep yourself safe, contact emergency services now and tell someone near you.</p>"
            "<h2>Where to get support</h2>" + _contacts(course) +
            "<h2>My own support</h2><p>Supervisor:</p><div class='lines'></div><p>Personal therapist, or how I would "
            "find one:</p><div class='lines'></div><p>Someone I can talk to outside the profession:</p>"
            "<div class='lines'></div>")
    return Handout("support-sheet", "Grounding and support sheet",
                   "grounding steps and where to get support, with the programme's contacts or blanks to fill in",
                   _page("Grounding and support", course.programme.title, [body]), "course")


def joining_letter(course: Course) -> Handout:
    prog = course.programme
    modules = "".join(f"<li><strong>{html.escape(m.full_title)}.</strong> {html.escape(m.content_note['text'])}</li>"
                      for m in course.modules)
    body = (_logo(course) + f"<p class='meta'>{html.escape(prog.institution or prog.title)}</p><h1>Joining {html.escape(prog.title)}</h1>"
            "<p>Dear <span style='display:inline-block;width:60mm;border-bottom:1px solid #999'></span>,</p>"
            f"<p>Welcome to <em>{html.escape(prog.title)}</em>, a course on therapeutic failure, rupture and repair, "
            "and shame. This letter says what to expect, so that you can prepare and choose how you take part.</p>"
            "<h2>What to expect</h2><p>Each module has reading, guided exercises and discussion. Some exercises are "
            "done in the seminar, in pairs or threes; others privately, in your own time. Nobody is asked to "
            "disclose anything they do not choose to, and you can pass in any round, exercise or role-play without "
            "giving a reason.</p><h2>What the modules may stir</h2><ul>" + modules + "</ul>"
            "<h2>Before the first session</h2><ul><li>Read the orientation pages and the learning agreement.</li>"
            "<li>Check that you have regular supervision, and know how you would find a personal therapist.</li>"
            "<li>Tell the facilitator privately of anything that would help you take part, such as an exercise "
            "you would rather observe.</li></ul><h2>Where to get support</h2>" + _contacts(course) +
            "<p>With best wishes,</p><div class='lines' style='width:70mm'></div>")
    return Handout("joining-letter", "Joining letter", "sent before the course: what to expect, content notes, "
                   "opt-outs and where to get support", _page("Joining letter", prog.title, [body]), "course")


def _scale(question: str) -> str:
    return (f"<p>{html.escape(question)}</p><div class='scale'>" + "".join(f"<span>{n}</span>" for n in range(1, 6))
            + "</div><p class='meta'>1 = not at all, 5 = very much</p>")


def session_evaluation(course: Course) -> Handout:
    body = ("<h1>Session evaluation</h1><p class='meta'>" + html.escape(course.programme.title) + " · anonymous · "
            "Module: ____________________ Date: ____________</p>"
            + _scale("The session helped me understand the module's ideas.")
            + _scale("I felt able to take part, or to pass, as I chose.")
            + _scale("The exercises were paced so that I could stay with them.")
            + "<p>What was most useful?</p><div class='box'></div><p>What would you change?</p><div class='box'></div>"
            "<p>Anything you would like the facilitator to know (about this session, not about clients)?</p>"
            "<div class='box'></div>")
    return Handout("session-evaluation", "Session evaluation form", "a one-page anonymous form for the end of a session",
                   _page("Session evaluation", course.programme.title, [body]), "course")


def course_evaluation(course: Course) -> Handout:
    rows = "".join(f"<tr><td>{html.escape(m.full_title)}</td><td></td><td></td></tr>" for m in course.modules)
    body = ("<div class='evaluation'><h1>End-of-course evaluation</h1><p class='meta'>" + html.escape(course.programme.title) + " · anonymous</p>"
            + _scale("Overall, the course changed how I think about failure in therapy.")
            + _scale("I am more able to notice a rupture and respond to it.")
            + _scale("I am more able to bring a failure to supervision.")
            + "<h2>Each module</h2><table><tr><th>Module</th><th>Useful (1-5)</th><th>Comment</th></tr>" + rows
            + "</table><p>What will you take into your practice?</p><div class='box'></div>"
            "<p>What should the course change?</p><div class='box'></div></div>")
    return Handout("course-evaluation", "End-of-course evaluation form", "an anonymous form for the last session",
                   _page("End-of-course evaluation", course.programme.title, [body]), "course")


def attendance_record(course: Course, fmt: str) -> Handout:
    table = course.timetable(fmt)
    meetings = table.meetings
    head = "".join(f"<th>{html.escape(m.name)}</th>" for m in meetings)
    rows = "".join("<tr><td style='height:9mm'></td>" + "<td></td>" * len(meetings) + "</tr>" for _ in range(14))
    body = (f"<h1>Attendance record: {html.escape(table.title)}</h1><p class='meta'>{html.escape(course.programme.title)}"
            f" · contact time {hm(table.contact)} in {len(meetings)} "
            f"{'session' if table.meetings and len(table.meetings[0].slots) == 1 else 'day'}{'' if len(meetings) == 1 else 's'} · "
            "initial each session attended</p><table><tr><th>Name</th>" + head + "</tr>" + rows + "</table>")
    return Handout(f"attendance-{fmt}", f"Attendance record: {table.title}", "names down the side, sessions across",
                   _page(f"Attendance: {table.title}", course.programme.title, [body]), "format")


def certificate(course: Course, fmt: str) -> Handout:
    table = course.timetable(fmt)
    prog = course.programme
    body = (f"<div class='certificate'>{_logo(course)}<p class='meta'>{html.escape(prog.institution)}</p>"
            "<h1>Certificate of attendance</h1><p>This is to certify that</p>"
            "<p style='border-bottom:1px solid #333;height:12mm;margin:6mm 20mm'></p>"
            f"<p>attended <em>{html.escape(prog.title)}</em> ({html.escape(table.title)}),</p>"
            f"<p><strong>{hm(table.contact)} of contact time</strong>"
            + (f" ({', '.join(html.escape(course.module(k).full_title) for k in table.modules)})" if table.modules else "")
            + "</p><p>Dates: ______________________</p><p style='margin-top:16mm'>Signed: ________________________ "
            "Facilitator</p></div>")
    return Handout(f"certificate-{fmt}", f"Certificate of attendance: {table.title}",
                   f"shows the {hm(table.contact)} of contact time of this format",
                   _page(f"Certificate: {table.title}", prog.title, [body]), "format")


# ------------------------------------------------------------------------------- all of them

def handouts(course: Course, html_root: Path) -> list[Handout]:
    """Every handout for the programme, in the order the index lists them."""
    found: list[Handout] = [joining_letter(course), support_sheet(course)]
    for module in course.modules:
        found.append(seminar_handout(course, module, html_root))
    for ex in course.exercises:
        for make in (role_cards, drill_cards, stage_slips):
            handout = make(course, ex)
            if handout:
                found.append(handout)
    found += [session_evaluation(course), course_evaluation(course)]
    for fmt in course.formats:
        found += [attendance_record(course, fmt), certificate(course, fmt)]
    from .runsheets import handouts as run_sheets

    found += run_sheets(course)
    return found


def write_html(course: Course, html_root: Path) -> list[Handout]:
    """Write every handout, and an index of them, into the built instructor site."""
    out = html_root / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    made = handouts(course, html_root)
    for handout in made:
        (out / f"{handout.name}.html").write_text(handout.body, encoding="utf-8")
    items = "".join(f"<li><a href='{h.name}.html'>{html.escape(h.title)}</a>: {html.escape(h.purpose)}</li>" for h in made)
    index = _page(f"Handouts: {course.programme.title}", course.programme.title,
                  [f"<h1>Handouts</h1><p>Print-ready pages for the seminar room, made from the course's sources. "
                   f"Each prints on A4; <code>coursekit handouts</code> prints them all as PDFs.</p><ul>{items}</ul>"])
    (out / "index.html").write_text(index, encoding="utf-8")
    return made


def print_all(root: Path, course: Course, paper: str = "a4", only: tuple[str, ...] = ()) -> list[Path]:
    """Print every handout page of the built instructor site (or only those named) to
    _build/instructor/handouts/."""
    from .printing import browser, print_file

    html_root = root / "_build" / "instructor" / "html"
    if not (html_root / FOLDER / "index.html").is_file():
        raise CourseError(f"{html_root / FOLDER}: no handouts yet: build the instructor edition first")
    chosen = handouts(course, html_root)
    if only:
        names = [h.name for h in chosen]
        unknown = [n for n in only if n not in names]
        if unknown:
            raise CourseError(f"no handout called {', '.join(map(repr, unknown))}: the handouts are "
                              f"{', '.join(names)}")
        chosen = [h for h in chosen if h.name in only]
    target = root / "_build" / "instructor" / FOLDER
    if not only:  # a full printing replaces the folder, so no handout of another programme stays in it
        for old in target.glob("*.pdf"):
            old.unlink()
    made = []
    with browser() as b:
        for handout in chosen:
            out = target / f"{handout.name}.pdf"
            prog = course.programme
            print_file(b, html_root / FOLDER / f"{handout.name}.html", out, paper=paper,
                       info={"title": f"{handout.title}: {prog.title}", "author": prog.institution or prog.author,
                             "subject": handout.purpose, "creator": f"coursekit {prog.version}", "lang": "en-GB"})
            made.append(out)
    return made


def today() -> str:
    return dt.date.today().strftime("%-d %B %Y")

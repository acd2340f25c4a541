"""Printable handouts for the seminar room, made from the course's own sources and built pages.

Nothing here is a second copy of course text. Role cards, drill cards and stage slips come from
the exercise notebooks' tagged cells; seminar handouts from the built module pages (objectives,
discussion questions, key points); the joining letters, forms, attendance registers and
certificates from the programme file, the modules' data and the formats' timetables. The
instructor build writes each handout as a print-ready HTML page into
_build/instructor/html/handouts/ (the guide links them); `coursekit handouts` prints them to
_build/instructor/handouts/ as PDFs.

Paper: cards are laid out on a fixed grid of A4 (two or four to a sheet) with dashed cut lines; a
card's box never grows, so what it holds is set to fit (tests/test_handouts.py measures every card
in the browser). Drill cards print double-sided, flipped on the long edge: each sheet of fronts is
followed by its backs, mirrored on a two-column grid so that every back lands behind its front."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from . import notebooks
from .course import Course
from .exercises import INSTRUCTOR_ONLY_TAGS, Exercise
from .plans import clock, hm
from .project import CourseError

FOLDER = "handouts"
CSS = """
@page { size: A4; margin: 16mm 16mm 18mm 16mm; }
@page { @bottom-left { content: "%(foot)s"; font: 8pt system-ui, sans-serif; color: #555; }
        @bottom-right { content: "Page " counter(page); font: 8pt system-ui, sans-serif; color: #555; } }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; color: #111; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 5mm 0 2mm; } h3 { font-size: 11.5pt; margin: 4mm 0 1mm; }
h1, h2, h3 { break-after: avoid; }
.sheet { break-after: page; } .sheet:last-child { break-after: auto; }
.role { text-transform: uppercase; letter-spacing: 0.08em; font-size: 9pt; font-weight: 700; margin: 0 0 1.5mm; }
.warning { font-weight: 700; }
.slip { border: 1px dashed #777; padding: 6mm; min-height: 120mm; break-inside: avoid; margin-bottom: 6mm; }
table { border-collapse: collapse; width: 100%%; } th, td { border: 1px solid #444; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
.lines { border-bottom: 1px solid #999; height: 9mm; }
.blank { display: inline-block; min-width: 60mm; border-bottom: 1px solid #999; }
.box { border: 1px solid #444; min-height: 28mm; padding: 2mm; margin-bottom: 3mm; }
.scale { display: flex; gap: 6mm; } .scale span { border: 1px solid #444; width: 9mm; height: 7mm; text-align: center; }
.meta { color: #444; font-size: 9.5pt; }
.logo { display: block; max-height: 18mm; max-width: 60mm; margin: 0 0 4mm; }
a { color: inherit; text-decoration: none; }
@page seminar { margin: 10mm 11mm 13mm 11mm; }
.seminar { page: seminar; font-size: 7.9pt; line-height: 1.24; column-count: 2; column-gap: 6mm; }
.seminar h1 { font-size: 12.5pt; margin: 0 0 1mm; column-span: all; } .seminar > .meta { column-span: all; margin-bottom: 2mm; }
.seminar h2 { font-size: 9.5pt; margin: 2mm 0 0.8mm; } .seminar ol, .seminar ul { margin: 0; padding-left: 4.5mm; }
.seminar li { margin: 0 0 0.6mm; } .seminar p { margin: 0 0 0.8mm; }
.evaluation { font-size: 10pt; line-height: 1.3; } .evaluation h1 { font-size: 16pt; } .evaluation p { margin: 1.5mm 0; }
.evaluation .box { min-height: 24mm; margin-bottom: 1mm; } .evaluation td:last-child { width: 55%%; }
.evaluation td, .evaluation th { padding: 1mm 2mm; height: 7mm; } .evaluation .box, .evaluation table { break-inside: avoid; }

/* sheets of cards to cut: a fixed grid on A4, no running foot (the head line names the sheet) */
@page cards { margin: 8mm 10mm; @bottom-left { content: none; } @bottom-right { content: none; } }
.cutsheet { page: cards; }
.sheet-head { display: flex; gap: 3mm; font-size: 7.8pt; font-weight: 400; line-height: 1.2; color: #444;
  margin: 0 0 1.5mm; height: 4.5mm; white-space: nowrap; }
.sheet-head span { overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.sheet-head strong { flex: none; color: #111; font-weight: 700; }
.grid { display: grid; position: relative; width: 190mm; border-top: 0.3mm dashed #777; border-left: 0.3mm dashed #777; }
.grid-2 { grid-template-columns: 95mm 95mm; grid-auto-rows: 136mm; }
.grid-1 { grid-template-columns: 190mm; grid-auto-rows: 136mm; }
.card { border-right: 0.3mm dashed #777; border-bottom: 0.3mm dashed #777; padding: 4mm 4.5mm; overflow: hidden;
  font-size: 9.5pt; line-height: 1.32; display: flex; flex-direction: column; }
.card > * { flex: none; } .card p, .card ul, .card ol { margin: 0 0 1.6mm; } .card ul, .card ol { padding-left: 4.5mm; }
.card h2 { font-size: 11pt; margin: 0 0 1.5mm; } .card h3 { font-size: 10pt; margin: 2mm 0 1mm; }
.card .card-head { display: flex; justify-content: space-between; gap: 3mm; font-size: 7.5pt; color: #444;
  text-transform: uppercase; letter-spacing: 0.06em; margin-bottom: 2mm; }
.card .card-head strong { color: #111; white-space: nowrap; }
.scissors { position: absolute; width: 4.6mm; height: 4.6mm; background: #fff; }
.drill .statement { font-size: 9.6pt; line-height: 1.28; }
.drill .examples { font-size: 7.5pt; line-height: 1.25; border-top: 0.3mm solid #999; padding-top: 1.5mm; }
.drill .examples p, .drill .examples ul { margin-bottom: 1mm; } .drill .examples li { margin-bottom: 0.6mm; }
.drill .criteria { font-size: 7.5pt; line-height: 1.25; margin-top: auto; margin-bottom: 0; }
.drill.dense .statement { font-size: 9pt; } .drill.dense .examples, .drill.dense .criteria { font-size: 7pt; }
.card.wide { grid-column: span 2; }
.practising { justify-content: center; text-align: center; }
.practising .level { font-size: 20pt; font-weight: 700; margin: 0 0 1mm; }
.practising .number { font-size: 12pt; margin: 0 0 6mm; }
.practising ul { list-style: none; padding: 0; font-size: 9.5pt; } .practising li { margin: 0 0 1mm; }
.role-card { font-size: 9.6pt; line-height: 1.3; }
.role-card .warning { font-size: 9pt; }

/* the observer's sheet: one page, the brief above, the checklist's rows sharing what is left of it */
@page observer { margin: 9mm 11mm 11mm; }
.observer-sheet { page: observer; height: 276mm; display: flex; flex-direction: column; overflow: hidden;
  font-size: 8.3pt; line-height: 1.22; }
.observer-sheet > * { flex: none; } .observer-sheet p { margin: 0 0 1.2mm; }
.observer-sheet .brief { column-count: 2; column-gap: 6mm; font-size: 7.6pt; line-height: 1.2; border: 0.3mm solid #999;
  padding: 2mm 3mm; margin-bottom: 2mm; }
.observer-sheet .brief h2 { font-size: 9pt; margin: 0 0 1mm; } .observer-sheet .brief h3 { font-size: 8.4pt; margin: 1.5mm 0 0.8mm; }
.observer-sheet .brief p, .observer-sheet .brief ul { margin: 0 0 1mm; } .observer-sheet .brief ul { padding-left: 4mm; }
.observer-sheet h2 { font-size: 10.5pt; margin: 1mm 0; }
.observer-sheet table { flex: 1 1 auto; margin-bottom: 1.5mm; height: 10mm; }
.observer-sheet th, .observer-sheet td { padding: 0.8mm 1.6mm; }
.observer-sheet th:last-child, .observer-sheet td:last-child { width: 52%%; }
.observer-sheet tr { break-inside: avoid; }

/* the attendance register: landscape */
@page register { size: A4 landscape; margin: 11mm 12mm 13mm; }
.register { page: register; font-size: 9pt; line-height: 1.2; }
.register h1 { font-size: 14pt; margin: 0 0 1mm; } .register .meta { margin: 0 0 2.5mm; }
.register th { font-size: 8.5pt; vertical-align: bottom; } .register th .date { display: block; font-weight: 400; }
.register th .write { height: 4.5mm; border-bottom: 1px solid #999; }
.register td { height: 7.4mm; padding: 0 1.5mm; vertical-align: middle; } .register .name { width: 62mm; }
.register td.name { color: #555; font-size: 7pt; } .register tr { break-inside: avoid; }
.register .many td { height: 6.1mm; }
.register thead { display: table-header-group; }

/* certificates: one page each, with no running foot and no page number */
@page certificate { margin: 14mm; @bottom-left { content: none; } @bottom-right { content: none; } }
.certificate-page { page: certificate; }
.certificate { text-align: center; border: 3px double #333; padding: 14mm 16mm; height: 267mm; display: flex;
  flex-direction: column; justify-content: space-between; }
.certificate h1 { font-size: 26pt; margin: 2mm 0 4mm; } .certificate p { font-size: 12.5pt; margin: 0 0 3mm; }
.certificate .logo { margin: 0 auto 3mm; } .certificate .provider { font-size: 13pt; font-weight: 700; }
.certificate .name-line { border-bottom: 1px solid #333; height: 12mm; margin: 3mm 18mm 5mm; }
.certificate .modules { list-style: none; padding: 0; margin: 0 0 3mm; font-size: 11pt; }
.certificate .cpd { font-size: 10pt; color: #333; margin: 2mm 6mm; }
.certificate .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; text-align: left; font-size: 10pt; }
.certificate .signatures div { border-top: 1px solid #333; padding-top: 1.5mm; margin-top: 14mm; }

/* letters */
.letter { font-size: 10pt; line-height: 1.33; } .letter h1 { font-size: 17pt; margin-bottom: 3mm; }
.letter h2 { font-size: 11.5pt; margin: 3.2mm 0 1.2mm; } .letter .sign-off { break-inside: avoid; }
.letter ul { margin: 0 0 2mm; padding-left: 5mm; } .letter li { margin-bottom: 1mm; } .letter p { margin: 0 0 2mm; }
.letter table { break-inside: avoid; } .letter td, .letter th { padding: 1mm 2mm; }
.letter .when { margin-bottom: 2mm; } .letter .when th { width: 38mm; white-space: nowrap; }
.letter .lines { height: 7mm; }
.letter .schedule td, .letter .schedule th { font-size: 9pt; padding: 0.6mm 2mm; white-space: nowrap; }
.letter .schedule td:last-child { white-space: normal; width: 100%%; }
"""
SCISSORS = ('<svg class="scissors" aria-hidden="true" focusable="false" viewBox="0 0 24 24" style="%s">'
            '<g fill="none" stroke="#444" stroke-width="1.8"><circle cx="5" cy="6" r="3"/><circle cx="5" cy="18" r="3"/>'
            '<path d="M7.6 7.6 22 17.5M7.6 16.4 22 6.5"/></g></svg>')
DATE = "%-d %B %Y"
SHORT_DATE = "%a %-d %b %Y"


@dataclass(frozen=True)
class Handout:
    """One printable handout: its file stem, title, what it is for, its HTML body, and for a
    register the same as a CSV file."""

    name: str
    title: str
    purpose: str
    body: str
    group: str
    csv: str = ""


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render(markdown: str) -> str:
    """A notebook cell's Markdown as HTML for paper: citation links become their text."""
    text = re.sub(r"\[([^\]]+)\]\(cite:[^)]*\)", r"\1", markdown)
    return _md().render(text)


def _page(title: str, foot: str, sheets: list[str], css: str = "") -> str:
    """A handout's HTML page: each sheet a section that ends its page (a sheet given as a
    <section> of its own keeps its classes); ``css``: style of the handout's own."""
    style = CSS % {"foot": foot.replace('"', "'")} + css
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(s if s.startswith("<section") else f'<section class="sheet">{s}</section>' for s in sheets)
            + "\n</main>\n</body>\n</html>\n")


def _sheet_head(first: bool, title: str, how: str) -> str:
    """The thin line at the top of a sheet of cards: how to print and cut it, then the handout's title
    (the page's heading on the first sheet), shortened to fit the line if need be."""
    tag = "h1" if first else "p"
    return f'<{tag} class="sheet-head"><strong>{how}</strong><span>{html.escape(title)}</span></{tag}>'


def _grid(cells: list[str], columns: int, rows: int) -> str:
    """One sheet's cards on a fixed grid, rows of 136 mm (empty places kept, so that fronts and backs
    stay in step), with a pair of scissors on each cut."""
    cuts = "".join(SCISSORS % f"top:calc({136 * row}mm - 2.3mm);left:3mm" for row in range(1, rows))
    if columns == 2:  # and at the head of the cut down the middle
        cuts += SCISSORS % "top:3mm;left:calc(95mm - 2.3mm);transform:rotate(90deg)"
    return f'<div class="grid grid-{columns}">{cuts}{"".join(cells)}</div>'


def _cut_sheet(head: str, grid: str, kind: str) -> str:
    return f'<section class="sheet cutsheet {kind}">{head}{grid}</section>'


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
    """For each brief a sheet of two cards (the therapist's, the client's) and the observer's sheet."""
    cells = _cells(ex)
    briefs: dict[str, dict[str, list[str]]] = {}
    observer = "".join(render(notebooks.text(c)) for c in cells if "observer" in notebooks.tags(c))
    for cell in cells:
        tags = notebooks.tags(cell)
        brief = str(notebooks.cell_meta(cell).get("brief", ""))
        if brief and tags & {"brief", "client-only"}:
            part = "client" if "client-only" in tags else "all"
            briefs.setdefault(brief, {"all": [], "client": []})[part].append(notebooks.text(cell))
    if not briefs:
        return None
    title = f"Role cards: {ex.title}"
    sheets = []
    for n, (brief, parts) in enumerate(briefs.items()):
        shared = "".join(render(t) for t in parts["all"])
        secret = "".join(render(t) for t in parts["client"])
        therapist = (f'<div class="card role-card"><p class="card-head"><strong>Therapist\'s card</strong>'
                     f"<span>Brief {html.escape(brief)}</span></p>{shared}"
                     '<p class="meta">Read only this card. Your aim is to notice what happens and respond to it, '
                     "not to perform a perfect repair.</p></div>")
        client = (f'<div class="card role-card"><p class="card-head"><strong>Client\'s card</strong>'
                  f'<span>Brief {html.escape(brief)}</span></p><p class="warning">Only the person playing the client '
                  f"(and the observer) reads this card.</p>{shared}{secret}</div>")
        head = _sheet_head(n == 0, title, f"Print single-sided; cut on the dashed line · Brief {html.escape(brief)}: "
                           "the therapist's card and the client's card")
        sheets.append(_cut_sheet(head, _grid([therapist, client], 1, 2), "roles"))
        if observer:
            sheets.append(f'<section class="sheet observer-sheet"><p class="role">Observer\'s sheet · '
                          f"{html.escape(ex.title)} · brief {html.escape(brief)}</p><p class=\"warning\">Do not show "
                          f'this sheet to the person playing the therapist.</p><div class="brief">{shared}{secret}</div>'
                          f"{_checklist(observer)}</section>")
    return Handout(f"role-cards-{ex.id}", title,
                   f"for each of the {len(briefs)} briefs a sheet with the therapist's and the client's card (cut in "
                   "two) and the observer's sheet (both parts of the brief and the checklist, with room to write)",
                   _page(title, course.programme.title, sheets), "role-play")


def _checklist(markdown_html: str) -> str:
    """The observer's checklist with its tables sharing the page's free height by their number of rows."""
    soup = BeautifulSoup(markdown_html, "html.parser")
    for table in soup.find_all("table"):
        rows = len(table.select("tbody tr")) or 1
        table["style"] = f"flex-grow: {rows}"
    return str(soup)


# ------------------------------------------------------------------------------- drill cards

# A card's text is set to fit its A6 box before printing, by an estimate of its height: lines of each
# paragraph and list item at the characters a line holds, times the line's height (mm), and a fixed
# part for the card's head, padding and rules. Measured in Chromium for every card of every drill,
# the estimate is within 7 mm of the height laid out, so a card's text may take ROOM of the card's 136.
CARD_TYPE = {"": (44, 4.33, 60, 3.31), "dense": (47, 4.06, 64, 3.09)}  # statement, then examples and criteria
ROOM = 128
LISTEN_FOR = "After the response, say which of these it met:"


def card_size(statement: str, example: str, criteria: str) -> str:
    """How a drill card is set: '' (A6, the cards' usual type), 'dense' (A6, smaller type) or 'wide'
    (a whole row of the sheet, A5) for one whose text would not fit a quarter of it."""
    examples = _blocks(example)
    for size, (s_chars, s_line, e_chars, e_line) in CARD_TYPE.items():
        height = (17 + s_line * _lines(_blocks(statement), s_chars) + len(examples)
                  + e_line * (_lines(examples, e_chars) + _lines([f"{LISTEN_FOR} {criteria}"], e_chars)))
        if height <= ROOM:
            return size
    return "wide"


def _blocks(markdown: str) -> list[str]:
    """A card's paragraphs and list items as plain text (the examples' heading left out, as on the card)."""
    text = re.sub(r"[*_`>]", "", re.sub(r"^#+ .*", "", markdown, count=1, flags=re.M))
    return [" ".join(item.split()) for para in re.split(r"\n\s*\n", text)
            for item in re.split(r"\n(?=\s*(?:[-*]|\d+\.) )", para) if item.strip()]


def _lines(blocks: list[str], chars: int) -> int:
    return sum(-(-len(b) // chars) for b in blocks)


def drill_rows(sizes: list[str]) -> list[list[int]]:
    """The cards (by index) in the rows of a two-column grid, in order: two A6 cards a row, or one wide
    card alone (an A6 card before it keeps its row to itself)."""
    rows: list[list[int]] = []
    for n, size in enumerate(sizes):
        if size == "wide" or not rows or len(rows[-1]) == 2 or sizes[rows[-1][0]] == "wide":
            rows.append([])
        rows[-1].append(n)
    return rows


def drill_cards(course: Course, ex: Exercise) -> Handout | None:
    """One statement a card, four to a sheet. The partner, who plays the client, holds the card: the
    side facing them has the statement to read aloud, the example responses and the criteria; the side
    facing the person practising has only the level, the card's number and the criteria's short names."""
    cells = _cells(ex)
    names = _criteria_list("\n".join(notebooks.text(c) for c in cells if "criteria" in notebooks.tags(c)))
    criteria = "; ".join(names) + "." if names else ""
    cards = []
    for i, cell in enumerate(cells):
        if "statement" in notebooks.tags(cell):
            level = str(notebooks.cell_meta(cell).get("level", "")).capitalize()
            follows = cells[i + 1] if i + 1 < len(cells) else None
            example = notebooks.text(follows) if follows and "example" in notebooks.tags(follows) else ""
            cards.append((level, notebooks.text(cell), example, card_size(notebooks.text(cell), example, criteria)))
    if not cards:
        return None
    listed = "".join(f"<li>{html.escape(c)}</li>" for c in names)
    partner = [f'<div class="card drill partner {size}"><p class="card-head"><strong>Card {n} · {html.escape(level)}'
               f"</strong><span>Partner's side</span></p><div class=\"statement\">{render(statement)}</div>"
               f'<div class="examples">{render(re.sub(r"^#+ .*", "", example, count=1, flags=re.M))}</div>'
               f'<p class="criteria"><strong>{LISTEN_FOR}</strong> {html.escape(criteria)}</p></div>'
               for n, (level, statement, example, size) in enumerate(cards, 1)]
    practising = [f'<div class="card drill practising {size}"><p class="level">{html.escape(level)}</p>'
                  f'<p class="number">Card {n}</p>'
                  + (f"<p><strong>A good response:</strong></p><ul>{listed}</ul>" if names else "") + "</div>"
                  for n, (level, _, _, size) in enumerate(cards, 1)]
    rows = drill_rows([size for *_, size in cards])
    title = f"Drill cards: {ex.title}"
    count = -(-len(rows) // 2)
    blank = '<div class="card blank"></div>'
    sheets = []
    for s_n, start in enumerate(range(0, len(rows), 2), 1):
        fronts, backs = [], []
        for row in rows[start:start + 2]:
            pad = [blank] * (2 - len(row)) if cards[row[0]][3] != "wide" else []
            fronts += [partner[n] for n in row] + pad
            backs += list(reversed([practising[n] for n in row] + pad))  # turned over on the long edge
        how = f"Print double-sided, flip on the long edge; cut on the dashed lines · Sheet {s_n} of {count}"
        height = len(rows[start:start + 2])
        sheets.append(_cut_sheet(_sheet_head(s_n == 1, title, f"{how}, front: the partner's side"),
                                 _grid(fronts, 2, height), "drill-sheet"))
        sheets.append(_cut_sheet(_sheet_head(False, title, f"{how}, back: faces the person practising"),
                                 _grid(backs, 2, height), "drill-sheet"))
    return Handout(f"drill-cards-{ex.id}", title,
                   f"{len(cards)} statements, one a card, four cards a sheet (a long one takes a row); the partner "
                   "holds the card: statement, example responses and criteria on their side, the level and the "
                   "criteria's names on the side facing the person practising (print double-sided, flip on the long "
                   "edge)", _page(title, course.programme.title, sheets), "drill")


def _criteria_list(markdown: str) -> list[str]:
    """The criteria's short names: the bold lead of each item of the criteria list, in order."""
    names = []
    tokens = _md().parse(markdown)
    for n, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            inline = next((t for t in tokens[n:] if t.type == "inline"), None)
            children = [c for c in (inline.children or [] if inline else []) if c.type != "text" or c.content]
            if len(children) > 2 and children[0].type == "strong_open":
                names.append(children[1].content.strip().rstrip("."))
    return names


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

def _contacts(course: Course, lines: int = 2) -> str:
    """The programme's support contacts as a table, with ``lines`` to write on for each one not set."""
    rows = []
    for label, contact in course.programme.contacts():
        if contact:
            extra = f" ({html.escape(contact['hours'])})" if contact.get("hours") else ""
            rows.append(f"<tr><th>{label}</th><td>{html.escape(contact['name'])}<br>{html.escape(contact['contact'])}"
                        f"{extra}</td></tr>")
        else:
            rows.append(f"<tr><th>{label}</th><td>" + "<div class='lines'></div>" * lines + "</td></tr>")
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


def _dates(course: Course, fmt: str) -> list[dt.date]:
    """The date of each meeting of the format, from the programme file's run details ([] when unset)."""
    return course.programme.run(fmt).meeting_dates([m.day for m in course.timetable(fmt).meetings])


def _when(dates: list[dt.date]) -> str:
    """The dates of a run in words: 'on 6 March 2027', 'on 6 and 7 March 2027' or 'from ... to ...'."""
    if not dates:
        return ""
    if len(dates) == 1:
        return f"on {dates[0].strftime(DATE)}"
    if len(dates) == 2 and dates[1] - dates[0] == dt.timedelta(days=1) and dates[0].month == dates[1].month:
        return f"on {dates[0].day} and {dates[1].strftime(DATE)}"
    return f"from {dates[0].strftime(DATE)} to {dates[-1].strftime(DATE)}"


def _lower_first(title: str) -> str:
    """A format's title inside a sentence: 'Weekend intensive' as 'weekend intensive'."""
    return title[:1].lower() + title[1:]


def _blank(width: int = 60) -> str:
    return f"<span class='blank' style='min-width:{width}mm'></span>"


def _filled(value: str, width: int = 90) -> str:
    return html.escape(value) if value else _blank(width)


def joining_letter(course: Course, fmt: str) -> Handout:
    """The letter to send before a run of the format: when and where, filled from the programme file's
    run details (blanks to write in where none are set), and the content notes of the format's modules."""
    prog = course.programme
    table = course.timetable(fmt)
    run = prog.run(fmt)
    dates = _dates(course, fmt)
    rows = []  # (day, row): the meetings, and a weekly format's weeks without a session
    for n, meeting in enumerate(table.meetings):
        modules = list(dict.fromkeys(s.session.module for s in meeting.slots if s.session))
        what = "; ".join(course.module(k).full_title for k in modules)
        date = dates[n].strftime(SHORT_DATE) if n < len(dates) else ""
        rows.append((meeting.day, f"<tr><th scope='row'>{html.escape(meeting.name)}</th>"
                                  f"<td>{html.escape(date) or _blank(28)}</td><td>{clock(meeting.start)}–"
                                  f"{clock(meeting.end)}</td><td>{html.escape(what)}</td></tr>"))
    for week, _ in table.gaps:
        date = (run.first_date + dt.timedelta(weeks=week - 1)).strftime(SHORT_DATE) if run.first_date else ""
        rows.append((7 * (week - 1), f"<tr><th scope='row'>Week {week}</th><td>{date}</td><td></td>"
                                     "<td>No session this week</td></tr>"))
    meetings = [row for _, row in sorted(rows, key=lambda r: r[0])]
    web = (f"<a href='{html.escape(run.web)}'>{html.escape(run.web)}</a>" if run.web else _blank(90))
    span = _when(dates)
    when = (f"<table class='when'><tr><th scope='row'>Dates</th><td>{html.escape(span[:1].upper() + span[1:]) or _blank(90)}"
            "</td></tr>"
            f"<tr><th scope='row'>Venue</th><td>{_filled(run.venue)}</td></tr>"
            f"<tr><th scope='row'>Address</th><td>{_filled(run.address)}</td></tr>"
            f"<tr><th scope='row'>The course online</th><td>{web}</td></tr></table>"
            "<table class='schedule'><thead><tr><th scope='col'>Meeting</th><th scope='col'>Date</th>"
            "<th scope='col'>Time</th><th scope='col'>Modules</th></tr></thead><tbody>" + "".join(meetings)
            + "</tbody></table>")
    modules = "".join(f"<li><strong>{html.escape(course.module(k).full_title)}.</strong> "
                      f"{html.escape(course.module(k).content_note['text'])}</li>" for k in table.modules)
    body = (_logo(course) + f"<div class='letter'><p class='meta'>{html.escape(prog.institution or prog.title)}</p>"
            f"<h1>Joining {html.escape(prog.title)}: {html.escape(table.title)}</h1>"
            f"<p>Dear {_blank(60)},</p>"
            f"<p>Welcome to <em>{html.escape(prog.title)}</em>, a course on therapeutic failure, rupture and repair, "
            f"and shame, run as the {html.escape(_lower_first(table.title))}: {html.escape(table.description)} This letter "
            "says when and where we meet and what to expect, so that you can prepare and choose how you take part.</p>"
            f"<h2>When and where</h2>{when}"
            "<h2>What to expect</h2><p>Each module has reading, guided exercises and discussion. Some exercises are "
            "done in the sessions, in pairs or threes; others privately, in your own time. Nobody is asked to "
            "disclose anything they do not choose to, and you can pass in any round, exercise or role-play without "
            "giving a reason.</p><h2>What the modules may stir</h2><ul>" + modules + "</ul>"
            "<h2>Before the first session</h2><ul><li>Read the orientation pages and the learning agreement"
            + (" online (the address is above)" if run.web else "") + ".</li>"
            "<li>Check that you have regular supervision, and know how you would find a personal therapist.</li>"
            "<li>Tell the facilitator privately of anything that would help you take part, such as an exercise "
            "you would rather observe.</li></ul><h2>Where to get support</h2>" + _contacts(course, lines=1) +
            "<div class='sign-off'><p style='margin-top:3mm'>With best wishes,</p><div class='lines' "
            "style='width:70mm'></div></div></div>")
    return Handout(f"joining-letter-{fmt}", f"Joining letter: {table.title}",
                   "sent before the course: when and where (from the programme file, or blanks), what to expect, "
                   "the content notes of this format's modules, opt-outs and where to get support",
                   _page(f"Joining letter: {table.title}", prog.title, [body]), "format")


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


def course_evaluation(course: Course, fmt: str) -> Handout:
    """The end-of-course evaluation of one format: it asks about the modules that format runs, no others."""
    table = course.timetable(fmt)
    rows = "".join(f"<tr><td>{html.escape(course.module(k).full_title)}</td><td></td><td></td></tr>" for k in table.modules)
    # the room a shorter table leaves goes to the two questions, so that the page stays full and one page
    box = f"<div class='box' style='min-height:{24 + 5 * max(0, 7 - len(table.modules))}mm'></div>"
    body = ("<div class='evaluation'><h1>End-of-course evaluation</h1><p class='meta'>" + html.escape(course.programme.title)
            + f" · {html.escape(table.title)} · anonymous</p>"
            + _scale("Overall, the course changed how I think about failure in therapy.")
            + _scale("I am more able to notice a rupture and respond to it.")
            + _scale("I am more able to bring a failure to supervision.")
            + "<h2>Each module</h2><table><thead><tr><th scope='col'>Module</th><th scope='col'>Useful (1-5)</th>"
            "<th scope='col'>Comment</th></tr></thead><tbody>" + rows
            + f"</tbody></table><p>What will you take into your practice?</p>{box}"
            f"<p>What should the course change?</p>{box}</div>")
    return Handout(f"course-evaluation-{fmt}", f"End-of-course evaluation form: {table.title}",
                   f"an anonymous form for the last session, asking about the {len(table.modules)} modules of this format",
                   _page(f"End-of-course evaluation: {table.title}", course.programme.title, [body]), "format")


def register_rows(course: Course, fmt: str, group: int | None = None) -> int:
    """How many trainees the register has rows for: the group size given, or the format's usual
    largest group (the same default as its run sheets)."""
    from .runsheets import default_group

    return group or default_group(course.timetable(fmt))


def attendance_register(course: Course, fmt: str, group: int | None = None) -> Handout:
    """A landscape register: a wide name column, one column per meeting headed with its name and date
    (when the programme file sets the dates), one row per trainee; and the same register as CSV."""
    table = course.timetable(fmt)
    meetings = table.meetings
    dates = _dates(course, fmt)
    rows = register_rows(course, fmt, group)
    run = course.programme.run(fmt)
    head = "".join(f"<th scope='col'>{html.escape(m.name)}"
                   + (f"<span class='date'>{dates[n].strftime(SHORT_DATE)}</span>" if n < len(dates)
                      else "<span class='date write'></span>") + "</th>"
                   for n, m in enumerate(meetings))
    # 20 rows of 7.4 mm, or 25 of 6.1 mm, fit one landscape page; more run on, the header repeated
    many = " class='many'" if rows > 20 else ""
    body_rows = "".join(f"<tr><td class='name'>{n}</td>" + "<td></td>" * len(meetings) + "</tr>" for n in range(1, rows + 1))
    single = bool(meetings) and course.formats[fmt].get("every") == "week"
    what = f"{len(meetings)} {'session' if single else 'day'}{'' if len(meetings) == 1 else 's'}"
    where = ", ".join(v for v in (run.venue, run.address) if v)
    body = (f"<section class='sheet register'><h1>Attendance register: {html.escape(table.title)}</h1>"
            f"<p class='meta'>{html.escape(course.programme.title)}"
            + (f" · {html.escape(where)}" if where else "")
            + f" · contact time {hm(table.contact)} in {what} · each trainee initials each "
            f"{'session' if single else 'day'} attended · facilitator: {_blank(50)}</p>"
            f"<table{many}><thead><tr><th scope='col' class='name'>Name</th>{head}</tr>"
            f"</thead><tbody>{body_rows}</tbody>"
            "</table></section>")
    return Handout(f"attendance-{fmt}", f"Attendance register: {table.title}",
                   f"landscape, names down the side and the {what} across, with dates from the programme file; "
                   f"{rows} rows (coursekit handouts --group N for another group size); also as CSV",
                   _page(f"Attendance: {table.title}", course.programme.title, [body]), "format",
                   register_csv(course, fmt, group))


def register_csv(course: Course, fmt: str, group: int | None = None) -> str:
    """The register as CSV: a name column and one column per meeting (its date in the header, when
    known), one empty row per trainee."""
    table = course.timetable(fmt)
    dates = _dates(course, fmt)
    header = ["Name"] + [f"{m.name} ({dates[n].isoformat()})" if n < len(dates) else m.name
                         for n, m in enumerate(table.meetings)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([""] * len(header) for _ in range(register_rows(course, fmt, group)))
    return out.getvalue()


def cpd_statement(course: Course, fmt: str) -> str:
    """The certificate's CPD statement: the programme file's, with {hours} and {format} filled in, or one
    that records the contact time and leaves its worth to the professional body (it claims no accreditation)."""
    table = course.timetable(fmt)
    given = course.programme.cpd_statement
    if given:
        return given.replace("{hours}", hm(table.contact)).replace("{format}", _lower_first(table.title))
    return (f"This certificate records {hm(table.contact)} of facilitated contact time in the {_lower_first(table.title)}. "
            "Whether and how it counts towards continuing professional development is for your professional body "
            "to decide.")


def certificate(course: Course, fmt: str) -> Handout:
    """One page: the provider, the trainee's name to write in, the format, its dates, contact time and
    modules, the CPD statement and lines to sign; no running foot or page number."""
    table = course.timetable(fmt)
    prog = course.programme
    dates = _when(_dates(course, fmt))
    provider = (f"<p class='provider'>{html.escape(prog.institution)}</p>" if prog.institution
                else f"<p class='provider'>Provider: {_blank(80)}</p>")
    modules = "".join(f"<li>{html.escape(course.module(k).full_title)}</li>" for k in table.modules)
    body = (f"<section class='sheet certificate-page'><div class='certificate'><div>{_logo(course)}{provider}"
            "<h1>Certificate of attendance</h1><p>This is to certify that</p><p class='name-line'></p>"
            f"<p>attended <em>{html.escape(prog.title)}</em>, {html.escape(_lower_first(table.title))},</p>"
            + (f"<p>{html.escape(dates)},</p>" if dates else f"<p>Dates: {_blank(70)}</p>")
            + f"<p><strong>{hm(table.contact)} of contact time</strong> in these modules:</p>"
            f"<ul class='modules'>{modules}</ul></div>"
            f"<p class='cpd'>{html.escape(cpd_statement(course, fmt))}</p>"
            "<div class='signatures'><div>Signed (facilitator)</div><div>Name of facilitator</div>"
            "<div>Signed (for the provider)</div><div>Date</div></div></div></section>")
    return Handout(f"certificate-{fmt}", f"Certificate of attendance: {table.title}",
                   f"one page: the provider, {hm(table.contact)} of contact time, the modules, dates and a CPD "
                   "statement, lines to sign",
                   _page(f"Certificate: {table.title}", prog.title, [body]), "format")


# ------------------------------------------------------------------------------- all of them

def handouts(course: Course, html_root: Path, group: int | None = None, run_sheets: bool = True,
             formats: tuple[str, ...] = ()) -> list[Handout]:
    """Every handout for the programme, in the order the index lists them (``group``: the group size
    of the attendance registers' rows and of the run sheets, default each format's; ``run_sheets``:
    False to leave the run sheets out; ``formats``: only the pack those formats use)."""
    from .runsheets import chosen_formats, default_group, pack

    keys = chosen_formats(course, group if run_sheets else None, formats)  # a register takes any size
    found: list[Handout] = [joining_letter(course, fmt) for fmt in keys]
    found.append(support_sheet(course))
    for module in course.modules:
        found.append(seminar_handout(course, module, html_root))
    for ex in course.exercises:
        for make in (role_cards, drill_cards, stage_slips):
            handout = make(course, ex)
            if handout:
                found.append(handout)
    found.append(session_evaluation(course))
    for fmt in keys:
        found += [course_evaluation(course, fmt), attendance_register(course, fmt, group), certificate(course, fmt)]
    if run_sheets:
        from .runsheets import handouts as make_run_sheets

        found += make_run_sheets(course, group, tuple(keys))  # a size a format is not planned for is refused there
    if formats:  # the pack for these formats: what their sessions use, and nothing else
        used = {n for fmt in keys for n in pack(course, fmt, group or default_group(course.timetable(fmt)))}
        found = [h for h in found if h.name in used]
    return found


def write_html(course: Course, html_root: Path) -> list[Handout]:
    """Write every handout, and an index of them, into the built instructor site."""
    out = html_root / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    made = handouts(course, html_root)
    for handout in made:
        (out / f"{handout.name}.html").write_text(handout.body, encoding="utf-8")
        if handout.csv:
            (out / f"{handout.name}.csv").write_text(handout.csv, encoding="utf-8")
    items = "".join(f"<li><a href='{h.name}.html'>{html.escape(h.title)}</a>: {html.escape(h.purpose)}"
                    + (f" (<a href='{h.name}.csv'>CSV</a>)" if h.csv else "") + "</li>" for h in made)
    index = _page(f"Handouts: {course.programme.title}", course.programme.title,
                  [f"<h1>Handouts</h1><p>Print-ready pages for the seminar room, made from the course's sources. "
                   f"Each prints on A4 (the attendance registers on landscape A4); drill cards print double-sided, "
                   f"flipped on the long edge. <code>coursekit handouts</code> prints them all as PDFs "
                   f"(<code>--group N</code> for registers with N rows).</p><ul>{items}</ul>"])
    (out / "index.html").write_text(index, encoding="utf-8")
    return made


def print_all(root: Path, course: Course, paper: str = "a4", only: tuple[str, ...] = (),
              group: int | None = None, formats: tuple[str, ...] = ()) -> list[Path]:
    """Print every handout of the built instructor site (or only those named) to
    _build/instructor/handouts/, each register with ``group`` rows and its CSV beside it."""
    from .printing import browser, print_file

    html_root = root / "_build" / "instructor" / "html"
    if not (html_root / FOLDER / "index.html").is_file():
        raise CourseError(f"{html_root / FOLDER}: no handouts yet: build the instructor edition first")
    # the run sheets are made only when printed (their group size is checked against the formats')
    chosen = handouts(course, html_root, group, run_sheets=not only or any(n.startswith("runsheet-") for n in only),
                      formats=formats)
    if only and any(n not in {h.name for h in chosen} for n in only):
        chosen = handouts(course, html_root, group, formats=formats)  # every name, to say which there are
    if only:
        names = [h.name for h in chosen]
        unknown = [n for n in only if n not in names]
        if unknown:
            raise CourseError(f"no handout called {', '.join(map(repr, unknown))}: the handouts are "
                              f"{', '.join(names)}")
        chosen = [h for h in chosen if h.name in only]
    target = root / "_build" / "instructor" / FOLDER
    if not only:  # a full printing replaces the folder, so no handout of another programme stays in it
        for old in [*target.glob("*.pdf"), *target.glob("*.csv")]:
            old.unlink()
    made = []
    prog = course.programme
    with browser() as b:
        for handout in chosen:
            out = target / f"{handout.name}.pdf"
            # printed from the page as made now (the group size may differ from the site's), beside the
            # site's own copy so that its links to the logo hold
            page = html_root / FOLDER / f".print-{handout.name}.html"
            page.write_text(handout.body, encoding="utf-8")
            try:
                print_file(b, page, out, paper=paper,
                           info={"title": f"{handout.title}: {prog.title}", "author": prog.institution or prog.author,
                                 "subject": handout.purpose, "creator": f"coursekit {prog.version}", "lang": "en-GB"})
            finally:
                page.unlink()
            if handout.csv:
                (target / f"{handout.name}.csv").write_text(handout.csv, encoding="utf-8")
            made.append(out)
    return made


"""Handouts as the paper an instructor photocopies: cards cut from fixed grids (drill cards double-sided,
each back behind its front; the role cards of a brief two to a sheet and the observer's sheet on its
own page), a landscape attendance register with a row per trainee and dates from the programme file,
one-page certificates without a running foot, evaluation forms and joining letters for each format.
Read from the printed PDFs (text and where it lies on the page); the programme file's run details
without a build."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import nbformat
import pytest

from helpers import REPO, Built, coursekit, coursekit_here, parse

NORTHFIELD = Path(__file__).resolve().parent / "fixtures" / "northfield.yml"
PT = 72 / 25.4  # points in a millimetre


# ------------------------------------------------------------------ the programme file's run details

@pytest.mark.parametrize("runs, expected", [
    ("runs:\n  fortnightly: {first_date: 2027-01-12}\n",
     ":4: runs: no format 'fortnightly' (instructor/formats.yml has weekly, series, weekend, one-day)"),
    ("formats: [weekly]\nruns:\n  series: {first_date: 2027-01-12}\n",
     ":5: runs: no format 'series' (this programme's formats are weekly)"),
    ("runs:\n  one-day:\n    dates: [2027-03-06, 2027-03-07]\n",
     ":5: runs.one-day.dates: 2 dates for 1 meeting (Workshop day): give one date a meeting"),
    ("runs:\n  weekend: {first_date: 2027-03-07}\n",
     ":4: runs.weekend.first_date: 2027-03-07 is a Sunday, but day 1 of the weekend format is Saturday"),
    ("runs:\n  weekly:\n    first_date: 2027-02-30\n", ":5: runs.weekly.first_date: 2027-02-30 is not a day in the calendar"),
    ("runs:\n  weekend:\n    dates:\n      - 2027-03-06\n      - 2027-03-32\n",
     ":7: runs.weekend.dates[1]: 2027-03-32 is not a day in the calendar"),
    ("runs:\n  weekly: {first_date: 12/01/2027}\n",
     ":4: runs.weekly.first_date: '12/01/2027' is not a date written as 2027-01-12 (year, month, day)"),
    ("runs:\n  weekly: {first_date: 2027-01-12, dates: [2027-01-12]}\n",
     ":4: runs.weekly: give first_date or dates, not both"),
    ("runs:\n  weekly: {web: example.ac.uk}\n",
     ":4: runs.weekly.web: 'example.ac.uk' is not a web address starting https://, or nothing at all (\"\")"),
])
def test_a_mistake_in_the_run_details_is_named_with_its_line(tmp_path: Path, runs: str, expected: str) -> None:
    from coursekit import programme

    file = tmp_path / "ours.yml"
    file.write_text("title: Ours\nmodules: [orientation, failure, rupture-repair, shame]\n" + runs, encoding="utf-8")
    found, problems = programme.read(REPO, file)
    assert found is None
    assert any(str(p).startswith(f"{file}{expected}") for p in problems), [str(p) for p in problems]


def test_check_reports_run_details_without_a_traceback(tmp_path: Path) -> None:
    file = tmp_path / "ours.yml"
    file.write_text("title: Ours\nmodules: [orientation, failure]\nruns:\n  weekly:\n    first_date: 2027-02-30\n",
                    encoding="utf-8")
    result = coursekit_here("check", "--root", str(REPO), "--programme", str(file))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{file}:5: runs.weekly.first_date: 2027-02-30 is not a day in the calendar (day is out of range for month)" \
        in result.stdout


def test_meetings_take_their_dates_from_the_run() -> None:
    """Weekly formats meet a week apart, days on consecutive days, or on the dates listed; the register,
    its CSV, the letter and the certificate all show them (made without a build)."""
    from coursekit import handouts
    from coursekit.course import Course
    from coursekit.plans import hm

    course = Course.load(REPO, NORTHFIELD)
    series = course.timetable("series").meetings
    assert course.programme.run("series").meeting_dates([m.day for m in series]) == [
        dt.date(2027, 1, 12) + dt.timedelta(days=m.day) for m in series]
    assert [m.day for m in series[:3]] == [0, 7, 14]
    assert handouts._dates(course, "weekend") == [dt.date(2027, 3, 6), dt.date(2027, 3, 7)]
    assert handouts._dates(course, "weekly") == []  # no run details: blanks
    register = parse_html(handouts.attendance_register(course, "series", 14).body)
    table = register.tables[0]
    assert table[0][:3] == ["Name", "Week 1Tue 12 Jan 2027", "Week 2Tue 19 Jan 2027"], table[0]
    assert len(table) == 15 and [row[0] for row in table[1:]] == [str(n) for n in range(1, 15)]
    rows = list(csv.reader(io.StringIO(handouts.register_csv(course, "series", 14))))
    meetings = course.timetable("series").meetings
    assert rows[0] == ["Name"] + [f"{m.name} ({dt.date(2027, 1, 12) + dt.timedelta(days=m.day)})" for m in meetings]
    assert len(rows) == 15 and all(row == [""] * (len(meetings) + 1) for row in rows[1:])
    assert list(csv.reader(io.StringIO(handouts.register_csv(course, "weekly"))))[0][:2] == ["Name", "Week 1"]
    certificate = parse_html(handouts.certificate(course, "weekend").body).text
    assert "on 6 and 7 March 2027" in certificate
    assert (f"Northfield School of Psychotherapy records {hm(course.timetable('weekend').contact)} of facilitated "
            "contact time in the weekend intensive.") in certificate


def parse_html(text: str):
    from helpers import Page

    return Page(text)


# ------------------------------------------------------------------ reading the paper

def _doc(path: Path):
    import pypdfium2

    return pypdfium2.PdfDocument(str(path))


def _page_texts(path: Path) -> list[str]:
    doc = _doc(path)
    try:
        return [_plain(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def _plain(text: str) -> str:
    for old, new in {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "’": "'", "\r\n": "\n"}.items():
        text = text.replace(old, new)
    return text


def _region(path: Path, page: int, left: float, top: float, right: float, bottom: float) -> str:
    """The text printed inside a rectangle of a page, in millimetres from its top left corner."""
    doc = _doc(path)
    try:
        p = doc[page]
        height = p.get_size()[1]
        return _plain(p.get_textpage().get_text_bounded(left * PT, height - bottom * PT, right * PT, height - top * PT))
    finally:
        doc.close()


def _sizes(path: Path) -> list[tuple[float, float]]:
    """Each page's width and height in millimetres."""
    doc = _doc(path)
    try:
        return [(doc[i].get_size()[0] / PT, doc[i].get_size()[1] / PT) for i in range(len(doc))]
    finally:
        doc.close()


def _letters(text: str) -> str:
    """Letters and digits alone: PDF text breaks lines and words where the page does."""
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("’", "'"))


def _words(markdown: str, start: int, count: int) -> str:
    return _letters(" ".join(re.sub(r"[*_#>`\"]", "", markdown).split()[start:start + count]))


def _handouts(root: Path) -> Path:
    return root / "_build" / "instructor" / "handouts"


def _tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


DRILLS = sorted(p.relative_to(REPO / "exercises").with_suffix("").as_posix()
                for p in (REPO / "exercises").glob("*/*.ipynb")
                if _tagged(nbformat.read(p, 4), "statement"))
ROLE_PLAYS = sorted(p.relative_to(REPO / "exercises").with_suffix("").as_posix()
                    for p in (REPO / "exercises").glob("*/*.ipynb")
                    if _tagged(nbformat.read(p, 4), "client-only"))


def _card_rows(root: Path, name: str) -> tuple[list[list[int]], set[int]]:
    """The drill cards (numbered from 1) in the rows of their sheets' two-column grid, as the handout's
    HTML sizes them: two to a row, or a wide card alone (an A6 card before it keeps its row to itself);
    and the wide ones."""
    html = (root / "_build" / "instructor" / "html" / "handouts" / f"{name}.html").read_text(encoding="utf-8")
    wide = {n for n, c in enumerate(re.findall(r'class="card drill partner([^"]*)"', html), 1) if "wide" in c.split()}
    count = len(re.findall(r'class="card drill partner', html))
    rows: list[list[int]] = []
    for n in range(1, count + 1):
        if n in wide or not rows or len(rows[-1]) == 2 or rows[-1][0] in wide:
            rows.append([])
        rows[-1].append(n)
    return rows, wide


# ------------------------------------------------------------------ drill cards

@pytest.mark.browser
@pytest.mark.parametrize("drill", DRILLS)
def test_drill_cards_print_double_sided_with_each_back_behind_its_front(printed: Built, drill: str) -> None:
    """The partner holds the card: their side has the statement, its example responses and the criteria;
    the side facing the person practising has only the level, the card's number and the criteria's names.
    On a two-column grid the backs are mirrored, so that turned over on the long edge each lands behind
    its front."""
    nb = nbformat.read(printed.root / "exercises" / f"{drill}.ipynb", 4)
    cells = nb.cells
    statements = [i for i, c in enumerate(cells) if "statement" in c.metadata.get("tags", [])]
    name = f"drill-cards-{drill.split('/')[1]}"
    path = _handouts(printed.root) / f"{name}.pdf"
    rows, wide = _card_rows(printed.root, name)
    assert sorted(n for row in rows for n in row) == list(range(1, len(statements) + 1))
    assert sum(len(row) == 2 for row in rows) >= len(rows) / 2, "most rows hold two cards"
    texts = _page_texts(path)
    assert len(texts) == 2 * -(-len(rows) // 2), "a sheet of fronts (two rows of cards), then their backs"
    assert all(re.search(r"print double-sided, flip on the long edge", _plain(" ".join(t.split())), re.I) for t in texts), \
        "a sheet without the instruction to print double-sided"
    width, height = _sizes(path)[0]
    where = {}  # card: (sheet, row, the part of the row it takes on the front, and on the back)
    halves = [(0, width / 2), (width / 2, width)]
    for r, row in enumerate(rows):
        for c, n in enumerate(row):
            where[n] = (r // 2, r % 2, *([(0, width)] * 2 if n in wide else [halves[c], halves[1 - c]]))
    criteria = re.findall(r"^\d+\. \*\*([^*]+?)\.?\*\*", "\n".join(c.source for c in _tagged(nb, "criteria")), re.M)
    for n, i in enumerate(statements):
        sheet, row, (f_left, f_right), (b_left, b_right) = where[n + 1]
        top, bottom = row * height / 2, (row + 1) * height / 2
        front = _region(path, 2 * sheet, f_left, top, f_right, bottom)
        back = _region(path, 2 * sheet + 1, b_left, top, b_right, bottom)
        assert re.search(rf"\bcard {n + 1}\b", front, re.I) and re.search(rf"\bcard {n + 1}\b", back, re.I), \
            f"card {n + 1}: its back is not behind its front ({drill})"
        level = cells[i].metadata["coursekit"]["level"]
        assert level in back.lower() and all(_letters(c) in _letters(back) for c in criteria), f"card {n + 1}: back"
        client = cells[i].source.rsplit("Client:", 1)[-1]
        example = cells[i + 1].source.split("\n", 1)[1]  # below its heading
        assert _words(client, 0, 8) in _letters(front), f"card {n + 1}: the statement is not on the partner's side"
        assert _words(example, 1, 8) in _letters(front), f"card {n + 1}: the examples are not on the partner's side"
        assert _words(example, 1, 8) not in _letters(back) and _words(client, 0, 8) not in _letters(back), \
            f"card {n + 1}: the side facing the person practising gives the statement or an example away"


@pytest.mark.browser
def test_no_card_or_sheet_is_cut_off(built: Built, browser) -> None:
    """Laid out as printed, nothing a card, an observer's sheet or a certificate holds runs past its
    box (the box never grows: it is the paper), the observer's writing column is at least half the
    checklist, and the register's name column is wide enough to write a name in."""
    folder = built.html("instructor") / "handouts"
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    over, narrow, checked = [], [], 0
    try:
        for html in sorted(folder.glob("*.html")):
            page.goto(html.resolve().as_uri())
            page.emulate_media(media="print")
            found = page.evaluate("""() => [...document.querySelectorAll('.card, .observer-sheet, .certificate')]
                .map((el, n) => ({n, over: el.scrollHeight - el.clientHeight,
                                  head: (el.querySelector('.card-head, .number, .role') || el).textContent.slice(0, 40)}))""")
            checked += len(found)
            over += [f"{html.name}: {f['head']!r} by {f['over']} px" for f in found if f["over"] > 0]
            narrow += [f"{html.name}: {w}" for w in page.evaluate("""() => [...document.querySelectorAll(
                '.observer-sheet table')].map(t => [t.querySelector('tr > :last-child').getBoundingClientRect().width,
                t.getBoundingClientRect().width]).filter(([c, t]) => c < t / 2)""")]
            if html.name.startswith("attendance-"):
                name = page.evaluate("document.querySelector('th.name').getBoundingClientRect().width")
                assert name >= 55 * 96 / 25.4, f"{html.name}: the name column is {name * 25.4 / 96:.0f} mm wide"
    finally:
        page.close()
    assert checked > 100
    assert over == [], over
    assert narrow == [], narrow


# ------------------------------------------------------------------ role cards

@pytest.mark.browser
@pytest.mark.parametrize("role_play", ROLE_PLAYS)
def test_role_cards_two_to_a_sheet_and_the_observers_sheet_on_its_own(printed: Built, role_play: str) -> None:
    nb = nbformat.read(printed.root / "exercises" / f"{role_play}.ipynb", 4)
    briefs = list(dict.fromkeys(c.metadata["coursekit"]["brief"] for c in _tagged(nb, "brief")))
    name = f"role-cards-{role_play.split('/')[1]}"
    path = _handouts(printed.root) / f"{name}.pdf"
    texts = _page_texts(path)
    cards, per_page = 2 * len(briefs), 2  # the therapist's and the client's card of each brief, on one sheet
    assert len(texts) == -(-cards // per_page) + len(briefs), "a sheet of two cards and an observer's sheet a brief"
    assert len(texts) < 3 * len(briefs), "no fewer sheets than one card a page would take"
    width, height = _sizes(path)[0]
    rows = [_letters(r.split("|")[1]) for c in _tagged(nb, "observer") for r in c.source.splitlines()
            if r.startswith("| ") and not r.startswith("| ---")]
    rows = [r for r in rows if r]
    for n, brief in enumerate(briefs):
        shared = next(c.source for c in _tagged(nb, "brief") if c.metadata["coursekit"]["brief"] == brief)
        secret = next(c.source for c in _tagged(nb, "client-only") if c.metadata["coursekit"]["brief"] == brief)
        cards_page, observer_page = 2 * n, 2 * n + 1
        therapist = _letters(_region(path, cards_page, 0, 0, width, height / 2))
        client = _letters(_region(path, cards_page, 0, height / 2, width, height))
        assert "therapistscard" in therapist and "clientscard" in client, f"brief {brief}: the cards' places"
        for words in (_words(shared, 12, 10), _words(secret, 12, 10)):
            assert words in client, f"brief {brief}: the client's card lacks {words!r}"
        assert _words(shared, 12, 10) in therapist
        assert _words(secret, 12, 10) not in therapist, f"brief {brief}: the therapist's card shows the secret"
        observer = _letters(texts[observer_page])
        assert "observerssheet" in observer and f"brief{brief.lower()}" in observer
        assert _words(shared, 12, 10) in observer and _words(secret, 12, 10) in observer
        # every row of the checklist on the observer's own page: none split off onto another
        assert all(row in observer for row in rows), [row for row in rows if row not in observer]


# ------------------------------------------------------------------ the attendance register

@pytest.mark.browser
def test_the_register_has_a_row_per_trainee_on_landscape_paper(printed: Built) -> None:
    from coursekit.course import Course

    course = Course.load(printed.root)
    folder = _handouts(printed.root)
    names = [f"attendance-{fmt}" for fmt in course.formats]
    only = [arg for n in names for arg in ("--only", n)]
    try:
        for group, sheets in ((14, 1), (20, 1), (30, 2)):
            result = coursekit("handouts", "--no-build", "--group", str(group), *only, "--root", str(printed.root))
            assert result.returncode == 0, result.stderr
            assert f"(for a group of {group})" in result.stdout
            for fmt, name in zip(course.formats, names):
                path = folder / f"{name}.pdf"
                sizes = _sizes(path)
                assert len(sizes) == sheets, f"{name} for {group}: {len(sizes)} pages"
                assert all(abs(w - 297) < 1 and abs(h - 210) < 1 for w, h in sizes), f"{name} is not landscape A4"
                meetings = course.timetable(fmt).meetings
                numbers = []
                for n, text in enumerate(_page_texts(path)):
                    header = " ".join(text.split())
                    # the header row on every page of the register (repeated when it runs on)
                    assert "Name" in header and all(m.name in header for m in meetings), f"{name}, page {n + 1}"
                    numbers += [int(x) for x in re.findall(r"^\s*(\d+)\s*$", _region(path, n, 0, 0, 75, 210), re.M)]
                assert numbers == list(range(1, group + 1)), f"{name} for {group}: rows {numbers}"
                rows = list(csv.reader((folder / f"{name}.csv").open(encoding="utf-8")))
                assert rows[0] == ["Name"] + [m.name for m in meetings] and len(rows) == group + 1, f"{name}.csv"
    finally:  # as printed for the other tests: the format's largest group
        coursekit("handouts", "--no-build", *only, "--root", str(printed.root))


# ------------------------------------------------------------------ certificates, forms and letters

@pytest.mark.browser
def test_certificates_evaluations_and_letters_of_each_format(printed: Built) -> None:
    from coursekit.course import Course
    from coursekit.plans import hm

    course = Course.load(printed.root)
    folder = _handouts(printed.root)
    for fmt in course.formats:
        table = course.timetable(fmt)
        # the certificate: one page, the provider (a line to write it on: this programme names none),
        # the contact time and its modules, and no running foot or page number
        path = folder / f"certificate-{fmt}.pdf"
        (text,) = _page_texts(path)
        flat = " ".join(text.split())
        assert "Provider:" in flat and f"{hm(table.contact)} of contact time" in flat
        assert "is for your professional body to decide" in flat and "accredit" not in flat.lower()
        assert "Page" not in flat and not _region(path, 0, 0, 283, 210, 297).strip(), "a running foot on a certificate"
        # the evaluation form asks about the format's modules and no others
        evaluation = _page_texts(folder / f"course-evaluation-{fmt}.pdf")
        assert len(evaluation) == 1, f"the {fmt} evaluation is not one page"
        letter = _page_texts(folder / f"joining-letter-{fmt}.pdf")
        assert len(letter) <= 2, f"the {fmt} joining letter has {len(letter)} pages"
        for module in course.modules:
            taught = module.key in table.modules
            assert (_letters(module.full_title) in _letters(evaluation[0])) == taught, (fmt, module.key)
            assert (_letters(module.content_note["text"][:60]) in _letters(" ".join(letter))) == taught, (fmt, module.key)
        # no run details in this programme file: blanks to write in
        flat = " ".join(" ".join(letter).split())
        assert re.search(r"Venue Address The course online Meeting", flat) and "2027" not in flat, flat[:600]


@pytest.mark.browser
def test_a_programmes_run_details_fill_its_letters_registers_and_certificates(programme_built: Built) -> None:
    """tests/fixtures/northfield.yml sets the seminar series' first date, venue, address and web address
    and the weekend's dates and venue, and its own CPD statement; the weekly seminars have none."""
    names = ["joining-letter-series", "joining-letter-weekend", "joining-letter-weekly", "certificate-series",
             "certificate-weekend", "attendance-series"]
    result = coursekit("handouts", "--no-build", *[a for n in names for a in ("--only", n)], "--group", "20",
                       "--programme", str(programme_built.root / "northfield.yml"), "--root", str(programme_built.root))
    assert result.returncode == 0, result.stdout + result.stderr
    text = {n: " ".join(" ".join(_page_texts(_handouts(programme_built.root) / f"{n}.pdf")).split()) for n in names}
    series = text["joining-letter-series"]
    # eight sessions over nine weeks: week 8 is left free before the capstone is read
    for part in ("From 12 January 2027 to 9 March 2027", "Room 2.14, Ash Building", "1 College Road, Northfield NF1 2AB",
                 "https://example.ac.uk/learning-to-fall", "Week 1 Tue 12 Jan 2027 18:00", "Week 7 Tue 23 Feb 2027",
                 "Week 8 Tue 2 Mar 2027 No session this week", "Week 9 Tue 9 Mar 2027"):
        assert part in series, part
    weekend = text["joining-letter-weekend"]
    assert "On 6 and 7 March 2027" in weekend and "The Old Library" in weekend and "Saturday Sat 6 Mar 2027 09:30" in weekend
    assert re.search(r"Address The course online Meeting", weekend), "the weekend's address is not left blank"
    assert "2027" not in text["joining-letter-weekly"] and "Room 2.14" not in text["joining-letter-weekly"]
    assert "Northfield School of Psychotherapy" in text["certificate-series"]
    assert "from 12 January 2027 to 9 March 2027" in text["certificate-series"]
    assert "Northfield School of Psychotherapy records " in text["certificate-weekend"]
    assert "of facilitated contact time in the weekend intensive" in text["certificate-weekend"]
    assert "on 6 and 7 March 2027" in text["certificate-weekend"]
    register = text["attendance-series"]
    assert "Week 1 Tue 12 Jan 2027" in register and "Room 2.14, Ash Building" in register
    assert len(_sizes(_handouts(programme_built.root) / "attendance-series.pdf")) == 1, "20 rows, a longer head: one page"
    rows = list(csv.reader((_handouts(programme_built.root) / "attendance-series.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["Name", "Week 1 (2027-01-12)", "Week 2 (2027-01-19)"]
    # the built site has the register's CSV beside its page, and the handouts page links it
    site = programme_built.html("instructor") / "handouts"
    assert (site / "attendance-series.csv").read_text(encoding="utf-8").startswith("Name,Week 1 (2027-01-12),")
    assert "attendance-series.csv" in parse(site / "index.html").links


# ------------------------------------------------------------------ every handout's pages

@pytest.mark.browser
def test_every_handout_prints_on_the_pages_its_layout_promises(printed: Built) -> None:
    """What each handout takes, for any group size: the registers hold a group of up to 25 on one
    landscape page (the test above prints them for 14, 20 and 30), and nothing else but the run
    sheets changes with the group."""
    from coursekit import handouts
    from coursekit.course import Course

    course = Course.load(printed.root)
    html_root = printed.html("instructor")
    default = {h.name: h for h in handouts.handouts(course, html_root)}
    for group in (14, 20):  # the run sheets' groups and print counts: tests/test_runsheets.py
        changed = {h.name for h in handouts.handouts(course, html_root, group, run_sheets=False)
                   if h.body != default[h.name].body}
        assert changed == {f"attendance-{fmt}" for fmt in course.formats}, changed
    # what the run sheets tell the facilitator to print is a handout there is
    from coursekit.runsheets import materials

    for fmt in course.formats:
        table = course.timetable(fmt)
        for n in range(len(table.meetings)):
            named = {m.name for m in materials(course, table, n, 14)}
            assert named <= set(default), (fmt, n, named - set(default))
    pages = {}
    for name in default:
        pages[name] = len(_page_texts(_handouts(printed.root) / f"{name}.pdf"))
    for name, count in pages.items():
        kind = name.split("-")[0]
        if name.startswith("drill-cards-"):
            ex = course.exercise(name.removeprefix("drill-cards-"))
            statements = len(_tagged(ex.notebook(), "statement"))
            rows, _ = _card_rows(printed.root, name)
            assert count == 2 * -(-len(rows) // 2) <= 2 * -(-statements // 3), name  # fronts and backs
        elif name.startswith("role-cards-"):
            briefs = {c.metadata["coursekit"]["brief"] for c in _tagged(course.exercise(name[11:]).notebook(), "brief")}
            assert count == 2 * len(briefs), name
        elif name.startswith("stage-slips-"):
            assert count == len(_tagged(course.exercise(name[12:]).notebook(), "stage")), name
        elif name.startswith("joining-letter-"):
            assert count in (1, 2), name
        elif name.startswith("runsheet-"):
            continue  # one a meeting, a page where possible: tests/test_runsheets.py
        else:
            assert count == 1, f"{name} ({kind}) has {count} pages"

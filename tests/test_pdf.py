"""Paper: one tagged PDF per edition with a cover, contents, running heads, numbered pages and an
outline; and every handout an instructor prints, with the slips and pages its source gives (the
cards, registers, certificates, letters and forms as paper: tests/test_handouts.py). The learner
PDF holds no instructor text and no client's hidden brief."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest

from helpers import Built, coursekit, instructor_vocabulary

pytestmark = pytest.mark.browser


def _letters(text: str) -> str:
    """Text as its letters alone: PDF text breaks words at line ends ("self-\ncriticism")."""
    return re.sub(r"[^a-z]", "", text.lower().replace("’", "'"))


def _reader(path: Path):
    """The PDF's structure (tags, outline, page sizes), read with pypdf."""
    import pypdf

    return pypdf.PdfReader(io.BytesIO(path.read_bytes()))


_TEXTS: dict[tuple[Path, float], list[str]] = {}


def _texts(path: Path) -> list[str]:
    """The text of each page, read once per file with pypdfium2 (pypdf's text extraction takes
    about forty times as long on the 455-page learner PDF)."""
    import pypdfium2

    key = (path, path.stat().st_mtime)
    if key not in _TEXTS:
        doc = pypdfium2.PdfDocument(str(path))
        try:
            _TEXTS[key] = [doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc))]
        finally:
            doc.close()
    return _TEXTS[key]


def _outline_titles(reader) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(" ".join(str(item.title).split()))

    walk(reader.outline)
    return titles


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_each_edition_prints_as_one_tagged_pdf(printed: Built, edition: str) -> None:
    from coursekit.course import Course

    course = Course.load(printed.root)
    path = printed.root / "_build" / edition / "pdf" / f"learning-to-fall-{edition}.pdf"
    reader = _reader(path)
    texts = _texts(path)
    assert len(reader.pages) > 100 and len(texts) == len(reader.pages)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], "the PDF is not tagged"
    # document information from the programme file, as a PDF reader or library catalogue shows it
    label = "Learner edition" if edition == "learner" else "Instructor edition"
    meta = reader.metadata
    assert meta.title == f"Learning to Fall: {label}" and meta.author == "The Learning to Fall authors", meta
    assert meta.subject == course.programme.subtitle and str(root.get("/Lang")) == "en-GB"
    cover = texts[0]
    assert "Learning to Fall" in cover and f"Version {course.programme.version}" in cover
    assert ("Learner edition" if edition == "learner" else "Instructor edition") in cover
    assert ("This copy belongs to" in cover) == (edition == "learner"), "the learner's cover has room for a name"
    contents = texts[1]
    assert "Contents" in contents and re.search(r"Studying painful material\s*\.*\s*\d+", contents)
    same = lambda s: " ".join(s.split()).replace("’", "'")  # noqa: E731
    titles = [same(t) for t in _outline_titles(reader)]
    for module in course.modules:  # word for word: a title that wraps on the page keeps its spaces
        assert same(module.full_title) in titles, f"no bookmark for {module.full_title}: {titles[:12]}"
    assert "Glossary" in titles and "Bibliography" in titles
    # running heads and page numbers on a page of the shame module
    shame = course.module("shame").full_title
    page = next(p for p in texts[10:] if "The compass of shame" in p and shame in p)
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert "Learning to Fall" in " ".join(lines[:3]) and shame in " ".join(lines[:3])
    assert any(line.isdigit() for line in lines[-3:] + lines[:3]), "no page number"
    if edition == "instructor":  # the module's instructor notes say so in their running head
        notes = [p for p in texts[10:] if f"Instructor notes: {shame}" in " ".join(p.splitlines()[:3])]
        assert notes, "the instructor notes on Shame carry the learner running head"
    # every link either stays inside the PDF or goes to the web: none points into the machine that printed it
    local = set()
    for pdf_page in reader.pages:
        for annot in pdf_page.get("/Annots") or []:
            uri = str(annot.get_object().get("/A", {}).get("/URI", ""))
            if uri and not uri.startswith(("https://", "http://", "mailto:", "tel:")):
                local.add(uri)
    assert not local, sorted(local)[:5]
    assert "saved as you type, in this browser" not in " ".join(texts), "the website's note on saved answers is printed"
    # the contents' page numbers are right: the page it names holds the page's title
    number = int(re.search(r"The compass of shame\s*\.*\s*(\d+)", " ".join(texts[1:4])).group(1))
    assert "The compass of shame" in texts[number - 1]


def test_the_learner_pdf_holds_no_instructor_text(printed: Built) -> None:
    text = " ".join(_texts(printed.root / "_build" / "learner" / "pdf" / "learning-to-fall-learner.pdf")).lower()
    vocab = instructor_vocabulary(printed.root, printed.html("learner"))
    hits = sorted(w for w in vocab if re.search(rf"\b{re.escape(w)}\b", text))
    assert not hits, hits
    assert "session plans" not in text and "facilitation notes" not in text
    for path in sorted((printed.root / "exercises").rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if "client-only" in cell.metadata.get("tags", []):
                first = " ".join(re.findall(r"[A-Za-z']+", cell.source)[:10]).lower()
                assert first not in " ".join(re.findall(r"[a-z']+", text)), f"client card text in the PDF: {first!r}"


def _pages(printed: Built, name: str) -> list[str]:
    """The text of each page of a handout, with typographic apostrophes made plain."""
    ligatures = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "’": "'"}
    pages = _texts(printed.root / "_build" / "instructor" / "handouts" / f"{name}.pdf")
    for old, new in ligatures.items():
        pages = [p.replace(old, new) for p in pages]
    return pages


@pytest.mark.parametrize("exercise", ["rupture-repair/case-analysis-the-walk-home", "rupture-repair/annotating-a-repair",
                                      "failure/case-analysis-the-client-who-stopped-coming"])
def test_stage_slips_give_one_stage_a_slip_without_its_answers(printed: Built, exercise: str) -> None:
    nb = nbformat.read(printed.root / "exercises" / f"{exercise}.ipynb", 4)
    stages = [c for c in nb.cells if "stage" in c.metadata.get("tags", [])]
    pages = _pages(printed, f"stage-slips-{exercise.split('/')[1]}")
    assert len(pages) == len(stages), "one slip a page"
    text = _letters(" ".join(pages))
    for n, (page, cell) in enumerate(zip(pages, stages), 1):
        assert f"slip {n} of {len(stages)}" in page
        assert _letters(" ".join(re.sub(r"[*_#]", "", cell.source).split()[3:10])) in _letters(page)
    for cell in nb.cells:
        if "example" in cell.metadata.get("tags", []):
            words = re.sub(r"[*_#>]", "", cell.source).split()
            assert _letters(" ".join(words[len(words) // 2:len(words) // 2 + 8])) not in text, "a model answer is on a slip"


def test_the_other_handouts_are_there_with_their_sources(printed: Built) -> None:
    from coursekit.course import Course

    course = Course.load(printed.root)
    folder = printed.root / "_build" / "instructor" / "handouts"
    for module in course.modules:
        text = " ".join(" ".join(p.split()) for p in _pages(printed, f"seminar-{module.key}"))
        assert _letters(module.full_title) in _letters(text) and "Learning objectives" in text and "Key points" in text
        assert _letters(" ".join(re.sub(r"[*{}`]|term", "", module.objectives[0]).split()[1:5])) in _letters(text)
        assert len(_texts(folder / f"seminar-{module.key}.pdf")) == 1, f"the seminar handout for {module.key} is not one page"
    for name in ("support-sheet", "session-evaluation"):
        assert (folder / f"{name}.pdf").is_file(), name
    assert len(_texts(folder / "session-evaluation.pdf")) == 1, "the session evaluation form is not one page"
    letter = " ".join(_pages(printed, "joining-letter-weekly"))
    assert course.module("shame").content_note["text"].split()[2] in letter
    for fmt in course.formats:
        for name in ("attendance", "course-evaluation", "joining-letter"):
            assert (folder / f"{name}-{fmt}.pdf").is_file(), f"{name}-{fmt}"
        certificate = " ".join(_pages(printed, f"certificate-{fmt}"))
        from coursekit.plans import hm

        assert f"{hm(course.timetable(fmt).contact)} of contact time" in certificate
    assert "10 h 30 min of contact time" in " ".join(_pages(printed, "certificate-weekly"))
    for pdf in folder.glob("*.pdf"):  # A4, the attendance registers on landscape A4
        box = _reader(pdf).pages[0].mediabox
        size = sorted((float(box.width), float(box.height))) if pdf.name.startswith("attendance-") else \
            [float(box.width), float(box.height)]
        assert abs(size[0] - 595.3) < 2 and abs(size[1] - 841.9) < 2, f"{pdf.name} is not A4"
    meta = _reader(folder / "support-sheet.pdf").metadata
    assert meta.title.endswith(": Learning to Fall") and meta.author == "The Learning to Fall authors", meta


def test_handouts_print_on_us_letter_when_asked(printed: Built) -> None:
    folder = printed.root / "_build" / "instructor" / "handouts"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}
    result = coursekit("handouts", "--no-build", "--paper", "letter", "--only", "support-sheet",
                       "--only", "certificate-weekly", "--root", str(printed.root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 handouts printed on US Letter"), result.stdout
    for name in ("support-sheet", "certificate-weekly"):
        box = _reader(folder / f"{name}.pdf").pages[0].mediabox
        assert abs(float(box.width) - 612) < 2 and abs(float(box.height) - 792) < 2, name
    untouched = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}
    assert {n: t for n, t in untouched.items() if n not in ("support-sheet.pdf", "certificate-weekly.pdf")} == \
        {n: t for n, t in before.items() if n not in ("support-sheet.pdf", "certificate-weekly.pdf")}
    wrong = coursekit("handouts", "--no-build", "--only", "no-such-sheet", "--root", str(printed.root))
    assert wrong.returncode == 1 and "Error: no handout called 'no-such-sheet': the handouts are joining-letter-weekly," \
        in wrong.stderr, wrong.stderr
    # back to A4 for the other tests
    coursekit("handouts", "--no-build", "--only", "support-sheet", "--only", "certificate-weekly", "--root", str(printed.root))


def _body_chars(path: Path) -> list[tuple[int, int, list[float]]]:
    """Per page: its number, how many characters lie in the body (between the top and bottom margins,
    where the running head and page number are not), and the right edges of its characters."""
    import pypdfium2

    margin = 20 * 72 / 25.4  # the @page margin, 20 mm, in points
    doc = pypdfium2.PdfDocument(str(path))
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            text = page.get_textpage()
            body, rights = 0, []
            for c in range(text.count_chars()):
                if not text.get_text_range(c, 1).strip():
                    continue
                left, bottom, right, top = text.get_charbox(c)
                rights.append(right / width)
                if bottom > margin and top < height - margin:
                    body += 1
            out.append((i + 1, body, rights))
    finally:
        doc.close()
    return out


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_no_sheet_of_paper_is_wasted(printed: Built, edition: str) -> None:
    """Every page carries at least a line of body text (no blank pages, none with only a running head),
    and nothing is printed past the right edge of the text block."""
    path = printed.root / "_build" / edition / "pdf" / f"learning-to-fall-{edition}.pdf"
    pages = _body_chars(path)
    near_empty = [n for n, body, _ in pages if body < 60]
    assert near_empty == [], f"{edition}: pages with less than a line of body text: {near_empty[:20]}"
    outside = [n for n, _, rights in pages if rights and max(rights) > 1 - 15 / 210]  # 18 mm margin, 3 mm grace
    assert outside == [], f"{edition}: text past the right margin on pages {outside[:10]}"
    # modules start on a new sheet; a short page follows the last on the same sheet
    texts = _texts(path)
    # seven modules: 431 and 624 pages; a sheet for every web page gave 454 and 643 for the first six
    assert len(texts) < {"learner": 460, "instructor": 660}[edition], len(texts)


def test_every_table_fits_the_printed_page(printed: Built, browser) -> None:
    """Laid out as printed (print styles, the page prepared as for printing, the A4 text block's width),
    no table is wider than the page: the crosswalk's hours columns were cut off on paper."""
    from coursekit.course import Course
    from coursekit.pdf import PREPARE, _module_heads

    course = Course.load(printed.root)
    info = {"title": "Learning to Fall", "subtitle": "", "institution": "", "version": "0", "date": "", "logo": "",
            "modules": _module_heads(course), "edition": "Instructor edition", "pages": []}
    page = browser.new_page(viewport={"width": 658, "height": 1000})  # 174 mm at 96 px an inch
    try:
        page.goto((printed.root / "_build" / "instructor" / "singlehtml" / "index.html").resolve().as_uri())
        page.emulate_media(media="print")
        page.evaluate(PREPARE, info)
        wide = page.evaluate("""() => [...document.querySelectorAll('article table')].filter((t) => {
            const box = t.getBoundingClientRect(), holder = t.closest('.pst-scrollable-table-container') || t;
            return box.right > document.documentElement.clientWidth + 1 || holder.scrollWidth > holder.clientWidth + 1;
          }).map((t) => (t.closest('[aria-label]') || t).getAttribute('aria-label') || t.textContent.slice(0, 60))""")
        tables = page.evaluate("document.querySelectorAll('article table').length")
    finally:
        page.close()
    assert tables > 50
    assert wide == [], wide[:5]

"""The workbook in a real browser: answer boxes that keep what a trainee types in this browser only,
answers downloaded as notebooks and opened again in a fresh browser, and a portfolio that leaves out
private exercises and holds exactly the text of the command-line export."""

from __future__ import annotations

import json
import os
import re
import zipfile
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from helpers import REPO, Built, Page, coursekit, new_page, unavailable, visible_text

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SAVED = re.compile(r"^Saved in this browser (at|on) ")
DATE_LINE = re.compile(r"Put together on \d{1,2} [A-Z][a-z]+ \d{4}")
SCRIPT_BUDGET = 32 * 1024   # bytes of coursekit/static/workbook.js, unminified (about 10 kB gzipped)
PAGE_BUDGET = 1024 * 1024


# --- fixtures and helpers ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built: Built, served) -> dict:
    """The learner edition: its base URL and the workbook catalogue the script reads."""
    html = built.html("learner")
    cat = json.loads((html / "_static" / "workbook-catalogue.json").read_text(encoding="utf-8"))
    private = [e for e in cat["exercises"] if e["private"] and len(e["prompts"]) >= 2]
    public = [e for e in cat["exercises"] if not e["private"] and len(e["prompts"]) >= 2]
    assert private and public, "the course needs a private and a shared exercise with two prompts or more"
    return {"base": served["learner"], "html": html, "cat": cat, "public": public[0], "private": private[0]}


@pytest.fixture(scope="module")
def axe_source() -> str:
    candidates = [os.environ.get("COURSEKIT_AXE", ""), REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"]
    spec = find_spec("axe_playwright_python")
    if spec and spec.origin:
        candidates.append(Path(spec.origin).parent / "axe.min.js")
    for path in candidates:
        if path and Path(path).is_file():
            return Path(path).read_text(encoding="utf-8")
    unavailable("axe-core not found: pip install -e '.[test]' (axe-playwright-python bundles it), or set COURSEKIT_AXE")


def watched(browser, base: str, **kw):
    """A page in a fresh browser profile that also records every request it makes."""
    page = new_page(browser, base, **kw)
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append((r.method, r.resource_type, r.url)))
    return page


def no_request_left(page, base: str) -> None:
    """Nothing went anywhere but this site, and nothing was sent: reads only."""
    host = urlparse(base).netloc
    bad = [r for r in page.requests if r[0] != "GET" or r[1] in ("ping", "beacon", "websocket", "eventsource")
           or (urlparse(r[2]).netloc != host and not r[2].startswith(("blob:", "data:")))]
    assert not bad, bad
    assert not page.problems, page.problems


def visit(page, base: str, entry: dict) -> None:
    page.goto(f"{base}/{entry['page']}")
    page.wait_for_selector(".answer-box__input")


def type_answers(page, entry: dict, texts: dict[int, str]) -> None:
    for n, text in texts.items():
        box = page.locator(f"#answer-{entry['prompts'][n]['cell']}")
        box.click()
        page.keyboard.press("Control+End")
        page.keyboard.type(text)  # "\n" presses Enter: a new line
    page.evaluate("document.activeElement.blur()")  # leave the box: saved at once
    for n in texts:
        status = page.locator(f"[data-cell='{entry['prompts'][n]['cell']}'] .answer-box__status")
        page.wait_for_function("(el) => /^Saved in this browser/.test(el.textContent)", arg=status.element_handle())


def values(page, entry: dict) -> dict[str, str]:
    return {p["cell"]: page.locator(f"#answer-{p['cell']}").input_value() for p in entry["prompts"]}


def download(page, click, into: Path) -> Path:
    """Click, and keep the file the browser downloads (under the name it suggests) in ``into``."""
    with page.expect_download() as info:
        click()
    target = into / info.value.suggested_filename
    into.mkdir(parents=True, exist_ok=True)
    info.value.save_as(target)
    return target


def responses(nb) -> dict[str, str]:
    return {c["id"]: c["source"] for c in nb.cells if "response" in c.metadata.get("tags", [])}


def open_files(page, base: str, paths: list[Path], where: str = "exercises/index.html") -> str:
    page.goto(f"{base}/{where}")
    page.wait_for_selector("#workbook-tools .wb-button")
    page.set_input_files("#workbook-tools input[type=file]", [str(p) for p in paths])
    status = page.locator("#workbook-tools .wb-status")
    page.wait_for_function("(el) => el.textContent && !/Reading/.test(el.textContent)", arg=status.element_handle())
    return status.inner_text()


def axe(page, source: str) -> list[str]:
    page.add_script_tag(content=source)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))", WCAG_TAGS)


def filled_copy(course_nb: Path, dest: Path, texts: dict[str, str], extra_after: str | None = None) -> Path:
    """A trainee's copy as a notebook editor leaves it: answers in the response cells, one cell added."""
    nb = nbformat.read(course_nb, as_version=4)
    for cell in nb.cells:
        if cell.get("id") in texts:
            cell.source = texts[cell["id"]]
    if extra_after:
        at = next(i for i, c in enumerate(nb.cells) if c.get("id") == extra_after)
        nb.cells.insert(at + 1, nbformat.v4.new_markdown_cell("A cell I added in JupyterLab."))
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


def cli_portfolio(built: Built, tmp: Path, inputs: list[Path], *args: str) -> str:
    out = tmp / "cli-portfolio.html"
    result = coursekit("workbook", "export", *map(str, inputs), "-o", str(out), "--force", "--root", str(built.root), *args)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def same_day(text: str) -> str:
    return DATE_LINE.sub("Put together on DATE", text)


# --- the tests ------------------------------------------------------------------------------------

def test_answers_are_kept_in_this_browser_downloaded_and_opened_again(browser, site, tmp_path: Path) -> None:
    base, one, two = site["base"], site["public"], site["private"]
    page = watched(browser, base)
    typed = {one["id"]: {0: "First thoughts: <b>not bold</b> & \"quoted\".\nA second line.\n\nA new paragraph.",
                         1: "Café — short."},
             two["id"]: {0: "Code word: heron.", 1: "It is about not knowing."}}
    for entry in (one, two):
        visit(page, base, entry)
        notes = page.locator(".workbook-note")
        assert notes.count() == 1
        note = notes.inner_text()
        # one line on a phone's screen, and a link to the full account of what erases answers
        for words in ("in this browser only", "Nothing is sent anywhere", "download your answers", "What can erase them"):
            assert words in note, words
        assert notes.locator("a[href$='using-the-workbook.html']").count() == 1
        type_answers(page, entry, typed[entry["id"]])
    # reload: the answers are there, and the saved state says so
    for entry in (one, two):
        visit(page, base, entry)
        got = values(page, entry)
        for n, text in typed[entry["id"]].items():
            assert got[entry["prompts"][n]["cell"]] == text
        assert SAVED.match(page.locator(".answer-box__status").first.inner_text())
    # the stored form: under the course slug and the exercise id, on this device only
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('coursekit:') && k.includes(':answers:'))")
    slug = site["cat"]["course"]["slug"]
    assert sorted(stored) == sorted(f"coursekit:{slug}:answers:{e['id']}" for e in (one, two))
    # download each exercise: a valid notebook with the answers in their cells and all else kept
    files = []
    for entry in (one, two):
        visit(page, base, entry)
        path = download(page, lambda: page.get_by_role("button", name="Download my answers").click(), tmp_path)
        assert path.name == f"{entry['id']}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert (nb.nbformat, nb.nbformat_minor) >= (4, 5)
        course = nbformat.read(site["html"] / entry["notebook"], as_version=4)
        want = {entry["prompts"][n]["cell"]: text for n, text in typed[entry["id"]].items()}
        assert {k: v for k, v in responses(nb).items() if v} == want
        assert [c.get("id") for c in nb.cells] == [c.get("id") for c in course.cells]
        assert [c.source for c in nb.cells if c.get("id") not in want] == \
            [c.source for c in course.cells if c.get("id") not in want]
        meta = nb.metadata["coursekit"]
        assert meta["saved"] and {k: v for k, v in meta.items() if k != "saved"} == course.metadata["coursekit"]
        files.append(path)
    # the exercise index: one zip of every exercise with answers, stored (not compressed)
    page.goto(f"{base}/exercises/index.html")
    archive = download(page, lambda: page.get_by_role("button", name="Download all my answers").click(), tmp_path)
    with zipfile.ZipFile(archive) as zf:
        assert zf.testzip() is None
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        names = [n for n in zf.namelist() if n.endswith(".ipynb")]
        assert [n.split("-", 1)[1] for n in map(lambda n: n.rsplit("/", 1)[1], names)] == \
            [f"{e['id']}.ipynb" for e in site["cat"]["exercises"] if e["id"] in (one["id"], two["id"])]
        for name in names:
            nbformat.validate(nbformat.reads(zf.read(name).decode("utf-8"), as_version=4))
    no_request_left(page, base)
    page.context.close()

    # a fresh browser profile opens the two notebooks at once: the answers are back
    fresh = watched(browser, base)
    said = open_files(fresh, base, files)
    assert "for 2 exercises" in said, said
    for entry in (one, two):
        visit(fresh, base, entry)
        for n, text in typed[entry["id"]].items():
            assert values(fresh, entry)[entry["prompts"][n]["cell"]] == text
    # a different answer in this browser: the trainee is asked before it is replaced
    visit(fresh, base, one)
    type_answers(fresh, one, {0: " Changed here."})
    fresh.once("dialog", lambda d: d.dismiss())
    assert "kept the answers already in this browser" in open_files(fresh, base, [files[0]])
    visit(fresh, base, one)
    assert values(fresh, one)[one["prompts"][0]["cell"]].endswith("Changed here.")
    asked = []
    fresh.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    open_files(fresh, base, [files[0]])
    assert "this browser holds different answers" in asked[0] and "newer" in asked[0]
    visit(fresh, base, one)
    assert values(fresh, one)[one["prompts"][0]["cell"]] == typed[one["id"]][0]
    no_request_left(fresh, base)
    fresh.context.close()

    # another fresh profile opens the zip
    third = watched(browser, base)
    assert "for 2 exercises" in open_files(third, base, [archive])
    visit(third, base, two)
    assert values(third, two)[two["prompts"][1]["cell"]] == typed[two["id"]][1]
    no_request_left(third, base)
    third.context.close()


def test_files_from_a_notebook_editor_and_elsewhere_open_too(browser, site, tmp_path: Path) -> None:
    base, entry = site["base"], site["public"]
    course_nb = site["html"] / entry["notebook"]
    first, second = entry["prompts"][0]["cell"], entry["prompts"][1]["cell"]
    # filled in JupyterLab, with a cell added under the first answer
    edited = filled_copy(course_nb, tmp_path / "lab" / "mine.ipynb", {first: "Written in JupyterLab."}, extra_after=first)
    # a copy from before exercises had ids: found by its title
    old = nbformat.read(course_nb, as_version=4)
    del old.metadata["coursekit"]["id"]
    next(c for c in old.cells if c.get("id") == second).source = "From a copy without an id."
    nbformat.write(old, tmp_path / "old.ipynb")
    # a zip compressed the usual way (deflate), and a damaged file
    deflated = tmp_path / "from-my-laptop.zip"
    with zipfile.ZipFile(deflated, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(edited, "workbook/mine.ipynb")
    damaged = tmp_path / "damaged.ipynb"
    damaged.write_text('{"cells": [', encoding="utf-8")
    page = watched(browser, base)
    said = open_files(page, base, [edited])
    visit(page, base, entry)
    assert values(page, entry)[first] == "Written in JupyterLab.\n\nA cell I added in JupyterLab."
    page.evaluate("localStorage.clear()")
    said = open_files(page, base, [deflated])
    assert "for 1 exercise" in said, said
    page.evaluate("localStorage.clear()")
    said = open_files(page, base, [tmp_path / "old.ipynb", damaged])
    assert "for 1 exercise" in said, said
    assert ("damaged.ipynb: damaged, it cannot be read as a notebook; if it is one of your exercises, "
            "download a fresh copy of this exercise from its page.") in said
    visit(page, base, entry)
    assert values(page, entry)[second] == "From a copy without an id."
    # on a shared computer, the trainee can take the answers out of this browser
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete my answers from this browser").click()
    assert not any(values(page, entry).values())
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':answers:'))") == []
    no_request_left(page, base)
    page.context.close()


def test_portfolio_leaves_out_private_exercises_and_matches_the_command_line(browser, site, built: Built,
                                                                             tmp_path: Path) -> None:
    base, one, two = site["base"], site["public"], site["private"]
    page = watched(browser, base)
    for entry in (one, two):
        visit(page, base, entry)
        type_answers(page, entry, {1: f"My answer to {entry['title']}.\n\nIt *mattered* <really>."})
    files = []
    for entry in (one, two):
        visit(page, base, entry)
        files.append(download(page, lambda: page.get_by_role("button", name="Download my answers").click(), tmp_path))
    page.goto(f"{base}/exercises/portfolio.html")
    page.wait_for_selector(".portfolio-doc")
    assert page.locator(f"#pf-pick-{one['id']}").is_checked()
    assert not page.locator(f"#pf-pick-{two['id']}").is_checked(), "a private exercise is ticked by default"
    preview = page.locator(".portfolio__preview")
    assert one["title"] in preview.inner_text() and two["title"] not in preview.inner_text()
    # only answered prompts: the unanswered first prompt is not there
    assert "No answer yet" not in preview.inner_text()
    in_page = " ".join(preview.inner_text().split())
    saved = download(page, lambda: page.get_by_role("button", name="Download as one HTML file").click(), tmp_path)
    browser_html = saved.read_text(encoding="utf-8")
    cli_html = cli_portfolio(built, tmp_path, files)
    assert same_day(browser_html) == same_day(cli_html)
    main = re.search(r"<main>(.*)</main>", cli_html, re.S).group(1)
    assert " ".join(Page(main).text.split()) == in_page
    assert not re.search(r"<(script|link|img|iframe)\b|(src|href)=\"(https?:)?//", browser_html)
    # ticked, the private exercise joins
    page.locator(f"#pf-pick-{two['id']}").check()
    assert two["title"] in preview.inner_text()
    no_request_left(page, base)
    page.context.close()


def test_portfolio_of_every_exercise_from_picked_files_matches_the_command_line(browser, site, built: Built,
                                                                                tmp_path: Path) -> None:
    """Every prompt of the course, through both the browser and the command line."""
    base, files = site["base"], []
    for n, entry in enumerate(site["cat"]["exercises"]):
        texts = {p["cell"]: f"Answer {i} to {entry['id']}:\nline two.\n\n  Para <{i}> & more.  "
                 for i, p in enumerate(entry["prompts"]) if i % 3 != 1}
        files.append(filled_copy(site["html"] / entry["notebook"], tmp_path / "mine" / f"{n}.ipynb", texts))
    page = watched(browser, base)
    page.goto(f"{base}/exercises/portfolio.html")
    page.wait_for_selector(".portfolio-doc")
    page.set_input_files("#portfolio input[type=file]", [str(p) for p in files])
    page.wait_for_selector(f"#pf-pick-{site['cat']['exercises'][0]['id']}")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':answers:')).length") == 0, \
        "files picked for the portfolio were stored"
    for entry in site["cat"]["exercises"]:
        page.locator(f"#pf-pick-{entry['id']}").check()
    page.locator("#pf-unanswered").check()
    saved = download(page, lambda: page.get_by_role("button", name="Download as one HTML file").click(), tmp_path)
    private = [a for e in site["cat"]["exercises"] if e["private"] for a in ("--include-private", e["id"])]
    cli_html = cli_portfolio(built, tmp_path, [tmp_path / "mine"], "--all", *private)
    assert same_day(saved.read_text(encoding="utf-8")) == same_day(cli_html)
    no_request_left(page, base)
    page.context.close()


def test_workbook_pages_pass_axe_and_work_by_keyboard(browser, site, axe_source: str) -> None:
    base, entry = site["base"], site["public"]
    page = watched(browser, base)
    visit(page, base, entry)
    type_answers(page, entry, {0: "An answer."})
    problems = [f"exercise page: {v}" for v in axe(page, axe_source)]
    # each box is named by its prompt's label
    for p in entry["prompts"]:
        box = page.locator(f"#answer-{p['cell']}")
        label_id = box.get_attribute("aria-labelledby")
        # named by its prompt for a screen reader; on screen the prompt is shown once, above the box
        assert page.locator(f"#{label_id}").text_content() == f"Your answer: {p['label']}"
        assert visible_text(page, f"#{label_id}") == "Your answer"
    # the boxes are reached with the Tab key, and typed into
    page.goto(f"{base}/{entry['page']}")
    page.wait_for_selector(".answer-box__input")
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('answer-box__input')"):
            break
    else:
        pytest.fail("Tab never reaches an answer box")
    for where in ("exercises/index.html", "exercises/portfolio.html"):
        page.goto(f"{base}/{where}")
        page.wait_for_selector(".wb-button")
        problems += [f"{where}: {v}" for v in axe(page, axe_source)]
    assert not problems, "\n".join(problems)
    no_request_left(page, base)
    page.context.close()


def test_on_a_phone_the_boxes_fill_the_width_and_buttons_are_easy_to_tap(browser, site) -> None:
    base, entry = site["base"], site["public"]
    page = watched(browser, base, width=390, height=844, scale=2, is_mobile=True, has_touch=True)
    for where in (entry["page"], "exercises/index.html", "exercises/portfolio.html"):
        page.goto(f"{base}/{where}")
        page.wait_for_selector(".wb-button")
        sizes = page.evaluate("""() => ({
            page: document.documentElement.scrollWidth,
            boxes: [...document.querySelectorAll('.answer-box__input')].map(t => [t.getBoundingClientRect().width,
                    t.parentElement.getBoundingClientRect().width, parseFloat(getComputedStyle(t).fontSize)]),
            buttons: [...document.querySelectorAll('.wb-button, .portfolio__list input, #pf-unanswered')]
                     .filter(b => b.offsetParent).map(b => [b.textContent, b.closest('li, p, button').getBoundingClientRect().height])})""")
        assert sizes["page"] <= 390, f"{where} scrolls sideways on a phone"
        for width, room, font in sizes["boxes"]:
            assert width >= room - 1 and font >= 16
        for name, height in sizes["buttons"]:
            assert height >= 44, f"{where}: {name!r} is {height} px tall"
    no_request_left(page, base)
    page.context.close()


def test_printing_the_portfolio_prints_only_the_portfolio(browser, site) -> None:
    base, entry = site["base"], site["public"]
    page = watched(browser, base)
    visit(page, base, entry)
    type_answers(page, entry, {0: "Printed answer."})
    page.goto(f"{base}/exercises/portfolio.html")
    page.wait_for_selector(".portfolio-doc")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('h1, h2, h3, .wb-button, .bd-header, footer')]
        .filter(e => e.getClientRects().length).map(e => e.textContent.trim())""")
    assert shown[0] == "Workbook portfolio" and entry["title"] in shown
    assert "My portfolio" not in shown and "Choose what goes in" not in shown
    assert not any(s.startswith(("Print", "Download")) for s in shown)
    page.context.close()


def test_without_scripts_the_page_reads_as_before(browser, site) -> None:
    base, entry = site["base"], site["public"]
    page = new_page(browser, base, java_script_enabled=False)
    page.goto(f"{base}/{entry['page']}")
    assert page.locator("textarea").count() == 0
    assert page.locator(".answer-box__space").count() == len(entry["prompts"])
    page.goto(f"{base}/exercises/portfolio.html")
    assert page.locator(".portfolio__noscript").is_visible()
    page.context.close()


def test_the_script_is_small_and_pages_stay_in_budget(browser, site) -> None:
    script = REPO / "coursekit" / "static" / "workbook.js"
    assert script.stat().st_size <= SCRIPT_BUDGET, f"workbook.js is {script.stat().st_size:,} bytes"
    source = script.read_text(encoding="utf-8")
    assert source.count("fetch(") == 2, "the script reads the catalogue and the notebooks, nothing else"
    assert not re.search(r"sendBeacon|XMLHttpRequest|WebSocket|EventSource|import\(|\.submit\(|https?://", source)
    base = site["base"]
    page = watched(browser, base)
    for where in (site["public"]["page"], "exercises/index.html", "exercises/portfolio.html"):
        page.goto(f"{base}/{where}")
        page.wait_for_selector(".wb-button")
        weight = page.evaluate("""() => performance.getEntriesByType('navigation').concat(
            performance.getEntriesByType('resource')).reduce((n, e) => n + (e.decodedBodySize || 0), 0)""")
        assert weight <= PAGE_BUDGET, f"{where} loads {weight:,} bytes"
    no_request_left(page, base)
    page.context.close()

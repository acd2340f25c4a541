"""A trainee's safety and privacy, tried as a trainee would on a 390 px phone: the capstone answered in
full and taken to supervision (the portfolio page, its printed PDF, its downloaded HTML and the
command-line export hold the vignette and afterword and none of what the exercise keeps private);
help one tap away from anywhere; and a content note before the text on every page that can hit hard."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import Built, coursekit, new_page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}
CAPSTONE = "capstone-failure-vignette"

# Written by hand from the exercise's own words ("what stays yours"), not read from the notebook's tags:
# the prompts whose answers must never leave the device, and those a trainee submits.
CAPSTONE_PRIVATE = {"p1-r": "code word", "p2-r": "checks and rating", "p3-r": "working notes", "p4-r": "the moment",
                    "p5-r": "the body", "p6-r": "the client's side", "stop1-r": "stop point 1", "p7-r": "disguise",
                    "p8-r": "first draft", "stop2-r": "stop point 2", "p9-r": "revision notes", "closing-r": "closing"}
CAPSTONE_SHARED = {"p10-r": "revised vignette", "p11-r": "afterword", "p12-r": "decision on sharing"}

# The pages whose material can hit hard (issue 22): sexual feelings and touch, a client's suicide,
# complaints, harm by a therapist, shame memories, and the body exercises.
HARD_PAGES = ["chapters/therapists-person/sexual-feelings.html", "chapters/therapists-person/touch.html",
              "chapters/learning-from-failure/after-a-suicide.html", "chapters/learning-from-failure/accountability.html",
              "chapters/shame/therapist-shame.html", "chapters/shame/body-of-shame.html",
              "exercises/shame/noticing-shame-in-the-body.html", "exercises/therapists-person/your-body-and-a-clients-affect.html",
              "exercises/failure/a-failure-of-my-own.html", "exercises/shame/what-i-keep-from-supervision.html",
              f"exercises/learning-from-failure/{CAPSTONE}.html"]


def _answer(cell: str) -> str:
    """What a trainee might write; private answers carry the kind of detail the course forbids sharing."""
    if cell in CAPSTONE_PRIVATE:
        return f"PRIVATE-{cell}: Sandra, 61, florist, Leeds clinic, 2025; I rated it 7 of 10."
    return f"SHARED-{cell}: Maren, late fifties, a gardener, came on a wet Tuesday.\n\nThe second paragraph."


def _download(page, click, into: Path) -> Path:
    with page.expect_download() as info:
        click()
    into.mkdir(parents=True, exist_ok=True)
    target = into / info.value.suggested_filename
    info.value.save_as(target)
    return target


def _pdf_text(path: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_the_capstone_goes_to_supervision_without_what_stays_private(browser, built: Built, served, tmp_path: Path) -> None:
    base = served["learner"]
    cat = json.loads((built.html("learner") / "_static" / "workbook-catalogue.json").read_text(encoding="utf-8"))
    entry = next(e for e in cat["exercises"] if e["id"] == CAPSTONE)
    cells = [p["cell"] for p in entry["prompts"]]
    assert set(cells) == set(CAPSTONE_PRIVATE) | set(CAPSTONE_SHARED), cells
    page = new_page(browser, base, **PHONE)
    page.goto(f"{base}/{entry['page']}")
    page.wait_for_selector(".answer-box__input")
    # every private box says so where the trainee writes
    for cell in cells:
        box = page.locator(f".answer-box[data-cell='{cell}']")
        assert (box.locator(".answer-box__private").count() == 1) == (cell in CAPSTONE_PRIVATE), cell
    # fill every box
    for cell in cells:
        page.locator(f"#answer-{cell}").fill(_answer(cell))
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_function("(n) => document.querySelectorAll('.answer-box__status:not(:empty)').length >= n", arg=len(cells))
    # the trainee's own backup keeps everything, and says so
    backup = _download(page, lambda: page.get_by_role("button", name="Download my answers").click(), tmp_path / "mine")
    kept = json.loads(backup.read_text(encoding="utf-8"))
    written = " ".join("".join(c["source"]) for c in kept["cells"])
    assert all(_answer(cell).split("\n")[0] in written for cell in cells)
    assert "for you alone" in page.locator(".workbook-note .wb-status").inner_text()

    # My portfolio: the capstone is a private exercise, so the trainee ticks it
    page.goto(f"{base}/exercises/portfolio.html")
    page.wait_for_selector(f"#pf-pick-{CAPSTONE}")
    assert not page.locator(f"#pf-pick-{CAPSTONE}").is_checked()
    page.locator(f"label[for='pf-pick-{CAPSTONE}']").click()
    about = page.locator(f"label[for='pf-pick-{CAPSTONE}'] .portfolio__about").inner_text()
    assert f"{len(CAPSTONE_PRIVATE)} answers for you alone never go in" in about, about
    preview = _squash(page.locator(".portfolio__preview").inner_text())
    html_file = _download(page, lambda: page.get_by_role("button", name="Download as one HTML file").click(), tmp_path)
    page.emulate_media(media="print")
    printed = tmp_path / "portfolio.pdf"
    page.pdf(path=str(printed), format="A4", tagged=True)
    page.context.close()
    cli = tmp_path / "cli.html"
    result = coursekit("workbook", "export", str(backup), "-o", str(cli), "--include-private", CAPSTONE,
                       "--root", str(built.root))
    assert result.returncode == 0, result.stderr
    assert "Left out 12 answer(s) marked private" in result.stdout, result.stdout
    cli_md = tmp_path / "cli.md"
    assert coursekit("workbook", "export", str(backup), "-o", str(cli_md), "--all", "--include-private", CAPSTONE,
                     "--root", str(built.root)).returncode == 0

    from helpers import Page

    for name, text in (("page", preview), ("PDF", _squash(_pdf_text(printed))),
                       ("downloaded HTML", _squash(Page(html_file.read_text(encoding="utf-8")).text)),
                       ("command line, HTML", _squash(Page(cli.read_text(encoding="utf-8")).text)),
                       ("command line, Markdown, --all", _squash(cli_md.read_text(encoding="utf-8")))):
        for cell in CAPSTONE_SHARED:
            assert f"SHARED-{cell}" in text, (name, cell)
        leaked = [cell for cell in CAPSTONE_PRIVATE if f"PRIVATE-{cell}" in text]
        assert not leaked, (name, leaked)
        assert "Sandra" not in text and "Leeds" not in text, name
        # nor the private prompts themselves (the --all export lists unanswered prompts, never private ones)
        assert "Prompt 7. Your disguise" not in text and "A code word" not in text, name


def test_help_is_one_tap_away_and_its_first_screen_says_what_to_do(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, **PHONE)
    # from a hard page's own note, a module's content note, an exercise page's note and any page's footer
    starts = [("chapters/therapists-person/sexual-feelings.html", ".page-note a[href$='help-now.html']"),
              ("chapters/therapists-person/index.html", "#content-note a[href$='help-now.html']"),
              ("chapters/rupture-repair/vignette.html", ".content-note-reminder a[href$='help-now.html']"),
              ("glossary.html", ".help-now-link a")]
    for start, link in starts:
        page.goto(f"{base}/{start}")
        page.locator(link).first.tap()
        page.wait_for_url(re.compile(r"/help-now\.html"))
        page.wait_for_selector("#urgent-help")
        page.evaluate("window.scrollTo(0, 0)")
        height = page.viewport_size["height"]
        for number in ("tel:999", "tel:112", "tel:116123", "tel:111"):
            box = page.locator(f"#urgent-help a[href='{number}']").bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (start, number, box)
        first = page.locator("article p").first.inner_text()
        assert "composite story" not in first and first.startswith("In danger now"), first
    # the footer link is on every kind of page, the home page and the exercise index too
    for start in ("index.html", "exercises/index.html", "chapters/shame/index.html", "bibliography.html"):
        page.goto(f"{base}/{start}")
        href = page.locator(".help-now-link a").get_attribute("href")
        assert href and href.endswith("help-now.html"), (start, href)
    # Orientation's support page is no longer told it holds a composite story of a therapy
    page.goto(f"{base}/chapters/orientation/studying-painful-material.html")
    assert "composite story of a therapy" not in page.locator("article").inner_text()
    assert not page.problems, page.problems
    page.context.close()


@pytest.mark.parametrize("path", HARD_PAGES)
def test_a_page_that_can_hit_hard_opens_with_its_note(browser, served, path: str) -> None:
    base = served["learner"]
    page = new_page(browser, base, **PHONE)
    page.goto(f"{base}/{path}")
    note = page.locator("article .page-note")
    assert note.count() == 1, path
    assert note.locator(".content-note__title").inner_text().strip() == "Before you read"
    assert note.locator("a[href*='help-now']").count() == 1 and note.locator("a[href*='#content-note']").count() == 1
    # the note is the first thing under the title: no paragraph of the page's own text comes before it
    before = page.evaluate("""() => {
        const note = document.querySelector('article .page-note'), h1 = document.querySelector('article h1');
        const paras = [...document.querySelectorAll('article p')].filter(p => !note.contains(p));
        const earlier = paras.filter(p => p.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING)
            .filter(p => !p.closest('.exercise-module'));
        return {h1First: !!(h1.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING),
                earlier: earlier.map(p => p.textContent.trim().slice(0, 60))};
    }""")
    assert before["h1First"] and not before["earlier"], (path, before)
    assert note.bounding_box()["y"] < page.viewport_size["height"], "the note is below the first screen"
    page.context.close()

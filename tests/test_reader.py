"""A reader on a phone, a tablet or a zoomed laptop: the menus open, navigate and close; no page
scrolls sideways at 320 px; search reads cleanly; exercise and vignette pages carry what a reader
needs; pages print with running heads on A4; pages load only the assets they use."""

from __future__ import annotations

import io
import re

import pytest

from helpers import Built, new_page, parse

pytestmark = pytest.mark.browser

# (width, height, device scale): a phone, a tablet, and a 1366 x 900 laptop zoomed to 200 %,
# which lays pages out in 683 x 450 CSS pixels at two device pixels each.
SCREENS = {"phone 390x844": (390, 844, 1), "tablet 768x1024": (768, 1024, 1), "laptop 1366x900 at 200%": (683, 450, 2)}
MODULE_PAGE = "chapters/shame/index.html"

# The drawers' contents: the theme moves them into a modal dialog on narrow screens.
MENU = "nav.bd-docs-nav"
CONTENTS = "nav.bd-toc-nav, nav.page-toc"
ON_SCREEN = """(sel) => { const found = [...document.querySelectorAll(sel)].map(el => {
    const r = el.getBoundingClientRect(); let s = el, shown = true;
    for (; s; s = s.parentElement) { const c = getComputedStyle(s); if (c.visibility === 'hidden' || c.display === 'none') shown = false; }
    return {x: r.x, w: r.width, visible: shown && r.width > 0 && r.height > 0 && r.right > 0 && r.x < innerWidth}; });
  return found.find(f => f.visible) || found[0] || {x: 0, w: 0, visible: false}; }"""
TOOLTIPS = """() => [...document.querySelectorAll('.tooltip')].filter(t => {
  const r = t.getBoundingClientRect(); return r.width > 0 && getComputedStyle(t).opacity !== '0'; }).length"""


def _visible_toggle(page, cls: str):
    toggle = page.locator(f"button.{cls}:visible")
    assert toggle.count() == 1, f"expected one visible {cls} button, found {toggle.count()}"
    return toggle


@pytest.mark.parametrize("screen", list(SCREENS), ids=list(SCREENS))
def test_course_menu_opens_navigates_and_closes(browser, served, screen: str) -> None:
    width, height, scale = SCREENS[screen]
    page = new_page(browser, served["learner"], width=width, height=height, scale=scale)
    try:
        page.goto(f"{served['learner']}/{MODULE_PAGE}")
        assert not page.evaluate(ON_SCREEN, MENU)["visible"], "the menu should start closed"
        _visible_toggle(page, "primary-toggle").click()
        page.wait_for_timeout(400)
        menu = page.evaluate(ON_SCREEN, MENU)
        assert menu["visible"] and menu["x"] >= 0, f"the course menu did not open on screen: {menu}"
        assert page.evaluate(TOOLTIPS) == 0, "a tooltip stays on screen after the tap"
        link = page.locator(f"{MENU} a.reference.internal:visible", has_text="Glossary").first
        link.click()
        page.wait_for_url("**/glossary.html")
        assert not page.evaluate(ON_SCREEN, MENU)["visible"], "the menu stays open after navigating"
        _visible_toggle(page, "primary-toggle").click()
        page.wait_for_timeout(400)
        assert page.evaluate(ON_SCREEN, MENU)["visible"]
        page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        assert not page.evaluate(ON_SCREEN, MENU)["visible"], "Escape does not close the menu"
        assert page.evaluate(TOOLTIPS) == 0, "a tooltip stays on screen after closing the menu"
        assert not page.problems, page.problems
    finally:
        page.context.close()


def test_no_tooltip_stays_after_tapping_search_or_colour_mode(browser, served) -> None:
    page = new_page(browser, served["learner"], width=390, height=844, scale=3, is_mobile=True, has_touch=True)
    try:
        page.goto(f"{served['learner']}/chapters/shame/shame-and-guilt.html")
        page.locator("button.search-button:visible").first.tap()
        page.wait_for_timeout(300)
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        assert page.evaluate(TOOLTIPS) == 0, "the search button's tooltip stays on screen after a tap"
        page.locator("button.theme-switch-button:visible").first.tap()
        page.wait_for_timeout(300)
        assert page.evaluate(TOOLTIPS) == 0, "the colour-mode button's tooltip stays on screen after a tap"
        assert not page.problems, page.problems
    finally:
        page.context.close()


@pytest.mark.parametrize("screen", list(SCREENS), ids=list(SCREENS))
def test_page_contents_drawer_opens_navigates_and_closes(browser, served, screen: str) -> None:
    width, height, scale = SCREENS[screen]
    page = new_page(browser, served["learner"], width=width, height=height, scale=scale)
    try:
        page.goto(f"{served['learner']}/chapters/shame/compass-of-shame.html")
        _visible_toggle(page, "secondary-toggle").click()
        page.wait_for_timeout(400)
        drawer = page.evaluate(ON_SCREEN, CONTENTS)
        assert drawer["visible"], f"the page-contents drawer did not open: {drawer}"
        assert page.evaluate(TOOLTIPS) == 0, "a tooltip stays on screen after the tap"
        entry = page.locator("nav.bd-toc-nav a.nav-link:visible, nav.page-toc a.nav-link:visible").nth(1)
        target = entry.get_attribute("href")
        entry.click()
        page.wait_for_timeout(400)
        assert page.url.endswith(target), f"the contents link did not navigate: {page.url}"
        assert not page.evaluate(ON_SCREEN, CONTENTS)["visible"], "the drawer stays open"
        _visible_toggle(page, "secondary-toggle").click()
        page.wait_for_timeout(400)
        page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        assert not page.evaluate(ON_SCREEN, CONTENTS)["visible"], "Escape does not close the drawer"
        assert page.evaluate(TOOLTIPS) == 0
        assert not page.problems, page.problems
    finally:
        page.context.close()


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_no_page_scrolls_sideways_at_320_px(browser, served, built: Built, edition: str) -> None:
    from test_accessibility import pages_to_audit

    page = new_page(browser, served[edition], width=320, height=640)
    wide = []
    try:
        # the instructor edition's copies of learner pages differ only in the menu: its own pages and
        # one copy of each kind, as in the accessibility pass
        for path in pages_to_audit(built, edition):
            page.goto(f"{served[edition]}/{path}", wait_until="load")
            over = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            if over > 1:
                culprit = page.evaluate("""() => { const w = innerWidth;
                  const el = [...document.querySelectorAll('.bd-article *')].find(e => e.getBoundingClientRect().right > w + 1
                     && !e.closest('.pst-scrollable-table-container'));
                  return el ? el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 60) : '?'; }""")
                wide.append(f"{path}: {over} px too wide ({culprit})")
    finally:
        page.context.close()
    assert not wide, "\n".join(wide)


def test_wide_tables_scroll_in_labelled_containers(built: Built) -> None:
    for edition, path in (("learner", "exercises/index.html"), ("instructor", "instructor/formats.html")):
        page = parse(built.html(edition) / path)
        boxes = page.by_class("pst-scrollable-table-container")
        assert boxes, f"{path}: no table containers"
        for box in boxes:
            assert box.get("role") == "region" and box.get("tabindex") == "0" and box.get("aria-label"), box
            assert re.match(r"Table( \d+)?: \S", box["aria-label"]), f"{path}: a table is named only by its number: {box}"


def _contrast(fg: str, bg: str) -> float:
    def lum(rgb: str) -> float:
        parts = [float(x) for x in re.findall(r"[\d.]+", rgb)[:3]]
        chans = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * chans[0] + 0.7152 * chans[1] + 0.0722 * chans[2]
    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_search_box_and_highlighted_results_read_clearly(browser, served, mode: str, axe_source: str) -> None:
    page = new_page(browser, served["learner"], width=390, height=844, color_scheme=mode)
    try:
        page.goto(f"{served['learner']}/search.html?q=shame")
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15000)
        page.wait_for_function("() => document.querySelectorAll('#search-results span.highlighted').length > 0",
                               timeout=15000)
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        geometry = page.evaluate("""() => { const form = document.querySelector('article form.bd-search, .bd-search-container form.bd-search, form.bd-search');
            const input = [...document.querySelectorAll('form.bd-search input')].find(i => i.getBoundingClientRect().width > 0);
            const icon = input.parentElement.querySelector('svg');
            const r = input.getBoundingClientRect();
            return {textStart: r.left + parseFloat(getComputedStyle(input).paddingLeft), iconRight: icon.getBoundingClientRect().right}; }""")
        assert geometry["iconRight"] <= geometry["textStart"], f"the magnifier covers the query: {geometry}"
        worst = page.evaluate("""() => [...document.querySelectorAll('#search-results span.highlighted')].map(s => {
            let el = s, bg = 'rgba(0, 0, 0, 0)';
            while (el && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }
            return [getComputedStyle(s).color, bg]; })""")
        assert worst
        ratios = [_contrast(fg, bg) for fg, bg in worst]
        assert min(ratios) >= 4.5, f"highlighted words at {min(ratios):.2f}:1 in {mode} mode"
        page.add_script_tag(content=axe_source)
        violations = page.evaluate("async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
                                   "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})).violations.map(v => v.id)")
        assert not violations, violations
        assert not page.problems, page.problems
    finally:
        page.context.close()


def test_axe_finds_nothing_with_the_menu_open(browser, served, axe_source: str) -> None:
    page = new_page(browser, served["learner"], width=390, height=844)
    try:
        page.goto(f"{served['learner']}/{MODULE_PAGE}")
        _visible_toggle(page, "primary-toggle").click()
        page.wait_for_timeout(400)
        page.add_script_tag(content=axe_source)
        violations = page.evaluate("async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
                                   "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})).violations"
                                   ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3))")
        assert not violations, violations
    finally:
        page.context.close()


def test_content_note_comes_first_and_reads_in_twenty_seconds(built: Built) -> None:
    from coursekit.course import Course

    course = Course.load(built.root)
    for module in course.modules:
        html = (built.html("learner") / "chapters" / module.key / "index.html").read_text(encoding="utf-8")
        article = html[html.index('<article class="bd-article"'):]
        first_block = re.search(r"<h1>.*?</h1>\s*(<div[^>]*>)", article, re.S)
        assert first_block and "content-note" in first_block.group(1), f"{module.key}: the content note is not first"
        assert article.index("content-note") < article.index('id="overview"') < article.index('id="learning-objectives"')
        note = re.search(r'<div class="[^"]*content-note[^"]*".*?</div>', article, re.S).group(0)
        assert "warning" not in note and "admonition" not in note, f"{module.key}: the note is styled as a warning"
        words = len(re.sub(r"<[^>]+>", " ", note).split())
        assert words <= 100, f"{module.key}: the content note has {words} words (about twenty seconds is 80)"
        assert 2 <= note.count("<li>") <= 4, f"{module.key}: grounding steps are not a short list"


def test_vignettes_and_stirring_exercises_point_to_the_content_note(built: Built) -> None:
    from coursekit.course import Course

    course = Course.load(built.root)
    checked = 0
    for module in course.modules:
        pages = [p.relative_to(built.root).with_suffix(".html") for p in module.vignettes()]
        pages += [f"{ex.docname}.html" for ex in course.exercises
                  if ex.module == module.key and ex.meta["intensity"] in ("moderate", "high")]
        for rel in pages:
            for edition in ("learner", "instructor"):
                html = (built.html(edition) / rel).read_text(encoding="utf-8")
                if str(rel) == "chapters/orientation/studying-painful-material.html":
                    # the grounding page itself: no line calling it "a composite story of a therapy in difficulty"
                    assert "content-note-reminder" not in html and "composite story of a therapy" not in html
                    continue
                # a one-line reminder, or the page's own note where its front matter or metadata has one
                reminder = re.search(r'<p class="content-note-reminder">(.*?)</p>', html, re.S) or \
                    re.search(r'<div class="content-note page-note"(.*?)</div>', html, re.S)
                assert reminder, f"{edition} {rel}: no content-note reminder"
                assert re.search(rf'href="[^"]*{module.key}/index\.html#content-note"|href="index\.html#content-note"',
                                 reminder.group(1)), f"{edition} {rel}: the reminder does not link the content note"
                assert re.search(r'href="[./]*help-now\.html"', reminder.group(1)), f"{edition} {rel}: no link to help now"
                checked += 1
    assert checked >= 10


def test_exercise_pages_have_answer_spaces_a_way_back_and_linked_citations(built: Built) -> None:
    import nbformat

    from coursekit.course import Course

    course = Course.load(built.root)
    for ex in course.exercises:
        nb = nbformat.read(ex.path, as_version=4)
        cells = [c.id for c in nb.cells if "response" in c.metadata.get("tags", [])]
        html = (built.html("learner") / f"{ex.docname}.html").read_text(encoding="utf-8")
        page = parse(built.html("learner") / f"{ex.docname}.html")
        boxes = page.by_class("answer-box")
        assert [b["data-cell"] for b in boxes] == cells, f"{ex.docname}: answer boxes do not match the response cells"
        for box in boxes:
            assert f'id="answer-label-{box["data-cell"]}"' in html
        # each box is named by its own prompt: no two alike, none a bare number such as "3 (personal)."
        labels = re.findall(r'<p class="answer-box__label" id="answer-label-[^"]+">Your answer<span class="visually-hidden">: '
                            r'(.*?)</span></p>', html)
        assert len(labels) == len(boxes), ex.docname
        assert len(set(labels)) == len(labels), f"{ex.docname}: two answer boxes have the same label"
        assert not [x for x in labels if re.match(r"\d", x)], f"{ex.docname}: a label is a number: {labels}"
        back = re.search(r'<p class="exercise-module">Part of <a [^>]*href="([^"]+)"', html)
        assert back and back.group(1).endswith("index.html"), f"{ex.docname}: no link back to its module"
        assert "copy these tables" not in page.text.lower()
        if "](cite:" in "".join(c.source for c in nb.cells):
            assert re.search(r'href="[^"]*bibliography\.html#', html), f"{ex.docname}: citations are not linked"


def test_printed_pages_are_a4_with_course_and_module_in_the_running_head(browser, served, built: Built) -> None:
    import pypdf

    from coursekit.course import Course

    course = Course.load(built.root)
    shame = course.module("shame")
    for path in ("chapters/shame/compass-of-shame.html", "exercises/shame/responding-to-a-clients-shame.html"):
        page = new_page(browser, served["learner"])
        try:
            page.goto(f"{served['learner']}/{path}")
            data = page.pdf(prefer_css_page_size=True, tagged=True, outline=True)
        finally:
            page.context.close()
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) >= 2
        headings = {h.strip() for h in re.findall(r"<h[23][^>]*>(.*?)<a", (built.html("learner") / path).read_text(encoding="utf-8"), re.S)}
        headings = {re.sub(r"<[^>]+>", "", h).strip() for h in headings}
        for number, pdf_page in enumerate(reader.pages, 1):
            width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
            assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, f"{path}: page {number} is {width} x {height} pt, not A4"
            lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
            head = " ".join(lines[:3])
            assert course.programme.title in head and shame.full_title in head, f"{path} page {number}: head {head!r}"
            assert str(number) in lines[:4] + lines[-3:], f"{path}: page {number} has no page number"
            if number < len(reader.pages):
                body = [line for line in lines if line not in (course.programme.title, shame.full_title, str(number))]
                assert body and body[-1] not in headings, f"{path}: page {number} ends with the heading {body[-1]!r}"


def test_pages_load_only_the_assets_they_use(built: Built) -> None:
    for edition in ("learner", "instructor"):
        for path in built.pages(edition):
            html = (built.html(edition) / path).read_text(encoding="utf-8")
            body = html[html.index("<body"):]
            for asset, marker in (("sphinx-design", "sd-"), ("mystnb.", "cell_output"), ("togglebutton", "toggle"),
                                  ("copybutton", "<pre")):
                loads = re.search(rf'<(?:link|script)[^>]+(?:href|src)="[^"]*{re.escape(asset)}[^"]*"', html)
                if loads:
                    assert marker in body, f"{edition} {path} loads {asset} but does not use it"

"""Every page of both editions in a real browser (the instructor edition's copies of learner pages once per
kind of page): WCAG 2.2 AA by axe-core, no outside requests,
no console errors, keyboard access, language, icons, and the page-weight budget."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from helpers import Built

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_BUDGET = 1024 * 1024  # decoded bytes a first visit to any one page may load

KEYBOARD = """async () => {
  const style = (el) => { const s = getComputedStyle(el);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; };
  const a = document.activeElement;
  return {tag: a.tagName, href: a.getAttribute('href') || '', text: a.textContent.trim(), visible: style(a),
          target: !!document.getElementById((a.getAttribute('href') || '#').slice(1))};
}"""


class Visitor:
    """One browser page that visits the site page after page, recording each visit's problems: console
    errors, script errors, failed responses, requests to other hosts. Reusing the page keeps the
    browser's cache, which speeds the pass; the page weight counts decoded bytes, which a cached file
    reports as a fresh one does (checked: the search page weighs the same either way)."""

    def __init__(self, browser, base: str) -> None:
        host = urlparse(base).netloc
        self.base = base
        self.context = browser.new_context(service_workers="block")  # the offline copy is tested in test_offline.py
        self.page = self.context.new_page()
        self.problems: list[str] = []
        page = self.page
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("request", lambda r: urlparse(r.url).netloc not in (host, "") and not r.url.startswith("data:")
                and self.problems.append(f"request to another host: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def close(self) -> None:
        self.context.close()

    def visit(self, path: str, axe_source: str) -> tuple[list[str], int]:
        """Load one page; its problems and the bytes it loads."""
        self.problems = problems = []
        page = self.page
        page.goto(f"{self.base}/{path}", wait_until="load")
        if page.evaluate("document.documentElement.lang") != "en":
            problems.append("the page's lang is not 'en'")
        icons = page.evaluate("""() => ({left: document.querySelectorAll('i[class*="fa-"]').length,
            shown: [...document.querySelectorAll('svg.svg-inline--fa')].filter(s => s.getBoundingClientRect().width > 0).length})""")
        if icons["left"] or icons["shown"] < 3:
            problems.append(f"icons not drawn: {icons}")
        page.keyboard.press("Tab")
        first = page.evaluate(KEYBOARD)
        if not (first["tag"] == "A" and "skip" in first["text"].lower() and first["target"]):
            problems.append(f"the first Tab does not reach a working skip link: {first}")
        elif not first["visible"]:
            problems.append("the skip link has no visible focus indicator")
        # after a key press, focus moves the way a keyboard user's would: check a link in the article
        if page.evaluate("(() => { const a = document.querySelector('article a[href]'); if (a) a.focus(); return !!a; })()"):
            if not page.evaluate(KEYBOARD)["visible"]:
                problems.append("a link in the article has no visible focus indicator")
        weight = page.evaluate("""() => performance.getEntriesByType('navigation').concat(
            performance.getEntriesByType('resource')).reduce((n, e) => n + (e.decodedBodySize || 0), 0)""")
        page.add_script_tag(content=axe_source)
        version = page.evaluate("axe.version")
        if tuple(int(x) for x in version.split(".")[:2]) < (4, 10):
            problems.append(f"axe-core {version} is older than 4.10")
        problems += page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
            ".violations.map(v => 'axe ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))",
            WCAG_TAGS,
        )
        return list(problems), weight


ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*?)</article>', re.S)


def _article(path) -> str | None:
    found = ARTICLE.search(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def _kind(path: str) -> str:
    """What sort of page it is, for the site's chrome: each top-level page its own, then by place in a module."""
    parts = path.split("/")
    if parts[0] == "chapters" and len(parts) == 3:
        return {"index.html": "module overview", "vignette.html": "vignette", "discussion.html": "discussion"}.get(
            parts[2], "reading page")
    if parts[0] == "exercises" and len(parts) == 3:
        return "exercise page"
    return path


def pages_to_audit(built: Built, edition: str) -> list[str]:
    """Every learner page; of the instructor edition, every page whose content is its own (the guide, and
    pages whose article differs from the learner copy) and one copy of each kind of shared page, since
    the rest differ from pages already audited only in the menu, which each kind's copy covers."""
    pages = built.pages(edition)
    if edition == "learner":
        return pages
    learner, seen, chosen = set(built.pages("learner")), set(), []
    for path in pages:
        shared = path in learner and _article(built.html(edition) / path) == _article(built.html("learner") / path)
        if not shared or _kind(path) not in seen:
            chosen.append(path)
            seen.add(_kind(path))
    return chosen


def test_the_instructor_audit_covers_its_own_pages_and_every_kind_of_page(built: Built) -> None:
    chosen = pages_to_audit(built, "instructor")
    guide = [p for p in built.pages("instructor") if p.startswith("instructor/")]
    assert guide and set(guide) <= set(chosen)
    # the role-play exercise shows the client's card only here: its article differs, so it is audited
    assert "exercises/rupture-repair/role-play-rupture-in-the-room.html" in chosen
    kinds = {_kind(p) for p in built.pages("instructor")}
    assert kinds == {_kind(p) for p in chosen}
    assert len(chosen) < len(built.pages("instructor")) / 2, "the instructor audit repeats most learner pages"


def audit(browser, base: str, paths: list[str], axe_source: str) -> tuple[list[str], tuple[int, str]]:
    """Every page of `paths` as a first-time visitor: the problems found, and the heaviest page."""
    problems: list[str] = []
    heaviest = (0, "")
    visitor = Visitor(browser, base)
    try:
        for path in paths:
            found, weight = visitor.visit(path, axe_source)
            problems += [f"{path}: {p}" for p in found]
            heaviest = max(heaviest, (weight, path))
    finally:
        visitor.close()
    return problems, heaviest


def audit_in_own_browser(chromium: str, args: list[str], base: str, paths: list[str],
                         axe_source: str) -> tuple[list[str], tuple[int, str]]:
    """The same audit in a process of its own, with its own Chromium: the second core's share."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=args, headless=True)
        try:
            return audit(b, base, paths, axe_source)
        finally:
            b.close()


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_every_page_in_a_real_browser(browser, served, built: Built, axe_source: str, edition: str,
                                      chromium_path) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from helpers import CHROMIUM_ARGS

    paths = pages_to_audit(built, edition)
    # two cores: every other page is audited by a second process with its own browser, side by side
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        other = pool.submit(audit_in_own_browser, str(chromium_path), list(CHROMIUM_ARGS), served[edition],
                            paths[1::2], axe_source)
        problems, heaviest = audit(browser, served[edition], paths[0::2], axe_source)
        more, heavy = other.result()
    problems, heaviest = sorted(problems + more), max(heaviest, heavy)
    assert len(paths[0::2]) + len(paths[1::2]) == len(paths)
    assert not problems, "\n".join(problems)
    assert heaviest[0] <= PAGE_BUDGET, f"{heaviest[1]} loads {heaviest[0]:,} bytes, over the 1 MiB budget"


def test_every_handout_page_passes_axe(browser, served, built: Built, axe_source: str) -> None:
    handouts = sorted(p.name for p in (built.html("instructor") / "handouts").glob("*.html"))
    assert len(handouts) > 20
    context = browser.new_context(service_workers="block")  # the offline copy is tested in test_offline.py
    page = context.new_page()
    problems = []
    try:
        for name in handouts:
            page.goto(f"{served['instructor']}/handouts/{name}", wait_until="load")
            if page.evaluate("document.documentElement.lang") != "en" or not page.title():
                problems.append(f"{name}: no lang or title")
            page.add_script_tag(content=axe_source)
            problems += [f"{name}: {v}" for v in page.evaluate(
                "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                ".map(v => 'axe ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))",
                WCAG_TAGS)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)

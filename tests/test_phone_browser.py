"""The details a trainee meets on a phone and on paper: the exercise index turns into cards on a small
screen and never scrolls sideways; "Back to top" does not sit over the text on a phone; the portfolio
prints dark text on white when the reader uses the dark theme; a citation's entry in the bibliography
is marked when a link lands on it; search results show a readable snippet, also for title matches."""

from __future__ import annotations

import re

import pytest

from helpers import new_page

pytestmark = pytest.mark.browser

EXERCISE = "exercises/rupture-repair/annotating-a-repair.html"  # not private: in the portfolio unless left out


def _luminance(css: str) -> float:
    """Relative luminance (WCAG) of a computed 'rgb(…)' or 'rgba(…)' colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
    lin = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_exercise_index_is_cards_on_a_small_phone_and_a_table_where_there_is_room(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, width=320, height=700, is_mobile=True, has_touch=True)
    page.goto(f"{base}/exercises/index.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the exercise index scrolls sideways at 320 px"
    assert not page.locator(".exercise-table").is_visible() and page.locator(".exercise-cards").is_visible()
    first = page.locator(".exercise-cards li").first
    lines = [line.strip() for line in first.inner_text().splitlines() if line.strip()]
    # title first, then minutes, intensity, setting, kind and module
    assert lines[0] == "Your study plan and support map", lines
    assert re.match(r"\d+ minutes · \w+ intensity · [\w ]+ · [\w ]+ · .+", lines[1]), lines
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator(".exercise-table").is_visible() and not page.locator(".exercise-cards").is_visible()
    assert not page.problems, page.problems
    page.context.close()


def test_back_to_top_never_covers_the_text_on_a_phone(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, width=390, height=844, is_mobile=True, has_touch=True)
    page.goto(f"{base}/chapters/shame/compass-of-shame.html")
    page.mouse.wheel(0, 3000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    page.wait_for_timeout(300)
    button = page.locator("#pst-back-to-top")
    assert button.count() == 0 or not button.is_visible(), "'Back to top' shows over the text on a phone"
    page.context.close()


def test_the_portfolio_prints_dark_text_on_white_in_the_dark_theme(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, color_scheme="dark")
    page.goto(f"{base}/{EXERCISE}")
    page.locator(".answer-box__input").nth(1).fill("What I would do differently next time.")
    page.evaluate("document.activeElement.blur()")
    page.wait_for_function("Object.keys(localStorage).some((k) => k.endsWith(':answers:annotating-a-repair'))")
    page.goto(f"{base}/exercises/portfolio.html")
    page.wait_for_selector(".portfolio__preview .portfolio-doc")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", "the dark theme is not in use"
    answer = page.locator(".portfolio__preview").get_by_text("What I would do differently next time.").first
    on_screen = answer.evaluate("e => getComputedStyle(e).color")
    assert _luminance(on_screen) > 0.5, "on screen the dark theme shows light text (the test would prove nothing)"
    page.emulate_media(media="print", color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert _luminance(background) > 0.95, f"the printed page is not white: {background}"
    checked = 0
    for el in page.locator(".portfolio__preview").locator("h1, h2, h3, p, li, blockquote").all():
        if not el.inner_text().strip():
            continue
        colour = el.evaluate("e => getComputedStyle(e).color")
        assert _contrast(colour, background) >= 7, f"printed text is pale: {colour} in {el.inner_text()[:60]!r}"
        checked += 1
    assert checked >= 3
    page.context.close()


def test_a_citation_lands_on_a_marked_entry_in_the_bibliography(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, width=390, height=844, is_mobile=True, has_touch=True)
    page.goto(f"{base}/chapters/shame/compass-of-shame.html")
    link = page.locator("article a[href*='bibliography.html#']").first
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(rf"#{target}$"))
    entry = page.locator(f"[id='{target}']")
    style = "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).backgroundColor].join(' ')"
    other = page.locator(f".citation:not([id='{target}'])").first
    assert entry.evaluate(style) != other.evaluate(style), "the entry a citation lands on looks like every other"
    # the theme scrolls smoothly: the entry comes to rest on the screen, below the header
    page.wait_for_function("id => { const r = document.getElementById(id).getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }", arg=target, timeout=10_000)
    page.context.close()


def test_search_results_show_a_readable_snippet_for_title_matches(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base)
    page.goto(f"{base}/search.html?q=compass")
    page.wait_for_selector("#search-results li p.context", timeout=30_000)
    result = page.locator("#search-results li").filter(has=page.locator("a[href*='compass-of-shame.html']")).first
    snippet = result.locator("p.context").inner_text()
    assert len(snippet) > 120, f"a title match shows an empty snippet: {snippet!r}"
    assert "  " not in snippet and "\n" not in snippet
    assert "compass" in snippet.lower()
    assert not page.problems, page.problems
    page.context.close()

"""The built editions as a reader's browser sees them: search and downloads (see also test_accessibility)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from helpers import Built, exclusive_instructor_words

pytestmark = pytest.mark.browser


_FINISHED = ("() => { const s = document.querySelector('#search-results p.search-summary');"
             " return s && s.textContent.trim().length > 0 && !/preparing/i.test(s.textContent); }")


def _search(page, base: str, query: str) -> list[str]:
    """Run the edition's own search page for ``query``, as a reader does (search.html?q=...);
    the titles of the pages it finds. Later queries on the same edition run in the page already
    open, through the search script itself, so that its index is not loaded again for each one."""
    if page.url.startswith(f"{base}/search.html"):
        page.evaluate("(q) => { document.getElementById('search-results').replaceChildren();"
                      " Search.performSearch(q); }", query)
    else:
        page.goto(f"{base}/search.html?q={quote(query)}")
    page.wait_for_function(_FINISHED, timeout=15000)
    return page.locator("#search-results ul.search li a").all_text_contents()


def test_learner_search_finds_course_words_but_no_instructor_words(browser, served, built: Built) -> None:
    vocab = exclusive_instructor_words(built.root, built.html("learner"))
    assert len(vocab) >= 5, vocab
    page = browser.new_page(service_workers="block")
    try:
        assert _search(page, served["learner"], "grounding"), "learner search finds nothing for 'grounding'"
        for word in vocab[:15]:
            assert _search(page, served["learner"], word) == [], f"learner search finds instructor word {word!r}"
        # the same search in the instructor edition does find them
        found = [w for w in vocab[:15] if _search(page, served["instructor"], w)]
        assert found, "instructor search finds none of its own words"
    finally:
        page.close()


def test_exercise_download_delivers_the_notebook(browser, served, built: Built) -> None:
    notebooks = sorted((built.root / "exercises").rglob("*.ipynb"))
    page = browser.new_page(service_workers="block")
    try:
        for nb in notebooks:
            url = f"{served['learner']}/{nb.relative_to(built.root).with_suffix('.html').as_posix()}"
            page.goto(url)
            link = page.locator("p.exercise-download a.exercise-notebook")
            assert link.count() == 1, f"{url} has no download link"
            with page.expect_download() as info:
                link.click()
            download = info.value
            # a blank copy, named apart from the filled copy "Download my answers" gives
            assert download.suggested_filename == f"{nb.stem}-blank.ipynb"
            data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
            offered = json.loads((built.html("learner") / nb.relative_to(built.root)).read_text(encoding="utf-8"))
            assert data == offered, f"{url}: the download is not the learner edition's notebook"
            assert data["metadata"]["coursekit"]["id"] == nb.stem
    finally:
        page.close()

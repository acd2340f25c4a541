"""Reading offline, as a trainee on the Underground would: after one visit to the course on a 390 px
phone, with the network gone, a page never visited opens, the search finds words, an exercise takes
answers and "Download my answers" gives a valid notebook; a page that was never saved says so. The
offline copy holds text, not media, and is versioned by the build."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from helpers import Built, new_page

pytestmark = pytest.mark.browser


def test_the_manifest_lists_what_a_reader_needs_and_no_more(built: Built) -> None:
    html = built.html("learner")
    manifest = json.loads((html / "_static" / "offline-manifest.json").read_text(encoding="utf-8"))
    files = set(manifest["files"])
    pages = {p.relative_to(html).as_posix() for p in html.rglob("*.html") if "_static" not in p.parts}
    assert pages <= files, sorted(pages - files)[:5]
    assert {"searchindex.js", "_static/workbook-catalogue.json"} <= files
    assert {p.relative_to(html).as_posix() for p in html.rglob("*.ipynb")} <= files
    assert not [f for f in files if f.endswith((".map", ".po", ".mo", ".ttf"))], "source maps or catalogues saved"
    assert manifest["bytes"] == sum((html / f).stat().st_size for f in files)
    assert manifest["bytes"] < 8 * 1024 * 1024, "the offline copy should be text, a few megabytes"
    worker = (html / "sw.js").read_text(encoding="utf-8")
    assert f'const VERSION = "{manifest["version"]}"' in worker and "__VERSION__" not in worker


def test_after_one_visit_the_course_reads_offline(browser, served, tmp_path) -> None:
    base = served["learner"]
    page = new_page(browser, base, width=390, height=844, is_mobile=True, has_touch=True, service_workers="allow")
    page.goto(f"{base}/index.html")
    page.wait_for_function("document.getElementById('offline-control').dataset.ready === 'true'", timeout=90_000)
    status = page.locator("#offline-control .offline-status").inner_text()
    assert re.search(r"Saved on this device for reading offline \(\d+(\.\d)? MB\)", status), status
    page.context.set_offline(True)
    # a page never visited
    page.goto(f"{base}/chapters/shame/resilience.html")
    assert page.locator("article h1").inner_text().startswith("Shame resilience")
    assert len(page.locator("article").inner_text()) > 2000
    # the search, in its own index
    page.goto(f"{base}/search.html?q=rupture")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 3", timeout=30_000)
    # an exercise: type, then download the notebook without the network
    page.goto(f"{base}/exercises/failure/a-failure-of-my-own.html")
    box = page.locator(".answer-box__input").first
    box.fill("Written in a tunnel.")
    page.evaluate("document.activeElement.blur()")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my answers").click()
    path = tmp_path / "answers.ipynb"
    info.value.save_as(path)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert any(c.source == "Written in a tunnel." for c in nb.cells)
    # a page that is not part of the course: said plainly, not the browser's error
    page.goto(f"{base}/chapters/shame/no-such-page.html")
    assert page.locator("h1").inner_text() == "This page is not saved on this device"
    page.context.set_offline(False)
    # the reader can take the copy off the device again
    page.goto(f"{base}/index.html")
    page.wait_for_function("document.getElementById('offline-control').dataset.ready === 'true'", timeout=30_000)
    page.get_by_role("button", name="Remove the offline copy").click()
    page.wait_for_function("document.getElementById('offline-control').dataset.ready === 'false'", timeout=30_000)
    assert page.evaluate("caches.keys()") == []
    page.context.close()

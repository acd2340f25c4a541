"""Printing HTML to PDF with Debian's Chromium through Playwright: no download, no network.

One browser is started per batch. Pages are opened from file:// URLs, so nothing is served; the
browser's background networking is switched off, so it asks no other host for anything."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .project import CourseError

CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"]
PAPER = {"a4": "A4", "letter": "Letter"}


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium, or a CourseError saying how to get one."""
    if not CHROMIUM.exists():
        raise CourseError(f"printing needs Chromium at {CHROMIUM}: install Debian's with 'apt-get install -y chromium' "
                          "(or set COURSEKIT_CHROMIUM to a Chromium binary)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise CourseError("printing needs Playwright: pip install -c constraints.txt -e '.[print]'") from None
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def print_file(b: object, html: Path, out: Path, paper: str = "a4", prepare: str | None = None,
               arg: object = None) -> bytes:
    """Print one HTML file to ``out`` as a tagged PDF with an outline; run ``prepare`` (JS) first."""
    page = b.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    # nothing may come from another host: such a request is refused and reported
    page.route(lambda url: not url.startswith(("file:", "data:", "blob:", "about:")),
               lambda route: (errors.append(f"request to {route.request.url}"), route.abort()))
    try:
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        if prepare:
            page.evaluate(prepare, arg)
        data = page.pdf(format=PAPER[paper], prefer_css_page_size=paper == "a4", tagged=True, outline=True,
                        print_background=True)
    finally:
        page.close()
    if errors:
        raise CourseError(f"{html}: printing failed: {'; '.join(errors[:3])}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return data

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


def mend_outline(data: bytes, titles: list[str]) -> bytes:
    """Give each bookmark its heading's words: where a heading wraps onto a second line, Chromium's
    outline joins the lines without a space ("how to use thiscourse")."""
    import io
    import re

    import pypdf
    from pypdf.generic import NameObject, TextStringObject

    by_letters = {re.sub(r"\s+", "", t): t for t in titles}
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    root = writer._root_object.get("/Outlines")
    mended = 0

    def walk(node) -> None:
        nonlocal mended
        item = node.get("/First")
        while item is not None:
            obj = item.get_object()
            title = str(obj.get("/Title", ""))
            proper = by_letters.get(re.sub(r"\s+", "", title))
            if proper and proper != title:
                obj[NameObject("/Title")] = TextStringObject(proper)
                mended += 1
            walk(obj)
            item = obj.get("/Next")

    if root is None:
        return data
    walk(root.get_object())
    if not mended:
        return data
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_metadata(data: bytes, info: dict[str, str]) -> bytes:
    """The PDF with its document information (title, author, subject, keywords, creator) and its
    language (the catalogue's /Lang) set from ``info``; empty values are left out."""
    import io

    import pypdf
    from pypdf.generic import NameObject, TextStringObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    fields = {f"/{k.capitalize()}": v for k, v in info.items() if v and k != "lang"}
    if fields:
        writer.add_metadata(fields)
    if info.get("lang"):
        writer._root_object[NameObject("/Lang")] = TextStringObject(info["lang"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_file(b: object, html: Path, out: Path, paper: str = "a4", prepare: str | None = None,
               arg: object = None, mend: bool = True, info: dict[str, str] | None = None) -> bytes:
    """Print one HTML file to ``out`` as a tagged PDF with an outline; run ``prepare`` (JS) first;
    ``info``: the document information to set (see ``with_metadata``)."""
    page = b.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    # nothing may come from another host: such a request is refused and reported
    page.route(lambda url: not url.startswith(("file:", "data:", "blob:", "about:")),
               lambda route: (errors.append(f"request to {route.request.url}"), route.abort()))
    try:
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        titles = page.evaluate(prepare, arg) if prepare else None
        data = page.pdf(format=PAPER[paper], prefer_css_page_size=paper == "a4", tagged=True, outline=True,
                        print_background=True)
        if mend and isinstance(titles, list):
            data = mend_outline(data, titles)
        if info:
            data = with_metadata(data, info)
    finally:
        page.close()
    if errors:
        raise CourseError(f"{html}: printing failed: {'; '.join(errors[:3])}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return data

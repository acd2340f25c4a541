"""Fixes to the theme's HTML: no CDN loader, proper list roles, only the CSS and scripts a page uses,
labelled scroll containers for wide tables, and a running head for print."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from sphinx.application import Sphinx

from .context import course, module_of

# Assets Jupyter Book always adds, and what a page must contain to need them.
OPTIONAL_ASSETS = {
    "sphinx-design": "sd-",          # sphinx-design's CSS and tabs script
    "design-tabs": "sd-tab",
    "mystnb.": "cell_output",        # MyST-NB's CSS: only for notebooks with code cells
    "togglebutton": "toggle",        # sphinx-togglebutton
    "copybutton": "<pre",            # sphinx-copybutton (and clipboard.min.js)
    "clipboard.min": "<pre",
    "mathjax": 'class="math',        # MathJax (from a CDN): only where there is mathematics
    "workbook.js": ('class="answer-box', 'id="workbook-tools"', 'id="portfolio"'),  # the course's own
    "workbook.css": ('class="answer-box', 'id="workbook-tools"', 'id="portfolio"', 'id="offline-control"', 'id="resume"'),
}
TABLE_BOX = re.compile(r'<div class="pst-scrollable-table-container">(\s*<table[^>]*>\s*(?:<caption>(.*?)</caption>)?)', re.S)


def _needed(asset: Any, body: str) -> bool:
    name = str(getattr(asset, "filename", asset))
    body_js = str(getattr(asset, "attributes", {}).get("body", ""))
    if "thebe" in name or "THEBE_JS_URL" in body_js:
        return False
    if "toggleOpenOnPrint" in body_js:  # togglebutton's inline settings
        return "toggle" in body
    for marker, needs in OPTIONAL_ASSETS.items():
        if marker in name:
            return any(n in body for n in ((needs,) if isinstance(needs, str) else needs))
    return True


def _label_tables(body: str) -> str:
    """Give each table's scroll container a name and keyboard focus (WCAG 1.4.10, axe scrollable-region)."""
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        caption = re.sub(r"<[^>]+>", "", m.group(2) or "").strip()
        if caption:
            label = f"Table: {caption}"
        else:  # no caption: name the table by its column headings, which is what a listener needs
            head = body[m.end():body.find("</tr>", m.end())]
            cells = [c for c in (" ".join(re.sub(r"<[^>]+>", "", x).split()) for x in
                                 re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)) if c]
            label = (f"Table {count}: " + ", ".join(cells[:4]) + (", …" if len(cells) > 4 else "")) if cells \
                else f"Table {count}"
        label = escape(label, quote=True)
        return f'<div class="pst-scrollable-table-container" role="region" tabindex="0" aria-label="{label}">{m.group(1)}'

    return TABLE_BOX.sub(swap, body)


def running_head(app: Sphinx, pagename: str, title: str) -> str:
    """The print stylesheet for one page: course and module name at the top, page numbers below."""
    try:
        the_course = course(app)
        name = the_course.programme.title
        key = module_of(pagename)
        module = the_course.every_module.get(key) if key else None
        right = module.full_title if module and module.number else re.sub(r"<[^>]+>", "", title)
    except Exception:
        name, right = app.config.project, re.sub(r"<[^>]+>", "", title)
    quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    return (f'<style media="print">@page {{ @top-left {{ content: {quote(name)}; }} '
            f"@top-right {{ content: {quote(right)}; }} }}</style>")


def adjust_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body", "")
    if body:
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        context["body"] = _label_tables(body)
    for key in ("css_files", "script_files"):
        if context.get(key):
            context[key] = [a for a in context[key] if _needed(a, body)]
    context["metatags"] = context.get("metatags", "") + running_head(app, pagename, context.get("title", ""))
    try:  # the key under which the workbook and progress scripts keep what this browser holds
        context["metatags"] += f'<meta name="coursekit-course" content="{escape(course(app).programme.slug)}">'
    except Exception:  # noqa: BLE001  (a course that cannot be read is reported by the directives)
        pass
    # the footer's "Need help now?" (_templates/components/extra-footer.html), on every page of a course that has the page
    context["coursekit_help_uri"] = (app.builder.get_relative_uri(pagename, "help-now")
                                     if "help-now" in app.env.all_docs else "")




def inline_basic_css(app: Sphinx, exception: Exception | None) -> None:
    """The theme's theme.css only @imports ../basic.css: put that file's rules in its place, saving a
    request and sparing tools (axe-core 4.12) that resolve the import against the page, not the sheet."""
    if exception is not None or app.builder.format != "html":
        return
    from pathlib import Path

    static = Path(app.outdir) / "_static"
    theme, basic = static / "styles" / "theme.css", static / "basic.css"
    if theme.is_file() and basic.is_file():
        text = theme.read_text(encoding="utf-8")
        if '@import "../basic.css";' in text:
            # basic.css sits one folder up: its relative url()s must say so once it is inlined
            rules = re.sub(r"""url\((?!['"]?(?:data:|[a-z]+://|/))(['"]?)""", r"url(\1../", basic.read_text(encoding="utf-8"))
            theme.write_text(text.replace('@import "../basic.css";', rules), encoding="utf-8")


def register(app: Sphinx) -> None:
    app.connect("html-page-context", adjust_page, priority=900)
    app.connect("build-finished", inline_basic_css)

"""Both editions build strictly from a clean copy, and every page and link in them is there."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import yaml

from conftest import Built

from coursekit.editions import instructor_toc
from coursekit.project import toc_entries


def test_both_editions_build_with_warnings_as_errors(built: Built) -> None:
    out = built.result.stdout + built.result.stderr
    assert built.result.returncode == 0, out
    assert "WARNING" not in out and "ERROR" not in out, out
    for edition in ("learner", "instructor"):
        assert (built.html(edition) / "index.html").is_file(), f"{edition} edition has no index.html"
        assert f"{edition} edition built" in out


def test_build_fails_on_a_warning(course_copy_factory) -> None:
    from conftest import coursekit

    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "learning-agreement.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSee {doc}`/chapters/no-such-page`.\n", encoding="utf-8")
    result = coursekit("build", "--edition", "learner", "--root", str(root))
    assert result.returncode != 0
    assert "no-such-page" in result.stdout + result.stderr


def _docnames(toc: dict) -> list[str]:
    names = [toc["root"]]

    def walk(items: list) -> None:
        for item in items:
            if "file" in item:
                names.append(item["file"])
            walk(item.get("sections", []))
            walk(item.get("chapters", []))

    walk(toc.get("parts", []))
    return names


def test_every_toc_page_is_built(built: Built) -> None:
    learner = yaml.safe_load((built.root / "_toc.yml").read_text(encoding="utf-8"))
    instructor = instructor_toc(built.root)
    for edition, toc in (("learner", learner), ("instructor", instructor)):
        for doc in _docnames(toc):
            assert (built.html(edition) / f"{doc}.html").is_file(), f"{edition} edition lacks {doc}.html"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical",)):
                self.links.append(a[key] or "")


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(built: Built) -> None:
    broken = []
    for edition in ("learner", "instructor"):
        html = built.html(edition)
        pages = {p: _parse(p) for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts}
        for page, parsed in pages.items():
            for link in parsed.links:
                if urlparse(link).scheme or link.startswith(("//", "mailto:", "javascript:")):
                    continue
                target, anchor = urldefrag(link)
                path = (page.parent / unquote(target.split("?")[0])).resolve() if target else page
                if not path.exists():
                    broken.append(f"{edition}: {page.relative_to(html)} -> {link}")
                elif anchor and path.suffix == ".html" and path in pages and anchor not in pages[path].ids:
                    broken.append(f"{edition}: {page.relative_to(html)} -> {link} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_no_page_loads_anything_from_another_host(built: Built) -> None:
    remote = re.compile(r"""<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)
    offenders = [
        f"{edition}: {page.relative_to(built.html(edition))}"
        for edition in ("learner", "instructor")
        for page in built.html(edition).rglob("*.html")
        if remote.search(page.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_learner_toc_lists_no_instructor_page(built: Built) -> None:
    for entry in toc_entries(built.root / "_toc.yml"):
        assert not entry.docname.startswith("instructor/"), entry


def test_icon_bundle_is_cut_to_the_icons_the_site_uses(built: Built) -> None:
    import json

    from coursekit.icons import BUNDLE, read_bundle, used_names  # BUNDLE is _static/scripts/fontawesome.js

    theme_static = Path(__import__("pydata_sphinx_theme").__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    theme_bundle = theme_static / "scripts" / "fontawesome.js"
    packs = read_bundle(theme_bundle.read_text(encoding="utf-8"))
    assert len(packs["solid"]) > 1000, "the theme's icon bundle could not be read"
    for edition in ("learner", "instructor"):
        subset = (built.html(edition) / BUNDLE).read_text(encoding="utf-8")
        assert len(subset.encode()) < 50_000
        icons = json.loads(subset[subset.index("const ICONS = ") + 14 : subset.index(";\n")])
        wanted = {n for n in used_names(built.html(edition)) if n in packs["solid"]}
        assert wanted and wanted <= set(icons["solid"]), wanted - set(icons["solid"])
        fonts = list((built.html(edition) / "_static").rglob("fa-solid-900.woff2"))
        assert fonts and fonts[0].stat().st_size < 20_000

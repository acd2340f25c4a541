"""Both editions build strictly from a clean copy, and every page and link in them is there."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from helpers import EDITIONS, Built, Page, coursekit, parse

from coursekit.editions import edition_toc
from coursekit.programme import load as load_programme


def test_both_editions_build_with_warnings_as_errors(built: Built) -> None:
    out = built.result.stdout + built.result.stderr
    assert built.result.returncode == 0, out
    assert "WARNING" not in out and "ERROR" not in out, out
    for edition in EDITIONS:
        assert (built.html(edition) / "index.html").is_file(), f"{edition} edition has no index.html"
        assert f"{edition} edition built" in out


@pytest.mark.slow
def test_a_warning_fails_the_build_and_names_the_file_and_line(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "learning-agreement.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n\nSee {doc}`/chapters/no-such-page`.\n", encoding="utf-8")
    line = len(text.splitlines()) + 3
    result = coursekit("build", "--edition", "learner", "--root", str(root))
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert f"learning-agreement.md:{line}: WARNING: unknown document: '/chapters/no-such-page'" in out, out
    assert "learner edition FAILED: warnings are errors" in out


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
    programme = load_programme(built.root)
    for edition in EDITIONS:
        for doc in _docnames(edition_toc(built.root, edition, programme)):
            assert (built.html(edition) / f"{doc}.html").is_file(), f"{edition} edition lacks {doc}.html"


def _pages(html: Path) -> dict[Path, Page]:
    return {p: parse(p) for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts}


@pytest.mark.parametrize("which", ["course", "programme"])
def test_every_internal_link_and_anchor_resolves(built: Built, programme_built: Built, which: str) -> None:
    build = built if which == "course" else programme_built
    broken = []
    for edition in EDITIONS:
        html = build.html(edition)
        pages = _pages(html)
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
    offenders = []
    for edition in EDITIONS:
        for path in built.html(edition).rglob("*.html"):
            for tag, attrs in parse(path).elements:
                url = attrs.get("src") if tag in ("script", "img", "iframe", "source", "audio", "video") else (
                    attrs.get("href") if tag == "link" else None)
                if url and (urlparse(url).scheme in ("http", "https") or url.startswith("//")):
                    offenders.append(f"{edition}: {path.relative_to(built.html(edition))} loads {url}")
        for css in (built.html(edition) / "_static").rglob("*.css"):
            for url in re.findall(r"""url\(\s*['"]?((?:https?:)?//[^)'"]+)""", css.read_text(encoding="utf-8", errors="replace")):
                offenders.append(f"{edition}: {css.name} loads {url}")
    assert not offenders, "\n".join(offenders[:20])


def test_icon_bundle_is_cut_to_the_icons_the_site_uses(built: Built) -> None:
    from coursekit.icons import BUNDLE, read_bundle, used_names

    theme_static = Path(__import__("pydata_sphinx_theme").__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    packs = read_bundle((theme_static / "scripts" / "fontawesome.js").read_text(encoding="utf-8"))
    assert len(packs["solid"]) > 1000, "the theme's icon bundle could not be read"
    for edition in EDITIONS:
        subset = (built.html(edition) / BUNDLE).read_text(encoding="utf-8")
        assert len(subset.encode()) < 50_000
        icons = json.loads(subset[subset.index("const ICONS = ") + 14 : subset.index(";\n")])
        wanted = {n for n in used_names(built.html(edition)) if n in packs["solid"]}
        assert wanted and wanted <= set(icons["solid"]), wanted - set(icons["solid"])
        fonts = list((built.html(edition) / "_static").rglob("fa-solid-900.woff2"))
        assert fonts and fonts[0].stat().st_size < 20_000


def test_the_theme_is_the_pinned_one() -> None:
    """The course's templates copy parts of these versions and its drawers are tested against them
    (tests/test_reader.py): moving to another version is a deliberate change of pins (README)."""
    import importlib.metadata as md

    pins = dict(line.split("==") for line in (Path(__file__).resolve().parent.parent / "constraints.txt")
                .read_text(encoding="utf-8").splitlines() if "==" in line and not line.startswith("#"))
    for name in ("sphinx-book-theme", "pydata-sphinx-theme"):
        assert md.version(name) == pins[name], f"{name} {md.version(name)} is installed, constraints.txt pins {pins[name]}"

"""Glossary, bibliography and originality: the course's reference apparatus holds together."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO, Built, page_text, unavailable

from coursekit.check import bib_keys, excluded
from coursekit.modules import CITE
from coursekit.project import content_files

SHARED = REPO.parent / "shared"


def glossary_terms() -> list[str]:
    text = (REPO / "glossary.md").read_text(encoding="utf-8")
    body = text[text.index("```{glossary}") : text.index("```", text.index("```{glossary}") + 3)]
    return [line.strip() for line in body.splitlines()[1:] if line.strip() and not line.startswith((" ", "\t", ":"))]


def test_glossary_is_sorted_and_every_term_is_linked_from_a_page(built: Built) -> None:
    terms = glossary_terms()
    assert len(terms) >= 10
    assert terms == sorted(terms, key=str.lower), "keep the glossary in alphabetical order"
    html = built.html("learner")
    glossary = (html / "glossary.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<dt id="(term-[^"]+)"', glossary)
    assert len(anchors) == len(terms)
    linked: set[str] = set()
    for page in html.rglob("*.html"):
        if page.name != "glossary.html":
            linked |= set(re.findall(r'href="[^"]*glossary\.html#(term-[^"]+)"', page.read_text(encoding="utf-8")))
    assert set(anchors) - linked == set(), f"glossary terms no page links to: {sorted(set(anchors) - linked)}"


def test_bibliography_is_author_year_and_lists_what_is_cited(built: Built) -> None:
    html = built.html("learner")
    bib = (html / "bibliography.html").read_text(encoding="utf-8")
    cited = set()
    skip = excluded(built.root)
    for path in content_files(built.root):
        if path.relative_to(built.root).parts[0] != "instructor" and not skip(path.relative_to(built.root).as_posix()):
            for group in CITE.findall(path.read_text(encoding="utf-8")):
                cited |= {k.strip() for k in group.split(",") if k.strip()}
    labels = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<span class="label">(.*?)</span>\s*<p>', bib, re.S)]
    assert len(labels) == len(cited), (sorted(cited), labels)
    for label in labels:
        assert re.fullmatch(r"\[[A-Z][^\]]* \d{4}[a-z]?\]", label.replace("&amp;", "&")), label
    for entry in re.findall(r'<div class="citation".*?</div>', bib, re.S):
        assert not re.search(r"[{}\\]", entry), f"BibTeX markup left in {entry}"
    # author-year citations in the text, e.g. "Sachs (2020)" or "(Sachs, 2020)"
    page = page_text(html / "chapters" / "orientation" / "index.html")
    assert "Rolef Ben-Shahar (2016)" in page and "(Rolef Ben-Shahar and Shalit, 2016)" in page, page


def test_references_keep_their_verdicts() -> None:
    text = (REPO / "references.bib").read_text(encoding="utf-8")
    keys = bib_keys(REPO / "references.bib")
    assert len(keys) >= 40
    for match in re.finditer(r"^@\w+\{([^,]+),", text, re.M):
        above = text[: match.start()].rstrip().splitlines()
        comments = []
        while above and above[-1].startswith("%"):
            comments.append(above.pop())
        assert any(re.match(r"%\s*(VERIFIED|PLAUSIBLE)", c) for c in comments), f"{match.group(1)} has no verdict"
    if (SHARED / "references.bib").is_file():
        assert keys >= bib_keys(SHARED / "references.bib"), "references.bib lost entries of shared/references.bib"


def test_course_is_written_in_its_own_words() -> None:
    tool = SHARED / "tools" / "check-originality"
    if not tool.is_file():
        unavailable(f"{tool} not found: the originality check needs ../shared beside the course")
    result = subprocess.run([str(tool), str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().startswith("no run of"), result.stdout

"""Glossary, bibliography and originality: the course's reference apparatus holds together."""

from __future__ import annotations

import re
import subprocess

from helpers import REPO, SHARED, Built, parse, unavailable

from coursekit import markdown
from coursekit.check import bib_keys, excluded
from coursekit.project import content_files


def glossary_terms() -> list[str]:
    text = (REPO / "glossary.md").read_text(encoding="utf-8")
    body = text[text.index("```{glossary}") : text.index("```", text.index("```{glossary}") + 3)]
    return [line.strip() for line in body.splitlines()[1:] if line.strip() and not line.startswith((" ", "\t", ":"))]


def test_glossary_is_sorted_and_every_term_is_linked_from_a_page(built: Built) -> None:
    terms = glossary_terms()
    assert len(terms) >= 40
    assert terms == sorted(terms, key=str.lower), "keep the glossary in alphabetical order"
    html = built.html("learner")
    glossary = (html / "glossary.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<dt id="(term-[^"]+)"', glossary)
    assert len(anchors) == len(terms)
    linked: set[str] = set()
    for page in html.rglob("*.html"):
        if page.name not in ("glossary.html", "genindex.html"):  # the index links every term by itself
            linked |= set(re.findall(r'href="[^"]*glossary\.html#(term-[^"]+)"', page.read_text(encoding="utf-8")))
    assert set(anchors) - linked == set(), f"glossary terms no page links to: {sorted(set(anchors) - linked)}"


def test_glossary_has_the_terms_the_review_asked_for() -> None:
    terms = {t.lower() for t in glossary_terms()}
    for wanted in ("discrimination model", "collusive enactment", "regressive work", "window of tolerance",
                   "effect size (r and d)", "boundary crossing", "boundary violation", "duty of candour"):
        assert wanted in terms, wanted


def _cited(root) -> set[str]:
    skip = excluded(root)
    found = set()
    for path in content_files(root):
        rel = path.relative_to(root)
        if rel.parts[0] != "instructor" and not skip(rel.as_posix()):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".ipynb":
                import json

                text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
            found |= {key for key, _ in markdown.cite_keys(text)}
    return found


def test_bibliography_lists_what_is_cited_as_apa_like_entries(built: Built) -> None:
    html = built.html("learner")
    bib = (html / "bibliography.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label">(.*?)</span>\s*<p>(.*?)</p>',
                         bib, re.S)
    assert len(entries) == len(_cited(built.root)), "every cited work, and nothing else"
    previous = ""
    for _id, label, body in entries:
        text = re.sub(r"<[^>]+>", "", body).replace("&amp;", "&")
        assert not re.search(r"[{}\\]", text), f"BibTeX markup left in {text}"
        year = re.search(r"\((\d{4}[a-z]?|n\.d\.)(, \w+)?\)\.", text)
        assert year, f"no (year). in {text[:80]}"
        label = re.sub(r"<[^>]+>", "", label).strip("[]")
        assert label.endswith(year.group(1)), f"label {label} and entry year {year.group(1)} differ"
        surname = re.sub(r"^(the|an|a) ", "", text.split(",")[0].lower())  # APA files titles without the article
        assert surname >= previous or surname.split()[0] == previous.split()[0], f"{surname} after {previous}"
        previous = surname
    magazine = [re.sub(r"\s+", " ", body) for _id, _label, body in entries if "Somatic Psychotherapy Today" in body]
    assert len(magazine) == 2
    for body in magazine:
        assert "<em>Somatic Psychotherapy Today</em>, <em>6</em>(2)" in body
        assert "<em>When Hurt Remains: Relational Perspectives on Therapeutic Failure</em>" in body
    # author-year citations in the text, the letters matching the list
    page = parse(html / "index.html").text
    assert "a column by Rolef Ben-Shahar (2016)" in page, page[:500]
    texts = " ".join(parse(p).text for p in (html / "chapters").rglob("*.html"))
    for letter_year in sorted(set(re.findall(r"\b(\d{4}[a-z])\)", texts))):
        assert letter_year in bib, f"{letter_year} is cited in the text but no entry has that label"


def test_references_keep_their_verdicts() -> None:
    text = (REPO / "references.bib").read_text(encoding="utf-8")
    keys = bib_keys(REPO / "references.bib")
    assert len(keys) >= 100
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

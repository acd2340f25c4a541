"""The learner edition holds nothing from instructor/; the instructor edition holds all of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.search.en import SearchEnglish

from conftest import Built, page_text

from coursekit.project import content_files, toc_entries

WORD = re.compile(r"[^\W\d_]+")  # letters only: Sphinx's search splits words the same way
TEXT_SUFFIXES = {".html", ".js", ".txt", ".json", ".ipynb", ".md", ".inv", ".css", ".xml"}


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def source_words(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        found |= words_of(path.read_text(encoding="utf-8"))
    return found


def instructor_vocabulary(root: Path, learner_html: Path) -> set[str]:
    """Words the instructor sources use that no learner source (nor the site's own chrome) uses."""
    instructor = [p for p in content_files(root) if p.relative_to(root).parts[0] == "instructor"]
    learner = [p for p in content_files(root) if p.relative_to(root).parts[0] != "instructor"]
    learner += [root / "references.bib", root / "_config.yml", root / "_toc.yml"]
    learner += sorted((root / "coursekit").glob("*.py"))  # text the tooling generates, such as the exercise index
    chrome = words_of(re.sub(r"<[^>]+>", " ", (learner_html / "search.html").read_text(encoding="utf-8")))
    return {w for w in source_words(instructor) - source_words(learner) - chrome if len(w) >= 4}


def search_index(html: Path) -> dict:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def stems(words: set[str]) -> set[str]:
    stemmer = SearchEnglish({})
    return {stemmer.stem(w) for w in words}


def test_learner_build_has_no_instructor_files(built: Built) -> None:
    html = built.html("learner")
    assert not (html / "instructor").exists()
    assert not (html / "_sources").exists(), "learner edition must not copy page sources"
    leaked = [str(p.relative_to(html)) for p in html.rglob("*") if "instructor" in p.name.lower()]
    assert not leaked, leaked
    index = search_index(html)
    assert not [d for d in index["docnames"] if d.startswith("instructor/")]


def test_learner_build_mentions_no_instructor_page(built: Built) -> None:
    instructor_docs = [e.docname for e in toc_entries(built.root / "instructor" / "_toc.yml")]
    assert instructor_docs
    html = built.html("learner")
    for path in html.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            for doc in instructor_docs:
                assert doc not in text, f"{path.relative_to(html)} mentions {doc}"


def test_instructor_vocabulary_is_absent_from_the_learner_build(built: Built) -> None:
    learner_html, instructor_html = built.html("learner"), built.html("instructor")
    vocab = instructor_vocabulary(built.root, learner_html)
    # the check means something only if the instructor pages have words of their own...
    assert len(vocab) >= 20, f"too small an instructor-only vocabulary to test with: {sorted(vocab)}"
    # ...and if those words are findable where the instructor pages are built
    instructor_index = (instructor_html / "searchindex.js").read_text(encoding="utf-8").lower()
    instructor_terms = set(search_index(instructor_html)["terms"])
    learner_stems = stems(source_words([p for p in content_files(built.root)
                                        if p.relative_to(built.root).parts[0] != "instructor"]))
    own_stems = stems(vocab) - learner_stems
    assert own_stems & instructor_terms, "instructor-only words should be in the instructor search index"

    learner_index = search_index(learner_html)
    assert not own_stems & set(learner_index["terms"]), sorted(own_stems & set(learner_index["terms"]))
    assert not own_stems & set(learner_index["titleterms"]), sorted(own_stems & set(learner_index["titleterms"]))
    index_text = (learner_html / "searchindex.js").read_text(encoding="utf-8").lower()
    # the index stores stems: look for each word whose stem no learner word shares, case-insensitively
    stemmer = SearchEnglish({})
    own_words = {w for w in vocab if stemmer.stem(w) in own_stems}
    found_in_index = sorted(w for w in own_words if re.search(rf"\b{re.escape(stemmer.stem(w))}\b", index_text))
    assert not found_in_index, found_in_index
    assert any(re.search(rf"\b{re.escape(stemmer.stem(w))}\b", instructor_index) for w in own_words)

    for path in learner_html.rglob("*"):
        rel = path.relative_to(learner_html)
        if not path.is_file() or rel.parts[0] == "_static" or path.name == "searchindex.js":
            continue  # _static is compared with the instructor edition's below; the index is checked by stem
        if path.suffix == ".html":
            text = page_text(path).lower()
        elif path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace").lower()
        else:
            continue
        hits = sorted(w for w in vocab if re.search(rf"\b{re.escape(w)}\b", text))
        assert not hits, f"{rel} holds instructor-only words {hits}"


def test_learner_static_files_are_the_shared_theme_assets(built: Built) -> None:
    learner, instructor = built.html("learner") / "_static", built.html("instructor") / "_static"
    files = {p.relative_to(learner) for p in learner.rglob("*") if p.is_file()}
    assert files == {p.relative_to(instructor) for p in instructor.rglob("*") if p.is_file()}
    for rel in files:
        assert (learner / rel).read_bytes() == (instructor / rel).read_bytes(), rel


def test_instructor_edition_contains_every_instructor_page(built: Built) -> None:
    html = built.html("instructor")
    instructor_sources = [p for p in content_files(built.root) if p.relative_to(built.root).parts[0] == "instructor"]
    assert instructor_sources
    index = search_index(html)
    for source in instructor_sources:
        doc = source.relative_to(built.root).with_suffix("").as_posix()
        assert (html / f"{doc}.html").is_file(), f"instructor edition lacks {doc}"
        assert doc in index["docnames"], f"{doc} is not searchable in the instructor edition"


def test_instructor_edition_is_the_learner_edition_plus_instructor_pages(built: Built) -> None:
    learner = {p.relative_to(built.html("learner")) for p in built.html("learner").rglob("*.html")}
    instructor = {p.relative_to(built.html("instructor")) for p in built.html("instructor").rglob("*.html")}
    assert learner <= instructor
    assert {p for p in instructor - learner if p.parts[0] != "instructor"} == set()


def test_exercise_pages_offer_their_notebook(built: Built) -> None:
    for edition in ("learner", "instructor"):
        html = built.html(edition)
        notebooks = sorted((built.root / "exercises").rglob("*.ipynb"))
        assert notebooks
        for nb in notebooks:
            page = html / nb.relative_to(built.root).with_suffix(".html")
            text = page.read_text(encoding="utf-8")
            link = re.search(rf'class="reference download internal"[^>]*href="([^"]*/{re.escape(nb.name)})"', text)
            assert link, f"{page.relative_to(html)} has no download link for {nb.name}"
            target = (page.parent / link.group(1)).resolve()
            assert target.read_bytes() == nb.read_bytes(), f"{target} is not the course's {nb.name}"


def exclusive_instructor_words(root: Path, learner_html: Path) -> list[str]:
    """Instructor-only words whose stem is not even part of a learner search term.

    Sphinx's search also matches parts of words, so these are the words a learner search must
    find nothing for."""
    terms = set(search_index(learner_html)["terms"])
    stemmer = SearchEnglish({})
    return sorted(w for w in instructor_vocabulary(root, learner_html)
                  if not any(stemmer.stem(w) in t for t in terms))

"""The learner edition holds nothing from instructor/ and no client's hidden brief; the instructor
edition holds all of it. Every file of the learner build that is not binary is read, and every
notebook inside its zips."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import nbformat
from helpers import Built, instructor_vocabulary, page_text, search_index, source_words, stems

from coursekit.project import content_files, toc_entries

def client_only_passages(root: Path) -> list[str]:
    """Runs of eight words from the cells only the person playing the client may read, leaving out
    any run that other cells of the course also hold (such as the intensity line every brief has)."""
    def runs(text: str) -> list[str]:
        words = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
        return [" ".join(words[i:i + 8]) for i in range(0, max(len(words) - 7, 1))]

    hidden, shown = [], set()
    for path in sorted((root / "exercises").rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if "client-only" in cell.metadata.get("tags", []):
                hidden += runs(cell.source)[::5]
            else:
                shown.update(runs(cell.source))
    return [p for p in hidden if p not in shown]


def readable_texts(html: Path) -> dict[str, str]:
    """Every file of a built site that is not binary, and every text member of its zips, as text."""
    texts: dict[str, str] = {}
    for path in html.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(html).as_posix()
        data = path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for name in zf.namelist():
                    member = zf.read(name)
                    if b"\0" not in member:
                        texts[f"{rel}!{name}"] = member.decode("utf-8", "replace")
            continue
        if b"\0" in data[:8192]:
            continue  # fonts, images, PDFs: binary
        try:
            texts[rel] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(re.findall(r"[a-z']+", text.lower().replace("’", "'").replace("\\u2019", "'")))


def test_learner_build_has_no_instructor_files(built: Built) -> None:
    html = built.html("learner")
    assert not (html / "instructor").exists()
    assert not (html / "handouts").exists(), "the handouts hold client cards: instructor edition only"
    assert not (html / "_sources").exists(), "learner edition must not copy page sources"
    leaked = [str(p.relative_to(html)) for p in html.rglob("*") if "instructor" in p.name.lower()]
    assert not leaked, leaked
    assert not [d for d in search_index(html)["docnames"] if d.startswith("instructor/")]


def test_learner_build_mentions_no_instructor_page(built: Built) -> None:
    instructor_docs = [e.docname for e in toc_entries(built.root / "instructor" / "_toc.yml")]
    assert instructor_docs
    texts = readable_texts(built.html("learner"))
    assert len(texts) > 100
    for rel, text in texts.items():
        for doc in instructor_docs:
            assert doc not in text, f"{rel} mentions {doc}"


def test_instructor_vocabulary_is_absent_from_every_learner_file(built: Built) -> None:
    learner_html, instructor_html = built.html("learner"), built.html("instructor")
    vocab = instructor_vocabulary(built.root, learner_html)
    # the check means something only if the instructor pages have words of their own...
    assert len(vocab) >= 20, f"too small an instructor-only vocabulary to test with: {sorted(vocab)}"
    # ...and if those words are findable where the instructor pages are built
    learner_stems = stems(source_words([p for p in content_files(built.root)
                                        if p.relative_to(built.root).parts[0] != "instructor"]))
    own_stems = stems(vocab) - learner_stems
    assert own_stems & set(search_index(instructor_html)["terms"]), "instructor-only words should be searchable there"
    learner_index = search_index(learner_html)
    assert not own_stems & set(learner_index["terms"]), sorted(own_stems & set(learner_index["terms"]))
    assert not own_stems & set(learner_index["titleterms"]), sorted(own_stems & set(learner_index["titleterms"]))
    for rel, text in readable_texts(learner_html).items():
        if rel == "searchindex.js" or rel.startswith("_static/") and not rel.endswith(".json"):
            continue  # the index is checked by stem; theme assets are compared with the instructor edition's
        lowered = (page_text(learner_html / rel) if rel.endswith(".html") else text).lower()
        hits = sorted(vocab & set(re.findall(r"[^\W\d_]+", lowered)))
        assert not hits, f"{rel} holds instructor-only words {hits}"


def test_no_client_brief_reaches_the_learner_edition(built: Built) -> None:
    passages = client_only_passages(built.root)
    assert len(passages) >= 10, "the role-plays should have client-only cells to test with"
    learner = {rel: _plain(text) for rel, text in readable_texts(built.html("learner")).items()}
    for passage in passages:
        found = [rel for rel, text in learner.items() if passage in text]
        assert not found, f"client-only text {passage!r} is in the learner edition: {found}"
    instructor = " ".join(_plain(t) for rel, t in readable_texts(built.html("instructor")).items() if rel.endswith(".html"))
    assert all(p in instructor for p in passages), "the instructor edition should show the client cards"


def test_learner_static_files_are_the_shared_theme_assets(built: Built) -> None:
    learner, instructor = built.html("learner") / "_static", built.html("instructor") / "_static"
    files = {p.relative_to(learner) for p in learner.rglob("*") if p.is_file()}
    assert files == {p.relative_to(instructor) for p in instructor.rglob("*") if p.is_file()}
    for rel in files:
        if rel.name in ("workbook-catalogue.json", "offline-manifest.json"):
            continue  # each edition's own list of exercises and prompts (checked above for leaks), and of its files
        assert (learner / rel).read_bytes() == (instructor / rel).read_bytes(), rel


def test_instructor_edition_contains_every_instructor_page(built: Built) -> None:
    html = built.html("instructor")
    index = search_index(html)
    for source in (p for p in content_files(built.root) if p.relative_to(built.root).parts[0] == "instructor"):
        doc = source.relative_to(built.root).with_suffix("").as_posix()
        assert (html / f"{doc}.html").is_file(), f"instructor edition lacks {doc}"
        assert doc in index["docnames"], f"{doc} is not searchable in the instructor edition"


def test_instructor_edition_is_the_learner_edition_plus_instructor_pages(built: Built) -> None:
    learner = {p.relative_to(built.html("learner")) for p in built.html("learner").rglob("*.html")}
    instructor = {p.relative_to(built.html("instructor")) for p in built.html("instructor").rglob("*.html")}
    assert learner <= instructor
    assert {p for p in instructor - learner if p.parts[0] not in ("instructor", "handouts", "room")} == set()


def test_exercise_pages_offer_the_editions_own_notebook(built: Built) -> None:
    notebooks = sorted((built.root / "exercises").rglob("*.ipynb"))
    assert notebooks
    for edition in ("learner", "instructor"):
        html = built.html(edition)
        for nb_path in notebooks:
            page = html / nb_path.relative_to(built.root).with_suffix(".html")
            link = re.search(rf'<a class="reference download exercise-notebook" href="({re.escape(nb_path.name)})" download',
                             page.read_text(encoding="utf-8"))
            assert link, f"{page.relative_to(html)} has no download link for {nb_path.name}"
            offered = nbformat.read(page.parent / link.group(1), as_version=4)
            nbformat.validate(offered)
            source = nbformat.read(nb_path, as_version=4)
            hidden = {c.id for c in source.cells if "client-only" in c.metadata.get("tags", [])}
            expected = [c.id for c in source.cells if edition == "instructor" or c.id not in hidden]
            assert [c.id for c in offered.cells] == expected, f"{edition} {nb_path.name}: cells differ"
            assert offered.metadata["coursekit"]["id"] == source.metadata["coursekit"]["id"]
            assert offered.metadata["coursekit"]["course"]["edition"] == edition

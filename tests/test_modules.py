"""Every module has the elements the course design requires; exercises are sound and private."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers import REPO

from coursekit import markdown, notebooks
from coursekit.course import Course
from coursekit.modules import structure_problems, words

COURSE = Course.load(REPO)
MODULES = COURSE.modules
EXERCISES = sorted((REPO / "exercises").rglob("*.ipynb"))


def test_the_course_has_its_seven_modules_in_order() -> None:
    assert [m.key for m in MODULES] == ["orientation", "failure", "rupture-repair", "shame", "therapists-person",
                                        "learning-from-failure", "boundaries"]
    assert [m.kind for m in MODULES] == ["orientation", "core", "core", "core", "extended", "extended", "extended"]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.key)
def test_module_has_every_required_element(module) -> None:
    assert structure_problems(REPO, module) == []
    assert 3 <= len(module.objectives) <= 6
    assert len(module.questions) >= 6
    assert all(re.match(r"\*\*[A-Z][a-z]+( [a-z]+)?\*\* ", o) for o in module.objectives), module.objectives
    note = module.content_note
    note_words = len(" ".join([note["text"], *note["grounding"], note["support"]]).split())
    assert note_words <= 80, f"{module.key}: the content note has {note_words} words (twenty seconds is about 80)"


@pytest.mark.parametrize("module", [m for m in MODULES if m.kind == "core"], ids=lambda m: m.key)
def test_core_module_reading_is_substantial_and_cited(module) -> None:
    assert module.reading_words() >= 3000, f"{module.key}: {module.reading_words()} words of reading"
    assert len(module.cite_keys()) >= 8, sorted(module.cite_keys())


def test_rupture_and_repair_reading_is_at_most_8000_words() -> None:
    module = COURSE.module("rupture-repair")
    assert module.reading_words() <= 8000, module.reading_words()


@pytest.mark.parametrize("module", [m for m in MODULES if m.kind == "extended"], ids=lambda m: m.key)
def test_extended_module_reading_is_4000_to_7000_words_citing_ten_works(module) -> None:
    assert 4000 <= module.reading_words() <= 7000, f"{module.key}: {module.reading_words()} words"
    assert len(module.cite_keys()) >= 10, sorted(module.cite_keys())


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.key)
def test_module_has_two_to_four_exercises(module) -> None:
    assert 2 <= len(module.exercise_docnames()) <= 4


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_exercise_notebook_is_valid_with_complete_metadata(path: Path) -> None:
    nb, fatal = notebooks.read(path)
    assert nb is not None, fatal
    meta = nb.metadata.get(notebooks.METADATA_KEY)
    assert notebooks.metadata_problems(meta) == []
    assert notebooks.course_copy_problems(nb) == []
    assert meta["id"] == path.stem
    module = COURSE.module(meta["module"])
    assert set(meta["objectives"]) <= set(range(1, len(module.objectives) + 1))
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids)), "cell ids repeat: saved answers are matched by cell id"


def test_exercise_ids_are_unique_across_the_course() -> None:
    ids = [ex.id for ex in COURSE.exercises]
    assert len(ids) == len(set(ids)) == len(EXERCISES)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_exercise_asks_for_initials(path: Path) -> None:
    """Privacy: a code word only the trainee understands, never a client's or colleague's initials."""
    for cell in nbformat.read(path, as_version=4).cells:
        for sentence in re.split(r"(?<=[.?!])\s+", cell.source):
            if re.search(r"\binitials?\b", sentence, re.I):
                assert re.search(r"\b(not|never|no|instead|rather than)\b", sentence, re.I), \
                    f"{path.name}: {sentence.strip()[:120]}"


def test_drills_give_an_example_response_for_every_statement() -> None:
    drills = [ex for ex in COURSE.exercises if ex.meta["kind"] == "deliberate-practice-drill"]
    assert len(drills) >= 3
    for ex in drills:
        cells = ex.notebook().cells
        statements = [i for i, c in enumerate(cells) if "statement" in notebooks.tags(c)]
        assert len(statements) >= 9, ex.id
        levels = {notebooks.cell_meta(cells[i])["level"] for i in statements}
        assert levels == {"beginner", "intermediate", "advanced"}, ex.id
        for i in statements:
            example = cells[i + 1]
            assert "example" in notebooks.tags(example), f"{ex.id}: statement cell {i + 1} has no examples"
            assert len(markdown.plain(example.source).split()) >= 15, f"{ex.id}: cell {i + 2} is too thin an example"


def test_role_plays_keep_the_clients_brief_for_the_client() -> None:
    role_plays = [ex for ex in COURSE.exercises if ex.meta["kind"] == "role-play"]
    assert role_plays
    for ex in role_plays:
        cells = ex.notebook().cells
        briefs = {notebooks.cell_meta(c).get("brief") for c in cells if "brief" in notebooks.tags(c)}
        hidden = {notebooks.cell_meta(c).get("brief") for c in cells if "client-only" in notebooks.tags(c)}
        assert briefs and briefs == hidden, f"{ex.id}: every brief needs its client-only card"
        assert any("observer" in notebooks.tags(c) for c in cells), f"{ex.id}: no observer checklist"


def test_private_exercises_are_marked() -> None:
    private = {ex.id for ex in COURSE.exercises if ex.private}
    assert "what-i-keep-from-supervision" in private


def test_the_capstone_states_the_criteria_its_rubric_marks() -> None:
    capstone = COURSE.exercise("capstone-failure-vignette")
    assert capstone is not None
    notebook_text = " ".join(c.source for c in capstone.notebook().cells)
    rubric = (REPO / "instructor" / "assessment.md").read_text(encoding="utf-8")
    section = rubric[rubric.index("## Capstone rubric"):]
    criteria = re.findall(r"^\| ([A-Z][^|]+?) \| ", section, re.M)
    criteria = [c.strip() for c in criteria if c.strip() not in ("Criterion",)]
    assert len(criteria) >= 5, criteria
    for criterion in criteria:
        assert criterion in notebook_text, f"the capstone notebook does not name the criterion {criterion!r}"


def test_each_published_figure_is_stated_once() -> None:
    """The course states Ladany and colleagues' 97.2 per cent in one place and points to it."""
    hits = [p for p in (REPO / "chapters").rglob("*.md") if "97.2" in p.read_text(encoding="utf-8")]
    hits += [p for p in EXERCISES if "97.2" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(REPO).as_posix() for p in hits] == ["chapters/shame/supervision.md"]


def test_reading_pages_use_no_initials_for_composites() -> None:
    """Composite vignettes carry the note saying who is fictional."""
    for module in MODULES:
        for page in module.vignettes():
            text = page.read_text(encoding="utf-8")
            assert re.search(r"composite", text, re.I) and re.search(r"fictional", text, re.I), page


def test_words_counts_prose_not_markup() -> None:
    assert words("---\nvignette: true\n---\n# Title\n\nSee {cite:t}`key` and {doc}`a page </x/y>`.\n") == 5  # Title, See, and, and one for each role

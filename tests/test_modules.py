"""Every module has the elements the course design requires; exercises and session plans are sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

from coursekit import notebooks
from coursekit.modules import course_modules, numbered_items, sections, structure_problems
from coursekit.plans import session_plan

MODULES = course_modules(REPO)
CORE = {"failure", "rupture-repair", "shame"}
EXERCISES = sorted((REPO / "exercises").rglob("*.ipynb"))
INSTRUCTOR_NOTES = REPO / "instructor" / "modules"


def test_the_course_has_modules() -> None:
    assert [m.key for m in MODULES][:1] == ["orientation"]
    numbers = [m.number for m in MODULES]
    assert numbers[0] == 1 and numbers == sorted(set(numbers)), f"modules out of order: {numbers}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.key)
def test_module_has_every_required_element(module) -> None:
    assert structure_problems(REPO, module) == []
    assert 3 <= len(module.objectives) <= 6
    assert len(module.questions) >= 6
    assert module.study_time and re.search(r"\d", module.study_time)


@pytest.mark.parametrize("module", [m for m in MODULES if m.key in CORE], ids=lambda m: m.key)
def test_core_module_reading_is_substantial_and_cited(module) -> None:
    assert module.reading_words() >= 3000, f"{module.key}: {module.reading_words()} words of reading"
    assert len(module.cite_keys()) >= 8, sorted(module.cite_keys())


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.key)
def test_module_has_two_to_four_exercises(module) -> None:
    assert 2 <= len(module.exercises(REPO)) <= 4


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_exercise_notebook_is_valid_with_complete_metadata(path: Path) -> None:
    nb, fatal = notebooks.read(path)
    assert nb is not None, fatal
    meta = nb.metadata.get(notebooks.METADATA_KEY)
    assert notebooks.metadata_problems(meta) == []
    assert notebooks.course_copy_problems(nb) == []
    module = next(m for m in MODULES if m.key == meta["module"])
    assert set(meta["objectives"]) <= set(range(1, len(module.objectives) + 1))


@pytest.mark.parametrize(
    "meta, field",
    [
        ({"module": "failure", "kind": "reflective-writing", "minutes": 30, "setting": "solo",
          "intensity": "low", "objectives": [1]}, "title"),
        ({"title": "T", "module": "failure", "kind": "essay", "minutes": 30, "setting": "solo",
          "intensity": "low", "objectives": [1]}, "title"),
        ({"title": "Title", "module": "failure", "kind": "essay", "minutes": 30, "setting": "solo",
          "intensity": "low", "objectives": [1]}, "kind"),
        ({"title": "Title", "module": "failure", "kind": "role-play", "minutes": "30", "setting": "solo",
          "intensity": "low", "objectives": [1]}, "minutes"),
        ({"title": "Title", "module": "failure", "kind": "role-play", "minutes": 30, "setting": "quartet",
          "intensity": "low", "objectives": [1]}, "setting"),
        ({"title": "Title", "module": "failure", "kind": "role-play", "minutes": 30, "setting": "triad",
          "intensity": "extreme", "objectives": [1]}, "intensity"),
        ({"title": "Title", "module": "failure", "kind": "role-play", "minutes": 30, "setting": "triad",
          "intensity": "low", "objectives": []}, "objectives"),
        ({"title": "Title", "module": "Failure!", "kind": "role-play", "minutes": 30, "setting": "triad",
          "intensity": "low", "objectives": [1]}, "module"),
        ({"title": "Title", "module": "failure", "kind": "role-play", "minutes": 30, "setting": "triad",
          "intensity": "low", "objectives": [1], "colour": "red"}, "colour"),
    ],
)
def test_metadata_schema_names_each_bad_field(meta: dict, field: str) -> None:
    problems = notebooks.metadata_problems(meta)
    assert problems and any(field in p for p in problems), problems


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.key)
def test_session_plan_timings_add_up(module) -> None:
    plan = session_plan(INSTRUCTOR_NOTES / f"{module.key}.md")
    minutes = [m for m, _ in plan.rows]
    assert len(minutes) >= 4
    assert all(m > 0 for m in minutes)
    assert plan.total == plan.stated, f"{module.key}: rows add up to {plan.total}, plan says {plan.stated}"


def test_session_plan_parser_sees_a_wrong_total(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("# N\n\n## Session plan (90 minutes)\n\n| Minutes | Activity |\n| --- | --- |\n"
                    "| 40 | A |\n| 45 | B |\n\n## Next\n", encoding="utf-8")
    parsed = session_plan(plan)
    assert (parsed.stated, parsed.total) == (90, 85)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.key)
def test_instructor_notes_cover_every_exercise_and_question(module) -> None:
    text = (INSTRUCTOR_NOTES / f"{module.key}.md").read_text(encoding="utf-8")
    exercises = sections(text).get("Facilitation notes: exercises", "")
    for path in module.exercises(REPO):
        doc = "/" + path.relative_to(REPO).with_suffix("").as_posix()
        title = notebooks.read(path)[0].metadata[notebooks.METADATA_KEY]["title"]
        assert f"### {title}" in exercises, f"no facilitation notes headed '### {title}'"
        assert f"{{doc}}`{doc}`" in exercises, f"facilitation notes do not link {doc}"
    questions = sections(text).get("Facilitation notes: discussion questions", "")
    numbers = [int(n) for n in re.findall(r"^### Question (\d+)\s*$", questions, re.M)]
    assert numbers == list(range(1, len(module.questions) + 1)), numbers
    for part in ("Set-up", "Timing", "What to watch for", "Debrief"):
        assert exercises.count(f"**{part}.**") >= len(module.exercises(REPO)), part
    for part in ("Listen for", "Common responses", "To deepen"):
        assert questions.count(f"**{part}.**") >= len(module.questions), part


def test_numbered_items_reads_wrapped_items() -> None:
    assert numbered_items("1. one\n   more\n2. two\n") == ["one more", "two"]

"""`coursekit check` passes on the course and names the file and line of each kind of bad input."""

from __future__ import annotations

import json
import time

from conftest import REPO, coursekit


def test_check_passes_on_the_course_quickly() -> None:
    started = time.monotonic()
    result = coursekit("check", "--root", str(REPO))
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")
    assert elapsed < 10, f"check took {elapsed:.1f} s"


def test_broken_toc_entry_is_named_with_file_and_line(course_copy_factory) -> None:
    root = course_copy_factory()
    toc = root / "_toc.yml"
    lines = toc.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "file: chapters/orientation/learning-agreement" in line)
    lines[at] = lines[at].replace("learning-agreement", "learning-agreemnt")
    toc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = coursekit("check", "--root", str(root))
    assert result.returncode == 1
    assert f"_toc.yml:{at + 1}: toc entry 'chapters/orientation/learning-agreemnt' has no file" in result.stdout
    # the page it should have listed is now in no toc, and that is said too
    assert "chapters/orientation/learning-agreement.md:1: is in no toc" in result.stdout


def test_unknown_cite_key_is_named_with_file_and_line(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "using-the-workbook.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nAs shown by {cite:t}`nobody1999invented`.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = coursekit("check", "--root", str(root))
    assert result.returncode == 1
    assert (f"chapters/orientation/using-the-workbook.md:{line}: unknown cite key 'nobody1999invented'"
            in result.stdout), result.stdout


def test_malformed_notebook_is_named(course_copy_factory) -> None:
    root = course_copy_factory()
    nb = root / "exercises" / "orientation" / "arriving.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    result = coursekit("check", "--root", str(root))
    assert result.returncode == 1
    assert "exercises/orientation/arriving.ipynb:" in result.stdout
    assert "not a notebook: invalid JSON" in result.stdout


def test_invalid_notebook_structure_is_named(course_copy_factory) -> None:
    root = course_copy_factory()
    nb = root / "exercises" / "orientation" / "study-plan.ipynb"
    data = json.loads(nb.read_text(encoding="utf-8"))
    data["cells"][0]["cell_type"] = "spreadsheet"
    nb.write_text(json.dumps(data), encoding="utf-8")
    result = coursekit("check", "--root", str(root))
    assert result.returncode == 1
    assert "exercises/orientation/study-plan.ipynb: not a valid notebook" in result.stdout


def test_stray_page_outside_every_toc_is_named(course_copy_factory) -> None:
    root = course_copy_factory()
    (root / "chapters" / "orientation" / "draft.md").write_text("# Draft\n", encoding="utf-8")
    result = coursekit("check", "--root", str(root))
    assert result.returncode == 1
    assert "chapters/orientation/draft.md:1: is in no toc and not excluded" in result.stdout


def test_instructor_page_in_the_learner_toc_is_refused(course_copy_factory) -> None:
    root = course_copy_factory()
    toc = root / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8").replace(
        "      - file: glossary", "      - file: instructor/index\n      - file: glossary"), encoding="utf-8")
    result = coursekit("check", "--root", str(root))
    assert result.returncode == 1
    assert "'instructor/index' is instructor material" in result.stdout


def test_check_outside_a_course_says_so(tmp_path) -> None:
    result = coursekit("check", "--root", str(tmp_path))
    assert result.returncode != 0
    assert "not inside a course" in result.stderr

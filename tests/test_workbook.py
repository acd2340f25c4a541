"""The workbook: exercise index, workbook download, and portfolio export that never touches its inputs."""

from __future__ import annotations

import hashlib
from html import unescape
import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import REPO, Built, coursekit

from coursekit.exercises import catalogue

COURSE = catalogue(REPO)


def fill(src: Path, dest: Path, skip: int | None = None) -> list[str]:
    """Write a trainee's filled copy of a course notebook; return the answers written, in order."""
    nb = nbformat.read(src, as_version=4)
    answers = []
    responses = [c for c in nb.cells if "response" in c.metadata.get("tags", [])]
    for i, cell in enumerate(responses):
        if i == skip:
            continue
        cell.source = f"My answer {i + 1} to {src.stem}: it *mattered*."
        answers.append(cell.source)
    # a cell the trainee added for more room, after the first response
    at = nb.cells.index(responses[0]) + 1
    nb.cells.insert(at, nbformat.v4.new_markdown_cell(f"An extra thought on {src.stem}."))
    answers.insert(1, f"An extra thought on {src.stem}.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return answers


def digest(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_course_has_exercises_to_export() -> None:
    assert len(COURSE) >= 5
    assert len({(e.module, e.title) for e in COURSE}) == len(COURSE), "exercise titles repeat within a module"


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_export_round_trips_every_course_notebook(tmp_path: Path, suffix: str) -> None:
    workbook = tmp_path / "my workbook"
    expected = {}
    # filled copies under trainee file names, in reverse order, one prompt left unanswered in each
    for i, ex in enumerate(reversed(COURSE)):
        expected[ex.title] = fill(ex.path, workbook / f"mine-{i}.ipynb", skip=2)
    before = digest(sorted(workbook.rglob("*")))
    out = tmp_path / f"portfolio{suffix}"
    result = coursekit("workbook", "export", str(workbook), "--output", str(out), "--root", str(REPO))
    assert result.returncode == 0, result.stderr
    assert digest(sorted(workbook.rglob("*"))) == before, "export changed its inputs"
    assert sorted(p.name for p in workbook.rglob("*")) == sorted(p.name for p in before)
    text = out.read_text(encoding="utf-8")
    if suffix == ".html":
        text = re.sub(r"<[^>]+>", "", text).replace("&quot;", '"').replace("&#39;", "'")
        assert not re.search(r"(src|href)=\"https?://", out.read_text(encoding="utf-8"))
    positions = [text.index(ex.title) for ex in COURSE]
    assert positions == sorted(positions), "exercises are not in course order"
    for ex in COURSE:
        section = text[text.index(ex.title):]
        for answer in expected[ex.title]:
            plain = answer.replace("*mattered*", "mattered") if suffix == ".html" else answer
            assert plain in section, f"{ex.title}: lost {answer!r}"
    assert text.count("No response yet.") == len(COURSE)
    assert f"{len(COURSE)} exercise(s)" in result.stdout


def test_prompts_come_with_their_responses(tmp_path: Path) -> None:
    ex = COURSE[0]
    fill(ex.path, tmp_path / "a.ipynb")
    out = tmp_path / "p.md"
    assert coursekit("workbook", "export", str(tmp_path / "a.ipynb"), "-o", str(out), "--root", str(REPO)).returncode == 0
    nb = nbformat.read(ex.path, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "response" in c.metadata.get("tags", []))
    prompt_line = nb.cells[first - 1].source.strip().splitlines()[0]
    text = out.read_text(encoding="utf-8")
    assert text.index(prompt_line) < text.index(f"My answer 1 to {ex.path.stem}")


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    fill(COURSE[0].path, tmp_path / "a.ipynb")
    out = tmp_path / "portfolio.md"
    out.write_text("my earlier portfolio\n", encoding="utf-8")
    result = coursekit("workbook", "export", str(tmp_path / "a.ipynb"), "-o", str(out), "--root", str(REPO))
    assert result.returncode != 0
    assert f"{out}: already exists; use --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "my earlier portfolio\n"
    forced = coursekit("workbook", "export", str(tmp_path / "a.ipynb"), "-o", str(out), "--force", "--root", str(REPO))
    assert forced.returncode == 0 and COURSE[0].title in out.read_text(encoding="utf-8")


def test_export_never_writes_over_an_input(tmp_path: Path) -> None:
    nb = tmp_path / "a.ipynb"
    fill(COURSE[0].path, nb)
    before = nb.read_bytes()
    target = tmp_path / "a.md"
    target.symlink_to(nb)
    result = coursekit("workbook", "export", str(nb), "-o", str(target), "--force", "--root", str(REPO))
    assert result.returncode != 0 and "is one of the notebooks being exported" in result.stderr
    assert nb.read_bytes() == before


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"cells": [ {"cell_type": "markdown"', "cannot be read as a workbook notebook: not a notebook: invalid JSON"),
        (json.dumps({"hello": "world"}), "cannot be read as a workbook notebook: not a notebook"),
        (nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Mine")])),
         "not an exercise from this course"),
        (nbformat.writes(nbformat.v4.new_notebook(metadata={"coursekit": {"module": "failure", "title": "Nope"}})),
         "exercise 'Nope' of module 'failure' is not in this course"),
    ],
    ids=["malformed", "not-a-notebook", "foreign", "unknown-exercise"],
)
def test_bad_input_stops_with_the_file_named(tmp_path: Path, content: str, message: str) -> None:
    good = tmp_path / "good.ipynb"
    fill(COURSE[0].path, good)
    bad = tmp_path / "bad.ipynb"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "portfolio.md"
    result = coursekit("workbook", "export", str(tmp_path), "-o", str(out), "--root", str(REPO))
    assert result.returncode != 0
    assert f"{bad}: {message}" in result.stderr, result.stderr
    assert not out.exists(), "no portfolio is written when an input is bad"


def test_missing_input_is_named(tmp_path: Path) -> None:
    result = coursekit("workbook", "export", str(tmp_path / "nowhere"), "-o", str(tmp_path / "p.md"), "--root", str(REPO))
    assert result.returncode != 0 and "nowhere: no such file or folder" in result.stderr


def test_html_export_escapes_what_a_trainee_typed(tmp_path: Path) -> None:
    nb = nbformat.read(COURSE[0].path, as_version=4)
    next(c for c in nb.cells if "response" in c.metadata.get("tags", [])).source = "<script>alert(1)</script> & more"
    nbformat.write(nb, tmp_path / "a.ipynb")
    out = tmp_path / "p.html"
    assert coursekit("workbook", "export", str(tmp_path / "a.ipynb"), "-o", str(out), "--root", str(REPO)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<html lang="en">' in page


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_exercise_index_lists_every_exercise_in_course_order(built: Built, edition: str) -> None:
    page = built.html(edition) / "exercises" / "index.html"
    html = page.read_text(encoding="utf-8")
    links = re.findall(r'<a class="reference internal" href="([^"#]+\.html)"><span class="doc">', html)
    expected = [ex.docname.removeprefix("exercises/") + ".html" for ex in catalogue(built.root)]
    assert [link for link in links if not link.startswith("../")] == expected
    table = re.search(r'<table class="[^"]*exercise-index.*?</table>', html, re.S).group(0)
    rows = [" ".join(unescape(re.sub(r"<[^>]+>", " ", r)).replace("’", "'").split()) for r in re.findall(r"<tr.*?</tr>", table, re.S)]
    assert len(rows) == len(catalogue(built.root)) + 1
    for ex in catalogue(built.root):
        row = next(r for r in rows if r.startswith(ex.title))
        assert str(ex.meta["minutes"]) in row and ex.meta["setting"] in row and ex.meta["intensity"] in row


def test_learner_edition_offers_the_whole_workbook(built: Built) -> None:
    html = built.html("learner")
    index = (html / "exercises" / "index.html").read_text(encoding="utf-8")
    href = re.search(r'class="reference external workbook-download" href="([^"]+)"', index) or \
        re.search(r'href="([^"]+\.zip)"', index)
    assert href, "the exercise index offers no workbook zip"
    archive = (html / "exercises" / href.group(1)).resolve()
    with zipfile.ZipFile(archive) as zf:
        names = [n for n in zf.namelist() if n.endswith(".ipynb")]
        assert len(names) == len(catalogue(built.root))
        for name, ex in zip(names, catalogue(built.root)):
            assert name.endswith(ex.path.name)
            assert zf.read(name) == ex.path.read_bytes()
        assert "README.txt" in " ".join(zf.namelist())


def test_check_rejects_what_a_course_notebook_must_not_hold(course_copy_factory) -> None:
    root = course_copy_factory()
    nb_path = root / "exercises" / "orientation" / "study-plan.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1")]))
    next(c for c in nb.cells if "response" in c.metadata.get("tags", [])).source = "a filled answer"
    nb.metadata["coursekit"]["minutes"] = "twenty"
    del nb.metadata["coursekit"]["setting"]
    nbformat.write(nb, nb_path)
    out = coursekit("check", "--root", str(root)).stdout
    rel = "exercises/orientation/study-plan.ipynb"
    assert f"{rel}: metadata coursekit.minutes: 'twenty' is not of type 'integer'" in out
    assert f"{rel}: metadata coursekit: 'setting' is a required property" in out
    assert re.search(rf"{re.escape(rel)}: cell \d+ is a code cell with stored outputs", out)
    assert re.search(rf"{re.escape(rel)}: cell \d+ is a response cell but is not empty", out)

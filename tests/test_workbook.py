"""The workbook outside the browser: the command-line portfolio export (answered exercises only,
private ones left out, damaged files skipped with a warning, never touching its inputs), the
workbook zip and its README, and the exercise index. The browser side is test_workbook_browser.py."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import nbformat
import pytest

from helpers import REPO, Built, Page, coursekit_here

from coursekit.exercises import catalogue, prompts, workbook_readme
from coursekit.workbook import answer_paragraphs, esc, portfolio_html, prompt_paragraphs

COURSE = catalogue(REPO)
REMEDY = "if it is one of your exercises, download a fresh copy of this exercise from its page"
PRIVATE = [ex for ex in COURSE if ex.private]
SHARED = [ex for ex in COURSE if not ex.private]


def responses(nb) -> list:
    return [c for c in nb.cells if "response" in c.metadata.get("tags", [])]


def private_cells(ex) -> set[str]:
    """The ids of the exercise's answers that stay with the trainee (tagged 'private' in the notebook)."""
    return {c.id for c in responses(nbformat.read(ex.path, as_version=4)) if "private" in c.metadata.get("tags", [])}


def kept_line(count: int) -> str:
    return (f"Left out {count} answer(s) marked private in the exercises (code words, checks, stop-point ratings, "
            "disguise notes): they never go in a portfolio and stay in your own files.\n") if count else ""


def fill(ex, dest: Path, skip: set[int] = frozenset(), saved: str | None = None, extra: bool = True,
         meta: dict | None = None) -> dict[str, str]:
    """A trainee's filled copy of a course notebook, as a notebook editor leaves it; the answers by cell id."""
    nb = nbformat.read(ex.path, as_version=4)
    answers = {}
    for i, cell in enumerate(responses(nb)):
        if i not in skip:
            cell.source = f"My answer {i + 1} to {ex.id}: it *mattered* <b>here</b>."
            answers[cell.id] = cell.source
    if extra:  # a cell the trainee added under the first answer joins that answer
        first = responses(nb)[0]
        nb.cells.insert(nb.cells.index(first) + 1, nbformat.v4.new_markdown_cell(f"An extra thought on {ex.id}."))
        if first.id in answers:
            answers[first.id] += f"\n\nAn extra thought on {ex.id}."
    if saved:
        nb.metadata["coursekit"]["saved"] = saved
    if meta is not None:
        nb.metadata["coursekit"] = meta
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return answers


def export(*args: str, root: Path = REPO):
    return coursekit_here("workbook", "export", *map(str, args), "--root", str(root))


def digest(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def text_of(html: str) -> str:
    return Page(html).text


# --- the course's exercises ----------------------------------------------------------------------

def test_every_exercise_has_a_stable_id_and_the_course_has_private_ones() -> None:
    ids = [ex.id for ex in COURSE]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert PRIVATE and SHARED
    assert any(ex.id == "what-i-keep-from-supervision" for ex in PRIVATE)


# --- what goes in ---------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_export_of_every_exercise_round_trips_in_course_order(tmp_path: Path, suffix: str) -> None:
    workbook = tmp_path / "my workbook"
    expected = {ex.id: fill(ex, workbook / f"mine-{n}.ipynb", skip={1})  # trainee names, reverse order
                for n, ex in enumerate(reversed(COURSE))}
    before = digest(workbook)
    out = tmp_path / f"portfolio{suffix}"
    private = [a for ex in PRIVATE for a in ("--include-private", ex.id)]
    result = export(workbook, "--output", out, "--all", *private)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert digest(workbook) == before, "the export changed its inputs"
    raw = out.read_text(encoding="utf-8")
    heads = [raw.index(f"## {ex.title}\n" if suffix == ".md" else f"<h2>{esc(ex.title)}</h2>") for ex in COURSE]
    assert heads == sorted(heads), "exercises are not in course order"
    if suffix == ".html":
        assert not re.search(r"<(script|link|img|iframe)\b|(src|href)=\"(https?:)?//", raw)
    private = {ex.id: private_cells(ex) for ex in COURSE}
    assert sum(map(len, private.values())) >= 12, "the course's private answers are not marked"
    for ex, start in zip(COURSE, heads):
        for cell, answer in expected[ex.id].items():
            first = answer.split("\n\n")[0]
            if cell in private[ex.id]:  # an answer that stays with the trainee is never in a portfolio
                assert (esc(first) if suffix == ".html" else first) not in raw, f"{ex.id}: private {cell} exported"
                continue
            for para in answer.split("\n\n"):
                assert (esc(para) if suffix == ".html" else para) in raw[start:], f"{ex.id}: lost {para!r}"
    shareable = {ex.id: [c for c in responses(nbformat.read(ex.path, as_version=4)) if c.id not in private[ex.id]]
                 for ex in COURSE}
    answered = sum(1 for ex in COURSE for c in shareable[ex.id] if c.id in expected[ex.id])
    prompts_total = sum(len(s) for s in shareable.values())
    assert raw.count("No answer yet.") == prompts_total - answered
    kept = sum(1 for ex in COURSE for c in private[ex.id] if c in expected[ex.id])
    assert result.stdout == (f"wrote {out}: {len(COURSE)} exercise(s), {answered} of {prompts_total} prompts answered\n"
                             + kept_line(kept))


def test_by_default_only_answered_prompts_of_answered_shared_exercises(tmp_path: Path) -> None:
    shared, private, blank = SHARED[0], PRIVATE[0], SHARED[1]
    fill(shared, tmp_path / "a.ipynb", skip={0}, extra=False)
    fill(private, tmp_path / "b.ipynb")
    fill(blank, tmp_path / "c.ipynb", skip=set(range(99)), extra=False)
    out = tmp_path / "portfolio.html"
    result = export(tmp_path, "-o", out)
    assert result.returncode == 0, result.stderr
    cells = responses(nbformat.read(shared.path, as_version=4))
    mine = private_cells(shared)
    n = len([c for c in cells if c.id not in mine])
    got = len([c for c in cells[1:] if c.id not in mine])  # the first answer was skipped
    left_out = ", ".join(f"{ex.id} ({why})" for ex, why in sorted(
        [(private, "private"), (blank, "no answers yet")], key=lambda p: COURSE.index(p[0])))
    assert result.stdout == (f"wrote {out}: 1 exercise(s), {got} of {n} prompts answered; left out 2: {left_out}\n"
                             + kept_line(len([c for c in cells[1:] if c.id in mine])) +
                             "Private exercises stay out unless you name them: --include-private ID\n")
    text = text_of(out.read_text(encoding="utf-8"))
    assert shared.title in text and private.title not in text and blank.title not in text
    assert "No answer yet" not in text
    first_prompt = prompt_paragraphs(prompts(nbformat.read(shared.path, as_version=4))[0].prompt)[-1]
    assert first_prompt not in text, "an unanswered prompt is in the portfolio"
    # named, the private exercise comes in; excluded, an exercise goes out
    out2 = tmp_path / "p2.md"
    named = export(tmp_path, "-o", out2, "--include-private", private.id, "--exclude", shared.id)
    assert named.returncode == 0, named.stderr
    text = out2.read_text(encoding="utf-8")
    assert private.title in text and shared.title not in text
    assert f"{shared.id} (excluded)" in named.stdout


def test_an_unknown_name_for_exclude_or_include_private_is_warned_about(tmp_path: Path) -> None:
    fill(SHARED[0], tmp_path / "a.ipynb")
    result = export(tmp_path / "a.ipynb", "-o", tmp_path / "p.md", "--exclude", "no-such-exercise")
    assert result.returncode == 0
    assert result.stderr == "warning: --exclude no-such-exercise: no exercise of this course has that id or file name\n"


def test_only_private_answers_point_to_include_private(tmp_path: Path) -> None:
    ex = PRIVATE[0]
    fill(ex, tmp_path / "a.ipynb")
    out = tmp_path / "p.md"
    result = export(tmp_path, "-o", out)
    assert result.returncode == 1
    assert result.stderr.endswith(f"(left out: {ex.id} (private)): nothing was written; --include-private {ex.id} "
                                  "puts a private exercise in, if you choose to\n"), result.stderr
    assert not out.exists()


def test_nothing_answered_writes_nothing_and_says_why(tmp_path: Path) -> None:
    ex = SHARED[0]
    fill(ex, tmp_path / "a.ipynb", skip=set(range(99)), extra=False)
    out = tmp_path / "p.md"
    result = export(tmp_path, "-o", out)
    assert result.returncode == 1
    assert result.stderr == (f"Error: nothing to put in the portfolio (left out: {ex.id} (no answers yet)): nothing was "
                             "written; --all includes exercises with no answers yet\n")
    assert not out.exists()


def test_cells_added_in_a_notebook_editor_join_the_answer_above(tmp_path: Path) -> None:
    ex = SHARED[0]
    nb = nbformat.read(ex.path, as_version=4)
    first, second = responses(nb)[:2]
    first.source = "First."
    at = nb.cells.index(first) + 1
    nb.cells[at:at] = [nbformat.v4.new_markdown_cell("Added one."), nbformat.v4.new_code_cell("Added two.")]
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("Above everything."))
    nbformat.write(nb, tmp_path / "a.ipynb")
    out = tmp_path / "p.md"
    assert export(tmp_path / "a.ipynb", "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "Above everything.\n\nFirst.\n\nAdded one.\n\nAdded two." in text


# --- how notebooks are matched ---------------------------------------------------------------------

def test_matched_by_id_so_a_retitled_exercise_still_exports(tmp_path: Path) -> None:
    ex = SHARED[0]
    meta = {**nbformat.read(ex.path, as_version=4).metadata["coursekit"], "title": "An old title"}
    fill(ex, tmp_path / "old.ipynb", meta=meta)
    out = tmp_path / "p.md"
    result = export(tmp_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"## {ex.title}" in out.read_text(encoding="utf-8")


def test_a_file_without_an_id_is_matched_by_its_title(tmp_path: Path) -> None:
    ex = SHARED[0]
    meta = {k: v for k, v in nbformat.read(ex.path, as_version=4).metadata["coursekit"].items() if k != "id"}
    answers = fill(ex, tmp_path / "old.ipynb", meta=meta)
    out = tmp_path / "p.md"
    assert export(tmp_path, "-o", out).returncode == 0
    assert [a for c, a in answers.items() if c not in private_cells(ex)][-1] in out.read_text(encoding="utf-8")


def test_the_same_exercise_twice_the_most_recently_saved_wins(tmp_path: Path) -> None:
    ex = SHARED[0]
    fill(ex, tmp_path / "monday.ipynb", saved="2026-03-02T09:00:00.000Z")
    nb = nbformat.read(tmp_path / "monday.ipynb", as_version=4)
    responses(nb)[0].source = "Rewritten on Tuesday."
    nb.metadata["coursekit"]["saved"] = "2026-03-03T09:00:00.000Z"
    nbformat.write(nb, tmp_path / "tuesday.ipynb")
    os.utime(tmp_path / "tuesday.ipynb", (0, 0))  # the saved time counts, not the file's
    out = tmp_path / "p.md"
    result = export(tmp_path, "-o", out)
    assert result.returncode == 0
    monday, tuesday = tmp_path / "monday.ipynb", tmp_path / "tuesday.ipynb"
    assert result.stderr == (f"warning: {tuesday} and {monday} are both '{ex.title}': used {tuesday}, "
                             "the more recently saved\n")
    assert "Rewritten on Tuesday." in out.read_text(encoding="utf-8")
    # without a saved time, the file's own time decides
    for path in (monday, tuesday):
        nb = nbformat.read(path, as_version=4)
        del nb.metadata["coursekit"]["saved"]
        nbformat.write(nb, path)
    os.utime(tuesday, (1_000_000, 1_000_000))
    result = export(tmp_path, "-o", out, "--force")
    assert f"used {monday}, the more recently saved" in result.stderr


# --- damaged and stray files ------------------------------------------------------------------------

BAD = [
    ('{"cells": [\n  {"cell_type": "markdown",,}', "damaged: invalid JSON at line 2, column 28 "
     "(Expecting property name enclosed in double quotes)"),
    (json.dumps({"hello": "world"}), "not a notebook (it has no cells)"),
    (nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Mine")])),
     "not an exercise from this course (it has no 'coursekit' metadata)"),
    (nbformat.writes(nbformat.v4.new_notebook(metadata={"coursekit": {"id": "nope", "title": "Nope"}})),
     "exercise id 'nope' is not in this course"),
    ("\udcff", "cannot be read: it is not a text file"),
]


@pytest.mark.parametrize("content, problem", BAD, ids=["malformed", "not-a-notebook", "stray", "unknown-id", "binary"])
def test_a_damaged_or_stray_file_is_skipped_with_a_warning(tmp_path: Path, content: str, problem: str) -> None:
    ex = SHARED[0]
    fill(ex, tmp_path / "good.ipynb")
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(content.encode("utf-8", "surrogateescape"))
    out = tmp_path / "portfolio.md"
    result = export(tmp_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {bad}: {problem}; skipped it ({REMEDY})\n"
    assert ex.title in out.read_text(encoding="utf-8")
    # --strict stops instead, and writes nothing
    strict_out = tmp_path / "strict.md"
    stopped = export(tmp_path, "-o", strict_out, "--strict")
    assert stopped.returncode == 1
    assert stopped.stderr == f"Error: {bad}: {problem}; {REMEDY}. Stopped (--strict): nothing was written\n"
    assert not strict_out.exists()


def test_link_loops_and_broken_links_are_named_never_a_traceback(tmp_path: Path) -> None:
    workbook = tmp_path / "workbook"
    fill(SHARED[0], workbook / "a.ipynb")
    (workbook / "again").symlink_to(workbook, target_is_directory=True)
    (workbook / "self.ipynb").symlink_to(workbook / "self.ipynb")
    (workbook / "gone.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    out = tmp_path / "p.md"
    result = export(workbook, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"warning: {workbook / 'again'}: a link that loops back to {workbook.resolve()}; did not follow it\n"
                             f"warning: {workbook / 'gone.ipynb'}: a link to something that is not there; skipped it\n"
                             f"warning: {workbook / 'self.ipynb'}: a link that loops back on itself; skipped it\n")
    named = export(workbook / "self.ipynb", "-o", out, "--force")
    assert named.returncode == 1 and "Traceback" not in named.stderr
    assert named.stderr == f"Error: {workbook / 'self.ipynb'}: a link that loops back on itself\n"


def test_missing_input_is_named(tmp_path: Path) -> None:
    result = export(tmp_path / "nowhere", "-o", tmp_path / "p.md")
    assert result.returncode == 1
    assert result.stderr == f"Error: {tmp_path / 'nowhere'}: no such file or folder\n"


def test_a_zip_of_answers_is_read_as_it_is(tmp_path: Path) -> None:
    ex = SHARED[0]
    answers = fill(ex, tmp_path / "src" / "a.ipynb")
    archive = tmp_path / "my-answers.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(tmp_path / "src" / "a.ipynb", "my-answers/01-a.ipynb")
        zf.writestr("my-answers/README.txt", "read me")
    out = tmp_path / "p.md"
    result = export(archive, "-o", out)
    assert result.returncode == 0, result.stderr
    assert [a for c, a in answers.items() if c not in private_cells(ex)][-1] in out.read_text(encoding="utf-8")


# --- the output -----------------------------------------------------------------------------------

def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    fill(SHARED[0], tmp_path / "a.ipynb")
    out = tmp_path / "portfolio.md"
    out.write_text("my earlier portfolio\n", encoding="utf-8")
    result = export(tmp_path / "a.ipynb", "-o", out)
    assert result.returncode == 1
    assert result.stderr == f"Error: {out}: already exists; use --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "my earlier portfolio\n"
    forced = export(tmp_path / "a.ipynb", "-o", out, "--force")
    assert forced.returncode == 0 and SHARED[0].title in out.read_text(encoding="utf-8")


def test_export_never_writes_over_an_input(tmp_path: Path) -> None:
    nb = tmp_path / "a.ipynb"
    fill(SHARED[0], nb)
    before = nb.read_bytes()
    target = tmp_path / "a.md"
    target.symlink_to(nb)
    result = export(nb, "-o", target, "--force")
    assert result.returncode == 1
    assert result.stderr == f"Error: {target}: is one of the notebooks being exported; choose another output file\n"
    assert nb.read_bytes() == before


def test_output_must_be_markdown_or_html(tmp_path: Path) -> None:
    fill(SHARED[0], tmp_path / "a.ipynb")
    result = export(tmp_path / "a.ipynb", "-o", tmp_path / "p.pdf")
    assert result.stderr == f"Error: {tmp_path / 'p.pdf'}: the portfolio is written as .md or .html\n"


def test_html_export_escapes_what_a_trainee_typed_and_is_self_contained(tmp_path: Path) -> None:
    nb = nbformat.read(SHARED[0].path, as_version=4)
    responses(nb)[0].source = "<script>alert(1)</script> & more\nsecond line"
    nbformat.write(nb, tmp_path / "a.ipynb")
    out = tmp_path / "p.html"
    assert export(tmp_path / "a.ipynb", "-o", out).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more<br>second line" in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert not re.search(r"(src|href)=\"(https?:)?//|@import|url\(", page)
    assert f"Put together on {date.today().day} " in page


def test_portfolio_layout() -> None:
    """The layout the browser copies: prompt as plain paragraphs, the answer as typed, in paragraphs."""
    assert prompt_paragraphs("## Part 1: What happened\n\n**Prompt 1.** Describe [it](cite:x) *briefly*.\n"
                             "Second line.\n\n- one\n- **two**\n\n| A | B |\n| --- | --- |\n| x | |\n\n"
                             "Use `code` and snake_case_words.") == [
        "Part 1: What happened", "Prompt 1. Describe it briefly. Second line.", "• one", "• two", "A · B", "x",
        "Use code and snake_case_words."]
    assert answer_paragraphs("  one\r\ntwo \n \n\n three  ") == ["one\ntwo", "three"]
    from coursekit.workbook import Answer, Item
    html = portfolio_html("Course & co", [Item("x", "A <title>", "Role-play", "Module 2: Failure",
                                               [Answer("c1", "**Q?**", "A\n\nB"), Answer("c2", "Q2", "")])],
                          date(2026, 12, 1))
    assert ('<section class="pf-exercise" id="pf-x">\n<h2>A &lt;title&gt;</h2>\n<p class="pf-meta">Role-play · '
            'Module 2: Failure</p>\n<div class="pf-item">\n<blockquote class="pf-prompt"><p>Q?</p></blockquote>\n'
            '<div class="pf-answer"><p>A</p><p>B</p></div>\n</div>\n</section>') in html
    assert "Put together on 1 December 2026" in html and "Q2" not in html


# --- the workbook zip and the exercise index ----------------------------------------------------------

def test_workbook_readme_puts_the_page_first_and_the_command_line_last() -> None:
    text = workbook_readme("Learning to Fall")
    page, editor, command = (text.index("course website"), text.index("JupyterLab"), text.index("command line"))
    assert page < editor < command
    assert "nothing is sent anywhere" in text.lower()
    assert "pip install" in text, "the command line part says where the command comes from"
    assert "newer" in text or "asks" in text, "the README says what happens when a file meets different answers"


def test_learner_edition_offers_the_whole_workbook(built: Built) -> None:
    html = built.html("learner")
    index = (html / "exercises" / "index.html").read_text(encoding="utf-8")
    href = re.search(r'href="([^"]+\.zip)"', index)
    assert href, "the exercise index offers no workbook zip"
    with zipfile.ZipFile((html / "exercises" / href.group(1)).resolve()) as zf:
        names = [n for n in zf.namelist() if n.endswith(".ipynb")]
        assert len(names) == len(catalogue(built.root))
        for name, ex in zip(names, catalogue(built.root)):
            assert name.endswith(ex.path.name)
            nb = nbformat.reads(zf.read(name).decode("utf-8"), as_version=4)
            nbformat.validate(nb)
            assert nb.metadata["coursekit"]["id"] == ex.id
            assert not any(c.source.strip() for c in responses(nb))
        readme = next(n for n in zf.namelist() if n.endswith("README.txt"))
        assert zf.read(readme).decode("utf-8").startswith(workbook_readme(built_title(built))[:40])


def built_title(built: Built) -> str:
    from coursekit.course import Course
    return Course.load(built.root).programme.title


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_every_exercise_page_has_an_answer_box_for_each_prompt(built: Built, edition: str) -> None:
    from coursekit.exercises import edition_notebook
    for ex in catalogue(built.root):
        page = Page((built.html(edition) / f"{ex.docname}.html").read_text(encoding="utf-8"))
        cells = [p.cell for p in prompts(edition_notebook(ex, edition, {}))]
        assert [a["data-cell"] for a in page.by_class("answer-box")] == cells, ex.docname
        assert len(page.by_class("exercise-download")) == 1


@pytest.mark.parametrize("edition", ["learner", "instructor"])
def test_exercise_index_lists_every_exercise_in_course_order(built: Built, edition: str) -> None:
    page = built.html(edition) / "exercises" / "index.html"
    html = page.read_text(encoding="utf-8")
    expected = [ex.docname.removeprefix("exercises/") + ".html" for ex in catalogue(built.root)]
    # two views of one list: a table for wide screens and cards for a phone, each complete and in order
    for view in ("exercise-table", "exercise-cards"):
        part = re.search(rf'<div class="exercise-index {view}[^"]*">(.*?)\n</div>\n(?=<div class="exercise-index|<section|</section)',
                         html, re.S)
        assert part, f"{edition}: the exercise index has no {view}"
        links = re.findall(r'<a class="reference internal" href="([^"#]+\.html)"><span class="doc">', part.group(1))
        assert [link for link in links if link in expected] == expected, view
    assert 'id="workbook-tools"' in html


def test_check_rejects_what_a_course_notebook_must_not_hold(course_copy_factory) -> None:
    root = course_copy_factory()
    nb_path = root / "exercises" / "orientation" / "study-plan.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1")]))
    next(c for c in nb.cells if "response" in c.metadata.get("tags", [])).source = "a filled answer"
    nbformat.write(nb, nb_path)
    out = coursekit_here("check", "--root", str(root)).stdout
    rel = "exercises/orientation/study-plan.ipynb"
    assert re.search(rf"{re.escape(rel)}: cell \d+ is a code cell with stored outputs", out)
    assert re.search(rf"{re.escape(rel)}: cell \d+ is a response cell but is not empty", out)

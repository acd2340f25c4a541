"""`coursekit check` passes on the course, and names the file, line and problem of each kind of bad
input; `coursekit build` runs it first and builds nothing when it fails. Every message below is
the exact text a maintainer sees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers import REPO, coursekit, coursekit_here


def _check(root: Path, *args: str):
    return coursekit_here("check", "--root", str(root), *args)


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_check_passes_on_the_course() -> None:
    result = _check(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")


def test_broken_toc_entry_is_named_with_file_and_line(course_copy_factory) -> None:
    root = course_copy_factory()
    toc = root / "_toc.yml"
    at = _line_of(toc, "file: chapters/orientation/learning-agreement")
    _edit(toc, "chapters/orientation/learning-agreement", "chapters/orientation/learning-agreemnt")
    result = _check(root)
    assert result.returncode == 1
    assert f"_toc.yml:{at}: toc entry 'chapters/orientation/learning-agreemnt' has no file" in result.stdout
    assert "chapters/orientation/learning-agreement.md:1: is in no toc" in result.stdout


def test_unknown_cite_key_is_named_with_file_and_line(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "learning-agreement.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nAs shown by {cite:t}`nobody1999invented`.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = _check(root)
    assert result.returncode == 1
    assert (f"chapters/orientation/learning-agreement.md:{line}: unknown cite key 'nobody1999invented' "
            "(not in references.bib)") in result.stdout, result.stdout


def test_malformed_notebook_is_named(course_copy_factory) -> None:
    root = course_copy_factory()
    nb = root / "exercises" / "orientation" / "arriving.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    result = _check(root)
    assert result.returncode == 1
    assert re.search(r"exercises/orientation/arriving\.ipynb:\d+: not a notebook: invalid JSON", result.stdout)


def test_stray_page_outside_every_toc_is_named_but_not_what_git_ignores(course_copy_factory) -> None:
    root = course_copy_factory()
    (root / "chapters" / "orientation" / "draft.md").write_text("# Draft\n", encoding="utf-8")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "README.md").write_text("# A package's readme\n", encoding="utf-8")
    result = _check(root)
    assert result.returncode == 1
    assert "chapters/orientation/draft.md:1: is in no toc and not excluded" in result.stdout
    assert ".venv" not in result.stdout


def test_instructor_page_in_the_learner_toc_is_refused(course_copy_factory) -> None:
    root = course_copy_factory()
    _edit(root / "_toc.yml", "      - file: glossary", "      - file: instructor/index\n      - file: glossary")
    result = _check(root)
    assert result.returncode == 1
    assert "'instructor/index' is instructor material: list it in instructor/_toc.yml" in result.stdout


def test_check_outside_a_course_says_so(tmp_path) -> None:
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "not inside a course" in result.stderr


# ---------------------------------------------------------------- leaks, stopped at check and at build

def test_a_download_of_instructor_material_stops_check_and_the_learner_build(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "learning-agreement.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nThe {download}`formats </instructor/formats.yml>`.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = _check(root)
    assert (f"chapters/orientation/learning-agreement.md:{line}: {{download}} of instructor material in a learner "
            "page: the learner edition must not hold it") in result.stdout
    # the learner build stops it too, at the page and line: tests/test_extension.py


def test_an_html_comment_in_a_learner_page_is_refused(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "learning-agreement.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n<!-- note for instructors: watch the quiet ones -->\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = _check(root)
    assert result.returncode == 1
    assert (f"chapters/orientation/learning-agreement.md:{line}: an HTML comment would be published in the page's "
            "HTML (learners can read it with 'view source'): remove it") in result.stdout


def test_only_blocks_name_known_tags(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "orientation" / "learning-agreement.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n```{only} teachers\nHidden.\n```\n", encoding="utf-8")
    result = _check(root)
    assert (f"chapters/orientation/learning-agreement.md:{len(text.splitlines()) + 2}: {{only}} 'teachers': use "
            "'learner' or 'instructor' (the edition is a Sphinx tag; for a module a programme may leave out, use "
            "{if-module} KEY)") in result.stdout


# ---------------------------------------------------------------- nothing dropped silently

def test_invalid_exercise_metadata_stops_check_and_build(course_copy_factory) -> None:
    root = course_copy_factory()
    nb_path = root / "exercises" / "orientation" / "study-plan.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata["coursekit"]["kind"] = "essay"
    nbformat.write(nb, nb_path)
    message = ("exercises/orientation/study-plan.ipynb: metadata coursekit.kind: 'essay' is not one of "
               "'reflective-writing', 'embodied-awareness', 'role-play', 'case-analysis', 'deliberate-practice-drill'")
    result = _check(root)
    assert result.returncode == 1 and message in result.stdout, result.stdout
    built = coursekit("build", "--edition", "learner", "--root", str(root))
    assert built.returncode == 1
    assert message in built.stderr
    assert "nothing was built" in built.stderr
    assert not (root / "_build" / "learner" / "html" / "index.html").exists()


def test_check_rejects_what_a_course_notebook_must_not_hold(course_copy_factory) -> None:
    root = course_copy_factory()
    nb_path = root / "exercises" / "orientation" / "study-plan.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1")]))
    next(c for c in nb.cells if "response" in c.metadata.get("tags", [])).source = "a filled answer"
    nb.metadata["coursekit"]["minutes"] = "twenty"
    del nb.metadata["coursekit"]["setting"]
    nbformat.write(nb, nb_path)
    out = _check(root).stdout
    rel = "exercises/orientation/study-plan.ipynb"
    assert f"{rel}: metadata coursekit.minutes: 'twenty' is not of type 'integer'" in out
    assert f"{rel}: metadata coursekit: 'setting' is missing" in out
    assert re.search(rf"{re.escape(rel)}: cell \d+ is a code cell with stored outputs", out)
    assert re.search(rf"{re.escape(rel)}: cell \d+ is a response cell but is not empty", out)


def test_every_objective_is_practised_and_the_question_list_matches(course_copy_factory) -> None:
    root = course_copy_factory()
    data = root / "chapters" / "learning-from-failure" / "module.yml"
    text = data.read_text(encoding="utf-8")
    # question 6 was the only one serving objective 4 (video and text-based therapy); point it elsewhere,
    # and drop the last question's entry
    text = text.replace("  - [4]  # question 6\n", "  - [5]  # question 6\n").replace("  - [5]  # question 9\n", "")
    data.write_text(text, encoding="utf-8")
    out = _check(root).stdout
    rel = "chapters/learning-from-failure/module.yml"
    assert re.search(rf"{re.escape(rel)}:\d+: objective 4 is practised by no exercise and no discussion question", out), out
    assert re.search(rf"{re.escape(rel)}:\d+: discussion_objectives lists 8 question\(s\), but discussion.md has 9: "
                     "give one list of objective numbers per question", out), out


def test_only_an_answer_can_be_private(course_copy_factory) -> None:
    root = course_copy_factory()
    nb_path = root / "exercises" / "orientation" / "arriving.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[1].metadata["tags"] = ["private"]
    nbformat.write(nb, nb_path)
    assert ("exercises/orientation/arriving.ipynb: cell 2 is tagged 'private' but is not a 'response' cell: "
            "only answers can be private") in _check(root).stdout


def test_a_drill_statement_needs_its_example_responses(course_copy_factory) -> None:
    root = course_copy_factory()
    nb_path = root / "exercises" / "rupture-repair" / "rupture-markers-drill.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "statement" in c.metadata.get("tags", []))
    del nb.cells[at + 1]
    nbformat.write(nb, nb_path)
    assert (f"exercises/rupture-repair/rupture-markers-drill.ipynb: cell {at + 1} is a drill statement not followed "
            "by its 'example' cell") in _check(root).stdout


# ---------------------------------------------------------------- data files: clear errors, never a traceback

def test_bad_times_and_missing_keys_in_the_formats_file(course_copy_factory) -> None:
    root = course_copy_factory()
    formats = root / "instructor" / "formats.yml"
    weekly = _line_of(formats, 'start: "18:00"')
    _edit(formats, 'start: "18:00"', 'start: "6pm"')
    days = _line_of(formats, "weekend:")
    _edit(formats, "  days: [Saturday, Sunday]\n", "")
    result = _check(root)
    assert result.returncode == 1
    assert f'instructor/formats.yml:{weekly}: weekly.start: \'6pm\' is not a 24-hour time such as "18:00" (in quotes)' \
        in result.stdout
    assert f"instructor/formats.yml:{days}: weekend: 'days' is missing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # ...and the build, at the page and the data's line: tests/test_extension.py


def test_an_unknown_module_in_the_formats_file(course_copy_factory) -> None:
    root = course_copy_factory()
    formats = root / "instructor" / "formats.yml"
    _edit(formats, "modules: [failure, rupture-repair, shame]", "modules: [failure, rupture-and-repair, shame]")
    line = _line_of(formats, "rupture-and-repair")
    assert (f"instructor/formats.yml:{line}: one-day.modules: unknown module 'rupture-and-repair'"
            in _check(root).stdout)


def test_a_session_plan_that_does_not_add_up(course_copy_factory) -> None:
    import yaml

    root = course_copy_factory()
    plans = root / "instructor" / "modules" / "shame.yml"
    data = yaml.safe_load(plans.read_text(encoding="utf-8"))
    session = data["sessions"]["seminar"][0]
    assert session["minutes"] == 90 and sum(r["minutes"] for r in session["rows"]) == 90
    session["rows"][0]["minutes"] += 4
    plans.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    lines = plans.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if n > lines.index("  seminar:") and text.strip() == "- minutes: 90")
    result = _check(root)
    assert result.returncode == 1
    assert (f"instructor/modules/shame.yml:{line}: sessions.seminar[0]: rows add up to 94 minutes, the session says 90"
            in result.stdout), result.stdout


def test_a_high_intensity_exercise_in_the_one_day_workshop_is_refused(course_copy_factory) -> None:
    import yaml

    root = course_copy_factory()
    plans = root / "instructor" / "modules" / "rupture-repair.yml"
    data = yaml.safe_load(plans.read_text(encoding="utf-8"))
    row = next(r for r in data["sessions"]["workshop"][0]["rows"] if r["kind"] == "exercise")
    row["exercise"] = "role-play-rupture-in-the-room"
    plans.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert re.search(r"instructor/modules/rupture-repair\.yml:\d+: sessions\.workshop\[0\]: "
                     r"'role-play-rupture-in-the-room' is a high-intensity exercise, which the one-day workshop leaves out",
                     _check(root).stdout)


def test_an_exercise_without_a_timed_debrief_is_refused(course_copy_factory) -> None:
    import yaml

    root = course_copy_factory()
    plans = root / "instructor" / "modules" / "failure.yml"
    data = yaml.safe_load(plans.read_text(encoding="utf-8"))
    rows = data["sessions"]["seminar"][0]["rows"]
    at = next(i for i, r in enumerate(rows) if r["kind"] == "exercise")
    debrief = next(i for i in range(at, len(rows)) if rows[i]["kind"] == "debrief")
    rows[debrief - 1]["minutes"] += rows[debrief]["minutes"]
    exercise_id = rows[at]["exercise"]
    del rows[debrief]
    plans.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = _check(root).stdout
    assert re.search(rf"instructor/modules/failure\.yml:\d+: sessions\.seminar\[0\]: exercise '{exercise_id}' has no "
                     r"timed debrief", out), out


def test_a_bad_module_data_file(course_copy_factory) -> None:
    root = course_copy_factory()
    data = root / "chapters" / "shame" / "module.yml"
    _edit(data, "kind: core", "kind: central")
    line = _line_of(data, "kind: central")
    assert (f"chapters/shame/module.yml:{line}: kind: 'central' is not one of 'orientation', 'core', 'extended'"
            in _check(root).stdout)


def test_a_programme_file_with_an_unknown_module(course_copy_factory, tmp_path) -> None:
    root = course_copy_factory()
    programme = tmp_path / "ours.yml"
    programme.write_text("title: Our course\nmodules: [orientation, failure, shaem]\n", encoding="utf-8")
    result = _check(root, "--programme", str(programme))
    assert result.returncode == 1
    assert (f"{programme}:2: modules: unknown module 'shaem' (the module keys are boundaries, failure, learning-from-failure, "
            "orientation, rupture-repair, shame, therapists-person)") in result.stdout
    built = coursekit("build", "--root", str(root), "--programme", str(programme))
    assert built.returncode == 1 and "unknown module 'shaem'" in built.stderr and "Traceback" not in built.stderr


KEYS = "boundaries, failure, learning-from-failure, orientation, rupture-repair, shame, therapists-person"


@pytest.mark.parametrize("text, expected", [
    # a title of only spaces, and other blank strings
    ('title: "   "\nmodules: [orientation]\n', ":1: title: '   ' is not a title with words in it, not only spaces"),
    ('title: Ours\ninstitution: "  "\nmodules: [orientation]\n',
     ':2: institution: \'  \' is not some words, or nothing at all (""), not only spaces'),
    ('title: Ours\nmodules: [orientation]\nsupport:\n  crisis_line: {name: Samaritans, contact: "   "}\n',
     ":4: support.crisis_line.contact: '   ' is not a number or address, not only spaces"),
    # a colon in a value, an unclosed quote (named at the line where it opens), a version read as a number
    ("title: Failure: a course\nmodules: [orientation]\n",
     ':1: not valid YAML: a value that contains \': \' must be in quotes, such as title: "Failure: an introduction"'),
    ('title: "Ours\nsubtitle: a course\nmodules: [orientation]\n',
     ":1: not valid YAML: the quote that opens on this line is never closed (close it with the same kind of quote)"),
    ("title: Ours\nversion: 2025.10\nmodules: [orientation]\n",
     ':2: version: 2025.10 is read as a number: put it in quotes, version: "2025.10" (unquoted it means 2025.1)'),
    # a module twice, named at the repeat's own line; a title where the key belongs
    ("title: Ours\nmodules:\n  - orientation\n  - failure\n  - shame\n  - failure\n",
     ":6: modules: 'failure' is listed twice (items 2 and 4): keep one"),
    ("title: Ours\nmodules:\n  - orientation\n  - Rupture and repair\n",
     f":4: modules: 'Rupture and repair' is a module's title: use its key 'rupture-repair' (the module keys are {KEYS})"),
])
def test_a_programme_file_mistake_is_named_with_its_line_and_remedy(tmp_path, text: str, expected: str) -> None:
    programme = tmp_path / "ours.yml"
    programme.write_text(text, encoding="utf-8")
    result = _check(REPO, "--programme", str(programme))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{programme}{expected}" in result.stdout.splitlines(), result.stdout


def test_a_programme_file_with_an_unknown_format_or_a_logo_that_is_no_image(tmp_path) -> None:
    programme = tmp_path / "ours.yml"
    (tmp_path / "logo.txt").write_text("not an image", encoding="utf-8")
    programme.write_text("title: Our course\nmodules: [orientation, failure]\nformats: [weekly, fortnightly]\n"
                         "logo: logo.txt\n", encoding="utf-8")
    result = _check(REPO, "--programme", str(programme))
    assert result.returncode == 1
    assert (f"{programme}:3: formats: no format 'fortnightly' (instructor/formats.yml has weekly, series, weekend, "
            "one-day)") in result.stdout, result.stdout
    assert (f"{programme}:4: logo: logo.txt is not an image a browser shows (use .gif, .jpeg, .jpg, .png, .svg, "
            ".webp)") in result.stdout, result.stdout


def test_a_module_number_in_prose_is_refused(course_copy_factory) -> None:
    root = course_copy_factory()
    page = root / "chapters" / "failure" / "good-enough.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nModule 4 returns to this.\n", encoding="utf-8")
    assert (f"chapters/failure/good-enough.md:{len(text.splitlines()) + 2}: a module number in prose: programmes "
            "reorder modules, so name a module with {module}`key` instead") in _check(root).stdout


def test_check_lists_links_to_modules_a_programme_leaves_out() -> None:
    programme = Path(__file__).resolve().parent / "fixtures" / "northfield.yml"
    result = _check(REPO, "--programme", str(programme))
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert notes and all(re.search(r"points to '(rupture-repair|boundaries)', which this programme leaves out: "
                                   r"shown as plain text", n) for n in notes), notes
    assert any(n.startswith("note: chapters/failure/") for n in notes)
    assert len(notes) == len(set(notes)), "a note is printed twice"
    assert f"{len(notes)} link(s) to left-out modules shown as plain text" in result.stdout


@pytest.mark.parametrize("exercise", ["exercises/shame/what-i-keep-from-supervision.ipynb"])
def test_an_exercise_id_must_match_its_file(course_copy_factory, exercise: str) -> None:
    root = course_copy_factory()
    path = root / exercise
    data = json.loads(path.read_text(encoding="utf-8"))
    data["metadata"]["coursekit"]["id"] = "what-i-hide"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert (f"{exercise}: metadata id 'what-i-hide' differs from the file name 'what-i-keep-from-supervision': keep "
            "them the same (rename neither: saved answers are matched by id)") in _check(root).stdout


def test_a_programme_that_leaves_an_outcome_on_one_objective_is_warned(tmp_path) -> None:
    programme = tmp_path / "no-shame.yml"
    programme.write_text("title: Without shame\nmodules: [orientation, failure, rupture-repair, therapists-person, "
                         "learning-from-failure]\n", encoding="utf-8")
    result = _check(REPO, "--programme", str(programme))
    assert result.returncode == 0, result.stdout
    line = _line_of(REPO / "instructor" / "outcomes.yml", "id: C3")
    warnings = [w for w in result.stdout.splitlines() if w.startswith("warning: ")]
    assert warnings == [f"warning: instructor/outcomes.yml:{line}: outcome C3 rests on rupture-repair:6 alone in this "
                        "programme (it leaves out shame): say in your programme's own documents how the outcome is "
                        "met, or teach a module that serves it"], warnings
    # the whole course leaves no outcome thin
    assert "warning: " not in _check(REPO).stdout


# ---------------------------------------------------------------- plans for the groups named (issue 26)

def _yaml_edit(path: Path, change) -> None:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def test_a_plan_that_breaks_the_room_rules_is_refused_at_its_line(course_copy_factory) -> None:
    root = course_copy_factory()
    rupture = root / "instructor" / "modules" / "rupture-repair.yml"

    def change(data) -> None:
        long_evening = data["sessions"]["series"][1]
        long_evening["rows"] = [r for r in long_evening["rows"] if r["kind"] != "break"]
        long_evening["minutes"] = 120
        role_play = next(r for r in data["sessions"]["seminar"][0]["rows"] if r["kind"] == "exercise"
                         and r["exercise"] == "role-play-rupture-in-the-room")
        del role_play["rounds"], role_play["round_minutes"]
        short = next(r for r in data["sessions"]["intensive"][0]["rows"] if r["kind"] == "exercise"
                     and r["exercise"] == "role-play-rupture-in-the-room")
        short["round_minutes"] = 7  # 21 minutes: a group of four would get rounds of 5
    _yaml_edit(rupture, change)
    lines = rupture.read_text(encoding="utf-8").splitlines()
    evening = next(n for n, t in enumerate(lines, 1) if "Rupture and repair II" in t)
    out = _check(root).stdout
    assert (f"instructor/modules/rupture-repair.yml:{evening + 1}: sessions.series[1]: 120 minutes of contact with no "
            "break: an evening session over 90 minutes has a break row (about 10 minutes)") in out, out
    assert re.search(r"instructor/modules/rupture-repair\.yml:\d+: sessions\.seminar\[0\]: a triad exercise says its "
                     r"rounds and their length \(rounds: 3, round_minutes: N\), so that everyone plays each role", out)
    assert re.search(r"instructor/modules/rupture-repair\.yml:\d+: sessions\.intensive\[0\]: a group of four \(when "
                     r"the group does not divide by three\) needs 4 rounds, and 21 minutes give rounds of 5: at least 6 "
                     r"minutes are needed", out), out
    assert "Traceback" not in out


def test_the_capstone_read_a_week_after_it_is_set_is_refused(course_copy_factory) -> None:
    root = course_copy_factory()
    plans = root / "instructor" / "modules" / "learning-from-failure.yml"
    line = _line_of(plans, "weeks_after: 2")
    _edit(plans, "      weeks_after: 2", "      weeks_after: 1")
    out = _check(root).stdout
    assert (f"instructor/modules/learning-from-failure.yml:{line - 2}: sessions.series[1]: 'capstone-failure-vignette' "
            "is read 1 week after it is set, but its 3 sittings on different days need at least 2 (give this session "
            "weeks_after: 2)") in out, out


def test_a_format_that_does_not_fit_its_group_or_its_day_is_refused(course_copy_factory) -> None:
    root = course_copy_factory()
    formats = root / "instructor" / "formats.yml"

    def change(data) -> None:
        data["one-day"]["large"]["facilitators"] = 1        # 24 trainees with one facilitator
        del data["one-day"]["opening"]["parts"]               # 45 minutes in one line
        data["weekend"]["last_closing"]["parts"][0]["minutes"] += 5  # parts that do not add up
        del data["weekend"]["lunch"]["check_in"]              # an afternoon with no check-in
    _yaml_edit(formats, change)
    failure = root / "instructor" / "modules" / "failure.yml"
    failure.write_text("group_size: {min: 6, max: 15}\n" + failure.read_text(encoding="utf-8"), encoding="utf-8")
    at = lambda text, after=0: next(n for n, t in enumerate(formats.read_text(encoding="utf-8").splitlines(), 1)  # noqa: E731
                                    if n > after and t.strip().startswith(text))
    one_day = at("one-day:")
    weekend = at("weekend:")
    out = _check(root).stdout
    assert (f"instructor/formats.yml:{at('large:', one_day)}: one-day.large: 24 trainees need 2 facilitators (at most "
            "16 each), and it says 1") in out, out
    assert (f"instructor/formats.yml:{at('opening:', one_day)}: one-day.opening: 45 minutes in one line: an opening "
            "over 20 minutes is given in timed parts") in out, out
    assert (f"instructor/formats.yml:{at('last_closing:', weekend)}: weekend.last_closing: its parts add up to 35 "
            "minutes, and it says 30") in out, out
    assert (f"instructor/formats.yml:{at('lunch:', weekend)}: weekend.lunch: no check-in after lunch") in out, out
    # a second place for a group size
    assert ("instructor/modules/failure.yml:1: group_size: {'min': 6, 'max': 15} is not allowed here: group sizes are "
            "set once, for each format, in instructor/formats.yml (group: {min, max})") in out, out

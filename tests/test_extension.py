"""The course's directives, roles and notebook handling, on a small Sphinx project
(tests/fixtures/minicourse) built with sphinx.testing: each build takes a few seconds.

Expected text is written by hand from the fixture's data files."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from helpers import parse

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minicourse"


def _text(path: Path) -> str:
    return parse(path).text.replace("’", "'")


def _build(tmp_path: Path, edition: str = "learner", edit=None, programme: str | None = None):
    src = tmp_path / "src"
    if not src.exists():
        shutil.copytree(FIXTURE, src)
    if edit:
        edit(src)
    overrides = {"coursekit_edition": edition,
                 "coursekit_programme": {"path": str(src / (programme or "programme.yml"))}}
    if edition == "learner":
        overrides["exclude_patterns"] = ["_build", "instructor/**"]
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / f"_build-{edition}", confoverrides=overrides,
                        status=StringIO(), warning=warnings, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue())


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("learner"))


@pytest.fixture(scope="module")
def instructor(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("instructor"), "instructor")


def test_the_fixture_builds_without_warnings(learner, instructor) -> None:
    assert learner[1] == "", learner[1]
    assert instructor[1] == "", instructor[1]


def test_module_pages_print_their_data(learner) -> None:
    out, _ = learner
    page = parse(out / "chapters" / "alpha" / "index.html")
    assert page.text.startswith("Module 2: Alpha")
    # 80 reading + 30 discussion + the 30-minute exercise = 140 minutes
    assert ("Estimated study time: about 2¼ hours working on your own (reading about 1¼ hours, the exercise about "
            "30 minutes, discussion questions about 30 minutes).") in page.text
    assert "Describe the first thing. Recognise the second thing. Practise the third thing." in page.text
    note = page.by_class("content-note")
    assert note and note[0].get("id") == "content-note" and note[0].get("role") == "note"
    assert note[0].get("aria-labelledby") == "content-note-title"
    assert ("Content note This module is about falling, and reading about it can stir your own falls. Stop at the end "
            "of the sentence. Name three things you can see. Come back another day.") in page.text
    assert "Alpha is the second module; Module 1: Orientation comes first." in page.text


def test_vignettes_carry_a_reminder_of_the_content_note(learner) -> None:
    html = (learner[0] / "chapters" / "alpha" / "reading.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="content-note-reminder">.*?href="index\.html#content-note"', html, re.S)


def test_only_blocks_follow_the_edition(learner, instructor) -> None:
    learner_text = parse(learner[0] / "chapters" / "alpha" / "reading.html").text
    instructor_text = parse(instructor[0] / "chapters" / "alpha" / "reading.html").text
    assert "Only learners read this sentence." in learner_text and "Only instructors" not in learner_text
    assert "Only instructors read this sentence." in instructor_text and "Only learners" not in instructor_text
    index = (learner[0] / "searchindex.js").read_text(encoding="utf-8")
    assert '"instructors"' not in index


def test_exercise_pages_in_the_learner_edition(learner) -> None:
    out, _ = learner
    html = (out / "exercises" / "alpha" / "practice.html").read_text(encoding="utf-8")
    page = parse(out / "exercises" / "alpha" / "practice.html")
    assert [b["data-cell"] for b in page.by_class("answer-box")] == ["cell06", "cell12", "cell15"]
    assert all(b["data-exercise"] == "practice" for b in page.by_class("answer-box"))
    assert 'id="answer-label-cell12"' in html and 'Your answer<span class="visually-hidden">: What do you notice in stage 1?</span>' in html
    assert "The client's secret" not in page.text, "a client-only cell reached the learner edition"
    assert re.search(r'<p class="exercise-module">Part of <a [^>]*href="\.\./\.\./chapters/alpha/index\.html"', html)
    assert '<details class="fold example">' in html and "(open after you have tried your own)" in html
    assert re.search(r'<details class="fold stage"><summary>Stage 2: open when you have answered the questions on '
                     r"stage 1</summary>", html)
    assert "Stage 1" in page.text and "<summary>Stage 1" not in html
    # citations written as links in the notebook become citations, linked to the bibliography
    assert "As Sachs (2020) says, and as others agree (Sachs, 2020), practice helps." in page.text
    assert re.search(r'href="\.\./\.\./bibliography\.html#id\d+"', html)
    assert 'href="practice.ipynb" download="practice-blank.ipynb"' in html
    offered = (out / "exercises" / "alpha" / "practice.ipynb").read_text(encoding="utf-8")
    assert "The client's secret" not in offered and '"edition": "learner"' in offered


def test_exercise_pages_in_the_instructor_edition_show_the_client_card(instructor) -> None:
    out, _ = instructor
    page = _text(out / "exercises" / "alpha" / "practice.html")
    assert "Client's card, brief A (instructor edition only) The client's secret" in page


def test_session_plans_timetables_and_hours(instructor) -> None:
    page = parse(instructor[0] / "instructor" / "modules" / "alpha.html")
    # the group size is stated once, in formats.yml, and every plan and timetable takes it from there
    assert ("Group sizes, from the formats: weekly seminars, 6 to 12 with one facilitator; a day, 6 to 12 with one "
            "facilitator.") in page.text
    assert [r[:2] for r in page.tables[0][1:]] == [["10", "Opening: Check-in"], ["30", "Exercise: Practice in triads (exercise)"],
                                                   ["15", "Debrief of the practice"], ["5", "Closing"],
                                                   ["60", "Total"]]
    weekly = next(t for t in page.tables if t[0] == ["Week", "Time", "Contact minutes", "Session"])
    assert weekly[1:] == [["1", "18:00 to 18:30", "30", "Module 1: Orientation"], ["2", "18:00 to 19:00", "60", "Module 2: Alpha"],
                          ["All", "", "90", "2 sessions"]]
    # the day: opening 15, orientation 20, break 10, alpha 45, closing 15
    day = next(t for t in page.tables if t[0] == ["Start", "Minutes", "Activity"])
    assert day[1:] == [["09:00", "15", "Arrival and check-in"], ["09:15", "20", "Module 1: Orientation"],
                       ["09:35", "10", "Break"], ["09:45", "45", "Module 2: Alpha"], ["10:30", "15", "Closing round"],
                       ["10:45", "", "End of the day"]]
    assert "Day one, 09:00 to 10:45 (1 h 45 min, of which contact 1 h 35 min)" in page.text
    hours = next(t for t in page.tables if t[0] == ["Module", "Contact", "Self-study (estimated)", "Total"])
    # alpha: 60 in the room; 80 reading + 30 discussion, the exercise done in the seminar
    assert hours[1:] == [["Module 1: Orientation", "30 min", "30 min", "1 h 00 min"],
                         ["Module 2: Alpha", "1 h 00 min", "1 h 50 min", "2 h 50 min"],
                         ["All", "1 h 30 min", "2 h 20 min", "3 h 50 min"]]


def test_support_contacts_say_where_a_programme_puts_them(learner) -> None:
    text = _text(learner[0] / "chapters" / "orientation" / "studying-painful-material.html")
    # a programme that lists no contacts gets words a trainee can act on, not a note that something is missing
    assert "This copy of the course lists no programme contacts. Ask your personal tutor or programme lead" in text
    assert "has not listed" not in text


def test_a_module_the_programme_leaves_out_is_named_as_plain_text(tmp_path) -> None:
    def shorter(src: Path) -> None:
        (src / "short.yml").write_text("title: Mini\nmodules: [alpha]\n", encoding="utf-8")

    out, warnings = _build(tmp_path, edit=shorter, programme="short.yml")
    text = parse(out / "chapters" / "alpha" / "index.html").text
    assert text.startswith("Module 1: Alpha")
    assert "Alpha is the second module; Orientation (not part of this programme) comes first." in text


def test_a_download_of_instructor_material_is_an_error_at_its_line(tmp_path) -> None:
    def leak(src: Path) -> None:
        page = src / "chapters" / "alpha" / "reading.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nThe {download}`plans </instructor/modules/alpha.yml>`.\n",
                        encoding="utf-8")

    out, warnings = _build(tmp_path, edit=leak)
    assert re.search(r"reading\.md:\d+: ERROR: the learner edition must not hold instructor material: download of "
                     r"'/instructor/modules/alpha\.yml'", warnings), warnings
    assert not list(out.rglob("alpha.yml"))


def test_an_include_of_an_instructor_page_is_an_error_at_its_line(tmp_path) -> None:
    def leak(src: Path) -> None:
        page = src / "chapters" / "alpha" / "reading.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text + "\n```{include} /instructor/modules/alpha.md\n```\n", encoding="utf-8")

    out, warnings = _build(tmp_path, edit=leak)
    assert re.search(r"reading\.md:\d+: ERROR: the learner edition must not hold instructor material: include of "
                     r"'/instructor/modules/alpha\.md'", warnings), warnings
    assert "Session plans" not in parse(out / "chapters" / "alpha" / "reading.html").text


def test_a_bad_data_file_is_an_error_at_the_page_and_the_data_line(tmp_path) -> None:
    def bad(src: Path) -> None:
        formats = src / "instructor" / "formats.yml"
        formats.write_text(formats.read_text(encoding="utf-8").replace('start: "18:00"', 'start: "6pm"'), encoding="utf-8")

    _, warnings = _build(tmp_path, "instructor", edit=bad)
    assert re.search(r"alpha\.md:\d+: ERROR: instructor/formats\.yml:6: weekly\.start: '6pm' is not a 24-hour time "
                     r"such as \"18:00\" \(in quotes\)", warnings), warnings
    assert "Traceback" not in warnings


def test_an_unexpected_failure_in_a_directive_names_the_page(tmp_path, monkeypatch) -> None:
    from coursekit.course import Course

    def boom(self, key):
        raise RuntimeError("boom")

    monkeypatch.setattr(Course, "timetable", boom)
    _, warnings = _build(tmp_path, "instructor")
    assert re.search(r"alpha\.md:\d+: ERROR: \{programme-timetable\} could not be built: RuntimeError: boom", warnings)


def test_a_handout_link_that_names_no_handout_is_an_error(tmp_path) -> None:
    def typo(src: Path) -> None:
        notes = src / "instructor" / "modules" / "alpha.md"
        notes.write_text(notes.read_text(encoding="utf-8").replace("role-cards-practice", "role-cards-practise"),
                         encoding="utf-8")

    _, warnings = _build(tmp_path, "instructor", edit=typo)
    assert "ERROR: {handout}: no handout 'role-cards-practise'" in warnings


def test_help_now_gives_numbers_to_tap_and_words_to_act_on(learner) -> None:
    html = (learner[0] / "help-now.html").read_text(encoding="utf-8")
    for link in ('href="tel:999"', 'href="tel:112"', 'href="tel:116123"', 'href="tel:111"'):
        assert link in html, link
    text = _text(learner[0] / "help-now.html")
    assert "Help now¶ In danger now, or unable to keep yourself safe? Call the emergency services: 999 or 112" in text
    # the fixture's programme lists no contacts: the page says what to do instead
    assert "tell your personal tutor, supervisor or programme lead what has happened" in text
    # every "where to get help now" goes to the page, not to the top of a long one
    index = (learner[0] / "chapters" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./help-now\.html"[^>]*>.*?where to get help now', index, re.S)
    reading = (learner[0] / "chapters" / "alpha" / "reading.html").read_text(encoding="utf-8")
    assert re.search(r'class="content-note-reminder">.*?href="\.\./\.\./help-now\.html"', reading, re.S)


def test_a_page_note_from_front_matter_opens_the_page_and_contacts_become_links(tmp_path) -> None:
    def edit(src: Path) -> None:
        page = src / "chapters" / "alpha" / "discussion.md"
        page.write_text("---\ncontent_note: This page is about falling hard, and may stir your own falls.\n---\n"
                        + page.read_text(encoding="utf-8"), encoding="utf-8")
        (src / "with-contacts.yml").write_text(
            (src / "programme.yml").read_text(encoding="utf-8") +
            "support:\n  programme_lead: {name: Dr Tess Example, contact: \"tess@example.ac.uk, +44 (0)1632 960001\"}\n"
            "  counselling_service: {name: Counselling, contact: \"01632 960002\", hours: \"Mon-Fri 9-5\"}\n",
            encoding="utf-8")

    out, warnings = _build(tmp_path, edit=edit, programme="with-contacts.yml")
    assert warnings == "", warnings
    html = (out / "chapters" / "alpha" / "discussion.html").read_text(encoding="utf-8")
    note = re.search(r'<div class="content-note page-note" id="page-note" role="note" aria-labelledby="page-note-title">'
                     r'(.*?)</div>', html, re.S)
    assert note, "no page note"
    body = note.group(1)
    assert "Before you read" in body and "This page is about falling hard, and may stir your own falls." in body
    assert 'href="index.html#content-note"' in body and 'href="../../help-now.html"' in body
    # the note comes straight after the title, before the page's own text
    assert html.index('id="page-note"') < html.index("<p>", html.index("</h1>")), "the page's text comes before its note"
    from html import unescape
    from urllib.parse import unquote

    help_html = unquote(unescape((out / "help-now.html").read_text(encoding="utf-8")))  # Sphinx cloaks addresses
    for link in ('href="mailto:tess@example.ac.uk"', 'href="tel:+441632960001"', 'href="tel:01632960002"'):
        assert link in help_html, link
    assert "Mon-Fri 9-5" in help_html and 'href="tel:9-5"' not in help_html
    assert "what has happened, by phone" not in help_html, "the fallback shows although the programme has contacts"
    support = (out / "chapters" / "orientation" / "studying-painful-material.html").read_text(encoding="utf-8")
    assert 'href="tel:01632960002"' in support


def test_the_module_list_and_formats_follow_the_programme(tmp_path) -> None:
    def edit(src: Path) -> None:
        page = src / "chapters" / "alpha" / "discussion.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n## Programme\n\n```{module-list}\n```\n\n"
                        "```{formats-summary}\n```\n\n`````{if-format} weekly\n### Weekly only\n\nKept.\n`````\n\n"
                        "`````{if-format} day\n### Day only\n\nDropped.\n`````\n", encoding="utf-8")
        (src / "weekly-only.yml").write_text((src / "programme.yml").read_text(encoding="utf-8") + "formats: [weekly]\n",
                                             encoding="utf-8")

    out, warnings = _build(tmp_path, "instructor", edit=edit, programme="weekly-only.yml")
    assert warnings == "", warnings
    text = _text(out / "chapters" / "alpha" / "discussion.html")
    assert ("Module 1: Orientation: how the course fits together. Module 2: Alpha: the first thing, the second and "
            "the third. Module 2: Alpha is the core of the course.") in text, text
    assert "This programme teaches the course in one format." in text and "Weekly seminars One seminar a week" in text
    assert "Weekly only" in text and "Kept." in text and "Day only" not in text and "Dropped." not in text
    assert "The course also offers A day, which this programme does not use." in text

"""Run sheets: one per meeting of each format, for a given group size, made from the plans.

What an instructor relies on: the clock times are the timetable's, everyone has a place in every
exercise (an uneven group still gives each person each role), the print counts match the groups,
and a size the format is not planned for is refused with a reason. The printed pages (one each for
an evening, at most two for a day) are checked in tests/test_pdf.py."""

from __future__ import annotations

import re

import pytest

from helpers import REPO, Built, coursekit, parse


@pytest.fixture(scope="module")
def course():
    from coursekit.course import Course

    return Course.load(REPO)


@pytest.mark.parametrize("n", range(6, 25))
def test_every_split_places_everyone_and_no_one_misses_a_role(n: int) -> None:
    from coursekit.runsheets import split

    pairs = split("pair", n)
    assert sum(pairs.sizes) == n and set(pairs.sizes) <= {2, 3} and pairs.sizes.count(3) == n % 2
    triads = split("triad", n)
    assert sum(triads.sizes) == n and set(triads.sizes) <= {3, 4}
    # a group of four runs a round more, so each of its four plays the therapist: the rounds cover the people
    assert all(size == 3 or size == 4 for size in triads.sizes)
    groups = split("group", n)
    assert sum(groups.sizes) == n and min(groups.sizes) >= 3 and max(groups.sizes) <= 5
    assert max(groups.sizes) - min(groups.sizes) <= 1


def test_fourteen_make_two_triads_and_two_fours_with_a_round_more(course) -> None:
    from coursekit.runsheets import lines, materials

    table = course.timetable("series")
    week5 = next(i for i, m in enumerate(table.meetings) if any(
        s.session and s.session.title.startswith("Rupture and repair II") for s in m.slots))
    role_play = next(x for x in lines(course, table.meetings[week5], 14) if "Role-play in triads" in x.what)
    # the plan: three rounds of 20 minutes; a four gets four rounds from the same 60 minutes of play
    assert role_play.groups == ("two triads and two groups of four; 3 rounds of 20 min; groups of four: 4 rounds of "
                                "15 min, two observers a round")
    cards = next(m for m in materials(course, table, week5, 14) if m.name.startswith("role-cards-"))
    assert cards.copies == 4 and "2 more" in cards.why


def test_run_sheet_times_are_the_timetables(course) -> None:
    """One source for every number: each line starts where the plan's rows put it, and the sheet ends
    when the timetable's meeting ends."""
    from coursekit.runsheets import lines

    for key in course.formats:
        table = course.timetable(key)
        for meeting in table.meetings:
            timed = lines(course, meeting, table.group.max)
            assert timed[0].start == meeting.start
            for a, b in zip(timed, timed[1:]):
                assert a.start + a.minutes == b.start, (key, meeting.name, a.what)
            assert timed[-1].start + timed[-1].minutes == meeting.end
            # every part of an opening or closing, every row of every plan, every break: in the plan's order
            expected = []
            for slot in meeting.slots:
                expected += ([p.minutes for p in slot.parts] if slot.parts else
                             [r.minutes for r in slot.session.rows] if slot.session else [slot.minutes])
            assert [x.minutes for x in timed] == expected, (key, meeting.name)


def test_every_format_has_a_run_sheet_for_each_meeting_in_the_built_guide(built: Built, course) -> None:
    folder = built.html("instructor") / "handouts"
    for key in course.formats:
        table = course.timetable(key)
        for index, meeting in enumerate(table.meetings, 1):
            page = parse(folder / f"runsheet-{key}-{index}.html")
            text = " ".join(page.text.split())
            assert f"Run sheet: {table.title}, {meeting.name}" in text
            assert f"a group of {table.group.max}, one facilitator" in text
            assert "The grounding close, together" in text
        assert not (folder / f"runsheet-{key}-{len(table.meetings) + 1}.html").exists()


def test_a_group_the_format_is_not_planned_for_is_refused(course) -> None:
    from coursekit.project import CourseError
    from coursekit.runsheets import check_group

    check_group(course.timetable("one-day"), 20)
    with pytest.raises(CourseError, match=re.escape(
            "weekly: a group of 20 is outside what the format is planned for (6 to 16 with one facilitator; "
            "instructor/formats.yml)")):
        check_group(course.timetable("weekly"), 20)


def test_twenty_for_the_one_day_have_two_facilitators_and_know_how_it_runs(course) -> None:
    from coursekit.runsheets import materials, sheet

    table = course.timetable("one-day")
    text = re.sub(r"<[^>]+>", " ", sheet(course, table, 0, 20))
    text = " ".join(text.split())
    assert "a group of 20, two facilitators" in text
    assert "With 17 to 24: Two facilitators share the day" in text
    counts = {m.name: m.copies for m in materials(course, table, 0, 20)}
    assert counts["support-sheet"] == 20 and counts["certificate-one-day"] == 20
    assert counts["drill-cards-rupture-markers-drill"] == 10  # ten pairs
    assert counts["stage-slips-case-analysis-the-client-who-stopped-coming"] == 5  # five groups of four
    assert "session-evaluation" not in counts, "the last meeting has the end-of-course form instead"


def test_the_cli_names_a_group_size_no_format_can_take(built: Built) -> None:
    result = coursekit("handouts", "--no-build", "--group", "40", "--root", str(built.root))
    assert result.returncode == 1, result.stdout
    assert ("Error: a group of 40 is outside what weekly, series, weekend, one-day are planned for (weekly: 6 to 16 "
            "with one facilitator;") in result.stderr, result.stderr
    twenty = coursekit("handouts", "--no-build", "--group", "20", "--root", str(built.root))
    assert twenty.returncode == 1 and ": choose the formats with --format, e.g. --format one-day" in twenty.stderr
    wrong = coursekit("handouts", "--no-build", "--group", "20", "--format", "weekly", "--root", str(built.root))
    assert wrong.returncode == 1 and ("Error: weekly: a group of 20 is outside what the format is planned for "
                                      "(6 to 16 with one facilitator; instructor/formats.yml)") in wrong.stderr
    assert "Traceback" not in result.stderr + twenty.stderr + wrong.stderr


def test_without_boundaries_the_capstone_week_is_left_free_not_squeezed(tmp_path) -> None:
    """The series reads the capstone two weeks after setting it. With Module 7 in the programme its
    session fills the week between; without it the week has no session, and the timetable says so."""
    from coursekit.course import Course
    from coursekit.runsheets import handouts

    programme = tmp_path / "six.yml"
    programme.write_text("title: Six modules\nmodules: [orientation, failure, rupture-repair, shame, "
                         "therapists-person, learning-from-failure]\n", encoding="utf-8")
    course = Course.load(REPO, programme)
    table = course.timetable("series")
    weeks = [int(m.name.split()[-1]) for m in table.meetings]
    assert weeks == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11]
    assert [w for w, _ in table.gaps] == [10] and table.gaps[0][1].startswith("No session: Learning from failure II")
    assert table.meetings[-1].day == 70  # week 11: dates follow from the first meeting's
    # one run sheet per meeting, none for the empty week
    assert len([h for h in handouts(course) if h.name.startswith("runsheet-series-")]) == 10


def test_the_one_day_pack_for_twenty_holds_what_the_day_uses_and_nothing_else(built: Built, course) -> None:
    from coursekit.handouts import handouts

    pack = handouts(course, built.html("instructor"), 20, formats=("one-day",))
    # written out by hand from the one-day plans: failure (case analysis slips), rupture and repair
    # (drill cards, annotation slips), shame (drill cards); no role-play, no Orientation or extended modules
    assert sorted(h.name for h in pack) == sorted([
        "joining-letter-one-day", "support-sheet", "seminar-failure", "seminar-rupture-repair", "seminar-shame",
        "stage-slips-case-analysis-the-client-who-stopped-coming", "drill-cards-rupture-markers-drill",
        "stage-slips-annotating-a-repair", "drill-cards-responding-to-a-clients-shame", "course-evaluation-one-day",
        "attendance-one-day", "certificate-one-day", "runsheet-one-day-1"])
    register = next(h for h in pack if h.name == "attendance-one-day")
    assert len(register.csv.strip().splitlines()) == 1 + 20  # the header and a row for each of the twenty

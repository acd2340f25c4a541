"""The instructor guide: outcomes map, session plans, programme timetables and contact hours.

The expected timetables and hours below are written by hand from the session plans'
minutes (instructor/modules/*.yml) and instructor/formats.yml, not taken from the code: change a
plan and these numbers must be worked out again."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import REPO, Built, parse, table_with

from coursekit.course import Course

GUIDE = ["overview", "formats", "facilitation", "safety", "assessment", "adapting"]


def _formats_page(built: Built):
    return parse(built.html("instructor") / "instructor" / "formats.html")


def test_guide_pages_are_in_the_instructor_edition(built: Built) -> None:
    for page in GUIDE:
        assert (built.html("instructor") / "instructor" / f"{page}.html").is_file(), page


def test_instructor_material_runs_to_at_least_8000_words() -> None:
    words = sum(len(re.findall(r"[A-Za-z][A-Za-z'’-]*", p.read_text(encoding="utf-8")))
                for p in (REPO / "instructor").rglob("*.md"))
    assert words >= 8000, words


def test_objectives_map_lists_every_objective_and_exercise(built: Built) -> None:
    course = Course.load(built.root)
    table = table_with(parse(built.html("instructor") / "instructor" / "overview.html"),
                       ["Module", "Objective", "Exercises that serve it", "Discussion questions"])
    body = table[1:]
    assert len(body) == sum(len(m.objectives) for m in course.modules)
    mapped = {title.strip() for row in body for title in row[2].split(";")}
    assert {ex.title.replace("’", "'") for ex in course.exercises} <= mapped
    for row in body:
        assert re.match(r"\d+\. \w", row[1]), row
        # every objective is practised: by an exercise, or by a discussion question
        assert row[2] != "none" or re.fullmatch(r"\d+(, \d+)*", row[3]), row
    # Module 5's boundary objective (its sixth) is practised by an exercise and by questions 4, 7, 8 and 9
    fifth = [row for row in body if row[0].startswith("Module 5")]
    assert "Noticing your body's response to a client's affect" in fifth[5][2] and fifth[5][3] == "4, 7, 8, 9", fifth[5]


def test_weekly_seminars_timetable(built: Built) -> None:
    table = table_with(_formats_page(built), ["Week", "Time", "Contact minutes", "Session"])
    assert [row[1] for row in table[1:-1]] == ["18:00 to 19:30"] * 7
    assert [row[3] for row in table[1:-1]] == [
        "Module 1: Orientation – how to use this course", "Module 2: Failure", "Module 3: Rupture and repair",
        "Module 4: Shame", "Module 5: The therapist's person – technique, enactment, affect and the body in the room",
        "Module 6: Learning from failure – supervision, culture, accountability and community",
        "Module 7: Boundaries and the therapist's own needs"]
    assert table[-1][:3] == ["All", "", "630"]
    assert "Contact time in all: 10 h 30 min." in _formats_page(built).text


def test_eleven_week_series_timetable(built: Built) -> None:
    page = _formats_page(built)
    table = [t for t in page.tables if t and t[0] == ["Week", "Time", "Contact minutes", "Session"]][1]
    weeks = table[1:-1]
    assert len(weeks) == 11
    # orientation 90; failure 90 + 90; rupture and repair 90 + 120; shame 90 + 90;
    # the therapist's person 90; learning from failure 90 + 90; boundaries 90 = 1,020 minutes
    assert [int(r[2]) for r in weeks] == [90, 90, 90, 90, 120, 90, 90, 90, 90, 90, 90]
    # the long role-play evening has a ten-minute break, which is not contact time
    assert weeks[4][1] == "18:00 to 20:10" and weeks[4][3].endswith("(with a 10-minute break)")
    # the capstone is read two weeks after it is set (three sittings on different days, room for a pause):
    # Boundaries fills the week between, and the reading session closes the course
    assert weeks[8][3].endswith("Learning from failure I: supervision, candour and culture")
    assert weeks[9][3].startswith("Module 7: Boundaries")
    assert weeks[10][3].endswith("Learning from failure II: loss, community and capstone vignettes")
    assert table[-1][:4] == ["All", "", "1020", "11 sessions"]
    assert "Contact time in all: 17 h 00 min." in page.text


def test_weekend_timetable(built: Built) -> None:
    page = _formats_page(built)
    days = [t for t in page.tables if t and t[0] == ["Start", "Minutes", "Activity"]]
    saturday, sunday = days[0], days[1]
    # Saturday: opening 30 in timed parts (8, 14, 8), orientation 45, break 15, failure 105, lunch 60, check-in 5,
    # rupture and repair 105, closing 20
    assert [(r[0], r[1]) for r in saturday[1:]] == [
        ("09:30", "8"), ("09:38", "14"), ("09:52", "8"), ("10:00", "45"), ("10:45", "15"), ("11:00", "105"),
        ("12:45", "60"), ("13:45", "5"), ("13:50", "105"), ("15:35", "20"), ("15:55", "")]
    # Sunday: opening 20, shame 105, break 15, the therapist's person 120, lunch 60, check-in 5, learning from
    # failure 120, closing session 30 in timed parts (10, 8, 7, 5)
    assert [(r[0], r[1]) for r in sunday[1:]] == [
        ("09:30", "20"), ("09:50", "105"), ("11:35", "15"), ("11:50", "120"), ("13:50", "60"), ("14:50", "5"),
        ("14:55", "120"), ("16:55", "10"), ("17:05", "8"), ("17:13", "7"), ("17:20", "5"), ("17:25", "")]
    assert saturday[8][2].startswith("Check-in after lunch") and sunday[6][2].startswith("Check-in after lunch")
    assert "Saturday, 09:30 to 15:55 (6 h 25 min, of which contact 5 h 10 min)" in page.text
    assert "Sunday, 09:30 to 17:25 (7 h 55 min, of which contact 6 h 40 min)" in page.text
    assert "Contact time in all: 11 h 50 min." in page.text
    # a seventh module would make two days of more than eight hours: the weekend says where it goes instead
    assert "Not in this format: Module 7: Boundaries and the therapist's own needs." in page.text.replace("’", "'")
    activities = " ".join(r[2] for r in saturday[1:] + sunday[1:]).lower()
    # one morning check-in (Sunday's: Saturday opens with introductions) and one after each lunch
    assert activities.count("check-in") == 3 and "coming week" not in activities


def test_one_day_workshop_timetable(built: Built) -> None:
    page = _formats_page(built)
    day = [t for t in page.tables if t and t[0] == ["Start", "Minutes", "Activity"]][2]
    # opening 45 in timed parts (10, 15, 12, 8), failure 75, break 15 (the morning break), rupture and repair 75,
    # lunch 45, check-in 5, shame 75, closing 25 in timed parts (8, 5, 7, 5)
    assert [(r[0], r[1]) for r in day[1:]] == [
        ("09:30", "10"), ("09:40", "15"), ("09:55", "12"), ("10:07", "8"), ("10:15", "75"), ("11:30", "15"),
        ("11:45", "75"), ("13:00", "45"), ("13:45", "5"), ("13:50", "75"), ("15:05", "8"), ("15:13", "5"),
        ("15:18", "7"), ("15:25", "5"), ("15:30", "")]
    assert day[6][2] == "Break" and day[8][2] == "Lunch" and day[9][2].startswith("Check-in after lunch")
    assert day[3][2].startswith("The learning agreement aloud") and day[-2][2] == "Grounding and goodbye"
    assert "Workshop day, 09:30 to 15:30 (6 h 00 min, of which contact 5 h 00 min)" in page.text
    # one place states the group size, and the larger group has its second facilitator and how it runs
    assert ("For a group of 6 to 16 with one facilitator, or 17 to 24 with two facilitators. Contact time in all: "
            "5 h 00 min.") in page.text
    assert "With 17 to 24. Two facilitators share the day" in page.text


def test_contact_hours_tables(built: Built) -> None:
    page = _formats_page(built)
    tables = [t for t in page.tables if t and t[0] == ["Module", "Contact", "Self-study (estimated)", "Total"]]
    weekly = {row[0]: row[1:] for row in tables[0][1:]}
    # Shame: seminar 90 minutes; self-study 120 reading + 30 discussion + the exercises the seminar does not run:
    # it runs the body exercise (20) and the drill (45), so only "What I keep from supervision" (35) is left
    assert weekly["Module 4: Shame"] == ["1 h 30 min", "3 h 05 min", "4 h 35 min"]
    assert weekly["All"][0] == "10 h 30 min"
    # Learning from failure in the series: 100 reading + 35 discussion + exercises 180 + 50 + 40 = 405, less the two
    # the series runs (the cultural drill 50, taking a failure to supervision 40); the capstone (180) is written
    # alone, and the session that reads vignettes from it does not take it out of self-study: 315 minutes
    series = {row[0].split(":")[0]: row[1:] for row in tables[1][1:]}
    assert series["Module 6"][1] == "5 h 15 min"
    one_day = {row[0]: row[1:] for row in tables[3][1:]}
    assert one_day["Openings, check-ins and closings of the days"] == ["1 h 15 min", "", "1 h 15 min"]
    assert one_day["All"][0] == "5 h 00 min"


def test_shame_study_time_on_its_page(built: Built) -> None:
    # 120 minutes of reading, 30 of discussion, exercises 20 + 45 + 35: 250 minutes, about 4¼ hours
    text = parse(built.html("learner") / "chapters" / "shame" / "index.html").text
    assert ("Estimated study time: about 4¼ hours working on your own (reading about 2 hours, the three exercises "
            "about 1¾ hours, discussion questions about 30 minutes).") in text


def test_every_format_states_its_group_once_and_every_plan_times_every_debrief() -> None:
    formats = yaml.safe_load((REPO / "instructor" / "formats.yml").read_text(encoding="utf-8"))
    for key, fmt in formats.items():
        assert 2 <= fmt["group"]["min"] <= fmt["group"]["max"] <= 16 * fmt["group"].get("facilitators", 1), key
    assert formats["one-day"]["large"] == {**formats["one-day"]["large"], "min": 17, "max": 24, "facilitators": 2}
    for path in sorted((REPO / "instructor" / "modules").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "group_size" not in data, f"{path.name}: group sizes belong to the formats"
        for variant, sessions in data["sessions"].items():
            for session in sessions:
                rows = session["rows"]
                assert sum(r["minutes"] for r in rows) == session["minutes"], f"{path.name} {variant}"
                for n, row in enumerate(rows):
                    if row["kind"] == "exercise":
                        after = next((r for r in rows[n + 1:] if r["kind"] in ("debrief", "exercise")), None)
                        assert after and after["kind"] == "debrief" and after["minutes"] > 0, \
                            f"{path.name} {variant}: {row['exercise']} has no timed debrief"


def test_the_one_day_workshop_holds_no_high_intensity_exercise() -> None:
    intensity = {}
    for nb in (REPO / "exercises").rglob("*.ipynb"):
        import json

        meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["coursekit"]
        intensity[meta["id"]] = meta["intensity"]
    for path in sorted((REPO / "instructor" / "modules").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for session in data["sessions"].get("workshop", []):
            for row in session["rows"]:
                if row["kind"] == "exercise":
                    assert intensity[row["exercise"]] != "high", f"{path.name}: {row['exercise']}"


@pytest.mark.parametrize("variant", ["intensive", "workshop"])
def test_blocks_of_a_day_have_no_opening_closing_or_homework(variant: str) -> None:
    for path in sorted((REPO / "instructor" / "modules").glob("*.yml")):
        for session in yaml.safe_load(path.read_text(encoding="utf-8"))["sessions"].get(variant, []):
            kinds = {row["kind"] for row in session["rows"]}
            assert not kinds & {"opening", "closing", "homework"}, f"{path.name} {variant}: {kinds}"
            assert "coming week" not in str(session).lower(), path.name


def test_every_module_has_its_instructor_notes_and_plans(built: Built) -> None:
    course = Course.load(built.root)
    index = (built.html("instructor") / "instructor" / "index.html").read_text(encoding="utf-8")
    for module in course.modules:
        notes = built.html("instructor") / "instructor" / "modules" / f"{module.key}.html"
        assert notes.is_file(), module.key
        assert f"modules/{module.key}.html" in index, f"the guide's index does not link {module.key}"
        text = parse(notes).text
        assert "Group sizes, from the formats: weekly seminars, 6 to 16 with one facilitator" in text, module.key
        assert "Weekly seminar" in text, module.key


def test_the_crosswalk_maps_outcomes_to_objectives_sessions_exercises_assessment_and_hours(built: Built) -> None:
    import csv

    course = Course.load(built.root)
    page = parse(built.html("instructor") / "instructor" / "overview.html")
    table = table_with(page, ["Outcome", "Module objective", "Sessions", "Exercises", "Assessment", "Module contact",
                                 "Module self-study"])
    path = built.html("instructor") / "_downloads" / "learning-to-fall-crosswalk-weekly.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert rows[0][-1] == "Programme framework (fill in)" and all(r[-1] == "" for r in rows[1:])
    assert len(rows) - 1 == len(table) - 1
    mapped = {(r[2], r[3].split(".")[0]) for r in rows[1:]}
    for module in course.modules:
        for n in range(1, len(module.objectives) + 1):
            assert (module.full_title, str(n)) in mapped, f"{module.key} objective {n} is in no course outcome"
    shame = next(r for r in rows[1:] if r[2] == "Module 4: Shame" and r[3].startswith("5."))
    # the drill serves objective 5 and runs in the weekly seminar (week 4); hours as in the contact-hours table
    assert shame[4] == "Week 4" and "Responding to a client's shame after your mistake" in shame[5].replace("’", "'")
    assert shame[7:9] == ["1 h 30 min", "3 h 05 min"]
    # and, from module.yml, the discussion questions that practise it (Shame's 7 and 8)
    assert shame[5].endswith("; discussion questions 7, 8"), shame[5]
    capstone = [r for r in rows[1:] if "Capstone" in r[6]]
    assert capstone, "the capstone assesses some outcomes"
    assert not (built.html("learner") / "_downloads" / "learning-to-fall-crosswalk-weekly.csv").exists()
    # every format's spreadsheet is linked from the page, and is there
    hrefs = set(page.links)
    for fmt in course.formats:
        assert f"../_downloads/learning-to-fall-crosswalk-{fmt}.csv" in hrefs, fmt
        assert (built.html("instructor") / "_downloads" / f"learning-to-fall-crosswalk-{fmt}.csv").is_file(), fmt


FORMAT_MINUTES = re.compile(r"(?i)\b(weekly seminars?|seminar|series|intensive|weekend|workshop|one-day)\b[^.\n]{0,40}?"
                            r"\b\d+(?:[- ]minutes?|[- ]min)\b")


def test_facilitation_notes_take_their_minutes_from_the_session_plans(built: Built) -> None:
    """One source for every number: the notes print each exercise's minutes from the plans, and type
    none of a format's minutes themselves (the one-day notes once said 22 where the plan said 30)."""
    from coursekit.sphinxext.directives import exercise_timing

    course = Course.load(built.root)
    for module in course.modules:
        source = (REPO / "instructor" / "modules" / f"{module.key}.md").read_text(encoding="utf-8")
        typed = [m.group(0) for m in FORMAT_MINUTES.finditer(source)]
        assert not typed, f"{module.key}: minutes typed in the notes: {typed[:3]}"
        page = " ".join(parse(built.html("instructor") / "instructor" / "modules" / f"{module.key}.html").text.split())
        for ex in (e for e in course.exercises if e.module == module.key):
            assert f"{{exercise-timing}} {ex.id}" in source, f"{module.key}: no timing for {ex.id}"
            expected = " ".join(re.sub(r"\*\*", "", exercise_timing(course, ex.id)).split())
            assert expected in page.replace("’", "'"), f"{ex.id}: {expected[:80]}"
    # checked by hand against instructor/modules/shame.yml: the shame drill in the one-day workshop
    drill = exercise_timing(course, "responding-to-a-clients-shame")
    assert "One-day workshop: 28 minutes, then a 10-minute debrief" in drill, drill


def test_each_modules_print_line_names_every_handout_its_session_uses(built: Built) -> None:
    """'To print for this module' lists the seminar handout, the support sheet and every card and slip
    its exercises make (it once left the cards and slips out)."""
    from coursekit.handouts import exercise_handouts

    course = Course.load(built.root)
    for module in course.modules:
        html = (built.html("instructor") / "instructor" / "modules" / f"{module.key}.html").read_text(encoding="utf-8")
        line = re.search(r'<p class="handout-links">To print for this module: (.*?)</p>', html, re.S)
        assert line, module.key
        linked = set(re.findall(r'href="\.\./\.\./handouts/([^"]+)\.html"', line.group(1)))
        expected = {f"seminar-{module.key}", "support-sheet"} | {
            name for ex in course.exercises if ex.module == module.key for name, _ in exercise_handouts(ex)}
        assert linked == expected, (module.key, linked ^ expected)

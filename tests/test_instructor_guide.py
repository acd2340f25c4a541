"""The instructor guide: outcomes map, programme timetables and contact hours, built from the sources."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import REPO, Built

from coursekit.exercises import catalogue
from coursekit.modules import course_modules
from coursekit.plans import plans, programme

GUIDE = ["overview", "formats", "facilitation", "safety", "assessment", "adapting"]


def _tables(html: str) -> list[list[list[str]]]:
    """Every table on a page, as rows of cell texts."""
    tables = []
    for table in re.findall(r"<table.*?</table>", html, re.S):
        rows = []
        for row in re.findall(r"<tr.*?</tr>", table, re.S):
            cells = re.findall(r"<t[hd].*?>(.*?)</t[hd]>", row, re.S)
            rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).replace("’", "'").split()) for c in cells])
        tables.append(rows)
    return tables


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)


def test_guide_pages_are_in_the_instructor_edition(built: Built) -> None:
    for page in GUIDE:
        assert (built.html("instructor") / "instructor" / f"{page}.html").is_file(), page


def test_instructor_material_runs_to_at_least_8000_words() -> None:
    words = sum(len(re.findall(r"[A-Za-z][A-Za-z'’-]*", p.read_text(encoding="utf-8")))
                for p in (REPO / "instructor").rglob("*.md"))
    assert words >= 8000, words


def test_objectives_map_lists_every_objective_and_exercise(built: Built) -> None:
    html = (built.html("instructor") / "instructor" / "overview.html").read_text(encoding="utf-8")
    table = next(t for t in _tables(html) if t and t[0][:2] == ["Module", "Objective"])
    body = table[1:]
    modules = course_modules(built.root)
    assert len(body) == sum(len(m.objectives) for m in modules)
    served = {ex.title for ex in catalogue(built.root)}
    mapped = {title.strip() for row in body for title in row[2].split(";")}
    assert served <= mapped, served - mapped
    for row in body:
        assert re.match(r"\d+\. \w", row[1]), row


@pytest.mark.parametrize("fmt", ["weekly", "weekend", "one-day"])
def test_programme_timetables_add_up(built: Built, fmt: str) -> None:
    html = (built.html("instructor") / "instructor" / "formats.html").read_text(encoding="utf-8")
    title, days = programme(built.root, fmt)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    if fmt == "weekly":
        table = next(t for t in _tables(html) if t and t[0] == ["Week", "Start", "Minutes", "Session"])
        rows, total = table[1:-1], table[-1]
        assert len(rows) == len(course_modules(built.root))
        assert sum(int(r[2]) for r in rows) == int(total[2])
        session = plans(built.root)
        assert [int(r[2]) for r in rows] == [session[m.key].stated for m in course_modules(built.root)]
        return
    for day in days:
        stated = re.search(rf"{re.escape(day.name)} , (\d\d:\d\d) to (\d\d:\d\d) \((\d+) h (\d+) min\)", text)
        assert stated, f"{fmt}: no stated length for {day.name}"
        start, end = _minutes(stated.group(1)), _minutes(stated.group(2))
        table = next(t for t in _tables(html) if t and t[0] == ["Start", "Minutes", "Activity"]
                     and t[1][0] == stated.group(1) and t[-1][0] == stated.group(2))
        rows = table[1:-1]
        clock = start
        for row in rows:
            assert _minutes(row[0]) == clock, f"{fmt} {day.name}: {row} starts at the wrong time"
            clock += int(row[1])
        assert clock == end == start + int(table[-1][1])
        assert int(stated.group(3)) * 60 + int(stated.group(4)) == end - start


def test_contact_hours_match_session_plans_and_study_times(built: Built) -> None:
    html = (built.html("instructor") / "instructor" / "formats.html").read_text(encoding="utf-8")
    table = next(t for t in _tables(html) if t and t[0][0] == "Module" and "Seminar contact (hours)" in t[0])
    session = plans(built.root)
    for module, row in zip(course_modules(built.root), table[1:-1]):
        assert row[0] == module.title
        assert float(row[1]) == session[module.key].stated / 60
        assert float(row[3]) == pytest.approx(float(row[1]) + float(row[2]))
    assert float(table[-1][3]) == pytest.approx(sum(float(r[3]) for r in table[1:-1]))


def test_every_module_has_its_instructor_notes_linked_from_the_guide() -> None:
    index = (REPO / "instructor" / "index.md").read_text(encoding="utf-8")
    for module in course_modules(REPO):
        assert (REPO / "instructor" / "modules" / f"{module.key}.md").is_file(), module.key
        assert f"/instructor/modules/{module.key}" in index, module.key

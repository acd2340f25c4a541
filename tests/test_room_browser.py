"""The view to project in the seminar room (coursekit/room.py), as a facilitator uses it: a page for
each session of each format, opened in a real browser, the timer started from the keyboard, paused,
moved to the next phase; its minutes and phases are the session plan's (read here from the YAML),
its discussion phases show the plan's questions; it loads nothing else, passes axe, and the learner
edition has none of it."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import REPO, Built, new_page

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _seconds(text: str) -> int:
    m = re.fullmatch(r"(\+?)(\d+):(\d\d)", text.strip())
    assert m, text
    value = int(m.group(2)) * 60 + int(m.group(3))
    return -value if m.group(1) else value


def test_the_learner_edition_has_no_room_view(built: Built) -> None:
    learner = built.html("learner")
    assert not (learner / "room").exists()
    assert not [p for p in learner.rglob("*.html") if "room/" in p.read_text(encoding="utf-8").replace("bedroom/", "")]
    instructor = built.html("instructor")
    # one page for each week of the weekly seminars, and an index linked from the guide
    pages = sorted(p.name for p in (instructor / "room").glob("weekly-*.html"))
    with_seminar = [p for p in sorted((REPO / "instructor" / "modules").glob("*.yml"))
                    if yaml.safe_load(p.read_text(encoding="utf-8"))["sessions"].get("seminar")]
    assert len(pages) == len(with_seminar), pages
    assert 'href="../room/index.html"' in (instructor / "instructor" / "index.html").read_text(encoding="utf-8")


def test_a_session_runs_from_the_projected_view(browser, served, axe_source: str) -> None:
    base = served["instructor"]
    plan = yaml.safe_load((REPO / "instructor" / "modules" / "shame.yml").read_text(encoding="utf-8"))
    rows = plan["sessions"]["seminar"][0]["rows"]
    page = new_page(browser, base, width=1280, height=720)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # the shame seminar is the fourth week of the weekly seminars in the default programme
    page.goto(f"{base}/room/weekly-4.html")
    assert requests == [f"{base}/room/weekly-4.html"], "the projected view loads something else"
    visible = page.locator(".phase:visible")
    assert visible.count() == 1
    assert visible.locator("h2").inner_text().endswith(rows[0]["activity"])
    assert _seconds(page.locator("#timer").inner_text()) == rows[0]["minutes"] * 60
    # Space starts the countdown, Space again pauses it
    page.keyboard.press(" ")
    page.wait_for_timeout(2300)
    running = _seconds(page.locator("#timer").inner_text())
    assert rows[0]["minutes"] * 60 - 4 <= running <= rows[0]["minutes"] * 60 - 1, running
    page.keyboard.press(" ")
    paused = _seconds(page.locator("#timer").inner_text())
    page.wait_for_timeout(1500)
    assert _seconds(page.locator("#timer").inner_text()) == paused, "the timer runs on when paused"
    # the next phase is the plan's next row, with its own minutes
    page.keyboard.press("ArrowRight")
    assert visible.locator("h2").inner_text().endswith(rows[1]["activity"])
    assert _seconds(page.locator("#timer").inner_text()) == rows[1]["minutes"] * 60
    # a discussion phase shows the questions the plan names, as the module's page words them
    n = next(i for i, r in enumerate(rows) if r.get("questions"))
    for _ in range(n - 1):
        page.get_by_role("button", name="Next").click()
    shown = visible.locator(".screen").inner_text()
    for q in rows[n]["questions"]:
        assert f"Question {q}." in shown
    assert len(shown) > 80
    # the buttons work by keyboard too
    page.get_by_role("button", name="Back").focus()
    page.keyboard.press("Enter")
    assert visible.locator("h2").inner_text().endswith(rows[n - 1]["activity"])
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations.map(v => v.id)",
        WCAG_TAGS)
    assert violations == [], violations
    assert not page.problems, page.problems
    page.context.close()

"""Session plans and programme formats: timings that must add up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .modules import Module, course_modules, sections
from .project import CourseError, load_yaml

PLAN_HEADING = re.compile(r"^## Session plan \((\d+) minutes\)\s*$", re.M)


@dataclass(frozen=True)
class Plan:
    """A module's seminar plan: its stated length and its timed rows."""

    path: Path
    stated: int
    rows: list[tuple[int, str]]

    @property
    def total(self) -> int:
        return sum(minutes for minutes, _ in self.rows)


def session_plan(path: Path) -> Plan:
    """Read the '## Session plan (N minutes)' table of an instructor-notes page."""
    text = path.read_text(encoding="utf-8")
    heading = PLAN_HEADING.search(text)
    if not heading:
        raise CourseError(f"{path}: no '## Session plan (N minutes)' heading")
    body = sections(text)[f"Session plan ({heading.group(1)} minutes)"]
    lines = [line for line in body.splitlines() if line.startswith("|")]
    if len(lines) < 3:
        raise CourseError(f"{path}: the session plan has no table rows")
    header = [c.strip().lower() for c in lines[0].strip().strip("|").split("|")]
    if "minutes" not in header or "activity" not in header:
        raise CourseError(f"{path}: the session plan table needs 'Minutes' and 'Activity' columns")
    m, a = header.index("minutes"), header.index("activity")
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells[m].isdigit():
            raise CourseError(f"{path}: session plan row {cells[a]!r} has minutes {cells[m]!r}, not a whole number")
        rows.append((int(cells[m]), cells[a]))
    return Plan(path, int(heading.group(1)), rows)


def plans(root: Path) -> dict[str, Plan]:
    """The session plan of every module in the course, by module key."""
    return {m.key: session_plan(root / "instructor" / "modules" / f"{m.key}.md") for m in course_modules(root)}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(clock: str) -> int:
    hours, mins = str(clock).split(":")
    return int(hours) * 60 + int(mins)


@dataclass(frozen=True)
class Slot:
    """One line of a programme day: start time, minutes, what happens, and the module if any."""

    start: str
    minutes: int
    activity: str
    module: Module | None


@dataclass(frozen=True)
class Day:
    """One day of a programme, with the length it states and the slots that fill it."""

    name: str
    start: str
    end: str
    slots: list[Slot]

    @property
    def stated(self) -> int:
        return _minutes(self.end) - _minutes(self.start)

    @property
    def total(self) -> int:
        return sum(s.minutes for s in self.slots)


def programme(root: Path, name: str) -> tuple[str, list[Day]]:
    """A programme format from instructor/formats.yml, filled from the modules' session plans.

    Modules not yet in the course are left out, and a day's end time moves with them."""
    spec_path = root / "instructor" / "formats.yml"
    spec: dict[str, Any] = load_yaml(spec_path) or {}
    if name not in spec:
        raise CourseError(f"{spec_path}: no programme format {name!r} (has {', '.join(spec)})")
    fmt = spec[name]
    modules = {m.key: m for m in course_modules(root)}
    session = plans(root)
    days: list[Day] = []
    if fmt.get("weekly"):
        for i, key in enumerate(modules, 1):
            plan = session[key]
            days.append(Day(f"Week {i}", fmt["start"], _clock(_minutes(fmt["start"]) + plan.stated),
                            [Slot(fmt["start"], plan.stated, modules[key].title, modules[key])]))
        return fmt["title"], days
    for day in fmt["days"]:
        clock = _minutes(day["start"])
        slots: list[Slot] = []
        for item in _present(day["items"], modules):
            key = item.get("module")
            minutes = item.get("minutes") or session[key].stated
            label = item.get("activity") or modules[key].title
            slots.append(Slot(_clock(clock), int(minutes), label, modules.get(key) if key else None))
            clock += int(minutes)
        days.append(Day(day["name"], day["start"], _clock(clock), slots))
    return fmt["title"], days


def _present(items: list[dict[str, Any]], modules: dict[str, Module]) -> list[dict[str, Any]]:
    """A day's items without modules not yet written, and without breaks left between no two sessions."""
    kept = [i for i in items if i.get("module") is None or i["module"] in modules]
    changed = True
    while changed:
        changed = False
        for n, item in enumerate(kept):
            if item.get("break"):
                before = kept[n - 1] if n > 0 else {}
                after = kept[n + 1] if n + 1 < len(kept) else {}
                if not (before.get("module") and after.get("module")):
                    del kept[n]
                    changed = True
                    break
    return kept


STUDY = re.compile(r"about\s+(\d+(?:\.\d+)?)(½)?\s+hours?")


def study_hours(module: Module) -> float:
    """The module's estimated study time in hours, from its '**Estimated study time:**' line."""
    found = STUDY.search(module.study_time or "")
    if not found:
        raise CourseError(f"{module.index}: study time {module.study_time!r} does not say 'about N hours'")
    return float(found.group(1)) + (0.5 if found.group(2) else 0.0)

"""The programme file: the course's name, its modules in order, its formats, support contacts and
the details of each run of a format (dates, venue, address, web address)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, data
from .project import CourseError, Problem, load_yaml

DEFAULT = "programme.yml"
CONTACTS = (("programme_lead", "Programme lead"), ("counselling_service", "Counselling service"),
            ("crisis_line", "Local crisis line"))


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Run:
    """One run of a format: when and where it meets (every field optional)."""

    first_date: dt.date | None = None
    dates: tuple[dt.date, ...] = ()
    venue: str = ""
    address: str = ""
    web: str = ""

    def meeting_dates(self, days: list[int]) -> list[dt.date]:
        """The date of each meeting, given as days after the first (a weekly format's week 3 is day 14;
        a format of days meets on consecutive days): the dates listed, or the first date plus each
        meeting's days; [] when no date is set."""
        if self.dates:
            return list(self.dates[:len(days)])
        if self.first_date is None:
            return []
        return [self.first_date + dt.timedelta(days=day) for day in days]


@dataclass(frozen=True)
class Programme:
    """A programme's course: what the build names it, which modules it teaches, in which order."""

    path: Path
    title: str
    modules: tuple[str, ...]
    subtitle: str = ""
    author: str = ""
    institution: str = ""
    logo: Path | None = None
    slug: str = "course"
    version: str = __version__
    formats: tuple[str, ...] | None = None
    support: dict[str, dict[str, str]] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    cpd_statement: str = ""

    def run(self, fmt: str) -> Run:
        """The details of the format's run, or an empty run (blanks on paper) when none are set."""
        return self.runs.get(fmt) or Run()

    def number(self, key: str) -> int | None:
        """The module's number in this programme (1 for the first), or None when it is left out."""
        return self.modules.index(key) + 1 if key in self.modules else None

    def contacts(self) -> list[tuple[str, dict[str, str] | None]]:
        """Each support contact's label and entry (None when the programme has not set it)."""
        return [(label, self.support.get(key)) for key, label in CONTACTS]

    def as_config(self) -> dict[str, Any]:
        """What the Sphinx extension needs of the programme (plain data, picklable)."""
        return {"path": str(self.path), "title": self.title, "subtitle": self.subtitle, "author": self.author,
                "institution": self.institution, "slug": self.slug, "version": self.version,
                "modules": list(self.modules), "formats": list(self.formats) if self.formats else None,
                "support": self.support, "logo": str(self.logo) if self.logo else ""}


def programme_path(root: Path, path: Path | str | None = None) -> Path:
    """The programme file to use: the one given (relative to the current folder) or the course's own."""
    if path is None or str(path) == DEFAULT:
        return root / DEFAULT
    return Path(path).resolve()


IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}


def format_keys(path: Path) -> list[str]:
    """The formats instructor/formats.yml offers (its own problems are reported when it is read)."""
    try:
        raw = load_yaml(path)
    except CourseError:
        return []
    return [str(k) for k in raw] if isinstance(raw, dict) else []


def read(root: Path, path: Path | str | None = None) -> tuple[Programme | None, list[Problem]]:
    """Read and check a programme file against the course: its data and its problems."""
    file = programme_path(root, path)
    rel = str(file.relative_to(root)) if file.is_relative_to(root) else str(file)
    try:
        raw, problems = data.read(file, "programme", root)
    except ValueError as exc:  # PyYAML makes the date itself: 2027-02-30 fails there, not in the schema
        line, written = _impossible_date(file)
        return None, [Problem(rel, line, f"{written or 'a date'} is not a day in the calendar ({exc})")]
    if raw is None:
        return None, problems
    known = {p.name for p in (root / "chapters").iterdir() if (p / "module.yml").is_file()} \
        if (root / "chapters").is_dir() else set()
    titles = _module_titles(root, known)
    for n, key in enumerate(raw["modules"]):
        if key not in known:
            given = _loose(str(key))
            named = [k for k, title in titles.items()
                     if _loose(title) == given or (len(given) >= 5 and _loose(title).startswith(given))]
            hint = f"{key!r} is a module's title: use its key {named[0]!r}" if named else f"unknown module {key!r}"
            problems.append(Problem(rel, data.line_of(file, ["modules", n]),
                                    f"modules: {hint} (the module keys are {', '.join(sorted(known))})"))
    if raw["modules"] and raw["modules"][0] != "orientation" and "orientation" in raw["modules"]:
        problems.append(Problem(rel, data.line_of(file, ["modules"]), "modules: orientation must come first"))
    offered = format_keys(root / "instructor" / "formats.yml") if raw.get("formats") else []
    if offered:
        for n, key in enumerate(raw["formats"]):
            if key not in offered:
                problems.append(Problem(rel, data.line_of(file, ["formats", n]),
                                        f"formats: no format {key!r} (instructor/formats.yml has {', '.join(offered)})"))
    logo = None
    if raw.get("logo"):
        logo = (file.parent / raw["logo"]).resolve()
        if not logo.is_file():
            problems.append(Problem(rel, data.line_of(file, ["logo"]), f"logo: no image file at {logo}"))
        elif logo.suffix.lower() not in IMAGE_SUFFIXES:
            problems.append(Problem(rel, data.line_of(file, ["logo"]),
                                    f"logo: {logo.name} is not an image a browser shows "
                                    f"(use {', '.join(sorted(IMAGE_SUFFIXES))})"))
    checked = not problems  # the modules and formats are sound: the runs' dates can be set against them
    runs = _runs(file, rel, raw, root, problems)
    programme = Programme(
        path=file, title=raw["title"], modules=tuple(raw["modules"]), subtitle=raw.get("subtitle", ""),
        author=raw.get("author", ""), institution=raw.get("institution", ""), logo=logo,
        slug=raw.get("slug") or _slug(raw["title"]), version=str(raw.get("version") or __version__),
        formats=tuple(raw["formats"]) if raw.get("formats") else None, support=raw.get("support") or {},
        runs=runs, cpd_statement=raw.get("cpd_statement", ""),
    )
    if checked:
        problems += _check_dates(file, rel, root, programme)
    return (None, sorted(problems, key=lambda p: p.line or 0)) if problems else (programme, [])


def _runs(file: Path, rel: str, raw: dict[str, Any], root: Path, problems: list[Problem]) -> dict[str, Run]:
    """Each format's run details, with a problem for a format the programme does not offer and for a
    date that is not in the calendar."""
    runs: dict[str, Run] = {}
    if not raw.get("runs"):
        return runs
    where = data.locator(file)
    offered = list(raw["formats"]) if raw.get("formats") else format_keys(root / "instructor" / "formats.yml")
    for key, given in raw["runs"].items():
        if offered and key not in offered:
            whose = "this programme's formats are" if raw.get("formats") else "instructor/formats.yml has"
            problems.append(Problem(rel, where(["runs", key]), f"runs: no format {key!r} ({whose} {', '.join(offered)})"))
            continue  # no run for it: the dates of the others are still checked
        dates = []
        for n, value in enumerate(given.get("dates", [])):
            dates.append(_date(value, rel, where(["runs", key, "dates", n]), f"runs.{key}.dates[{n}]", problems))
        first = _date(given["first_date"], rel, where(["runs", key, "first_date"]), f"runs.{key}.first_date",
                      problems) if "first_date" in given else None
        if first and dates:
            problems.append(Problem(rel, where(["runs", key]), f"runs.{key}: give first_date or dates, not both"))
        for n in range(1, len(dates)):
            if dates[n] and dates[n - 1] and dates[n] <= dates[n - 1]:
                problems.append(Problem(rel, where(["runs", key, "dates", n]),
                                        f"runs.{key}.dates[{n}]: {dates[n]} is not after {dates[n - 1]}: "
                                        "give the dates in order"))
        runs[key] = Run(first, tuple(d for d in dates if d), given.get("venue", ""), given.get("address", ""),
                        given.get("web", ""))
    return runs


def _date(value: Any, rel: str, line: int, where: str, problems: list[Problem]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(rel, line, f"{where}: {value!r} is not a day in the calendar"))
        return None


def _check_dates(file: Path, rel: str, root: Path, programme: Programme) -> list[Problem]:
    """A run's dates against its format's meetings: one date a meeting, and a meeting named for a
    weekday ("Saturday") on that weekday. Skipped when the course's plans cannot be read (their own
    problems are reported where they are checked)."""
    from .course import Course

    if not programme.runs:
        return []
    course = Course(root, programme)
    where = data.locator(file)
    problems = []
    for key, run in programme.runs.items():
        try:
            fmt, table = course.formats[key], course.timetable(key)
        except (CourseError, KeyError):
            continue
        count = len(table.meetings)
        if run.dates and len(run.dates) != count:
            problems.append(Problem(rel, where(["runs", key, "dates"]),
                                    f"runs.{key}.dates: {len(run.dates)} date{'s' if len(run.dates) != 1 else ''} "
                                    f"for {count} meeting{'s' if count != 1 else ''} "
                                    f"({', '.join(m.name for m in table.meetings)}): "
                                    "give one date a meeting"))
            continue
        for n, (meeting, day) in enumerate(zip(table.meetings, run.meeting_dates([m.day for m in table.meetings]))):
            if meeting.name in WEEKDAYS and WEEKDAYS[day.weekday()] != meeting.name:
                at = ["runs", key, "dates", n] if run.dates else ["runs", key, "first_date"]
                problems.append(Problem(rel, where(at), f"runs.{key}.{at[2]}: {day.isoformat()} is a "
                                        f"{WEEKDAYS[day.weekday()]}, but day {n + 1} of the {key} format is {meeting.name}"))
                break
    return problems


def _impossible_date(file: Path) -> tuple[int | None, str]:
    """The line of the first date that is not a day in the calendar, and where it is ('runs.weekly.first_date:
    2027-02-30'), found in the file composed but not yet made into data."""
    import yaml

    from .project import YAML_LOADER

    def walk(node: yaml.Node, where: str) -> tuple[int | None, str] | None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found = walk(value, f"{where}.{key.value}" if where else str(key.value))
                if found:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                found = walk(item, f"{where}[{n}]")
                if found:
                    return found
        elif node.tag.endswith(":timestamp"):
            try:
                dt.date.fromisoformat(node.value[:10])
            except ValueError:
                return node.start_mark.line + 1, f"{where}: {node.value}"
        return None

    try:
        found = walk(yaml.compose(file.read_text(encoding="utf-8"), Loader=YAML_LOADER), "")
    except (OSError, yaml.YAMLError):
        found = None
    return found or (None, "")


def _loose(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"^module \d+:\s*", "", text.lower())).strip()


def _module_titles(root: Path, keys: set[str]) -> dict[str, str]:
    """Each module's title from its module.yml (only to recognise a title given where a key belongs)."""
    out = {}
    for key in keys:
        try:
            raw = load_yaml(root / "chapters" / key / "module.yml")
        except CourseError:
            continue
        if isinstance(raw, dict) and isinstance(raw.get("title"), str):
            out[key] = raw["title"]
    return out


def load(root: Path, path: Path | str | None = None) -> Programme:
    """The programme, or a CourseError listing what is wrong with its file."""
    programme, problems = read(root, path)
    if programme is None:
        raise CourseError("\n".join(map(str, problems)))
    return programme


def _slug(title: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "course"

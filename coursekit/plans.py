"""Session plans (instructor/modules/<module>.yml) and the programme formats built from them.

Definitions used everywhere (and stated in the instructor guide):
- contact time is time in the room with a facilitator: every session row, and a day's opening and
  closing; breaks and lunch are not contact time;
- self-study is the module's estimate for a trainee working alone (reading, discussion questions
  and every exercise, from module.yml and the notebooks), less the exercises the format runs in
  its sessions, so that no exercise is counted twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import data
from .project import CourseError, Problem

VARIANTS = ("seminar", "series", "intensive", "workshop")
NO_OPENING = ("intensive", "workshop")  # blocks of a day: the day has its own opening and closing


@dataclass(frozen=True)
class Row:
    minutes: int
    kind: str
    activity: str
    exercise: str | None = None
    questions: tuple[int, ...] = ()
    notes: str = ""
    self_study: bool = False  # the exercise itself is done alone; this row works with what it produced


@dataclass(frozen=True)
class Session:
    module: str
    variant: str
    index: int
    minutes: int
    rows: tuple[Row, ...]
    title: str = ""

    @property
    def total(self) -> int:
        return sum(r.minutes for r in self.rows)

    def exercises(self) -> list[str]:
        return [r.exercise for r in self.rows if r.kind == "exercise" and r.exercise]

    def run_exercises(self) -> list[str]:
        """The exercises done in the session itself, so not counted again as self-study."""
        return [r.exercise for r in self.rows if r.kind == "exercise" and r.exercise and not r.self_study]


@dataclass(frozen=True)
class Plans:
    module: str
    path: Path
    group_min: int
    group_max: int
    sessions: dict[str, tuple[Session, ...]]

    def variant(self, name: str) -> tuple[Session, ...]:
        return self.sessions.get(name, ())


def plans_path(root: Path, key: str) -> Path:
    return root / "instructor" / "modules" / f"{key}.yml"


def read_plans(root: Path, key: str, exercises: dict[str, Any] | None = None,
               questions: int | None = None) -> tuple[Plans | None, list[Problem]]:
    """A module's session plans and every problem with them, each at its file and line.

    ``exercises`` maps this module's exercise ids to their metadata, ``questions`` is how many
    discussion questions the module has; given them, references to both are checked too."""
    path = plans_path(root, key)
    raw, problems = data.read(path, "plans", root)
    if raw is None:
        return None, problems
    rel = str(path.relative_to(root))
    where_is = data.locator(path)
    at = lambda *keys: where_is(keys)  # noqa: E731
    if raw["module"] != key:
        problems.append(Problem(rel, at("module"), f"module: says {raw['module']!r}, but the file is for {key!r}"))
    size = raw["group_size"]
    if size["min"] > size["max"]:
        problems.append(Problem(rel, at("group_size"), f"group_size: min {size['min']} is more than max {size['max']}"))
    sessions: dict[str, tuple[Session, ...]] = {}
    for variant, items in raw["sessions"].items():
        if variant == "seminar" and len(items) != 1:
            problems.append(Problem(rel, at("sessions", "seminar"), "sessions.seminar: weekly seminars give a module one session"))
        built = []
        for n, item in enumerate(items):
            rows = tuple(Row(r["minutes"], r["kind"], r["activity"], r.get("exercise"), tuple(r.get("questions", ())),
                             r.get("notes", ""), bool(r.get("self_study", False))) for r in item["rows"])
            session = Session(key, variant, n, item["minutes"], rows, item.get("title", ""))
            built.append(session)
            where = f"sessions.{variant}[{n}]"
            if session.total != session.minutes:
                problems.append(Problem(rel, at("sessions", variant, n, "minutes"),
                                        f"{where}: rows add up to {session.total} minutes, the session says {session.minutes}"))
            pending = None
            for r_n, row in enumerate(rows):
                line = at("sessions", variant, n, "rows", r_n)
                if row.kind == "exercise":
                    if pending:
                        problems.append(Problem(rel, pending[1], f"{where}: exercise {pending[0]!r} has no timed debrief "
                                                                 "before the next exercise"))
                    pending = (row.exercise, line)
                    meta = (exercises or {}).get(row.exercise)
                    if exercises is not None and meta is None:
                        problems.append(Problem(rel, line, f"{where}: no exercise with id {row.exercise!r} in this module "
                                                           f"(it has {', '.join(sorted(exercises)) or 'none'})"))
                    if variant == "workshop" and meta and meta.get("intensity") == "high":
                        problems.append(Problem(rel, line, f"{where}: {row.exercise!r} is a high-intensity exercise, "
                                                           "which the one-day workshop leaves out"))
                elif row.kind == "debrief":
                    pending = None
                if variant in NO_OPENING and row.kind in ("opening", "closing"):
                    problems.append(Problem(rel, line, f"{where}: a {row.kind} row in a block of a day "
                                                       "(the day has one opening and one closing)"))
                if variant in NO_OPENING and row.kind == "homework":
                    problems.append(Problem(rel, line, f"{where}: homework for between sessions in a block of a day"))
                for q in row.questions:
                    if questions is not None and not 1 <= q <= questions:
                        problems.append(Problem(rel, line, f"{where}: there is no discussion question {q} "
                                                           f"(the module has {questions})"))
            if pending:
                problems.append(Problem(rel, pending[1], f"{where}: exercise {pending[0]!r} has no timed debrief after it"))
        sessions[variant] = tuple(built)
    if problems:
        return None, problems
    return Plans(key, path, size["min"], size["max"], sessions), []


def load_plans(root: Path, key: str) -> Plans:
    plans, problems = read_plans(root, key)
    if plans is None:
        raise CourseError("\n".join(map(str, problems)))
    return plans


# ---------------------------------------------------------------------------- formats

ROW_KINDS = {"opening": "Opening", "teaching": "Teaching", "exercise": "Exercise", "debrief": "Debrief",
             "discussion": "Discussion", "closing": "Closing", "homework": "Between sessions", "break": "Break"}


def row_label(kind: str, activity: str) -> str:
    """A plan row as guides and the room view name it: 'Debrief: the hardest criterion', and never
    'Debrief: Debrief of the practice' when the activity already says what kind it is."""
    name = ROW_KINDS.get(kind, kind.capitalize())
    return activity if activity.lower().startswith(name.lower()) else f"{name}: {activity}"


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def hm(minutes: int) -> str:
    """Minutes as '7 h 45 min' (or '45 min')."""
    hours, mins = divmod(minutes, 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


@dataclass(frozen=True)
class Slot:
    """One line of a timetable: start (minutes after midnight), length, what, and the session if any."""

    start: int
    minutes: int
    activity: str
    kind: str  # 'session', 'opening', 'closing', 'break'
    session: Session | None = None

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Meeting:
    """One occasion of a format: a week's session, or a day."""

    name: str
    slots: tuple[Slot, ...]

    @property
    def start(self) -> int:
        return self.slots[0].start

    @property
    def end(self) -> int:
        return self.slots[-1].end

    @property
    def contact(self) -> int:
        return sum(s.minutes for s in self.slots if s.kind != "break")


@dataclass(frozen=True)
class Timetable:
    key: str
    title: str
    description: str
    variant: str
    meetings: tuple[Meeting, ...]
    modules: tuple[str, ...]
    group_min: int
    group_max: int
    left_out: tuple[str, ...] = field(default_factory=tuple)

    @property
    def contact(self) -> int:
        return sum(m.contact for m in self.meetings)

    def sessions(self) -> list[Session]:
        return [s.session for m in self.meetings for s in m.slots if s.session]


def formats_path(root: Path) -> Path:
    return root / "instructor" / "formats.yml"


def read_formats(root: Path, known_modules: set[str] | None = None) -> tuple[dict[str, Any] | None, list[Problem]]:
    path = formats_path(root)
    raw, problems = data.read(path, "formats", root)
    if raw is None:
        return None, problems
    rel = str(path.relative_to(root))
    for key, fmt in raw.items():
        for n, module in enumerate(fmt.get("modules", [])):
            if known_modules is not None and module not in known_modules:
                problems.append(Problem(rel, data.line_of(path, [key, "modules", n]),
                                        f"{key}.modules: unknown module {module!r}"))
    return (None if problems else raw), problems


def _split(blocks: list[list[Session]], days: int) -> list[list[list[Session]]]:
    """Contiguous groups of module blocks, one group a day, the longest day as short as possible."""
    if days <= 1 or len(blocks) <= 1:
        return [blocks] if blocks else []
    best: tuple[int, list] | None = None
    n = len(blocks)
    import itertools

    for cuts in itertools.combinations(range(1, n), min(days, n) - 1):
        groups = [blocks[a:b] for a, b in zip((0, *cuts), (*cuts, n))]
        longest = max(sum(s.minutes for blk in g for s in blk) for g in groups)
        if best is None or longest < best[0]:
            best = (longest, groups)
    return best[1] if best else [blocks]


def timetable(key: str, fmt: dict[str, Any], modules: list[str], plans: dict[str, Plans]) -> Timetable:
    """A format's timetable for the given modules (in programme order)."""
    variant = fmt["plan"]
    allowed = fmt.get("modules")
    chosen = [m for m in modules if (allowed is None or m in allowed) and plans[m].variant(variant)]
    left_out = tuple(m for m in modules if m not in chosen)
    meetings: list[Meeting] = []
    if fmt.get("every") == "week":
        start = minutes_of(fmt["start"])
        week = 0
        for module in chosen:
            for session in plans[module].variant(variant):
                week += 1
                meetings.append(Meeting(f"Week {week}", (Slot(start, session.minutes, session.title or module,
                                                              "session", session),)))
    else:
        blocks = [list(plans[m].variant(variant)) for m in chosen]
        groups = _split(blocks, len(fmt["days"]))
        for d, group in enumerate(groups):
            clock_at = minutes_of(fmt["start"])
            opening = fmt.get("first_opening") if d == 0 and fmt.get("first_opening") else fmt["opening"]
            closing = fmt.get("last_closing") if d == len(groups) - 1 and fmt.get("last_closing") else fmt["closing"]
            slots = [Slot(clock_at, opening["minutes"], opening["activity"], "opening")]
            clock_at += opening["minutes"]
            lunch_done = False
            sessions = [s for blk in group for s in blk]
            for i, session in enumerate(sessions):
                if i:
                    if not lunch_done and clock_at >= minutes_of(fmt["lunch"]["after"]):
                        gap, lunch_done = fmt["lunch"], True
                    else:
                        gap = fmt["break"]
                    slots.append(Slot(clock_at, gap["minutes"], gap["activity"], "break"))
                    clock_at += gap["minutes"]
                slots.append(Slot(clock_at, session.minutes, session.title or session.module, "session", session))
                clock_at += session.minutes
            slots.append(Slot(clock_at, closing["minutes"], closing["activity"], "closing"))
            meetings.append(Meeting(fmt["days"][d], tuple(slots)))
    used = [plans[m] for m in chosen]
    return Timetable(key, fmt["title"], fmt["description"], variant, tuple(meetings), tuple(chosen),
                     max((p.group_min for p in used), default=0), min((p.group_max for p in used), default=0), left_out)


@dataclass(frozen=True)
class Hours:
    """A module's hours in a format: contact minutes, self-study minutes, and the exercises done in sessions."""

    module: str
    contact: int
    self_study: int
    in_session: tuple[str, ...]


def module_hours(module: Any, exercises: list[Any], sessions: list[Session]) -> Hours:
    """Contact and self-study minutes of one module in a format (see this module's docstring)."""
    own = [ex for ex in exercises if ex.module == module.key]
    done = {e for s in sessions if s.module == module.key for e in s.run_exercises()}
    contact = sum(s.minutes for s in sessions if s.module == module.key)
    study = module.study["reading"] + module.study["discussion"] + sum(ex.meta["minutes"] for ex in own if ex.id not in done)
    return Hours(module.key, contact, study, tuple(sorted(done)))


def study_minutes(module: Any, exercises: list[Any]) -> int:
    """The module's whole estimated self-study time: reading, discussion and all its exercises."""
    return module.study["reading"] + module.study["discussion"] + sum(
        ex.meta["minutes"] for ex in exercises if ex.module == module.key)

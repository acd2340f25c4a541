"""Session plans (instructor/modules/<module>.yml) and the programme formats built from them.

Definitions used everywhere (and stated in the instructor guide):
- contact time is time in the room with a facilitator: every session row but a break, and a day's
  opening, check-in after lunch and closing; breaks and lunch are not contact time;
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
WEEKLY = ("seminar", "series")  # evening sessions, a week apart

# The rules `coursekit check` holds every plan and format to (the instructor guide states them):
LONGEST_STRETCH = 100  # minutes of an evening session without a break
BREAK_OVER = 90        # an evening session with more contact than this has a break
MIN_ROUND = 6          # minutes a role-play round needs (play, feedback, de-role), even in a group of four
PER_FACILITATOR = 16   # trainees one facilitator can hold in triads and pairs
TIMED_OVER = 20        # an opening or closing longer than this is broken into timed parts


@dataclass(frozen=True)
class Row:
    minutes: int
    kind: str
    activity: str
    exercise: str | None = None
    questions: tuple[int, ...] = ()
    notes: str = ""
    self_study: bool = False  # the exercise itself is done alone; this row works with what it produced
    setting: str | None = None  # solo, pair, triad or group: the exercise's own setting unless the row says
    rounds: int | None = None  # a triad exercise: rounds, so that each person plays each role
    round_minutes: int | None = None


@dataclass(frozen=True)
class Session:
    module: str
    variant: str
    index: int
    minutes: int
    rows: tuple[Row, ...]
    title: str = ""
    weeks_after: int = 1  # weekly formats: how many weeks after the module's previous session it comes

    @property
    def total(self) -> int:
        return sum(r.minutes for r in self.rows)

    @property
    def contact(self) -> int:
        """Minutes in the room with a facilitator: every row but a break."""
        return sum(r.minutes for r in self.rows if r.kind != "break")

    def exercises(self) -> list[str]:
        return [r.exercise for r in self.rows if r.kind == "exercise" and r.exercise]

    def run_exercises(self) -> list[str]:
        """The exercises done in the session itself, so not counted again as self-study."""
        return [r.exercise for r in self.rows if r.kind == "exercise" and r.exercise and not r.self_study]


@dataclass(frozen=True)
class Plans:
    module: str
    path: Path
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
    sessions: dict[str, tuple[Session, ...]] = {}
    for variant, items in raw["sessions"].items():
        if variant == "seminar" and len(items) != 1:
            problems.append(Problem(rel, at("sessions", "seminar"), "sessions.seminar: weekly seminars give a module one session"))
        built = []
        for n, item in enumerate(items):
            rows = tuple(Row(r["minutes"], r["kind"], r["activity"], r.get("exercise"), tuple(r.get("questions", ())),
                             r.get("notes", ""), bool(r.get("self_study", False)), r.get("setting"), r.get("rounds"),
                             r.get("round_minutes")) for r in item["rows"])
            session = Session(key, variant, n, item["minutes"], rows, item.get("title", ""), item.get("weeks_after", 1))
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
                problems += _triad_problems(rel, line, where, row, (exercises or {}).get(row.exercise or ""))
            if pending:
                problems.append(Problem(rel, pending[1], f"{where}: exercise {pending[0]!r} has no timed debrief after it"))
            if variant in WEEKLY:
                problems += _break_problems(rel, at("sessions", variant, n, "minutes"), where, session)
            elif "weeks_after" in item:
                problems.append(Problem(rel, at("sessions", variant, n, "weeks_after"),
                                        f"{where}: weeks_after is for weekly sessions, not the blocks of a day"))
        sessions[variant] = tuple(built)
        if variant in WEEKLY and exercises:
            problems += _sitting_problems(rel, at, variant, tuple(built), exercises)
    if problems:
        return None, problems
    return Plans(key, path, sessions), []


def setting(row: Row, meta: dict[str, Any] | None) -> str | None:
    """How the room works during an exercise row: the row's own word, else the exercise's setting."""
    return row.setting or ((meta or {}).get("setting") if row.kind == "exercise" else None)


def _triad_problems(rel: str, line: int, where: str, row: Row, meta: dict[str, Any] | None) -> list[Problem]:
    """A triad exercise names its rounds and their length, and leaves a group of four (when the group
    does not divide by three) time for one round more, so that everyone plays each role."""
    if row.kind != "exercise" or setting(row, meta) != "triad":
        return []
    if not (row.rounds and row.round_minutes):
        return [Problem(rel, line, f"{where}: a triad exercise says its rounds and their length (rounds: 3, "
                                   "round_minutes: N), so that everyone plays each role and a group of four can be "
                                   "given a round more")]
    played = row.rounds * row.round_minutes
    if played > row.minutes:
        return [Problem(rel, line, f"{where}: {row.rounds} rounds of {row.round_minutes} minutes are {played} "
                                   f"minutes, more than the row's {row.minutes}")]
    four = played // (row.rounds + 1)
    if four < MIN_ROUND:
        return [Problem(rel, line, f"{where}: a group of four (when the group does not divide by three) needs "
                                   f"{row.rounds + 1} rounds, and {played} minutes give rounds of {four}: at least "
                                   f"{MIN_ROUND} minutes are needed to play, give feedback and de-role")]
    return []


def _break_problems(rel: str, line: int, where: str, session: Session) -> list[Problem]:
    """An evening session with more than BREAK_OVER minutes of contact has a break, and no stretch
    without one is longer than LONGEST_STRETCH minutes."""
    if session.contact <= BREAK_OVER:
        return []
    stretch = longest = 0
    for row in session.rows:
        stretch = 0 if row.kind == "break" else stretch + row.minutes
        longest = max(longest, stretch)
    if not any(r.kind == "break" for r in session.rows):
        return [Problem(rel, line, f"{where}: {session.contact} minutes of contact with no break: an evening session "
                                   f"over {BREAK_OVER} minutes has a break row (about 10 minutes)")]
    if longest > LONGEST_STRETCH:
        return [Problem(rel, line, f"{where}: {longest} minutes without a break: move the break so that no stretch "
                                   f"is longer than {LONGEST_STRETCH} minutes")]
    return []


def _sitting_problems(rel: str, at: Any, variant: str, sessions: tuple[Session, ...],
                      exercises: dict[str, Any]) -> list[Problem]:
    """An exercise done over several sittings on different days, set in one weekly session and read
    in a later one, has at least a week for every sitting after the first between the two, so that a
    stop point's pause of several days does not cost the trainee the reading."""
    problems = []
    for j, session in enumerate(sessions):
        for row in session.rows:
            meta = exercises.get(row.exercise or "") or {}
            sittings = int(meta.get("sittings", 1))
            if row.kind != "exercise" or not row.self_study or sittings < 2:
                continue
            where = f"sessions.{variant}[{j}]"
            set_in = [i for i in range(j) if any(r.kind == "homework" and r.exercise == row.exercise
                                                 for r in sessions[i].rows)]
            if not set_in:
                problems.append(Problem(rel, at("sessions", variant, j), f"{where}: {row.exercise!r} is read here but "
                                        f"no earlier session sets it (a homework row with exercise: {row.exercise})"))
                continue
            weeks = sum(s.weeks_after for s in sessions[set_in[-1] + 1:j + 1])
            if weeks < sittings - 1:
                problems.append(Problem(rel, at("sessions", variant, j), f"{where}: {row.exercise!r} is read {weeks} "
                                        f"week{'s' if weeks != 1 else ''} after it is set, but its {sittings} sittings "
                                        f"on different days need at least {sittings - 1} (give this session "
                                        f"weeks_after: {sittings - 1})"))
    return problems


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
class Part:
    """A timed part of a day's opening or closing."""

    minutes: int
    activity: str


@dataclass(frozen=True)
class Slot:
    """One line of a timetable: start (minutes after midnight), length, what, and the session if any."""

    start: int
    minutes: int
    activity: str
    kind: str  # 'session', 'opening', 'closing', 'check-in', 'break'
    session: Session | None = None
    parts: tuple[Part, ...] = ()  # an opening or closing in its timed parts

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def contact(self) -> int:
        if self.kind == "break":
            return 0
        return self.session.contact if self.session else self.minutes


@dataclass(frozen=True)
class Meeting:
    """One occasion of a format: a week's session, or a day. ``day`` counts days from the first
    meeting (a weekly format's week 3 is day 14), so that dates follow from the first date."""

    name: str
    slots: tuple[Slot, ...]
    day: int = 0

    @property
    def start(self) -> int:
        return self.slots[0].start

    @property
    def end(self) -> int:
        return self.slots[-1].end

    @property
    def contact(self) -> int:
        return sum(s.contact for s in self.slots)


@dataclass(frozen=True)
class Group:
    """The group size a format is planned for, and how many facilitators it needs."""

    min: int
    max: int
    facilitators: int = 1
    notes: str = ""

    def holds(self, n: int) -> bool:
        return self.min <= n <= self.max


@dataclass(frozen=True)
class Timetable:
    key: str
    title: str
    description: str
    variant: str
    meetings: tuple[Meeting, ...]
    modules: tuple[str, ...]
    group: Group
    left_out: tuple[str, ...] = field(default_factory=tuple)
    large: Group | None = None  # a larger group with more facilitators, when the format allows one
    gaps: tuple[tuple[int, str], ...] = ()  # weekly formats: (week, why) for a week without a session

    @property
    def contact(self) -> int:
        return sum(m.contact for m in self.meetings)

    def sessions(self) -> list[Session]:
        return [s.session for m in self.meetings for s in m.slots if s.session]

    def group_for(self, n: int) -> Group | None:
        """The plan for a group of n: the usual one, the larger one, or None when neither holds n."""
        return next((g for g in (self.group, self.large) if g and g.holds(n)), None)

    def sizes(self) -> str:
        """'6 to 16 with one facilitator, or 17 to 24 with two'."""
        def one(g: Group) -> str:
            return f"{g.min} to {g.max} with {NUMBERS.get(g.facilitators, g.facilitators)} facilitator" + \
                ("s" if g.facilitators != 1 else "")
        return one(self.group) + (f", or {one(self.large)}" if self.large else "")


NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
           10: "ten", 11: "eleven", 12: "twelve"}


def formats_path(root: Path) -> Path:
    return root / "instructor" / "formats.yml"


def read_formats(root: Path, known_modules: set[str] | None = None) -> tuple[dict[str, Any] | None, list[Problem]]:
    path = formats_path(root)
    raw, problems = data.read(path, "formats", root)
    if raw is None:
        return None, problems
    rel = str(path.relative_to(root))
    line = lambda *keys: data.line_of(path, list(keys))  # noqa: E731
    for key, fmt in raw.items():
        for n, module in enumerate(fmt.get("modules", [])):
            if known_modules is not None and module not in known_modules:
                problems.append(Problem(rel, line(key, "modules", n), f"{key}.modules: unknown module {module!r}"))
        for name in ("group", "large"):
            size = fmt.get(name)
            if not size:
                continue
            if size["min"] > size["max"]:
                problems.append(Problem(rel, line(key, name), f"{key}.{name}: min {size['min']} is more than max {size['max']}"))
            hands = size.get("facilitators", 1)
            if size["max"] > PER_FACILITATOR * hands:
                need = -(-size["max"] // PER_FACILITATOR)
                problems.append(Problem(rel, line(key, name), f"{key}.{name}: {size['max']} trainees need "
                                        f"{need} facilitators (at most {PER_FACILITATOR} each), and it says {hands}"))
        if fmt.get("large") and fmt["large"]["min"] <= fmt["group"]["max"]:
            problems.append(Problem(rel, line(key, "large"), f"{key}.large: starts at {fmt['large']['min']}, inside "
                                    f"the usual group (up to {fmt['group']['max']}): start it at {fmt['group']['max'] + 1}"))
        for name in ("opening", "first_opening", "closing", "last_closing"):
            slot = fmt.get(name)
            if not slot:
                continue
            parts = slot.get("parts")
            if parts and sum(p["minutes"] for p in parts) != slot["minutes"]:
                problems.append(Problem(rel, line(key, name), f"{key}.{name}: its parts add up to "
                                        f"{sum(p['minutes'] for p in parts)} minutes, and it says {slot['minutes']}"))
            elif not parts and slot["minutes"] > TIMED_OVER:
                problems.append(Problem(rel, line(key, name), f"{key}.{name}: {slot['minutes']} minutes in one line: "
                                        f"an {name.split('_')[-1]} over {TIMED_OVER} minutes is given in timed parts "
                                        "(parts: [{minutes: 10, activity: ...}, ...])"))
        if "lunch" in fmt and "check_in" not in fmt["lunch"]:
            problems.append(Problem(rel, line(key, "lunch"), f"{key}.lunch: no check-in after lunch "
                                    "(check_in: {minutes: 5, activity: ...}): the afternoon opens with one"))
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


def _weeks(queue: list[Session]) -> tuple[list[tuple[int, Session]], list[int]]:
    """Weekly sessions given their weeks, in programme order, except that a session which must wait
    (weeks_after > 1) lets the next module's sessions fill the weeks between; a week nothing can
    fill is left without a session. Returns (week, session) pairs and the empty weeks."""
    placed: list[tuple[int, Session]] = []
    empty: list[int] = []
    last: dict[str, int] = {}
    waiting = list(queue)
    week = 0
    while waiting:
        week += 1
        # a module's sessions keep their order: only each module's next session can be chosen
        heads = [s for s in waiting if s is next(x for x in waiting if x.module == s.module)]
        ready = [s for s in heads if week >= last.get(s.module, 0) + (s.weeks_after if s.module in last else 1)]
        if not ready:
            empty.append(week)
            continue
        session = ready[0]
        waiting.remove(session)
        placed.append((week, session))
        last[session.module] = week
    return placed, empty


def _group(raw: dict[str, Any] | None) -> Group | None:
    return Group(raw["min"], raw["max"], raw.get("facilitators", 1), raw.get("notes", "")) if raw else None


def _parts(slot: dict[str, Any]) -> tuple[Part, ...]:
    return tuple(Part(p["minutes"], p["activity"]) for p in slot.get("parts", ()))


def timetable(key: str, fmt: dict[str, Any], modules: list[str], plans: dict[str, Plans]) -> Timetable:
    """A format's timetable for the given modules (in programme order)."""
    variant = fmt["plan"]
    allowed = fmt.get("modules")
    chosen = [m for m in modules if (allowed is None or m in allowed) and plans[m].variant(variant)]
    left_out = tuple(m for m in modules if m not in chosen)
    meetings: list[Meeting] = []
    gaps: list[tuple[int, str]] = []
    if fmt.get("every") == "week":
        start = minutes_of(fmt["start"])
        placed, empty = _weeks([s for m in chosen for s in plans[m].variant(variant)])
        for week, session in placed:
            meetings.append(Meeting(f"Week {week}", (Slot(start, session.minutes, session.title or session.module,
                                                          "session", session),), 7 * (week - 1)))
        for week in empty:
            waiting = next(s for w, s in placed if w > week and s.weeks_after > 1)
            gaps.append((week, f"No session: {waiting.title or waiting.module} comes "
                               f"{NUMBERS.get(waiting.weeks_after, waiting.weeks_after)} weeks after the module's "
                               "previous session"))
    else:
        blocks = [list(plans[m].variant(variant)) for m in chosen]
        groups = _split(blocks, len(fmt["days"]))
        for d, group in enumerate(groups):
            clock_at = minutes_of(fmt["start"])
            opening = fmt.get("first_opening") if d == 0 and fmt.get("first_opening") else fmt["opening"]
            closing = fmt.get("last_closing") if d == len(groups) - 1 and fmt.get("last_closing") else fmt["closing"]
            slots = [Slot(clock_at, opening["minutes"], opening["activity"], "opening", parts=_parts(opening))]
            clock_at += opening["minutes"]
            lunch_done = False
            sessions = [s for blk in group for s in blk]
            for i, session in enumerate(sessions):
                if i:
                    if not lunch_done and clock_at >= minutes_of(fmt["lunch"]["after"]):
                        lunch, lunch_done = fmt["lunch"], True
                        slots.append(Slot(clock_at, lunch["minutes"], lunch["activity"], "break"))
                        clock_at += lunch["minutes"]
                        check_in = lunch.get("check_in")
                        if check_in:
                            slots.append(Slot(clock_at, check_in["minutes"], check_in["activity"], "check-in"))
                            clock_at += check_in["minutes"]
                    else:
                        slots.append(Slot(clock_at, fmt["break"]["minutes"], fmt["break"]["activity"], "break"))
                        clock_at += fmt["break"]["minutes"]
                slots.append(Slot(clock_at, session.minutes, session.title or session.module, "session", session))
                clock_at += session.minutes
            slots.append(Slot(clock_at, closing["minutes"], closing["activity"], "closing", parts=_parts(closing)))
            meetings.append(Meeting(fmt["days"][d], tuple(slots), d))
    return Timetable(key, fmt["title"], fmt["description"], variant, tuple(meetings), tuple(chosen),
                     _group(fmt["group"]), left_out, _group(fmt.get("large")), tuple(gaps))


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
    contact = sum(s.contact for s in sessions if s.module == module.key)
    study = module.study["reading"] + module.study["discussion"] + sum(ex.meta["minutes"] for ex in own if ex.id not in done)
    return Hours(module.key, contact, study, tuple(sorted(done)))


def study_minutes(module: Any, exercises: list[Any]) -> int:
    """The module's whole estimated self-study time: reading, discussion and all its exercises."""
    return module.study["reading"] + module.study["discussion"] + sum(
        ex.meta["minutes"] for ex in exercises if ex.module == module.key)

"""The outcomes crosswalk: course outcome, module objective, session, exercise, assessment, hours.

Built from instructor/outcomes.yml, the modules' objectives, the exercises' metadata and a format's
timetable, for the instructor edition (a table) and as CSV (with an empty column in which a
programme writes the items of its own framework)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import data
from .markdown import plain
from .plans import hm
from .project import CourseError, Problem

FRAMEWORK = "Programme framework (fill in)"
HEADER = ["Course outcome", "Outcome", "Module", "Objective", "Sessions", "Exercises", "Assessment",
          "Module contact (whole module)", "Module self-study (whole module)", FRAMEWORK]


def outcomes_path(root: Path) -> Path:
    return root / "instructor" / "outcomes.yml"


def read_outcomes(root: Path, objectives: dict[str, int]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The outcomes file and its problems; ``objectives`` is each module's number of objectives."""
    path = outcomes_path(root)
    raw, problems = data.read(path, "outcomes", root)
    if raw is None:
        return None, problems
    rel = str(path.relative_to(root))
    for n, outcome in enumerate(raw["outcomes"]):
        for m, ref in enumerate(outcome["objectives"]):
            key, number = ref.split(":")
            if key not in objectives:
                problems.append(Problem(rel, data.line_of(path, ["outcomes", n, "objectives", m]),
                                        f"outcomes[{n}].objectives: no module {key!r}"))
            elif int(number) > objectives[key]:
                problems.append(Problem(rel, data.line_of(path, ["outcomes", n, "objectives", m]),
                                        f"outcomes[{n}].objectives: {key!r} has {objectives[key]} objectives, "
                                        f"no number {number}"))
        for m, assessment in enumerate(outcome["assessment"]):
            if assessment not in raw["assessments"]:
                problems.append(Problem(rel, data.line_of(path, ["outcomes", n, "assessment", m]),
                                        f"outcomes[{n}].assessment: no assessment {assessment!r} "
                                        f"(the file has {', '.join(raw['assessments'])})"))
    return (None if problems else raw), problems


@dataclass(frozen=True)
class Row:
    outcome: str
    outcome_text: str
    module: str
    objective: str
    sessions: str
    exercises: str
    assessment: str
    contact: str
    self_study: str

    def cells(self) -> list[str]:
        return [self.outcome, self.outcome_text, self.module, self.objective, self.sessions, self.exercises,
                self.assessment, self.contact, self.self_study, ""]


def rows(course: Any, fmt: str) -> list[Row]:
    """One row per course outcome and module objective the programme teaches, for format ``fmt``."""
    raw, problems = read_outcomes(course.root, {k: len(m.objectives) for k, m in course.every_module.items()})
    if raw is None:
        raise CourseError("\n".join(map(str, problems)))
    table = course.timetable(fmt)
    hours = {h.module: h for h in course.hours(fmt)}
    where: dict[tuple[str, int], str] = {}  # (module, session index) -> "Week 4" or "Saturday"
    for meeting in table.meetings:
        for slot in meeting.slots:
            if slot.session:
                where[(slot.session.module, slot.session.index)] = meeting.name
    found = []
    for outcome in raw["outcomes"]:
        assessments = [a["title"] for key, a in raw["assessments"].items() if key in outcome["assessment"]
                       and (not a.get("module") or a["module"] in course.programme.modules)]
        for ref in outcome["objectives"]:
            key, number = ref.split(":")
            if key not in course.programme.modules:
                continue
            module = course.module(key)
            n = int(number)
            serving = [ex for ex in course.exercises if ex.module == key and n in ex.meta["objectives"]]
            sessions = [s for s in table.sessions() if s.module == key]
            running = [s for s in sessions if set(s.exercises()) & {ex.id for ex in serving}] or sessions
            h = hours.get(key)
            found.append(Row(
                outcome["id"], outcome["text"], module.full_title, f"{n}. {plain(module.objectives[n - 1])}",
                "; ".join(where.get((s.module, s.index), "") + (f" ({s.title})" if s.title else "") for s in running)
                or "not in this format",
                "; ".join([ex.title for ex in serving] + _questions(module, n)) or "reading",
                "; ".join(assessments), hm(h.contact) if h else "", hm(h.self_study) if h else ""))
    return found


def _questions(module: Any, n: int) -> list[str]:
    """'discussion questions 4, 7' for the questions module.yml says serve objective n."""
    numbers = [str(q) for q, served in enumerate(module.discussion_objectives, 1) if n in served]
    if not numbers:
        return []
    return [f"discussion question{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"]


def thin_outcomes(root: Path, programme: Any) -> list[Problem]:
    """Outcomes that the programme's modules leave resting on fewer than two objectives: the
    programme should say how it meets them, or choose modules that serve them."""
    path = outcomes_path(root)
    if not path.is_file():
        return []
    try:
        raw = data.load(path, "outcomes", root)
    except Exception:  # noqa: BLE001  (its own problems are reported by check)
        return []
    rel = str(path.relative_to(root))
    out = []
    for n, outcome in enumerate(raw["outcomes"]):
        kept = [ref for ref in outcome["objectives"] if ref.split(":")[0] in programme.modules]
        if len(kept) < 2:
            left = ", ".join(sorted({ref.split(":")[0] for ref in outcome["objectives"]} - set(programme.modules)))
            rests = f"on {kept[0]} alone" if kept else "on no objective"
            out.append(Problem(rel, data.line_of(path, ["outcomes", n, "id"]),
                               f"outcome {outcome['id']} rests {rests} in this programme (it leaves out {left}): "
                               "say in your programme's own documents how the outcome is met, or teach a module "
                               "that serves it"))
    return out


def to_csv(found: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in found:
        writer.writerow(row.cells())
    return buffer.getvalue()


def csv_name(course: Any, fmt: str) -> str:
    return f"{course.programme.slug}-crosswalk-{fmt}.csv"

"""Run sheets: one printable page for each meeting of each format, for a given group size.

Everything on a run sheet comes from the session plans and formats (instructor/modules/*.yml,
instructor/formats.yml) and the exercises' own data: the clock time of every row, how the group
splits for each exercise (pairs, triads, small groups; what happens when it does not divide
evenly, and how long the rounds of a group of four are), the handouts to print with their counts,
how to set the room, one line to say or do at each change of activity, and the grounding steps
that close the meeting. Nothing is typed a second time, so a sheet cannot disagree with the plan.

The instructor build writes them with the handouts (for each format's usual largest group);
`coursekit handouts --group N` prints them for a group of N."""

from __future__ import annotations

import html
from dataclasses import dataclass

from .course import Course
from .plans import NUMBERS, Meeting, Row, Timetable, clock, hm, row_label, setting

PLURAL = {"pair": "pairs", "trio": "trios", "triad": "triads", "four": "groups of four", "group": "groups"}


@dataclass(frozen=True)
class Split:
    """How a group of n divides for one activity: the sizes of its groups, and the words for them."""

    setting: str
    sizes: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.sizes)

    def words(self) -> str:
        if self.setting == "solo":
            return "each person on their own"
        if self.setting == "whole":
            return "the whole group"
        if self.setting == "pair":
            pairs, trios = self.sizes.count(2), self.sizes.count(3)
            return _count(pairs, "pair") + (f" and {_count(trios, 'trio')}" if trios else "")
        if self.setting == "triad":
            threes, fours = self.sizes.count(3), self.sizes.count(4)
            return _count(threes, "triad") + (f" and {_count(fours, 'four')}" if fours else "")
        return f"{_count(self.count, 'group')} of " + " or ".join(NUMBERS[s] for s in sorted(set(self.sizes)))


def _count(n: int, noun: str) -> str:
    word = NUMBERS.get(n, str(n))
    if n == 1:
        return {"four": "one group of four"}.get(noun, f"one {noun}")
    return f"{word} {PLURAL[noun]}"


def split(kind: str, n: int) -> Split:
    """Pairs (an odd one out makes a trio), triads (one or two fours when n does not divide by
    three), small groups of three to five as even as they come, or everyone alone or together."""
    if kind == "pair":
        sizes = [2] * (n // 2)
        if n % 2:
            sizes[-1:] = [3] if sizes else [1]
        return Split(kind, tuple(sizes))
    if kind == "triad":
        q, r = divmod(n, 3)
        sizes = [3] * q
        if r == 1 and q:
            sizes[-1] = 4
        elif r == 2 and q >= 2:
            sizes[-2:] = [4, 4]
        elif r == 2:
            sizes.append(2)
        return Split(kind, tuple(sizes))
    if kind == "group":
        k = max(1, round(n / 4))
        while k > 1 and n // k < 3:
            k -= 1
        while -(-n // k) > 5:
            k += 1
        return Split(kind, tuple(n // k + (1 if i < n % k else 0) for i in range(k)))
    return Split(kind, (1,) * n if kind == "solo" else (n,))


def _rounds(row: Row, parts: Split) -> str:
    """A triad row's rounds, and the shorter rounds of its groups of four."""
    if not (row.rounds and row.round_minutes):
        return ""
    text = f"{row.rounds} rounds of {row.round_minutes} min"
    if 4 in parts.sizes:
        four = row.rounds * row.round_minutes // (row.rounds + 1)
        text += f"; groups of four: {row.rounds + 1} rounds of {four} min, two observers a round"
    return text


# ------------------------------------------------------------------------------- what to say

def say(course: Course, row: Row, parts: Split | None, end: int, after: str | None = None) -> str:
    """One line for the facilitator at the start of a row: the move into it, made from the plan
    (``after``: for a debrief, the setting of the exercise it follows)."""
    kind = row.kind
    if kind == "opening":
        return ("Welcome each person by name. Restate the learning agreement: what is said stays in the room, "
                "anyone may pass, the pause signal, where to step out.")
    if kind == "teaching":
        return "Everyone together. Keep to the time: the practice matters more than the framing."
    if kind == "exercise" and parts is not None:
        ex = course.exercise(row.exercise or "")
        name = f"“{ex.title}”" if ex else "the exercise"
        if row.self_study:
            return f"Into {parts.words()} for {name}, as agreed beforehand; anyone may listen rather than read. Until {clock(end)}."
        how = {"solo": f"On your own: {name}. Stop whenever you need to; until {clock(end)}.",
               "pair": f"Into {parts.words()} for {name}: decide who starts; swap when I call it. Until {clock(end)}.",
               "triad": f"Into {parts.words()} for {name}: decide who plays each role first; I call every round. "
                        f"Until {clock(end)}.",
               "group": f"Into {parts.words()} for {name}. Until {clock(end)}."}[parts.setting]
        return how + (" Anyone may sit it out, without a reason." if parts.setting == "solo"
                      else " Anyone may pass or observe, without a reason.")
    if kind == "debrief":
        if after == "triad":
            return ("Stop, wherever you are. Step out of role: say your own name and one ordinary thing about your "
                    "day. Then back to the circle.")
        return "Stop there, wherever you are. Back to the circle."
    if kind == "discussion":
        qs = " and ".join(", ".join(str(q) for q in row.questions).rsplit(", ", 1))
        return f"Discussion question{'s' if len(row.questions) > 1 else ''} {qs}; passing allowed." if qs else \
            "Open discussion; passing allowed."
    if kind == "break":
        return f"Break: back in the room at {clock(end)}. Stay visible and available."
    if kind == "homework":
        return "Say what is set for between sessions, and that the private parts are never asked for."
    if kind == "closing":
        return "Closing round, one sentence each or “pass”; then the grounding steps below together."
    return ""


# ------------------------------------------------------------------------------- the sheet

@dataclass(frozen=True)
class Line:
    start: int
    minutes: int
    what: str
    groups: str
    say: str


def lines(course: Course, meeting: Meeting, n: int) -> list[Line]:
    """Every timed line of a meeting, in order."""
    out: list[Line] = []
    for slot in meeting.slots:
        if slot.parts:
            at = slot.start
            for i, part in enumerate(slot.parts):
                words = say(course, Row(part.minutes, slot.kind, part.activity), None, at + part.minutes) \
                    if i == 0 else ""
                out.append(Line(at, part.minutes, part.activity, "", words))
                at += part.minutes
            continue
        if slot.session is None:
            words = say(course, Row(slot.minutes, slot.kind, slot.activity), None, slot.end)
            if slot.kind == "check-in":
                words = "One word each for how you come back; the grounding step from the morning."
            out.append(Line(slot.start, slot.minutes, row_label(slot.kind, slot.activity), "", words))
            continue
        at = slot.start
        previous: str | None = None  # the setting of the last exercise, for the debrief after it
        module = course.module(slot.session.module)
        for row in slot.session.rows:
            ex = course.exercise(row.exercise or "") if row.exercise else None
            kind = setting(row, ex.meta if ex else None) if row.kind == "exercise" else None
            parts = split(kind, n) if kind else None
            groups = (parts.words() + (f"; {_rounds(row, parts)}" if kind == "triad" else "")) if parts else ""
            what = row_label(row.kind, row.activity)
            if row.kind in ("opening", "teaching") and row is slot.session.rows[0] and len(meeting.slots) > 1:
                what = f"{module.full_title}: {what}"
            out.append(Line(at, row.minutes, what, groups,
                            say(course, row, parts, at + row.minutes, previous)))
            previous = kind if row.kind == "exercise" else previous
            at += row.minutes
    return out


@dataclass(frozen=True)
class Material:
    name: str
    title: str
    copies: int
    why: str


def materials(course: Course, table: Timetable, index: int, n: int) -> list[Material]:
    """What to print for one meeting and how many, for a group of n: one seminar handout each for a
    module's first meeting, a set of cards or slips for each group that uses them, the support sheet
    on the first meeting, evaluations and certificates at the end."""
    from .handouts import exercise_handouts

    meeting = table.meetings[index]
    first = index == 0
    last = index == len(table.meetings) - 1
    found: dict[str, Material] = {}

    def add(name: str, title: str, copies: int, why: str) -> None:
        if name in found:
            old = found[name]
            found[name] = Material(name, title, old.copies + copies, old.why)
        else:
            found[name] = Material(name, title, copies, why)

    if first:
        add(f"joining-letter-{table.key}", "Joining letter", n, "one each, sent two weeks before")
        add("support-sheet", "Grounding and support sheet", n, "one each, to keep")
        add(f"attendance-{table.key}", "Attendance register", 1, "the one sheet, kept for every meeting")
    seen_before = {s.session.module for m in table.meetings[:index] for s in m.slots if s.session}
    for slot in meeting.slots:
        if not slot.session:
            continue
        module = course.module(slot.session.module)
        if module.key not in seen_before:
            add(f"seminar-{module.key}", f"Seminar handout: {module.full_title}", n, "one each")
            seen_before.add(module.key)
        for row in slot.session.rows:
            if row.kind != "exercise" or row.self_study or not row.exercise:
                continue
            ex = course.exercise(row.exercise)
            if ex is None:
                continue
            parts = split(setting(row, ex.meta) or "solo", n)
            for name, label in exercise_handouts(ex):
                sets = parts.count if parts.setting != "whole" else 1
                why = "one each" if parts.setting == "solo" else f"a set for each of the {parts.words()}"
                if label == "role cards" and 4 in parts.sizes:
                    why += f" (each group of four needs a second observer's sheet: {parts.sizes.count(4)} more)"
                add(name, f"{label.capitalize()}: {ex.title}", sets, why)
    if last:
        add(f"course-evaluation-{table.key}", "End-of-course evaluation form", n, "one each, before the closing")
        add(f"certificate-{table.key}", "Certificate of attendance", n, "one each, signed")
    else:
        add("session-evaluation", "Session evaluation form", n, "one each, at the end")
    return list(found.values())


def setup(course: Course, meeting: Meeting, n: int) -> list[str]:
    """How to set the room, from the activities the meeting holds."""
    kinds: dict[str, Split] = {}
    for slot in meeting.slots:
        for row in slot.session.rows if slot.session else ():
            if row.kind == "exercise":
                ex = course.exercise(row.exercise or "")
                kind = setting(row, ex.meta if ex else None) or "solo"
                kinds.setdefault(kind, split(kind, n))
    out = [f"Chairs in one circle for {n} and you: openings, debriefs and the closing happen there."]
    if "triad" in kinds:
        out.append(f"Room for {kinds['triad'].words()} to sit apart without overhearing each other; a clock or the "
                   "projected timer that every group can see.")
    if "pair" in kinds:
        out.append(f"Room for {kinds['pair'].words()} to talk without overhearing each other.")
    if "group" in kinds:
        out.append(f"Chairs or tables for {kinds['group'].words()}.")
    if "solo" in kinds:
        out.append("Something to write on for each person, and quiet while people write.")
    out.append("The room view on the screen (the page for this session); water and tissues; a quiet place nearby "
               "to step out to, and who covers the room if you go with someone.")
    return out


def _grounding(course: Course, meeting: Meeting) -> list[str]:
    modules = [s.session.module for s in meeting.slots if s.session]
    steps = (course.module(modules[-1]).content_note or {}).get("grounding") if modules else None
    return list(steps or (course.every_module.get("orientation").content_note or {}).get("grounding", []))


CSS = """
@page runsheet { size: A4; margin: 10mm 11mm 12mm 11mm; }
.runsheet { page: runsheet; font-size: 8.4pt; line-height: 1.28; }
.runsheet h1 { font-size: 12.5pt; margin: 0 0 1mm; } .runsheet h2 { font-size: 9.5pt; margin: 2.5mm 0 1mm; }
.runsheet .meta { margin: 0 0 1.5mm; }
.runsheet .top { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; }
.runsheet ul, .runsheet ol { margin: 0; padding-left: 4mm; } .runsheet li { margin: 0 0 0.6mm; }
.runsheet table { font-size: 8pt; } .runsheet th, .runsheet td { padding: 0.8mm 1.4mm; }
.runsheet td.t { white-space: nowrap; width: 10mm; } .runsheet td.m { width: 7mm; text-align: right; }
.runsheet td.g { width: 36mm; } .runsheet tr { break-inside: avoid; }
@media screen { .runsheet { max-width: 60rem; margin: 0 auto; padding: 0.8rem; font-size: 0.95rem; }
                .runsheet table { font-size: 0.9rem; } }
@media screen and (max-width: 600px) { .runsheet .top { grid-template-columns: 1fr; gap: 0; } }
.runsheet .tick { display: inline-block; width: 3mm; height: 3mm; border: 1px solid #444; margin-right: 1.5mm; vertical-align: -0.4mm; }
"""


def sheet(course: Course, table: Timetable, index: int, n: int) -> str:
    """The body of one run sheet (the handouts module wraps it in a printable page)."""
    meeting = table.meetings[index]
    plan = table.group_for(n)
    hands = plan.facilitators if plan else 1
    modules = ", ".join(dict.fromkeys(course.module(s.session.module).full_title for s in meeting.slots if s.session))
    head = (f"<h1>Run sheet: {html.escape(table.title)}, {html.escape(meeting.name)}</h1>"
            f"<p class='meta'>{html.escape(course.programme.title)} · {html.escape(modules)} · "
            f"{clock(meeting.start)} to {clock(meeting.end)} ({hm(meeting.contact)} of contact) · a group of {n}, "
            f"{NUMBERS[hands]} facilitator{'s' if hands != 1 else ''}</p>")
    if plan is not None and plan is table.large and plan.notes:
        head += f"<p><strong>With {plan.min} to {plan.max}:</strong> {html.escape(plan.notes)}</p>"
    stuff = "".join(f"<li><span class='tick'></span><strong>{m.copies}</strong> × {html.escape(m.title)} "
                    f"<span class='meta'>({html.escape(m.why)})</span></li>" for m in materials(course, table, index, n))
    room = "".join(f"<li>{html.escape(s)}</li>" for s in setup(course, meeting, n))
    rows = "".join(f"<tr><td class='t'>{clock(x.start)}</td><td class='m'>{x.minutes}</td>"
                   f"<td>{html.escape(x.what)}</td><td class='g'>{html.escape(x.groups)}</td>"
                   f"<td>{html.escape(x.say)}</td></tr>" for x in lines(course, meeting, n))
    close = "".join(f"<li>{html.escape(s)}</li>" for s in _grounding(course, meeting))
    return (f"<div class='runsheet'>{head}<div class='top'><div><h2>To print</h2><ul>{stuff}</ul></div>"
            f"<div><h2>The room</h2><ul>{room}</ul></div></div>"
            "<h2>Timings</h2><table><thead><tr><th>Time</th><th>Min</th><th>What</th><th>Groups</th>"
            f"<th>At the change, say or do</th></tr></thead><tbody>{rows}"
            f"<tr><td class='t'>{clock(meeting.end)}</td><td class='m'></td><td>End</td><td></td><td></td></tr>"
            f"</tbody></table><h2>The grounding close, together</h2><ol>{close}</ol>"
            "<p class='meta'>Then say when and how people can reach you, and stay a few minutes after the end.</p></div>")


def name(fmt: str, index: int) -> str:
    return f"runsheet-{fmt}-{index + 1}"


def default_group(table: Timetable) -> int:
    """A format's run sheets are made for its usual largest group unless a size is given."""
    return table.group.max


def check_group(table: Timetable, n: int) -> None:
    from .project import CourseError

    if table.group_for(n) is None:
        raise CourseError(f"{table.key}: a group of {n} is outside what the format is planned for "
                          f"({table.sizes()}; instructor/formats.yml)")


def pack(course: Course, fmt: str, n: int) -> list[str]:
    """The names of every handout a format's meetings use, for a group of n: what to print for it
    and nothing else (its run sheets, letters, forms, registers, certificates, and the cards, slips
    and seminar handouts of the sessions it runs)."""
    table = course.timetable(fmt)
    names = [m.name for i in range(len(table.meetings)) for m in materials(course, table, i, n)]
    names += [name(fmt, i) for i in range(len(table.meetings))]
    return list(dict.fromkeys(names))


def chosen_formats(course: Course, group: int | None, formats: tuple[str, ...] = ()) -> list[str]:
    """The formats to make handouts for: those named (each must exist and take the group), or every
    format; a group size is then refused unless every one of them is planned for it, naming those that are."""
    from .project import CourseError

    unknown = [f for f in formats if f not in course.formats]
    if unknown:
        raise CourseError(f"no format {', '.join(map(repr, unknown))}: this programme's formats are "
                          f"{', '.join(course.formats)}")
    keys = list(formats) or list(course.formats)
    if group:
        refused = [k for k in keys if course.timetable(k).group_for(group) is None]
        if refused and formats:
            check_group(course.timetable(refused[0]), group)
        if refused:
            fit = [k for k in keys if k not in refused]
            sizes = "; ".join(f"{k}: {course.timetable(k).sizes()}" for k in refused)
            raise CourseError(f"a group of {group} is outside what {', '.join(refused)} "
                              f"{'is' if len(refused) == 1 else 'are'} planned for ({sizes}; instructor/formats.yml)"
                              + (f": choose the formats with --format, e.g. --format {fit[0]}" if fit else ""))
    return keys


def handouts(course: Course, group: int | None = None, formats: tuple[str, ...] = ()) -> list:
    """A run sheet for every meeting of every format (or of those named), as printable handouts, for a
    group of ``group`` (default: each format's usual largest group). A size a format is not planned
    for is an error."""
    from .handouts import Handout, _page

    made = []
    for key in chosen_formats(course, group, formats):
        table = course.timetable(key)
        n = group or default_group(table)
        check_group(table, n)
        for index, meeting in enumerate(table.meetings):
            title = f"Run sheet: {table.title}, {meeting.name}"
            made.append(Handout(name(key, index), title, f"timings, groups, what to print and say, for a group of {n}",
                                _page(title, course.programme.title, [sheet(course, table, index, n)], CSS),
                                "runsheet"))
    return made

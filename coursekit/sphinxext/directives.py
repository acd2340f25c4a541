"""The course's directives and roles: module data on the page, generated tables, folds and answer boxes.

Every directive turns a problem into a Sphinx error at the page and line that uses it (and, for a
data file, the file and line of the data), never into a traceback."""

from __future__ import annotations

import posixpath
from html import escape as escape_html
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives as rst
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..exercises import KIND_LABELS
from ..markdown import plain
from ..modules import quarter_hours
from ..plans import clock, hm, row_label
from ..project import CourseError
from . import helpnow
from . import nodes as course_nodes
from .context import course, module_of

logger = logging.getLogger("coursekit")

VARIANT_TITLES = {"seminar": "Weekly seminar", "series": "Weekly seminar series", "intensive": "Weekend intensive block",
                  "workshop": "One-day workshop block"}


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


class CourseDirective(SphinxDirective):
    """Base: ``build`` returns nodes; any problem becomes an error at this directive's location."""

    has_content = False

    def build(self) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        try:
            return self.build()
        except CourseError as exc:
            for line in str(exc).splitlines():
                logger.error(line, location=self.get_location())
        except Exception as exc:  # a bug in a course directive must still name the page
            logger.error(f"{{{self.name}}} could not be built: {type(exc).__name__}: {exc}",
                         location=self.get_location())
        return []

    @property
    def course(self):
        return course(self.env.app)

    def markdown(self, text: str, classes: list[str] | None = None) -> list[nodes.Node]:
        container = nodes.container(classes=[self.name, *(classes or [])])
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname), self.content_offset, container)
        return [container]

    def page_module(self):
        key = module_of(self.env.docname)
        if key is None or key not in self.course.every_module:
            raise CourseError(f"{{{self.name}}} belongs on a module's page (chapters/<module>/...)")
        module = self.course.module(key)
        self.env.note_dependency(str(module.data_file))
        return module

    def link(self, docname: str, text: str) -> str:
        return f"{{doc}}`{_cell(text)} </{docname}>`"


class ContentNote(CourseDirective):
    """The module's content note, from module.yml: first on its overview page."""

    def build(self) -> list[nodes.Node]:
        module = self.page_module()
        note = module.content_note
        steps = "\n".join(f"- {s}" for s in note["grounding"])
        text = f"{note['text']}\n\n{steps}\n\n{note['support']}"
        box = course_nodes.content_note()
        title = nodes.paragraph(classes=["content-note__title"], ids=["content-note-title"])
        title += nodes.strong(text="Content note")
        box += title
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname), self.content_offset, box)
        urgent = nodes.paragraph()
        urgent += nodes.Text("If you feel unsafe or need someone now: ")
        urgent += helpnow.help_reference(self.env.docname, "where to get help now", self.env)
        urgent += nodes.Text(".")
        box += urgent
        return [box]


class StudyTime(CourseDirective):
    def build(self) -> list[nodes.Node]:
        module = self.page_module()
        exercises = [ex for ex in self.course.exercises if ex.module == module.key]
        for ex in exercises:
            self.env.note_dependency(str(ex.path))
        total = self.course.study_minutes(module)
        ex_minutes = sum(ex.meta["minutes"] for ex in exercises)
        count = {1: "the exercise", 2: "the two exercises", 3: "the three exercises", 4: "the four exercises"}.get(
            len(exercises), f"the {len(exercises)} exercises")
        parts = [f"reading {quarter_hours(module.study['reading'])}"]
        if exercises:
            parts.append(f"{count} {quarter_hours(ex_minutes)}")
        if module.study["discussion"]:
            parts.append(f"discussion questions {quarter_hours(module.study['discussion'])}")
        text = (f"**Estimated study time:** {quarter_hours(total)} working on your own "
                f"({', '.join(parts)}).")
        return self.markdown(text)


class Objectives(CourseDirective):
    def build(self) -> list[nodes.Node]:
        module = self.page_module()
        return self.markdown("\n".join(f"{n}. {o}" for n, o in enumerate(module.objectives, 1)))


class ExerciseIndex(CourseDirective):
    """Every exercise of the programme, from the notebooks' metadata, with the whole-workbook zip."""

    def build(self) -> list[nodes.Node]:
        from .downloads import workbook_name

        exercises = self.course.exercises
        for ex in exercises:
            self.env.note_dependency(str(ex.path))
        zip_uri = posixpath.relpath(f"_downloads/{workbook_name(self.course)}", posixpath.dirname(self.env.docname) or ".")
        intro = nodes.paragraph()
        intro += nodes.Text("Download every exercise, in course order, as one file: ")
        intro += nodes.reference("", workbook_name(self.course), refuri=zip_uri, classes=["workbook-download"])
        intro += nodes.Text(f" ({len(exercises)} notebooks).")
        # what a trainee choosing an exercise needs first comes first; the table where there is room, and
        # below 600 px the same exercises as one card each (course.css shows one or the other)
        lines = ["| Exercise | Intensity | Minutes | Setting | Kind | Module |", "| --- | --- | --- | --- | --- | --- |"]
        cards = []
        for ex in exercises:
            module = self.course.module(ex.module)
            lines.append(f"| {self.link(ex.docname, ex.title)} | {ex.meta['intensity']} | {ex.meta['minutes']} "
                         f"| {ex.meta['setting']} | {KIND_LABELS[ex.meta['kind']]} "
                         f"| {self.link(f'chapters/{module.key}/index', module.title)} |")
            cards.append(f"- {self.link(ex.docname, ex.title)}\\\n  {ex.meta['minutes']} minutes · {ex.meta['intensity']} intensity"
                         f" · {ex.meta['setting']} · {KIND_LABELS[ex.meta['kind']].lower()} · "
                         f"{self.link(f'chapters/{module.key}/index', module.title)}")
        table = self.markdown("\n".join(lines), ["exercise-table"])
        listed = self.markdown("\n".join(cards), ["exercise-cards"])
        return [intro, *table, *listed]


class ObjectivesMap(CourseDirective):
    """Every learning objective, its module, and the exercises that serve it (from their metadata)."""

    def build(self) -> list[nodes.Node]:
        lines = ["| Module | Objective | Exercises that serve it | Discussion questions |", "| --- | --- | --- | --- |"]
        for module in self.course.modules:
            self.env.note_dependency(str(module.data_file))
            for n, objective in enumerate(module.objectives, 1):
                serving = [self.link(ex.docname, ex.title) for ex in self.course.exercises
                           if ex.module == module.key and n in ex.meta["objectives"]]
                questions = [str(q) for q, served in enumerate(module.discussion_objectives, 1) if n in served]
                asked = (self.link(f"chapters/{module.key}/discussion", ", ".join(questions)) if questions else "none")
                lines.append(f"| {self.link(f'chapters/{module.key}/index', module.full_title)} | {n}. {_cell(objective)} "
                             f"| {'; '.join(serving) or 'none'} | {asked} |")
        return self.markdown("\n".join(lines))


class SessionPlans(CourseDirective):
    """Every session plan of the page's module, from instructor/modules/<module>.yml."""

    def build(self) -> list[nodes.Node]:
        module = self.page_module()
        plans = self.course.plans(module.key)
        self.env.note_dependency(str(plans.path))
        sizes = [f"{fmt['title'].lower()}, {self.course.timetable(key).sizes()}"
                 for key, fmt in self.course.formats.items() if plans.variant(fmt["plan"])]
        out = [f"Group sizes, from the formats: {'; '.join(sizes)}." if sizes else ""]
        for variant in ("seminar", "series", "intensive", "workshop"):
            sessions = plans.variant(variant)
            if not sessions:
                continue
            for session in sessions:
                name = VARIANT_TITLES[variant]
                if len(sessions) > 1:
                    name += f", session {session.index + 1} of {len(sessions)}"
                title = f": {session.title}" if session.title else ""
                pause = session.minutes - session.contact
                length = f"{session.minutes} minutes" + (f", of which a {pause}-minute break" if pause else "")
                out += ["", f"**{name}{title}** ({length})", "",
                        "| Minutes | Activity | Notes |", "| --- | --- | --- |"]
                for row in session.rows:
                    activity = _cell(row.activity)
                    if row.exercise:
                        ex = self.course.exercise(row.exercise)
                        if ex:
                            activity = f"{activity} ({self.link(ex.docname, 'exercise')})"
                    out.append(f"| {row.minutes} | {row_label(row.kind, activity)} | {_cell(row.notes)} |")
                out.append(f"| {session.total} | Total | |")
        return self.markdown("\n".join(out))


class ProgrammeTimetable(CourseDirective):
    """A programme format's timetable, built from the modules' session plans."""

    required_arguments = 1

    def build(self) -> list[nodes.Node]:
        key = self.arguments[0]
        self.env.note_dependency(str(Path(self.env.srcdir) / "instructor" / "formats.yml"))
        if key not in self.course.formats:
            from ..plans import read_formats

            offered, _ = read_formats(self.course.root, set(self.course.every_module))
            name = (offered or {}).get(key, {}).get("title", key)
            return self.markdown(f"*This programme does not use the {name.lower()} format.*")
        table = self.course.timetable(key)
        for module in table.modules:
            self.env.note_dependency(str(self.course.plans(module).path))
        out = [f"For a group of {table.sizes()}. Contact time in all: {hm(table.contact)}."]
        if table.large and table.large.notes:
            out.append(f"**With {table.large.min} to {table.large.max}.** {_cell(table.large.notes)}")
        if table.left_out:
            names = ", ".join(self.course.module(k).full_title for k in table.left_out)
            out.append(f"Not in this format: {names}.")
        if table.meetings and len(table.meetings[0].slots) == 1:
            out += ["", "| Week | Time | Contact minutes | Session |", "| --- | --- | --- | --- |"]
            lines = []
            for meeting in table.meetings:
                slot = meeting.slots[0]
                module = self.course.module(slot.session.module)
                what = self.link(f"instructor/modules/{module.key}", module.full_title)
                if slot.session.title:
                    what += f": {_cell(slot.session.title)}"
                if slot.minutes != slot.contact:
                    what += f" (with a {slot.minutes - slot.contact}-minute break)"
                week = meeting.day // 7 + 1
                lines.append((week, f"| {week} | {clock(slot.start)} to {clock(slot.end)} | {slot.contact} | {what} |"))
            lines += [(week, f"| {week} | | | {_cell(why)} |") for week, why in table.gaps]
            out += [line for _, line in sorted(lines)]
            out.append(f"| All | | {table.contact} | {len(table.meetings)} sessions |")
        else:
            for meeting in table.meetings:
                out += ["", f"**{meeting.name}**, {clock(meeting.start)} to {clock(meeting.end)} "
                            f"({hm(meeting.end - meeting.start)}, of which contact {hm(meeting.contact)})", "",
                        "| Start | Minutes | Activity |", "| --- | --- | --- |"]
                for slot in meeting.slots:
                    if slot.parts:
                        at = slot.start
                        for part in slot.parts:
                            out.append(f"| {clock(at)} | {part.minutes} | {_cell(part.activity)} |")
                            at += part.minutes
                        continue
                    if slot.session:
                        module = self.course.module(slot.session.module)
                        what = self.link(f"instructor/modules/{module.key}", module.full_title)
                        if slot.session.title:
                            what += f": {_cell(slot.session.title)}"
                    else:
                        what = _cell(slot.activity)
                    out.append(f"| {clock(slot.start)} | {slot.minutes} | {what} |")
                out.append(f"| {clock(meeting.end)} | | End of the day |")
        return self.markdown("\n".join(out))


class ContactHours(CourseDirective):
    """Contact and self-study hours per module for one format (definitions in coursekit/plans.py)."""

    required_arguments = 1

    def build(self) -> list[nodes.Node]:
        key = self.arguments[0]
        if key not in self.course.formats:
            return []
        table = self.course.timetable(key)
        rows = self.course.hours(key)
        lines = ["| Module | Contact | Self-study (estimated) | Total |", "| --- | --- | --- | --- |"]
        for h in rows:
            module = self.course.module(h.module)
            lines.append(f"| {_cell(module.full_title)} | {hm(h.contact)} | {hm(h.self_study)} | {hm(h.contact + h.self_study)} |")
        other = table.contact - sum(h.contact for h in rows)
        if other:
            lines.append(f"| Openings, check-ins and closings of the days | {hm(other)} | | {hm(other)} |")
        study = sum(h.self_study for h in rows)
        lines.append(f"| All | {hm(table.contact)} | {hm(study)} | {hm(table.contact + study)} |")
        return self.markdown("\n".join(lines))


def _a(minutes: int) -> str:
    """'an 8-minute', 'an 11-minute', 'an 18-minute', 'an 80-minute'; 'a' before every other number."""
    return "an" if minutes in (8, 11, 18) or str(minutes).startswith("8") else "a"


def exercise_timing(course, exercise_id: str) -> str:
    """How long an exercise takes alone (its notebook) and in each of the programme's formats (the
    session plans), with the debrief that follows it: the one place these minutes come from."""
    ex = course.exercise(exercise_id)
    if ex is None:
        raise CourseError(f"{{exercise-timing}}: no exercise {exercise_id!r}")
    plans = course.plans(ex.module)
    parts = []
    for key, fmt in course.formats.items():
        runs = []
        sessions = plans.variant(fmt["plan"])
        for session in sessions:
            rows = list(session.rows)
            for n, row in enumerate(rows):
                if row.kind == "exercise" and row.exercise == exercise_id and not row.self_study:
                    after = rows[n + 1] if n + 1 < len(rows) and rows[n + 1].kind == "debrief" else None
                    where = f" in session {session.index + 1}" if len(sessions) > 1 else ""
                    runs.append(f"{row.minutes} minutes{where}" +
                                (f", then {_a(after.minutes)} {after.minutes}-minute debrief" if after else ""))
        parts.append(f"{fmt['title']}: {'; '.join(runs) if runs else 'not run in the session'}")
    return f"**Timing** (from the session plans). Alone, about {ex.meta['minutes']} minutes. " + ". ".join(parts) + "."


class ExerciseTiming(CourseDirective):
    """``{exercise-timing} ID``: the exercise's minutes alone and in every format, from the data."""

    required_arguments = 1

    def build(self) -> list[nodes.Node]:
        ex = self.course.exercise(self.arguments[0])
        if ex is not None:
            self.env.note_dependency(str(ex.path))
            self.env.note_dependency(str(self.course.plans(ex.module).path))
        return self.markdown(exercise_timing(self.course, self.arguments[0]))


class ModuleList(CourseDirective):
    """The programme's modules in its order, each with its one-line summary from module.yml; which are
    core and which extend them; and one plain line naming what the programme leaves out."""

    def build(self) -> list[nodes.Node]:
        modules = self.course.modules
        for module in modules:
            self.env.note_dependency(str(module.data_file))
        self.env.note_dependency(str(self.course.programme.path))
        lines = [f"- {{module}}`{m.key}`: {m.summary}" for m in modules]
        core = [m.full_title for m in modules if m.kind == "core"]
        extended = [m.full_title for m in modules if m.kind == "extended"]
        said = []
        if core:
            said.append(f"{_and(core)} {'is' if len(core) == 1 else 'are'} the core of the course")
        if extended:
            said.append(f"{_and(extended)} {'extends' if len(extended) == 1 else 'extend'} "
                        f"{'it' if core else 'the course'}")
        text = "\n".join(lines)
        if said:
            text += "\n\n" + "; ".join(said) + "."
        left = [m.title for key, m in self.course.every_module.items() if key not in self.course.programme.modules]
        if left:
            # titles can hold "and" themselves: "Rupture and repair, or Boundaries and the therapist's own needs"
            named = left[0] if len(left) == 1 else ", ".join(left[:-1]) + ", or " + left[-1]
            text += f" This programme does not teach {named}."
        return self.markdown(text)


class FormatsSummary(CourseDirective):
    """The formats this programme uses, by name, each with its description from instructor/formats.yml;
    one plain line for those the course offers that the programme does not use."""

    def build(self) -> list[nodes.Node]:
        from ..plans import read_formats

        everything, _ = read_formats(self.course.root, set(self.course.every_module))
        self.env.note_dependency(str(self.course.root / "instructor" / "formats.yml"))
        self.env.note_dependency(str(self.course.programme.path))
        chosen = self.course.formats
        count = {1: "one format", 2: "two formats", 3: "three formats", 4: "four formats"}.get(
            len(chosen), f"{len(chosen)} formats")
        lines = [f"This programme teaches the course in {count}. Each is built from the modules' own session plans "
                 "(each module's notes page shows them), so the timetables and hours below are generated when the "
                 "book is built and always match the plans.", "", "| Format | What it is |", "| --- | --- |"]
        lines += [f"| {_cell(f['title'])} | {_cell(f['description'])} |" for f in chosen.values()]
        others = [f["title"] for key, f in (everything or {}).items() if key not in chosen]
        if others:
            lines += ["", f"The course also offers {_and(others)}, which this programme does not use."]
        return self.markdown("\n".join(lines))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class SupportContacts(CourseDirective):
    """The programme's own support contacts, or a line saying where a programme puts them."""

    def build(self) -> list[nodes.Node]:
        self.env.note_dependency(str(self.course.programme.path))
        contacts = [(label, c) for label, c in self.course.programme.contacts() if c]
        if not contacts:
            return self.markdown("*This copy of the course lists no programme contacts. Ask your personal tutor or "
                                 "programme lead this week whom to tell, and for the counselling service's number, "
                                 "and write them in your support map. Until then, your supervisor or your GP is the "
                                 "place to start.*",
                                 ["support-contacts--empty"])
        return [helpnow.contact_list(contacts, ["support-contacts"])]


class HelpNow(CourseDirective):
    """The first screen of the "Help now" page: emergency numbers, a crisis line and the programme's
    own contacts, every number a tel: link."""

    def build(self) -> list[nodes.Node]:
        self.env.note_dependency(str(self.course.programme.path))
        return [helpnow.urgent_help([(label, c) for label, c in self.course.programme.contacts() if c])]


class Crosswalk(CourseDirective):
    """Course outcome, module objective, session, exercise, assessment and hours, for one format,
    with the same table as CSV for a programme's own framework."""

    required_arguments = 1

    def build(self) -> list[nodes.Node]:
        from ..crosswalk import csv_name, outcomes_path, rows

        fmt = self.arguments[0]
        if fmt not in self.course.formats:
            fmt = next(iter(self.course.formats))
        self.env.note_dependency(str(outcomes_path(Path(self.env.srcdir))))
        found = rows(self.course, fmt)
        def spreadsheet(key: str) -> nodes.reference:
            name = csv_name(self.course, key)
            uri = posixpath.relpath(f"_downloads/{name}", posixpath.dirname(self.env.docname) or ".")
            return nodes.reference("", name, refuri=uri, classes=["crosswalk-download"])

        intro = nodes.paragraph()
        intro += nodes.Text(f"For the format “{self.course.formats[fmt]['title']}”. The same table as a spreadsheet, "
                            "with an empty column for your programme's own framework: ")
        intro += spreadsheet(fmt)
        others = [f for f in self.course.formats if f != fmt]
        if others:
            intro += nodes.Text("; for the other formats: ")
            for n, other in enumerate(others):
                if n:
                    intro += nodes.Text(", ")
                intro += spreadsheet(other)
        intro += nodes.Text(". The hours are the whole module's, repeated on each of its rows: add up one row a "
                            "module, not the column.")
        lines = ["| Outcome | Module objective | Sessions | Exercises | Assessment | Module contact | Module self-study |",
                 "| --- | --- | --- | --- | --- | --- | --- |"]
        for row in found:
            lines.append(f"| {row.outcome}: {_cell(row.outcome_text)} | {_cell(row.module)}, {_cell(row.objective)} "
                         f"| {_cell(row.sessions)} | {_cell(row.exercises)} | {_cell(row.assessment)} "
                         f"| {row.contact} | {row.self_study} |")
        return [intro, *self.markdown("\n".join(lines))]


class Portfolio(CourseDirective):
    """The 'My portfolio' page's working area; the workbook script fills it."""

    def build(self) -> list[nodes.Node]:
        html = ('<div id="portfolio" class="portfolio"><p class="portfolio__noscript">Your portfolio is put '
                "together in your browser from the answers you have saved on the exercise pages. It needs "
                "scripts, which are turned off in this browser. You can still download the exercises as "
                "notebooks from their pages and print those.</p></div>")
        return [nodes.raw("", html, format="html")]


class Resume(CourseDirective):
    """The home page's 'Where you are': continue where you left off (progress.js fills it from this
    browser) and the whole course's estimated study time, from the modules' data."""

    def build(self) -> list[nodes.Node]:
        modules = self.course.modules
        for module in modules:
            self.env.note_dependency(str(module.data_file))
        total = sum(self.course.study_minutes(m) for m in modules)
        text = (f"The whole course takes {quarter_hours(total)} of study on your own: reading, exercises and "
                f"discussion questions, across {len(modules)} modules; each module's page gives its share.")
        html = ('<div id="resume" class="resume" role="region" aria-labelledby="resume-title">'
                '<p class="resume-title" id="resume-title"><strong>Where you are</strong></p>'
                '<div class="resume-last"><p>With scripts turned on, a link here takes you back to the last page you read.</p></div>'
                f'<p class="resume-time">{escape_html(text)}</p></div>')
        return [nodes.raw("", html, format="html")]


class OfflineControl(CourseDirective):
    """'Reading offline': whether the course is saved on this device, how much it keeps, and a button to
    save or remove it (offline.js fills it; without scripts it says what it cannot do)."""

    def build(self) -> list[nodes.Node]:
        html = ('<div id="offline-control" class="offline-control" role="region" aria-labelledby="offline-title">'
                '<p class="offline-title" id="offline-title"><strong>Reading offline</strong></p>'
                '<p class="offline-status" role="status">With scripts turned on, this course can be saved on your '
                "device for reading without a connection.</p><p class='offline-actions wb-actions'></p></div>")
        return [nodes.raw("", html, format="html")]


class WorkbookTools(CourseDirective):
    """Where the workbook script puts 'Download all my answers' and 'Open saved answers'."""

    def build(self) -> list[nodes.Node]:
        return [nodes.raw("", '<div id="workbook-tools" class="workbook-tools"></div>', format="html")]


class Fold(SphinxDirective):
    """```{fold} Title`` : content the reader opens on purpose (example responses, later stages)."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"class": rst.class_option}

    def run(self) -> list[nodes.Node]:
        node = course_nodes.fold(classes=self.options.get("class", []))
        title = course_nodes.fold_title()
        inline, messages = self.state.inline_text(self.arguments[0], self.lineno)
        title += inline
        node += title
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node, *messages]


class AnswerBox(SphinxDirective):
    """Where a response cell of an exercise notebook stands on its page (written by pages.py)."""

    option_spec = {"cell": rst.unchanged_required, "exercise": rst.unchanged_required, "label": rst.unchanged,
                   "private": rst.flag, "words": rst.unchanged}

    def run(self) -> list[nodes.Node]:
        return [course_nodes.answer_box(cell=self.options["cell"], exercise=self.options["exercise"],
                                        label=self.options.get("label", ""), private="private" in self.options,
                                        words=self.options.get("words", ""))]


class HandoutRole(SphinxRole):
    """``{handout}`role-cards-role-play-rupture-in-the-room``` : a link to a printable handout
    (instructor edition only: the handouts hold what learners must not see)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        text = self.text.strip()
        label, _, name = text.rpartition("<") if text.endswith(">") else ("", "", text)
        name = name.rstrip(">").strip()
        if self.env.config.coursekit_edition != "instructor":
            logger.error("{handout} links belong in instructor pages only", location=self.get_location())
            return [nodes.Text(label or name)], []
        ref = nodes.reference("", "", internal=False, refuri="")
        ref["coursekit_handout"] = name
        ref += nodes.Text((label.strip() or name))
        return [ref], []


class ModuleRole(SphinxRole):
    """``{module}`shame``` : 'Module 4: Shame' linked, or plain text when the programme leaves it out."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        key = self.text.strip()
        try:
            every = course(self.env.app).every_module
        except CourseError as exc:
            logger.error(str(exc).splitlines()[0], location=self.get_location())
            return [nodes.Text(key)], []
        if key not in every:
            logger.error(f"{{module}}: no module {key!r} (modules: {', '.join(every)})", location=self.get_location())
            return [nodes.Text(key)], []
        module = every[key]
        if module.number is None:
            return [nodes.inline(text=f"{module.title} (not part of this programme)", classes=["left-out"])], []
        ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/chapters/{key}/index",
                                    refdoc=self.env.docname, refexplicit=True, refwarn=True)
        ref += nodes.inline(text=module.full_title)
        self.set_source_info(ref)
        return [ref], []


def register(app) -> None:
    for name, cls in (("content-note", ContentNote), ("study-time", StudyTime), ("objectives", Objectives),
                      ("exercise-index", ExerciseIndex), ("objectives-map", ObjectivesMap),
                      ("session-plans", SessionPlans), ("programme-timetable", ProgrammeTimetable),
                      ("contact-hours", ContactHours), ("support-contacts", SupportContacts), ("help-now", HelpNow), ("formats-summary", FormatsSummary),
                      ("module-list", ModuleList), ("exercise-timing", ExerciseTiming),
                      ("offline-control", OfflineControl), ("resume", Resume),
                      ("fold", Fold), ("answer-box", AnswerBox), ("portfolio", Portfolio), ("crosswalk", Crosswalk),
                      ("workbook-tools", WorkbookTools)):
        app.add_directive(name, cls)
    app.add_role("module", ModuleRole())
    app.add_role("handout", HandoutRole())

"""Sphinx extension for the course.

Exercise download links, the generated tables (exercise index, outcomes map, programme timetables,
contact hours), the learner-edition guard, the author-year citation styles (registered by importing
coursekit.citations), and the fixes to the theme's output: no CDN loader, proper list roles in the
bibliography, and Font Awesome cut to the icons the site uses."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from . import citations  # noqa: F401  (registers the authoryear and author_year_round styles)


def add_download_link(app: Sphinx, doctree: nodes.document) -> None:
    """Give every exercise notebook's page a link that downloads the notebook itself."""
    docname = app.env.docname
    source = Path(app.env.doc2path(docname))
    if not docname.startswith("exercises/") or source.suffix != ".ipynb":
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    ref = addnodes.download_reference(
        "", "", refdoc=docname, refdomain="", reftype="download", refexplicit=True,
        reftarget=source.name, refwarn=True,
    )
    ref += nodes.literal(source.name, source.name)
    para = nodes.paragraph(classes=["exercise-download"])
    para += nodes.Text("Download this exercise as a notebook for your private workbook: ")
    para += ref
    para += nodes.Text(" (open it in JupyterLab, VS Code or any notebook editor and write in the empty cells).")
    section.insert(1, para)


def guard_edition(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Stop a learner build that would read any page from instructor/."""
    if app.config.coursekit_edition == "learner":
        leaked = sorted(d for d in env.found_docs if d.startswith("instructor/"))
        if leaked:
            raise ExtensionError(f"learner edition would include instructor pages: {', '.join(leaked)}")
    return []


def adjust_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Drop the Thebe loader (a CDN script; the course runs no code) and mend the citation list's roles.

    Sphinx marks bibliography entries with the deprecated role doc-biblioentry inside a role=list,
    which then has no list items (axe: aria-deprecated-role, aria-required-children)."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            s for s in scripts
            if "thebe" not in str(s) and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))
        ]


WORKBOOK_ZIP = "_downloads/workbook/learning-to-fall-workbook.zip"


def _doc_link(docname: str, text: str, refdoc: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + docname,
                                refdoc=refdoc, refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text)
    return ref


def _row(cells: list[nodes.Node | str], header: bool = False) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        para = nodes.paragraph()
        para += nodes.Text(cell) if isinstance(cell, str) else cell
        entry += para
        row += entry
    return row


class ExerciseIndex(Directive):
    """A table of every exercise, built from the notebooks' metadata, with the workbook zip."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from .exercises import KIND_LABELS, catalogue
        from .modules import course_modules

        env = self.state.document.settings.env
        root = Path(env.srcdir)
        modules = {m.key: m for m in course_modules(root)}
        exercises = catalogue(root)
        for ex in exercises:
            env.note_dependency(str(ex.path))
        intro = nodes.paragraph()
        zip_uri = posixpath.relpath(WORKBOOK_ZIP, posixpath.dirname(env.docname) or ".")
        intro += nodes.Text("Download the whole workbook, every exercise notebook in course order, as one file: ")
        intro += nodes.reference("", "learning-to-fall-workbook.zip", refuri=zip_uri, classes=["workbook-download"])
        intro += nodes.Text(f" ({len(exercises)} notebooks).")
        table = nodes.table(classes=["exercise-index"])
        table += nodes.title(text="Every exercise in the course, in course order")
        group = nodes.tgroup(cols=6)
        table += group
        for width in (34, 18, 18, 8, 10, 12):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(["Exercise", "Module", "Kind", "Minutes", "Setting", "Intensity"])
        group += head
        body = nodes.tbody()
        for ex in exercises:
            module = modules.get(ex.module)
            module_cell = (_doc_link(f"chapters/{ex.module}/index", module.title.split(": ", 1)[-1], env.docname)
                           if module else ex.module)
            body += _row([
                _doc_link(ex.docname, ex.title, env.docname), module_cell,
                KIND_LABELS[ex.meta["kind"]], str(ex.meta["minutes"]), ex.meta["setting"], ex.meta["intensity"],
            ])
        group += body
        return [intro, table]


class MarkdownDirective(Directive):
    """A directive that writes MyST Markdown and lets the parser turn it into nodes."""

    def markdown(self, env: Any) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        from docutils.statemachine import StringList

        from .project import CourseError

        env = self.state.document.settings.env
        try:
            text = self.markdown(env)
        except CourseError as exc:
            raise self.error(str(exc)) from None
        container = nodes.container(classes=[self.name])
        self.state.nested_parse(StringList(text.splitlines(), source=env.docname), self.content_offset, container)
        return [container]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


class ObjectivesMap(MarkdownDirective):
    """Every learning objective, its module, and the exercises that serve it (from their metadata)."""

    def markdown(self, env: Any) -> str:
        from .exercises import catalogue
        from .modules import course_modules

        root = Path(env.srcdir)
        exercises = catalogue(root)
        for ex in exercises:
            env.note_dependency(str(ex.path))
        lines = ["| Module | Objective | Exercises that serve it |", "| --- | --- | --- |"]
        for module in course_modules(root):
            env.note_dependency(str(module.index))
            for n, objective in enumerate(module.objectives, 1):
                serving = [f"{{doc}}`{ex.title} </{ex.docname}>`" for ex in exercises
                           if ex.module == module.key and n in ex.meta["objectives"]]
                lines.append(f"| {{doc}}`{module.title.split(':')[0]} </chapters/{module.key}/index>` "
                             f"| {n}. {_cell(objective)} | {'; '.join(serving) or 'reading and discussion'} |")
        return "\n".join(lines)


class ProgrammeTimetable(MarkdownDirective):
    """A programme format's timetable, filled from the modules' session plans."""

    required_arguments = 1

    def markdown(self, env: Any) -> str:
        from .plans import programme

        root = Path(env.srcdir)
        env.note_dependency(str(root / "instructor" / "formats.yml"))
        title, days = programme(root, self.arguments[0])
        if all(len(day.slots) == 1 and day.slots[0].module for day in days):  # one session a week
            total = sum(day.total for day in days)
            out = [f"**{len(days)} weekly seminars**, {days[0].start} to {days[0].end} each week "
                   f"({total // 60} h {total % 60:02d} min in all)", "",
                   "| Week | Start | Minutes | Session |", "| --- | --- | --- | --- |"]
            for n, day in enumerate(days, 1):
                slot = day.slots[0]
                out.append(f"| {n} | {slot.start} | {slot.minutes} | "
                           f"{{doc}}`{_cell(slot.activity)} </instructor/modules/{slot.module.key}>` |")
            out.append(f"| All | | {total} | Total |")
            return "\n".join(out)
        out = []
        for day in days:
            hours, mins = divmod(day.total, 60)
            out += [f"**{day.name}**, {day.start} to {day.end} ({hours} h {mins:02d} min)", "",
                    "| Start | Minutes | Activity |", "| --- | --- | --- |"]
            for slot in day.slots:
                what = (f"{{doc}}`{_cell(slot.activity)} </instructor/modules/{slot.module.key}>`"
                        if slot.module else _cell(slot.activity))
                out.append(f"| {slot.start} | {slot.minutes} | {what} |")
            out += [f"| {day.end} | {day.total} | Total |", ""]
        return "\n".join(out)


class ContactHours(MarkdownDirective):
    """Seminar contact time and estimated self-study per module, for CPD and credit."""

    def markdown(self, env: Any) -> str:
        from .modules import course_modules
        from .plans import plans, study_hours

        root = Path(env.srcdir)
        session = plans(root)
        lines = ["| Module | Seminar contact (hours) | Estimated self-study (hours) | Total (hours) |",
                 "| --- | --- | --- | --- |"]
        total_contact = total_study = 0.0
        for module in course_modules(root):
            contact, study = session[module.key].stated / 60, study_hours(module)
            total_contact, total_study = total_contact + contact, total_study + study
            lines.append(f"| {_cell(module.title)} | {contact:g} | {study:g} | {contact + study:g} |")
        lines.append(f"| All modules | {total_contact:g} | {total_study:g} | {total_contact + total_study:g} |")
        return "\n".join(lines)


def write_icon_subset(app: Sphinx, exception: Exception | None) -> None:
    """Cut the theme's Font Awesome (a 1.5 MB script and 150 kB fonts) down to the icons the site uses."""
    if exception is None and app.builder.format == "html" and app.config.coursekit_icon_subset:
        from .icons import subset_webfonts, write_subset

        write_subset(Path(app.outdir))
        subset_webfonts(Path(app.outdir))


def write_workbook(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, write the workbook zip the exercise index links to."""
    if exception is None and app.builder.format == "html":
        from .exercises import write_workbook_zip

        write_workbook_zip(Path(app.srcdir), Path(app.outdir) / WORKBOOK_ZIP)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("coursekit_edition", "learner", "env", [str])
    app.add_config_value("coursekit_icon_subset", True, "html", [bool])
    app.connect("doctree-read", add_download_link, priority=100)
    app.connect("env-get-outdated", guard_edition)
    app.connect("html-page-context", adjust_page, priority=900)
    app.connect("build-finished", write_icon_subset)
    app.connect("build-finished", write_workbook)
    app.add_directive("exercise-index", ExerciseIndex)
    app.add_directive("objectives-map", ObjectivesMap)
    app.add_directive("programme-timetable", ProgrammeTimetable)
    app.add_directive("contact-hours", ContactHours)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}

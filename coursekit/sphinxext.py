"""Sphinx extension: exercise download links and the edition guard."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import posixpath

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from pybtex.plugin import register_plugin
import sphinxcontrib.bibtex.plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


class AuthorYearLabels(BaseLabelStyle):
    """Bibliography labels such as 'Sachs 2020', 'Safran & Muran 2000', 'Eubanks et al. 2018a'."""

    def format_labels(self, sorted_entries: Any) -> Any:
        labels = [self._label(entry) for entry in sorted_entries]
        for i, label in enumerate(labels):
            same = [j for j, other in enumerate(labels) if other == label]
            yield label + ("abcdefghij"[same.index(i)] if len(same) > 1 else "")

    @staticmethod
    def _label(entry: Any) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in persons]
        who = names[0] if len(names) == 1 else " & ".join(names) if len(names) == 2 else f"{names[0]} et al." if names else "Anon."
        return f"{who} {entry.fields.get('year', 'n.d.')}"


class AuthorYearStyle(PlainStyle):
    """The plain style, sorted by author and year, labelled author-year."""

    default_label_style = AuthorYearLabels


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYearReferences(AuthorYearReferenceStyle):
    """In-text citations as 'Sachs (2020)' and '(Safran & Muran, 2000; Sachs, 2020)'."""

    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
sphinxcontrib.bibtex.plugin.register_plugin(
    "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferences
)


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


def drop_remote_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Remove the Thebe loader that Jupyter Book always adds: it points at a CDN and the course runs no code."""
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


def write_workbook(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, write the workbook zip the exercise index links to."""
    if exception is None and app.builder.format == "html":
        from .exercises import write_workbook_zip

        write_workbook_zip(Path(app.srcdir), Path(app.outdir) / WORKBOOK_ZIP)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("coursekit_edition", "learner", "env", [str])
    app.connect("doctree-read", add_download_link, priority=100)
    app.connect("env-get-outdated", guard_edition)
    app.connect("html-page-context", drop_remote_scripts, priority=900)
    app.connect("build-finished", write_workbook)
    app.add_directive("exercise-index", ExerciseIndex)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: exercise download links and the edition guard."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("coursekit_edition", "learner", "env", [str])
    app.connect("doctree-read", add_download_link, priority=100)
    app.connect("env-get-outdated", guard_edition)
    app.connect("html-page-context", drop_remote_scripts, priority=900)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension for the course, one module per job:

- ``directives``: module data on the page (content note, study time, objectives), generated tables
  (exercise index, objectives map, session plans, timetables, hours, support contacts), folds,
  answer boxes and the ``{module}`` role;
- ``pages``: module numbers in titles; exercise notebooks rewritten as they are read for the
  edition; the back-link, download and reminders on exercise and vignette pages;
- ``guard``: the learner edition holds nothing from instructor/; links to left-out modules;
- ``html``: fixes to the theme's HTML (assets, list roles, table containers, running heads);
- ``downloads``: notebooks, the workbook zip and the icon subset, after the build.

The author-year citation styles are registered by importing coursekit.citations."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from .. import citations  # noqa: F401  (registers the bibliography and citation styles)
from . import context, directives, downloads, guard, html, nodes, pages


def _edition_tag(app: Sphinx, config: Any) -> None:
    """The edition is a Sphinx tag, so ``{only} instructor`` blocks appear in that edition only.
    (Text about a module the programme may leave out goes in ``{if-module} key`` instead: pages.py.)"""
    app.tags.add(config.coursekit_edition)
    for other in ("learner", "instructor"):
        if other != config.coursekit_edition and app.tags.has(other):
            app.tags.remove(other)


def _static(app: Sphinx) -> None:
    """The course's own scripts and styles, shipped in coursekit/static/."""
    from pathlib import Path

    app.config.html_static_path.append(str(Path(__file__).resolve().parent.parent / "static"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("coursekit_edition", "learner", "env", [str])
    app.add_config_value("coursekit_programme", {}, "env", [dict])
    app.add_config_value("coursekit_icon_subset", True, "html", [bool])
    app.connect("config-inited", _edition_tag)
    app.connect("builder-inited", context.forget)
    app.connect("builder-inited", _static)
    app.add_js_file("drawers.js", loading_method="defer")
    app.add_js_file("workbook.js", loading_method="defer")
    app.add_js_file("offline.js", loading_method="defer")  # every page: reading offline (sw.js, written after the build)
    app.add_js_file("progress.js", loading_method="defer")  # every page: where the trainee is, from this browser
    app.add_js_file("search.js", loading_method="defer")  # the search page: readable snippets
    app.add_css_file("workbook.css")  # from the start, so nothing moves when the script runs
    nodes.register(app)
    directives.register(app)
    pages.register(app)
    guard.register(app)
    html.register(app)
    downloads.register(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

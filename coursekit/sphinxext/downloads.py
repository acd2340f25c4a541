"""Files written beside the pages after a successful HTML build: each exercise's notebook as the
edition offers it, the whole workbook as one zip, and Font Awesome cut to the icons in use."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..exercises import edition_notebook, notebook_bytes, workbook_readme, write_workbook_zip
from .context import course

logger = logging.getLogger("coursekit")


def workbook_name(the_course) -> str:
    return f"{the_course.programme.slug}-workbook.zip"


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Notebooks, workbook zip, catalogue and handouts; a problem is an error, never a traceback."""
    if exception is not None or app.builder.format != "html" or app.builder.name not in ("html", "dirhtml"):
        return
    from ..project import CourseError

    try:
        _write_downloads(app)
    except CourseError as exc:
        for line in str(exc).splitlines():
            logger.error(line)
    except Exception as exc:  # a bug here must still say what failed
        logger.error(f"writing the notebooks, workbook and handouts failed: {type(exc).__name__}: {exc}")


def _write_downloads(app: Sphinx) -> None:
    the_course = course(app)
    edition = app.config.coursekit_edition
    out = Path(app.outdir)
    files = []
    for ex in the_course.exercises:
        content = notebook_bytes(edition_notebook(ex, edition, the_course.course_meta(edition)))
        target = out / f"{ex.docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        files.append((f"{ex.module}-{ex.path.name}", content))
    write_workbook_zip(files, out / "_downloads" / workbook_name(the_course), f"{the_course.programme.slug}-workbook",
                       workbook_readme(the_course.programme.title))
    write_catalogue(the_course, edition, out)
    if edition == "instructor":
        from ..crosswalk import csv_name, outcomes_path, rows, to_csv
        from ..handouts import write_html

        if outcomes_path(the_course.root).is_file():
            for fmt in the_course.formats:
                (out / "_downloads" / csv_name(the_course, fmt)).write_text(to_csv(rows(the_course, fmt)),
                                                                           encoding="utf-8")

        from ..room import write_html as write_room

        made = {h.name for h in write_html(the_course, out)} | {"index"} | set(write_room(the_course, out))
        for docname, name in getattr(app, "_coursekit_handout_links", []):
            if name not in made:
                logger.error(f"{{handout}}: no handout {name!r} (there are: {', '.join(sorted(made))})",
                             location=docname)


def catalogue_data(the_course, edition: str) -> dict:
    """What the workbook script knows of the course: every exercise, its prompts and its files."""
    from ..exercises import KIND_LABELS, prompts

    exercises = []
    for ex in the_course.exercises:
        module = the_course.module(ex.module)
        nb = edition_notebook(ex, edition, the_course.course_meta(edition))
        exercises.append({
            "id": ex.id, "title": ex.title, "module": module.key, "moduleTitle": module.full_title,
            "kind": KIND_LABELS[ex.meta["kind"]], "private": ex.private,
            "page": f"{ex.docname}.html", "notebook": f"{ex.docname}.ipynb",
            "prompts": [{"cell": p.cell, "prompt": p.prompt, "label": p.label, "private": p.private} for p in prompts(nb)],
        })
    return {"course": the_course.course_meta(edition), "edition": edition, "exercises": exercises}


def write_catalogue(the_course, edition: str, out: Path) -> None:
    import json

    target = out / "_static" / "workbook-catalogue.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(catalogue_data(the_course, edition), ensure_ascii=False, indent=1), encoding="utf-8")


def write_icon_subset(app: Sphinx, exception: Exception | None) -> None:
    """Cut the theme's Font Awesome (a 1.5 MB script and 150 kB fonts) down to the icons the site uses."""
    if exception is None and app.builder.format == "html" and app.config.coursekit_icon_subset:
        from ..icons import subset_webfonts, write_subset

        write_subset(Path(app.outdir))
        subset_webfonts(Path(app.outdir))


def write_offline_copy(app: Sphinx, exception: Exception | None) -> None:
    """The offline manifest and service worker, last, when every file of the site is written."""
    if exception is None and app.builder.name == "html":
        from ..offline import write_offline

        write_offline(Path(app.outdir))


def register(app: Sphinx) -> None:
    app.connect("build-finished", write_downloads)
    app.connect("build-finished", write_icon_subset, priority=900)
    app.connect("build-finished", write_offline_copy, priority=950)

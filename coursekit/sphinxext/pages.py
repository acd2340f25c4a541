"""What the build adds to pages: module numbers in titles, and on exercise and vignette pages the
link back to the module, the download, the content-note reminder and the answer boxes.

Exercise notebooks are rewritten as they are read (``source-read``), before MyST-NB parses them:
the learner edition drops what only the person playing the client may know, response cells become
answer boxes, example responses and later case stages are folded, and ``[text](cite:key)`` links
become citations. The notebook files themselves are never changed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..exercises import INSTRUCTOR_ONLY_TAGS, prompt_label
from ..project import CourseError
from . import helpnow
from .context import course, module_of

logger = logging.getLogger("coursekit")
CITE_LINK = re.compile(r"\[([^\]]+)\]\(cite:([A-Za-z0-9_:,\- ]+)\)")
HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
FENCE = "`" * 5


def cite_links(text: str) -> str:
    """``[Sachs (2020)](cite:sachs2020importance)`` becomes a narrative citation, any other link text
    a citation without brackets (the author's own parentheses stay around it)."""

    def swap(m: re.Match[str]) -> str:
        keys = ",".join(k.strip() for k in m.group(2).split(",") if k.strip())
        role = "cite:t" if re.search(r"\(\s*\d{4}", m.group(1)) else "cite:alp"
        return f"{{{role}}}`{keys}`"

    return CITE_LINK.sub(swap, text)


def _split_heading(text: str) -> tuple[str, str]:
    lines = text.strip().splitlines()
    if lines and HEADING.match(lines[0]):
        return HEADING.match(lines[0]).group(1), "\n".join(lines[1:]).strip()
    return "", text.strip()


def _fold(title: str, body: str, cls: str) -> str:
    return f"{FENCE}{{fold}} {title}\n:class: {cls}\n\n{body}\n{FENCE}\n"


IF_MODULE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{if-(?P<kind>module|format)\}\s+(?P<key>[a-z][a-z0-9-]*)\s*$")


def if_module(app: Sphinx, docname: str, source: list[str]) -> None:
    """Keep a ````{if-module} key```` block, headings and all, only when the programme teaches that
    module, and a ````{if-format} key```` block only when it uses that format (done on the text,
    before parsing, so that a left-out block leaves no heading behind)."""
    if ("{if-module}" not in source[0] and "{if-format}" not in source[0]) or \
            not str(app.env.doc2path(docname)).endswith(".md"):
        return
    modules = set((app.config.coursekit_programme or {}).get("modules") or course(app).programme.modules)
    formats = set(course(app).formats) if "{if-format}" in source[0] else set()
    out, stack = [], []
    for line in source[0].splitlines(keepends=True):
        m = IF_MODULE.match(line.rstrip("\n"))
        if m:
            chosen = modules if m.group("kind") == "module" else formats
            stack.append((m.group("fence"), m.group("key") in chosen))
            continue
        if stack and line.strip() == stack[-1][0]:
            stack.pop()
            continue
        if all(keep for _, keep in stack):
            out.append(line)
    source[0] = "".join(out)


def rewrite_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    if not docname.startswith("exercises/") or not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    try:
        nb = json.loads(source[0])
    except ValueError:
        return  # coursekit check names the file; MyST-NB reports it too
    edition = app.config.coursekit_edition
    meta = nb.get("metadata", {}).get("coursekit", {})
    cells, prompt = [], ""
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        cmeta = cell.get("metadata", {}).get("coursekit", {}) or {}
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if tags & INSTRUCTOR_ONLY_TAGS:
            if edition == "learner":
                continue
            brief = cmeta.get("brief", "")
            src = (f"{FENCE}{{admonition}} Client's card{(', brief ' + brief) if brief else ''} "
                   f"(instructor edition only)\n:class: client-card\n\n{src.strip()}\n{FENCE}\n")
        elif "response" in tags and cell.get("cell_type") == "markdown":
            label = prompt_label(prompt).replace("\n", " ")
            private = "\n:private:" if "private" in tags else ""
            span = cmeta.get("words")
            if isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span):
                private += f"\n:words: {span[0]}-{span[1]}"
            src = (f"{FENCE}{{answer-box}}\n:cell: {cell.get('id', '')}\n:exercise: {meta.get('id', '')}\n"
                   f":label: {label}{private}\n{FENCE}\n")
        elif "example" in tags:
            title, body = _split_heading(src)
            src = _fold(f"{title or 'Example responses'} (open after you have tried your own)", body, "example")
        elif "stage" in tags and isinstance(cmeta.get("stage"), int) and cmeta["stage"] > 1:
            title, body = _split_heading(src)
            n = cmeta["stage"]
            src = _fold(f"{title or f'Stage {n}'}: open when you have answered the questions on stage {n - 1}",
                        body, "stage")
        if "response" not in tags and cell.get("cell_type") == "markdown" and not tags & INSTRUCTOR_ONLY_TAGS:
            prompt = cell.get("source", "")
            prompt = "".join(prompt) if isinstance(prompt, list) else prompt
        cell["source"] = cite_links(src)
        cells.append(cell)
    nb["cells"] = cells
    source[0] = json.dumps(nb)


def _reminder(app: Sphinx, docname: str, module_key: str, what: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["content-note-reminder"])
    para += nodes.Text(f"{what} ")
    ref = nodes.reference("", "", internal=True, refuri="")  # pointed at its page in resolve_reminders
    ref["coursekit_target"] = f"chapters/{module_key}/index"
    ref += nodes.Text("the module's content note")
    para += ref
    para += nodes.Text(" has a few steps for grounding and where to take what stirs; if you need someone now, see ")
    para += helpnow.help_reference(docname, "help now", app.env)
    para += nodes.Text(".")
    return para


def _after_title(doctree: nodes.document, new: list[nodes.Node]) -> None:
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    at = 1
    for node in reversed(new):
        section.insert(at, node)


def _handout_line(names: list[tuple[str, str]], lead: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["handout-links"])
    para += nodes.Text(lead)
    for n, (name, title) in enumerate(names):
        if n:
            para += nodes.Text(", " if n < len(names) - 1 else " and ")
        ref = nodes.reference("", "", internal=False, refuri="")
        ref["coursekit_handout"] = name
        ref += nodes.Text(title)
        para += ref
    para += nodes.Text(".")
    return para


def link_handouts(app: Sphinx, doctree: nodes.document, docname: str, key: str) -> None:
    """On a module's instructor notes: the seminar handout at the top, and under each exercise's
    facilitation notes the cards or slips printed for it."""
    from ..handouts import exercise_handouts

    the_course = course(app)
    every = [(f"seminar-{key}", "seminar handout"), ("support-sheet", "grounding and support sheet")]
    for ex in (e for e in the_course.exercises if e.module == key):
        every += [(name, f"{what} for {ex.title}") for name, what in exercise_handouts(ex)]
    _after_title(doctree, [_handout_line(every, "To print for this module: the ")])
    for ex in (e for e in the_course.exercises if e.module == key):
        names = exercise_handouts(ex)
        if not names:
            continue
        for section in doctree.findall(nodes.section):
            title = section.next_node(nodes.title)
            if title is not None and title.astext().replace("’", "'") == ex.title.replace("’", "'"):
                section.insert(1, _handout_line(names, "To print: the "))
                break


def decorate_page(app: Sphinx, doctree: nodes.document) -> None:
    """Module numbers in module titles; the extra lines on exercise and vignette pages; handout links
    on instructor notes."""
    docname = app.env.docname
    key = module_of(docname)
    if key and docname == f"instructor/modules/{key}" and app.config.coursekit_edition == "instructor":
        try:
            link_handouts(app, doctree, docname, key)
        except CourseError as exc:
            logger.error(str(exc).splitlines()[0], location=docname)
        return
    if key is None or not docname.startswith(("chapters/", "exercises/")):
        return
    try:
        the_course = course(app)
        module = the_course.every_module.get(key)
    except CourseError as exc:
        logger.error(str(exc).splitlines()[0], location=docname)
        return
    if module is None:
        return
    app.env.note_dependency(str(module.data_file))
    meta = app.env.metadata.get(docname, {})
    first: list[nodes.Node] = []
    if docname.startswith("chapters/") and meta.get("content_note"):
        first.append(helpnow.page_note(app, docname, key, str(meta["content_note"])))
    elif docname.startswith("chapters/") and meta.get("vignette") and docname != helpnow.GROUNDING_PAGE:
        # (the grounding page's own vignette needs no pointer back to grounding steps)
        first.append(_reminder(app, docname, key, "This page tells a composite story of a therapy in difficulty;"))
    if docname.startswith("chapters/") and docname != f"chapters/{key}/index":
        minutes = _reading_minutes(module, docname, app)
        if minutes:
            line = nodes.paragraph(classes=["reading-time"])
            line += nodes.Text(f"About {minutes} minutes' reading.")
            first.append(line)
    if first:
        _after_title(doctree, first)
    if docname.startswith("exercises/") and str(app.env.doc2path(docname)).endswith(".ipynb"):
        exercise = next((ex for ex in the_course.exercises if ex.docname == docname), None)
        if exercise is None:
            return
        new: list[nodes.Node] = []
        back = nodes.paragraph(classes=["exercise-module"])
        back += nodes.Text("Part of ")
        ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/chapters/{key}/index",
                                    refdoc=docname, refexplicit=True, refwarn=True)
        ref += nodes.inline(text=module.full_title)
        back += ref
        back += nodes.Text(".")
        new.append(back)
        if exercise.meta.get("content_note"):
            new.append(helpnow.page_note(app, docname, key, f"A {exercise.meta['intensity']}-intensity exercise. "
                                                         f"{exercise.meta['content_note']}"))
        elif exercise.meta["intensity"] in ("moderate", "high"):
            new.append(_reminder(app, docname, key, f"A {exercise.meta['intensity']}-intensity exercise:"))
        download = nodes.paragraph(classes=["exercise-download"])
        download += nodes.Text("To work in a notebook editor instead of the boxes below, take ")
        name = exercise.path.name
        blank = f"{exercise.path.stem}-blank.ipynb"  # not the name "Download my answers" gives a filled copy
        download += nodes.raw("", f'<a class="reference download exercise-notebook" href="{name}" download="{blank}">'
                                  'a blank copy of this exercise</a>', format="html")
        download += nodes.Text(" (a notebook file).")
        new.append(download)
        new += _workbook_note(docname)
        _after_title(doctree, new)


def number_module_title(app: Sphinx, doctree: nodes.document) -> None:
    """'Module N: ' before a module's title, N from the programme's order (before Sphinx reads the
    title for the menus, so they show it too)."""
    docname = app.env.docname
    key = module_of(docname)
    if key is None or docname != f"chapters/{key}/index":
        return
    try:
        module = course(app).every_module.get(key)
    except CourseError:
        return  # decorate_page reports it
    title = next(iter(doctree.findall(nodes.title)), None)
    if module is not None and module.number and title is not None:
        title.children = [nodes.Text(f"Module {module.number}: "), *title.children]


def _reading_minutes(module, docname: str, app: Sphinx) -> int:
    """A page's share of its module's reading time (module.yml), by its share of the module's words,
    to the nearest five minutes; the discussion page takes the module's discussion time."""
    from ..modules import words

    if docname.endswith("/discussion"):
        return int(module.study.get("discussion", 0))
    path = Path(app.srcdir) / f"{docname}.md"
    total = module.reading_words()
    if not path.is_file() or not total:
        return 0
    share = module.study["reading"] * words(path.read_text(encoding="utf-8")) / total
    return max(5, int(5 * round(share / 5)))


def _workbook_note(docname: str) -> list[nodes.Node]:
    """Where answers are kept, in one line with a link to the full account, written into the page so that
    nothing moves when the workbook script adds its buttons to the empty .wb-actions paragraph."""
    para = nodes.paragraph()
    para += nodes.strong(text="Saved as you type, in this browser only. ")
    para += nodes.Text("Nothing is sent anywhere; download your answers to keep a copy. ")
    how = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/chapters/orientation/using-the-workbook",
                                refdoc=docname, refexplicit=True, refwarn=True)
    how += nodes.inline(text="What can erase them")
    para += how
    para += nodes.Text(".")
    return [nodes.raw("", '<div class="workbook-note">', format="html"), para,
            nodes.raw("", '<p class="wb-actions"></p></div>', format="html")]


def resolve_reminders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point each reminder at its module's content note, and each handout link at its handout,
    relative to the page being written."""
    import posixpath

    for ref in doctree.findall(nodes.reference):
        handout = ref.get("coursekit_handout")
        if handout:
            # handouts to print, or the room/ pages to project
            path = f"{handout}.html" if handout.startswith("room/") else f"handouts/{handout}.html"
            ref["refuri"] = posixpath.relpath(path, posixpath.dirname(docname) or ".")
            links = getattr(app, "_coursekit_handout_links", None)
            if links is None:
                links = app._coursekit_handout_links = []  # type: ignore[attr-defined]
            links.append((docname, handout))
            continue
        target = ref.get("coursekit_target")
        if target:
            if target in app.env.all_docs:
                ref["refuri"] = app.builder.get_relative_uri(docname, target) + "#content-note"
            else:
                ref.replace_self(nodes.Text(ref.astext()))


def register(app: Sphinx) -> None:
    app.connect("source-read", rewrite_notebook)
    app.connect("source-read", if_module)
    app.connect("doctree-read", number_module_title, priority=400)  # before the title is collected
    app.connect("doctree-read", decorate_page, priority=600)  # after the front matter is
    app.connect("doctree-resolved", resolve_reminders)

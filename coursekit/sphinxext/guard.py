"""The learner edition's guard: no page of it may depend on a file under instructor/.

Checked while each page is read, with the page and line: downloads, images and figures in the
doctree, and include/literalinclude before they read the file. A last check after reading looks
at everything Sphinx recorded (env.dependencies, env.dlfiles, env.images). Also here: links to a
module the programme leaves out become plain text saying so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .context import course, module_of

logger = logging.getLogger("coursekit")
MESSAGE = "the learner edition must not hold instructor material: {what} {target!r}"
INSTRUCTOR_TARGETS = {"include": "include of", "literalinclude": "literalinclude of", "image": "image",
                      "figure": "figure", "download": "download of"}


def _instructor_path(app: Sphinx, docname: str, target: str) -> bool:
    """Whether a path written on page ``docname`` points into instructor/."""
    if not target or "://" in target:
        return False
    src = Path(app.srcdir)
    base = src if target.startswith("/") else Path(app.env.doc2path(docname)).parent
    resolved = (base / target.lstrip("/")).resolve()
    return resolved.is_relative_to((src / "instructor").resolve())


def _learner(app: Sphinx) -> bool:
    return app.config.coursekit_edition == "learner"


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Includes, downloads, images and figures of instructor files, found in a learner page's
    Markdown before it is parsed (MyST reads included files itself), with the page and line."""
    if not _learner(app) or not str(app.env.doc2path(docname)).endswith(".md"):
        return
    from ..markdown import scan

    lines = source[0].split("\n")
    for found in scan(source[0]):
        if found.kind in ("directive", "role") and found.name in INSTRUCTOR_TARGETS:
            target = found.content.rsplit("<", 1)[-1].rstrip(">").strip() if found.kind == "role" else found.content
            if _instructor_path(app, docname, target.strip()):
                logger.error(MESSAGE.format(what=INSTRUCTOR_TARGETS[found.name], target=target.strip()),
                             location=(docname, found.line))
                if found.kind == "directive":
                    _blank_block(lines, found.line - 1)  # so that even a failed build never shows it
    source[0] = "\n".join(lines)


def _blank_block(lines: list[str], start: int) -> None:
    """Blank a fenced directive block from its opening line to its closing fence (line numbers kept)."""
    fence = lines[start].strip().split("{", 1)[0]
    end = next((n for n in range(start + 1, len(lines)) if lines[n].strip() == fence), start)
    for n in range(start, end + 1):
        lines[n] = ""


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """Downloads, images and figures of a learner page that point into instructor/."""
    if not _learner(app):
        return
    docname = app.env.docname
    for node in doctree.findall():
        target, what = None, None
        if isinstance(node, addnodes.download_reference):
            target, what = node.get("reftarget"), "download of"
        elif isinstance(node, nodes.image):
            target, what = node.get("uri"), "image"
        elif isinstance(node, nodes.reference) and node.get("refuri", "").lstrip("./").startswith("instructor/"):
            target, what = node.get("refuri"), "link to"
        if target and (what == "link to" or _instructor_path(app, docname, target)):
            logger.error(MESSAGE.format(what=what, target=target), location=node)


def check_environment(app: Sphinx, env: Any) -> None:
    """Everything Sphinx recorded for the learner edition's pages, once all are read."""
    if not _learner(app):
        return
    instructor = (Path(app.srcdir) / "instructor").resolve()
    for docname in sorted(env.found_docs):
        if docname.startswith("instructor/"):
            logger.error("the learner edition must not read instructor pages", location=docname)
        for dep in env.dependencies.get(docname, ()):
            path = (Path(app.srcdir) / dep).resolve()
            if path.is_relative_to(instructor):
                logger.error(MESSAGE.format(what="a dependency on", target=str(dep)), location=docname)
    # reported once per page where the page was read; here they are also kept out of the output,
    # so that even a failed build never copies them
    for store in (env.dlfiles, env.images):
        for target in [t for t in store if (Path(app.srcdir) / t).resolve().is_relative_to(instructor)]:
            docs, _dest = store[target]
            if not any(d for d in docs):
                continue
            del store[target]


def left_out_reference(app: Sphinx, env: Any, node: addnodes.pending_xref, contnode: nodes.Node) -> nodes.Node | None:
    """A link to a page of a module the programme leaves out: plain text saying so, not a broken link."""
    if node.get("reftype") != "doc":
        return None
    target = node.get("reftarget", "").strip("/")
    key = module_of(target)
    if key is None:
        return None
    try:
        module = course(app).every_module.get(key)
    except Exception:
        return None
    if module is None or module.number is not None:
        return None
    text = contnode.astext()
    if not node.get("refexplicit"):  # a bare {doc} link: name the page by its own title
        text = _source_title(app, target) or text
    return nodes.inline("", f"{text} (in {module.title}, which is not part of this programme)", classes=["left-out"])


def _source_title(app: Sphinx, docname: str) -> str | None:
    from ..markdown import headings, plain

    for suffix in (".md", ".ipynb"):
        path = Path(app.srcdir) / f"{docname}{suffix}"
        if path.is_file() and suffix == ".md":
            found = headings(path.read_text(encoding="utf-8"), 1)
            return plain(found[0][1]) if found else None
        if path.is_file():
            import json

            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("coursekit", {})
            return meta.get("title")
    return None


def register(app: Sphinx) -> None:
    app.connect("source-read", check_source)
    app.connect("doctree-read", check_page)
    app.connect("env-check-consistency", check_environment)
    app.connect("missing-reference", left_out_reference)

"""Validate the course sources without building them: every problem as ``file:line: message``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pybtex.database import parse_file
from pybtex.scanner import PybtexError
from sphinx.util.matching import Matcher

from . import markdown, notebooks
from . import programme as programme_mod
from .modules import Module, objective_problems, read_module, structure_problems, toc_modules
from .plans import read_formats, read_plans
from .project import CourseError, Problem, content_files, doc_path, load_yaml, toc_entries

EDITION_TAGS = {"learner", "instructor"}
MODULE_NUMBER = re.compile(r"\bModules? \d")


def bib_keys(bib: Path) -> set[str]:
    """The entry keys of a BibTeX file, read by pybtex (the parser the build uses)."""
    try:
        return set(parse_file(str(bib), bib_format="bibtex").entries.keys())
    except PybtexError as exc:
        raise CourseError(f"{bib}: not valid BibTeX ({exc})") from None


def _rel(root: Path, path: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def toc_problems(root: Path) -> tuple[list[Problem], set[Path]]:
    """Broken entries in both tocs, and the set of files the tocs do list."""
    problems: list[Problem] = []
    listed: set[Path] = set()
    for toc, edition in ((root / "_toc.yml", "learner"), (root / "instructor" / "_toc.yml", "instructor")):
        if not toc.is_file():
            problems.append(Problem(_rel(root, toc), None, "toc file is missing"))
            continue
        try:
            entries = toc_entries(toc)
        except CourseError as exc:
            problems.append(Problem(_rel(root, toc), None, str(exc).split(": ", 1)[-1]))
            continue
        for entry in entries:
            path = doc_path(root, entry.docname)
            where = _rel(root, toc)
            if path is None:
                problems.append(Problem(where, entry.line,
                                        f"toc entry '{entry.docname}' has no file (looked for .md and .ipynb)"))
                continue
            if path in listed:
                problems.append(Problem(where, entry.line, f"'{entry.docname}' is listed twice"))
            listed.add(path)
            in_instructor = entry.docname.strip("/").startswith("instructor/")
            if edition == "learner" and in_instructor:
                problems.append(Problem(where, entry.line,
                                        f"'{entry.docname}' is instructor material: list it in instructor/_toc.yml"))
            if edition == "instructor" and not in_instructor:
                problems.append(Problem(where, entry.line,
                                        f"'{entry.docname}' is outside instructor/: list it in _toc.yml"))
    return problems, listed


def excluded(root: Path) -> Matcher:
    """Matches the paths that both editions deliberately leave out of the book."""
    from .editions import merge

    learner = load_yaml(root / "_config.yml") or {}
    instructor = merge(learner, load_yaml(root / "instructor" / "_config.yml") or {})
    return Matcher(list(instructor.get("exclude_patterns", [])) + ["_build", "**.ipynb_checkpoints"])


def _lines_of(root: Path, path: Path) -> list[tuple[int | None, str]]:
    """A page as one text (line numbers its own), or a notebook as one text per cell (no lines)."""
    if path.suffix == ".ipynb":
        nb, fatal = notebooks.read(path)
        return [] if fatal or nb is None else [(None, notebooks.text(c)) for c in nb.cells]
    return [(0, path.read_text(encoding="utf-8"))]


def _unknown_tags(expression: str) -> set[str]:
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression)) - {"and", "or", "not"}
    return names - EDITION_TAGS if names else {"(empty)"}


def page_problems(root: Path, path: Path, keys: set[str], modules: set[str] = frozenset()) -> list[Problem]:
    """Citations, comments, instructor links, {only} tags and module numbers in one page or notebook."""
    rel = _rel(root, path)
    learner_side = not rel.startswith("instructor/")
    problems = []
    for base, text in _lines_of(root, path):
        line = (lambda n: n) if base is not None else (lambda n: None)  # noqa: E731
        for key, n in markdown.cite_keys(text):
            if key not in keys:
                problems.append(Problem(rel, line(n), f"unknown cite key '{key}' (not in references.bib)"))
        for found in markdown.scan(text):
            if found.kind == "comment" and learner_side:
                problems.append(Problem(rel, line(found.line), "an HTML comment would be published in the page's HTML "
                                                               "(learners can read it with 'view source'): remove it"))
            elif found.kind == "directive" and found.name == "only" and _unknown_tags(found.content):
                problems.append(Problem(rel, line(found.line), f"{{only}} {found.content.strip()!r}: use 'learner' or "
                                                               "'instructor' (the edition is a Sphinx tag; for a module "
                                                               "a programme may leave out, use {if-module} KEY)"))
            elif found.kind == "directive" and found.name == "if-module" and found.content.strip() not in modules:
                problems.append(Problem(rel, line(found.line), f"{{if-module}}: no module {found.content.strip()!r}"))
            elif found.kind == "directive" and found.name == "if-format" and \
                    found.content.strip() not in programme_mod.format_keys(root / "instructor" / "formats.yml"):
                problems.append(Problem(rel, line(found.line), f"{{if-format}}: no format {found.content.strip()!r} "
                                                               "in instructor/formats.yml"))
            elif learner_side and found.kind in ("role", "directive") and found.name in (
                    "download", "include", "literalinclude", "image", "figure") and "instructor/" in found.content:
                problems.append(Problem(rel, line(found.line), f"{{{found.name}}} of instructor material in a learner "
                                                               "page: the learner edition must not hold it"))
            elif found.kind == "link" and found.name.lstrip("./").startswith("instructor/") and learner_side:
                problems.append(Problem(rel, line(found.line), "a link to instructor material in a learner page"))
        if path.suffix == ".md":
            for n, row in enumerate(_prose_lines(text), 1):
                if MODULE_NUMBER.search(row):
                    problems.append(Problem(rel, n, "a module number in prose: programmes reorder modules, so "
                                                    "name a module with {module}`key` instead"))
    return problems


def _prose_lines(text: str) -> list[str]:
    """The page's lines with roles, code and directive lines blanked (for the module-number rule)."""
    out, fence = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            out.append("")
            continue
        if stripped.startswith(("```", "~~~")) and not stripped[3:].lstrip().startswith("{"):
            fence = stripped[:3]
            out.append("")
            continue
        out.append(re.sub(r"\{[a-z:-]+\}`[^`]*`|`[^`]*`", "", line))
    return out


def notebook_problems(root: Path, path: Path, modules: dict[str, Module]) -> list[Problem]:
    """Everything wrong with one notebook: validity and, under exercises/, the exercise rules."""
    rel = _rel(root, path)
    nb, fatal = notebooks.read(path)
    if nb is None:
        return [Problem(rel, line, msg) for line, msg in fatal]
    if not rel.startswith("exercises/"):
        return []
    meta = nb.metadata.get(notebooks.METADATA_KEY)
    msgs = notebooks.metadata_problems(meta) + notebooks.course_copy_problems(nb)
    if isinstance(meta, dict) and isinstance(meta.get("module"), str):
        module = meta["module"]
        folder = Path(rel).parts[1] if len(Path(rel).parts) > 2 else None
        if folder != module:
            msgs.append(f"metadata module '{module}' but the notebook is in exercises/{folder}/")
        if module not in modules:
            msgs.append(f"metadata module '{module}' is not a module (no chapters/{module}/module.yml in _toc.yml)")
        else:
            top = len(modules[module].objectives)
            for n in meta.get("objectives", []) if isinstance(meta.get("objectives"), list) else []:
                if isinstance(n, int) and n > top:
                    msgs.append(f"metadata objectives: module '{module}' has {top} objectives, no number {n}")
        if isinstance(meta.get("id"), str) and meta["id"] != path.stem:
            msgs.append(f"metadata id {meta['id']!r} differs from the file name {path.stem!r}: keep them the same "
                        "(rename neither: saved answers are matched by id)")
    return [Problem(rel, None, m) for m in msgs]


def omitted_references(root: Path, programme: Any, files: list[Path]) -> list[Problem]:
    """Links from the programme's pages to modules it leaves out (they become plain text)."""
    left_out = {k for k in toc_modules(root) if k not in programme.modules}
    out = []
    for path in files:
        rel = _rel(root, path)
        parts = Path(rel).parts
        if len(parts) > 2 and parts[0] in ("chapters", "exercises") and parts[1] in left_out:
            continue
        if len(parts) > 2 and parts[:2] == ("instructor", "modules") and Path(rel).stem in left_out:
            continue
        for base, text in _lines_of(root, path):
            for f in markdown.scan(text):
                target = None
                if f.kind == "role" and f.name == "doc":
                    target = f.content.rsplit("<", 1)[-1].rstrip(">").strip().strip("/")
                elif f.kind == "role" and f.name == "module":
                    target = f"chapters/{f.content.strip()}/index"
                if target:
                    bits = target.split("/")
                    key = bits[2] if bits[:2] == ["instructor", "modules"] else (bits[1] if len(bits) > 1 else "")
                    if (bits[0] in ("chapters", "exercises") or bits[:2] == ["instructor", "modules"]) and key in left_out:
                        out.append(Problem(rel, f.line if base is not None else None,
                                           f"points to {key!r}, which this programme leaves out: shown as plain text"))
    return out


def check(root: Path, programme_file: Path | str | None = None) -> tuple[list[Problem], list[Problem]]:
    """All problems in the course sources, in a stable order, and notes (things the build handles)."""
    from .exercises import catalogue

    problems, listed = toc_problems(root)
    try:
        skip = excluded(root)
    except CourseError as exc:
        return problems + [Problem("_config.yml", None, str(exc).split(": ", 1)[-1])], []
    files = [p for p in content_files(root) if not skip(_rel(root, p))]
    problems += [Problem(_rel(root, p), 1, "is in no toc and not excluded: add it to a toc or to exclude_patterns")
                 for p in files if p not in listed]
    keys: set[str] = set()
    bib = root / "references.bib"
    if not bib.is_file():
        problems.append(Problem("references.bib", None, "bibliography file is missing"))
    else:
        try:
            keys = bib_keys(bib)
        except CourseError as exc:
            problems.append(Problem("references.bib", None, str(exc).split(": ", 1)[-1]))
    instructor_pages = [p for p in content_files(root) if _rel(root, p).startswith("instructor/")]
    modules: dict[str, Module] = {}
    try:
        toc = toc_modules(root)
    except CourseError:
        toc = {}  # the malformed toc is already reported
    for path in files + [p for p in instructor_pages if p not in files]:
        problems += page_problems(root, path, keys, set(toc))
    for key, docs in toc.items():
        module, found = read_module(root, key, docs)
        problems += found
        if module:
            modules[key] = module
    for path in files:
        if path.suffix == ".ipynb":
            problems += notebook_problems(root, path, modules)
    exercises_by_module: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "exercises").glob("*/*.ipynb")):
        nb, _ = notebooks.read(path)
        meta = nb.metadata.get(notebooks.METADATA_KEY) if nb is not None else None
        if isinstance(meta, dict) and isinstance(meta.get("id"), str):
            exercises_by_module.setdefault(path.parent.name, {})[meta["id"]] = meta
    for key, module in modules.items():
        problems += structure_problems(root, module)
        objectives = [m.get("objectives") for m in exercises_by_module.get(key, {}).values()]
        problems += objective_problems(root, module, [o for o in objectives if isinstance(o, list)])
        _, found = read_plans(root, key, exercises_by_module.get(key, {}), len(module.questions))
        problems += found
    _, found = read_formats(root, set(modules))
    problems += found
    from .crosswalk import outcomes_path, read_outcomes

    if outcomes_path(root).is_file():
        _, found = read_outcomes(root, {k: len(m.objectives) for k, m in modules.items()})
        problems += found
    programme, found = programme_mod.read(root, programme_file)
    problems += found
    notes: list[Problem] = []
    if programme is not None and not problems:
        try:
            catalogue(root, programme)
        except CourseError as exc:
            problems += [Problem(*_split_problem(line)) for line in str(exc).splitlines()]
        # a page can be both in the toc and under instructor/: each note once
        notes = list(dict.fromkeys(omitted_references(root, programme, list(dict.fromkeys(files + instructor_pages)))))
    return problems, notes


def _split_problem(line: str) -> tuple[str, int | None, str]:
    where, _, message = line.partition(": ")
    path, _, number = where.partition(":")
    return path, int(number) if number.isdigit() else None, message

"""Validate the course sources without building them."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util.matching import Matcher

from . import notebooks
from .modules import CITE, course_modules, read_module, structure_problems
from .project import CourseError, Problem, content_files, doc_path, load_yaml, toc_entries

BIB_KEY = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", re.M)


def bib_keys(bib: Path) -> set[str]:
    """The entry keys of a BibTeX file."""
    return set(BIB_KEY.findall(bib.read_text(encoding="utf-8")))


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


def coverage_problems(root: Path, listed: set[Path], files: list[Path]) -> list[Problem]:
    """Content files that no toc lists (``files`` are those no edition excludes)."""
    return [
        Problem(_rel(root, path), 1, "is in no toc and not excluded: add it to a toc or to exclude_patterns")
        for path in files
        if path not in listed
    ]


def citation_problems(root: Path, files: list[Path], keys: set[str]) -> list[Problem]:
    """Cite keys that the bibliography does not hold, with file and line."""
    problems = []
    for path in files:
        if path.suffix == ".ipynb":
            nb, fatal = notebooks.read(path)
            lines = [] if fatal else "\n".join(c.source for c in nb.cells).splitlines()
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
        for no, line in enumerate(lines, 1):
            for group in CITE.findall(line):
                for key in (k.strip() for k in group.split(",")):
                    if key and key not in keys:
                        where = None if path.suffix == ".ipynb" else no
                        problems.append(Problem(_rel(root, path), where,
                                                f"unknown cite key '{key}' (not in references.bib)"))
    return problems


def notebook_problems(root: Path, path: Path, module_objectives: dict[str, int]) -> list[Problem]:
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
        if module not in module_objectives:
            msgs.append(f"metadata module '{module}' is not a module (no chapters/{module}/index.md)")
        else:
            top = module_objectives[module]
            for n in meta.get("objectives", []) if isinstance(meta.get("objectives"), list) else []:
                if isinstance(n, int) and n > top:
                    msgs.append(f"metadata objectives: module '{module}' has {top} objectives, no number {n}")
    return [Problem(rel, None, m) for m in msgs]


def check(root: Path) -> list[Problem]:
    """All problems in the course sources, in a stable order."""
    problems, listed = toc_problems(root)
    try:
        skip = excluded(root)
    except CourseError as exc:
        return problems + [Problem("_config.yml", None, str(exc).split(": ", 1)[-1])]
    files = [p for p in content_files(root) if not skip(_rel(root, p))]
    problems += coverage_problems(root, listed, files)
    bib = root / "references.bib"
    if not bib.is_file():
        problems.append(Problem("references.bib", None, "bibliography file is missing"))
    else:
        problems += citation_problems(root, files, bib_keys(bib))
    objectives = {
        folder.name: len(read_module(folder).objectives)
        for folder in sorted((root / "chapters").glob("*/"))
        if (folder / "index.md").is_file()
    }
    for path in files:
        if path.suffix == ".ipynb":
            problems += notebook_problems(root, path, objectives)
    try:
        modules = course_modules(root)
    except CourseError:
        modules = []  # the malformed toc is already reported
    for module in modules:
        problems += structure_problems(root, module)
    return problems

"""Where things are in a course checkout, and how its YAML files are read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is there: several times faster

CONTENT_SUFFIXES = (".md", ".ipynb")


class CourseError(Exception):
    """A problem with the course sources, already phrased for the person who must fix it."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a source file, printed as ``file:line: message``."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TocEntry:
    """A ``file:`` or ``root:`` entry of a toc, with the line it stands on."""

    toc: Path
    line: int
    docname: str


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``_config.yml`` and ``_toc.yml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "_toc.yml").is_file():
            return folder
    raise CourseError(f"{here}: not inside a course (no _config.yml and _toc.yml found above it)")


def yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """A YAML parse error as (line, message), the message saying how to mend the commonest mistakes."""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    line = mark.line + 1 if mark else None
    if "mapping values are not allowed" in problem:
        return line, ("not valid YAML: a value that contains ': ' must be in quotes, "
                      'such as title: "Failure: an introduction"')
    if "quoted scalar" in context and context_mark is not None:
        return context_mark.line + 1, ("not valid YAML: the quote that opens on this line is never closed "
                                       "(close it with the same kind of quote)")
    if "cannot start any token" in problem and "\t" in problem:
        return line, "not valid YAML: a tab; indent with spaces"
    return line, f"not valid YAML ({problem})"


def load_yaml(path: Path) -> Any:
    """Parse a YAML file, naming the file and line when it is malformed."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        raise CourseError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        line, text = yaml_problem(exc)
        raise CourseError(f"{path}{f':{line}' if line else ''}: {text}") from None


def toc_entries(toc: Path) -> list[TocEntry]:
    """Every ``root:`` and ``file:`` entry in a toc file, in order, with line numbers."""
    try:
        node = yaml.compose(toc.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        line, text = yaml_problem(exc)
        raise CourseError(f"{toc}{f':{line}' if line else ''}: {text}") from None
    found: list[TocEntry] = []

    def walk(n: yaml.Node) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if key.value in ("root", "file") and isinstance(value, yaml.ScalarNode):
                    found.append(TocEntry(toc, value.start_mark.line + 1, str(value.value)))
                else:
                    walk(value)
        elif isinstance(n, yaml.SequenceNode):
            for item in n.value:
                walk(item)

    if node is not None:
        walk(node)
    return found


def doc_path(root: Path, docname: str) -> Path | None:
    """The source file behind a toc docname, or None when there is none."""
    name = docname.strip("/")
    for suffix in ("", *CONTENT_SUFFIXES):
        candidate = root / f"{name}{suffix}" if suffix else root / name
        if candidate.is_file() and candidate.suffix in CONTENT_SUFFIXES:
            return candidate
    return None


SKIP_DIRS = {"_build", ".venv", ".git", ".pytest_cache", "node_modules", ".ipynb_checkpoints", "__pycache__"}


def source_files(root: Path) -> list[Path]:
    """The files of the course a fresh clone would have: git's list (tracked, and untracked files
    git does not ignore) when the course is a git checkout, else a walk that skips build folders."""
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                             capture_output=True, check=True, timeout=30).stdout.decode("utf-8", "replace")
        files = [root / p for p in out.split("\0") if p]
        return sorted(p for p in files if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(root).parts))
    except (OSError, subprocess.SubprocessError):
        return sorted(p for p in root.rglob("*")
                      if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(root).parts))


def content_files(root: Path) -> list[Path]:
    """Every Markdown page and notebook of the course, build and tool folders left out."""
    return [p for p in source_files(root) if p.suffix in CONTENT_SUFFIXES]

"""Exercise notebooks: reading them safely and checking them against the course's rules."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import nbformat

METADATA_KEY = "coursekit"
RESPONSE_TAG = "response"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema for exercise metadata, shipped inside the package."""
    return json.loads(resources.files("coursekit").joinpath("exercise.schema.json").read_text("utf-8"))


def read(path: Path) -> tuple[nbformat.NotebookNode | None, list[tuple[int | None, str]]]:
    """Read a notebook without changing it; return it (or None) and its fatal problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [(None, "cannot be read: not UTF-8 text")]
    except OSError as exc:
        return None, [(None, f"cannot be read: {exc.strerror}")]
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [(exc.lineno, f"not a notebook: invalid JSON ({exc.msg}, column {exc.colno})")]
    if not isinstance(raw, dict) or "cells" not in raw or "nbformat" not in raw:
        return None, [(None, "not a notebook: no 'cells' or 'nbformat' field")]
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        where = "/".join(str(p) for p in exc.path) if getattr(exc, "path", None) else "notebook"
        return None, [(None, f"not a valid notebook ({where}: {exc.message})")]
    except Exception as exc:  # nbformat raises several types for foreign files
        return None, [(None, f"not a valid notebook ({exc})")]
    return nb, []


def is_response(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is one the trainee writes in."""
    return RESPONSE_TAG in cell.get("metadata", {}).get("tags", [])


def metadata_problems(meta: Any) -> list[str]:
    """Schema violations of an exercise's metadata, each naming the field."""
    if meta is None:
        return [f"metadata '{METADATA_KEY}' is missing (title, module, kind, minutes, setting, intensity, objectives)"]
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for err in sorted(validator.iter_errors(meta), key=lambda e: list(e.path)):
        field = ".".join(str(p) for p in err.path)
        where = f"{METADATA_KEY}.{field}" if field else METADATA_KEY
        problems.append(f"metadata {where}: {err.message}")
    return problems


def course_copy_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Rules for the course's own copy: Markdown only, empty response cells, a titled first cell."""
    problems = []
    responses = 0
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "markdown":
            extra = " with stored outputs" if cell.get("outputs") else ""
            problems.append(f"cell {i} is a {cell.cell_type} cell{extra}; exercises hold Markdown cells only")
        if is_response(cell):
            responses += 1
            if cell.source.strip():
                problems.append(f"cell {i} is a response cell but is not empty in the course's copy")
    if responses == 0:
        problems.append(f"no response cell: tag the cells trainees write in with '{RESPONSE_TAG}'")
    first = nb.cells[0].source.lstrip() if nb.cells else ""
    title = nb.metadata.get(METADATA_KEY, {}).get("title") if isinstance(nb.metadata.get(METADATA_KEY), dict) else None
    if not first.startswith("# "):
        problems.append("cell 1 must start with a '# ' heading: the exercise's title")
    elif title and first.splitlines()[0][2:].strip() != title:
        problems.append(f"cell 1 heading {first.splitlines()[0][2:].strip()!r} differs from metadata title {title!r}")
    return problems

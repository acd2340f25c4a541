"""Exercise notebooks: reading them safely and checking them against the course's rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import nbformat

METADATA_KEY = "coursekit"
RESPONSE_TAG = "response"


TAGS = {"response", "private", "example", "statement", "criteria", "stage", "brief", "client-only", "observer"}
# "private" marks a response cell whose answer stays with the trainee (a code word, a checklist, a stop-point
# rating, disguise notes): every portfolio and export leaves it out; only the trainee's own backup keeps it.
PRIVATE_TAG = "private"
LEVELS = ("beginner", "intermediate", "advanced")


def schema() -> dict[str, Any]:
    """The JSON Schema for exercise metadata, shipped inside the package."""
    from .data import schema as load_schema

    return load_schema("exercise")


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


def tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def cell_meta(cell: nbformat.NotebookNode) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get(METADATA_KEY, {})
    return meta if isinstance(meta, dict) else {}


def text(cell: nbformat.NotebookNode) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def is_response(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is one the trainee writes in."""
    return RESPONSE_TAG in tags(cell)


def metadata_problems(meta: Any) -> list[str]:
    """Schema violations of an exercise's metadata, each naming the field."""
    from .data import message

    if meta is None:
        return [f"metadata '{METADATA_KEY}' is missing (id, title, module, kind, minutes, setting, intensity, objectives)"]
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for err in sorted(validator.iter_errors(meta), key=lambda e: [str(p) for p in e.path]):
        text = message(err)
        problems.append(f"metadata {METADATA_KEY}.{text}" if err.path else f"metadata {METADATA_KEY}: {text}")
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
        problems += _tag_problems(nb, i, cell)
    if responses == 0:
        problems.append(f"no response cell: tag the cells trainees write in with '{RESPONSE_TAG}'")
    first = nb.cells[0].source.lstrip() if nb.cells else ""
    title = nb.metadata.get(METADATA_KEY, {}).get("title") if isinstance(nb.metadata.get(METADATA_KEY), dict) else None
    if not first.startswith("# "):
        problems.append("cell 1 must start with a '# ' heading: the exercise's title")
    elif title and first.splitlines()[0][2:].strip() != title:
        problems.append(f"cell 1 heading {first.splitlines()[0][2:].strip()!r} differs from metadata title {title!r}")
    return problems


def _tag_problems(nb: nbformat.NotebookNode, i: int, cell: nbformat.NotebookNode) -> list[str]:
    """The rules the printed handouts and the web page rely on, for one cell (numbered from 1)."""
    found = tags(cell)
    meta = cell_meta(cell)
    problems = [f"cell {i} has an unknown tag {t!r} (known: {', '.join(sorted(TAGS))})"
                for t in sorted(found - TAGS) if not t.startswith(("hide", "remove"))]
    if "private" in found and "response" not in found:
        problems.append(f"cell {i} is tagged 'private' but is not a 'response' cell: only answers can be private")
    if "statement" in found:
        if meta.get("level") not in LEVELS:
            problems.append(f"cell {i} is a drill statement without coursekit.level ({' | '.join(LEVELS)})")
        nxt = nb.cells[i] if i < len(nb.cells) else None
        if nxt is None or "example" not in tags(nxt):
            problems.append(f"cell {i} is a drill statement not followed by its 'example' cell")
    if "stage" in found and not isinstance(meta.get("stage"), int):
        problems.append(f"cell {i} is a case stage without a whole-number coursekit.stage")
    if found & {"brief", "client-only"} and not meta.get("brief"):
        problems.append(f"cell {i} is part of a role-play brief without coursekit.brief (such as \"A\")")
    if "{doc}`" in text(cell) or "{cite" in text(cell) or "{term}`" in text(cell):
        problems.append(f"cell {i} uses a MyST role, which a notebook editor shows as raw text: "
                        "name pages in words, and cite with a [text](cite:key) link")
    return problems

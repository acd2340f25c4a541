"""Data files (YAML) read against their JSON Schemas, with every problem as ``file:line: message``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .project import YAML_LOADER, CourseError, Problem, yaml_problem


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in coursekit/schemas/ (``module``, ``plans``, ``formats``, ...)."""
    return json.loads(resources.files("coursekit").joinpath("schemas", f"{name}.schema.json").read_text("utf-8"))


def _line(node: yaml.Node | None, path: list[Any]) -> int:
    """The line of the value at ``path`` inside a composed YAML node (1-based)."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    node, line = v, k.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _duplicate(items: list[Any]) -> tuple[int, int] | None:
    """(first, second) positions of the first value a list holds twice."""
    seen: dict[str, int] = {}
    for n, item in enumerate(items):
        key = json.dumps(item, sort_keys=True, default=str)
        if key in seen:
            return seen[key], n
        seen[key] = n
    return None


def _where(err: jsonschema.ValidationError) -> list[Any]:
    """Where to point: the value itself, or for a repeated list item the repeat's own line."""
    path = list(err.absolute_path)
    if err.validator == "uniqueItems" and isinstance(err.instance, list):
        found = _duplicate(err.instance)
        if found:
            path.append(found[1])
    return path


def _node_at(node: yaml.Node | None, path: list[Any]) -> yaml.Node | None:
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return None
    return node


def message(err: jsonschema.ValidationError, node: yaml.Node | None = None) -> str:
    """A validation error in words a course author can act on (``node``: the document, to quote the
    value as it was written)."""
    where = ".".join(str(p) for p in err.absolute_path)
    custom = err.schema.get("x-message") if isinstance(err.schema, dict) else None
    key = str(err.absolute_path[-1]) if err.absolute_path else "value"
    if (err.validator == "type" and err.validator_value == "string" and isinstance(err.instance, (int, float))
            and not isinstance(err.instance, bool)):
        found = _node_at(node, list(err.absolute_path))
        written = found.value if isinstance(found, yaml.ScalarNode) else str(err.instance)
        text = f'{written} is read as a number: put it in quotes, {key}: "{written}"'
        if str(err.instance) != written:
            text += f" (unquoted it means {err.instance!r})"
    elif err.validator == "uniqueItems" and isinstance(err.instance, list) and _duplicate(err.instance):
        first, second = _duplicate(err.instance)
        text = f"{err.instance[second]!r} is listed twice (items {first + 1} and {second + 1}): keep one"
    elif custom and err.validator not in ("required", "additionalProperties"):
        text = f"{err.instance!r} is not {custom}"
    elif err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        text = f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))} (allowed: {allowed})"
    elif err.validator == "required":
        text = err.message.replace(" is a required property", " is missing")
    elif err.validator == "enum":
        text = f"{err.instance!r} is not one of {', '.join(map(repr, err.validator_value))}"
    else:
        text = err.message
    return f"{where}: {text}" if where else text


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML document as a node (for line numbers) and as data, from one parse."""
    loader = YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def read(path: Path, schema_name: str, root: Path | None = None) -> tuple[Any, list[Problem]]:
    """Parse and validate a YAML data file: its data (None when unusable) and its problems."""
    rel = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(rel, None, "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(rel, None, f"cannot be read ({exc})")]
    try:
        node, data = _parse(text)
    except yaml.YAMLError as exc:
        return None, [Problem(rel, *yaml_problem(exc))]
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    problems = sorted((Problem(rel, _line(node, _where(err)), message(err, node))
                       for err in validator.iter_errors(data)), key=lambda p: (p.line or 0, p.message))
    return (None if problems else data), problems


def load(path: Path, schema_name: str, root: Path | None = None) -> Any:
    """Like :func:`read`, but raise one CourseError listing every problem."""
    data, problems = read(path, schema_name, root)
    if problems:
        raise CourseError("\n".join(map(str, problems)))
    return data


def line_of(path: Path, keys: list[Any]) -> int:
    """The line of a value in a YAML file, for messages about data that is valid but wrong."""
    return locator(path)(keys)


def locator(path: Path):
    """A function giving the line of a value in ``path`` by its keys (the file composed once)."""
    try:
        node, _ = _parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        node = None
    return lambda keys: _line(node, list(keys))

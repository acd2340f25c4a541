"""The course a build is of (its programme's modules, exercises and plans), loaded once per build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..course import Course


def course(app: Sphinx) -> Course:
    found = getattr(app, "_coursekit_course", None)
    if found is None:
        found = Course.from_config(Path(app.srcdir), app.config.coursekit_programme)
        app._coursekit_course = found  # type: ignore[attr-defined]
    return found


def forget(app: Sphinx, *args: Any) -> None:
    """Drop the cached course at the start of a build (the live preview rebuilds in one process)."""
    app._coursekit_course = None  # type: ignore[attr-defined]


def module_of(docname: str) -> str | None:
    """The module key a page belongs to (chapters/, exercises/ or instructor/modules/), if any."""
    parts = docname.split("/")
    if len(parts) >= 3 and parts[0] in ("chapters", "exercises"):
        return parts[1]
    if len(parts) == 3 and parts[:2] == ["instructor", "modules"]:
        return parts[2]
    return None

"""The course's exercises in course order, with their metadata."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import notebooks
from .project import toc_entries


@dataclass(frozen=True)
class Exercise:
    """One exercise notebook of the course and its metadata."""

    path: Path
    docname: str
    meta: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def module(self) -> str:
        return str(self.meta["module"])


KIND_LABELS = {
    "reflective-writing": "Reflective writing",
    "embodied-awareness": "Embodied awareness",
    "role-play": "Role-play",
    "case-analysis": "Case analysis",
    "deliberate-practice-drill": "Deliberate-practice drill",
}


def catalogue(root: Path) -> list[Exercise]:
    """Every exercise listed in the learner toc, in the order a reader meets them."""
    found = []
    for entry in toc_entries(root / "_toc.yml"):
        if not entry.docname.startswith("exercises/"):
            continue
        path = root / f"{entry.docname}.ipynb"
        nb, _ = notebooks.read(path)
        meta = nb.metadata.get(notebooks.METADATA_KEY) if nb is not None else None
        if isinstance(meta, dict) and not notebooks.metadata_problems(meta):
            found.append(Exercise(path, entry.docname, meta))
    return found


WORKBOOK_README = """Learning to Fall: your workbook
================================

These are the course's exercise notebooks, in course order. Open them in JupyterLab,
Jupyter Notebook, VS Code or any notebook editor (no kernel is needed), save a copy under
your own name, and write in the empty cells under each prompt.

Keep your workbook on a private device. Nothing in the course sends your responses anywhere.
Never write details that could identify a client.

To turn your filled notebooks into one portfolio for supervision:

    coursekit workbook export path/to/your/notebooks --output portfolio.html
"""


def write_workbook_zip(root: Path, target: Path) -> int:
    """Write every exercise notebook, in course order, into one zip; return how many."""
    exercises = catalogue(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("learning-to-fall-workbook/README.txt", WORKBOOK_README)
        for i, ex in enumerate(exercises, 1):
            zf.write(ex.path, f"learning-to-fall-workbook/{i:02d}-{ex.module}-{ex.path.name}")
    return len(exercises)

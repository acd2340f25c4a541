"""The course's exercises in course order, with their metadata, and the notebooks each edition offers."""

from __future__ import annotations

import copy
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from . import notebooks
from .project import CourseError, Problem

KIND_LABELS = {
    "reflective-writing": "Reflective writing",
    "embodied-awareness": "Embodied awareness",
    "role-play": "Role-play",
    "case-analysis": "Case analysis",
    "deliberate-practice-drill": "Deliberate-practice drill",
}
# Cells that only the instructor edition and the printed role cards may hold.
INSTRUCTOR_ONLY_TAGS = {"client-only"}


@dataclass(frozen=True)
class Exercise:
    """One exercise notebook of the course and its metadata."""

    path: Path
    docname: str
    meta: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def module(self) -> str:
        return str(self.meta["module"])

    @property
    def private(self) -> bool:
        return bool(self.meta.get("private", False))

    @property
    def file_name(self) -> str:
        return self.path.name

    def notebook(self) -> nbformat.NotebookNode:
        nb, fatal = notebooks.read(self.path)
        if nb is None:
            raise CourseError(f"{self.path}: {fatal[0][1]}")
        return nb


def catalogue(root: Path, programme: Any = None) -> list[Exercise]:
    """Every exercise of the programme's modules, in the order a reader meets them.

    An exercise whose notebook or metadata is invalid stops this with every problem named:
    nothing is left out silently."""
    from .modules import course_modules

    found, problems = [], []
    for module in course_modules(root, programme):
        for docname in module.exercise_docnames():
            path = root / f"{docname}.ipynb"
            rel = f"{docname}.ipynb"
            nb, fatal = notebooks.read(path)
            if nb is None:
                problems += [Problem(rel, line, msg) for line, msg in fatal]
                continue
            meta = nb.metadata.get(notebooks.METADATA_KEY)
            bad = notebooks.metadata_problems(meta)
            if bad:
                problems += [Problem(rel, None, msg) for msg in bad]
                continue
            found.append(Exercise(path, docname, dict(meta)))
    ids = [ex.id for ex in found]
    problems += [Problem(f"{ex.docname}.ipynb", None, f"metadata coursekit.id {ex.id!r} is used by another exercise")
                 for ex in found if ids.count(ex.id) > 1]
    if problems:
        raise CourseError("\n".join(map(str, problems)))
    return found


@dataclass(frozen=True)
class Prompt:
    """A response cell of an exercise and the prompt above it, as the workbook shows them."""

    cell: str
    prompt: str  # the prompt cell's Markdown, citations as written in the notebook
    label: str   # one line naming the prompt, for the answer box
    private: bool = False  # the response cell is tagged 'private': its answer never leaves the device


def prompts(nb: nbformat.NotebookNode) -> list[Prompt]:
    """Each response cell with its prompt: the nearest Markdown cell above it that is not a response."""
    from .markdown import plain

    found, prompt = [], ""
    for cell in nb.cells:
        if notebooks.is_response(cell):
            found.append(Prompt(cell.get("id", ""), prompt, prompt_label(prompt),
                                notebooks.PRIVATE_TAG in notebooks.tags(cell)))
        elif cell.cell_type == "markdown" and not INSTRUCTOR_ONLY_TAGS & notebooks.tags(cell):
            prompt = notebooks.text(cell)
    return found


def prompt_label(prompt: str) -> str:
    """The answer box's label: the prompt's last paragraph as plain text, or its first sentence, or its heading."""
    import re

    from .markdown import plain

    lines = prompt.strip().splitlines()
    heading = ""
    if lines and re.match(r"^\s*#{1,6}\s", lines[0]):
        heading = re.sub(r"^\s*#{1,6}\s+", "", lines[0]).strip()
        lines = lines[1:]
    paragraphs = [p for p in re.split(r"\n\s*\n", "\n".join(lines)) if p.strip() and not p.lstrip().startswith(("|", "```"))]
    text = plain(re.sub(r"\[([^\]]+)\]\(cite:[^)]*\)", r"\1", paragraphs[-1])) if paragraphs else ""
    # "Prompt 3.", "Question 2.3 (personal)." are no label
    text = re.sub(r"^(?:(?:Prompt|Question|Part|Step)\s+)?\d+(?:\.\d+)*(?:\s*\([^)]*\))?[.:)]\s*", "", text)
    if len(text) > 200:
        sentences = re.split(r"(?<=[.?!])\s", text)
        asked = [x for x in sentences if x.endswith("?") and 3 < len(x) <= 200]  # the question, not its premise
        sentence = asked[0] if asked else sentences[0]
        text = sentence if 3 < len(sentence) <= 200 else ""
    return text or heading or "this prompt"


def edition_notebook(exercise: Exercise, edition: str, course: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook an edition offers for download: in the learner edition without the cells only
    the instructor may hold, and with the course's name, version and edition in its metadata."""
    nb = copy.deepcopy(exercise.notebook())
    if edition == "learner":
        nb.cells = [c for c in nb.cells if not INSTRUCTOR_ONLY_TAGS & set(c.get("metadata", {}).get("tags", []))]
    nb.metadata[notebooks.METADATA_KEY]["course"] = {**course, "edition": edition}
    return nb


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    nbformat.validate(nb)
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def workbook_readme(title: str, site_hint: str = "") -> str:
    """The README inside the workbook zip: for a trainee, not a programmer; the page route first."""
    return f"""{title}: your workbook
{'=' * (len(title) + 15)}

These are the course's exercises, one notebook file each, in course order.
You do not need to install anything to use them.

On the course website (the easiest way)
---------------------------------------
Each exercise's page has a box under every prompt. Write in the boxes:
what you write is saved as you type, in your web browser on this device
only. Nothing is sent anywhere. Clearing the browser's data erases it, and
a private window, another browser or another device will not have it.

To keep a copy, press "Download my answers" on the exercise's page (or
"Download all my answers" on the exercise index). To bring your answers
back, on another day or another device, use "Open saved answers" on the
exercise index: it opens notebook files, several at once, and zips.
If the browser already holds different answers to an exercise, it asks
you which to keep, and tells you which were saved more recently.

In a notebook editor
--------------------
You can also open these files in JupyterLab, Jupyter Notebook, VS Code or
another notebook editor, and write in the empty cell under each prompt.
No code runs in them. Save a copy under your own name first. If you need
more room, add a cell under your answer: it becomes part of that answer.
Files you fill in this way open on the website with "Open saved answers".

Keeping it private
------------------
Keep your workbook on a private device. Never write anything that could
identify a client or a colleague: use a code word only you will understand.

For supervision
---------------
Open "My portfolio" on the course website, tick the exercises you want to
include, and print it, save it as a PDF, or download it as one web page.
Exercises meant for you alone stay out unless you tick them.

On the command line (only if you use one)
-----------------------------------------
The same portfolio can be made on your own computer with the course's
tool, coursekit. Install it once from a copy of the course's source files
(python3 -m pip install . in that folder), then, in that folder, run:

    coursekit workbook export my-workbook-folder --output portfolio.html

It reads the notebooks (it never changes them) and leaves out exercises you
have not answered and those meant for you alone, unless you ask for them.
{site_hint}"""


def write_workbook_zip(notebooks_by_name: list[tuple[str, bytes]], target: Path, folder: str, readme: str) -> int:
    """Write the given notebooks, in order, into one zip with a README; return how many."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/README.txt", readme)
        for i, (name, content) in enumerate(notebooks_by_name, 1):
            zf.writestr(f"{folder}/{i:02d}-{name}", content)
    return len(notebooks_by_name)

"""Portfolio export: a trainee's filled exercise notebooks as one Markdown or HTML document.

The inputs are only ever read. Nothing is sent anywhere."""

from __future__ import annotations

import html
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from . import notebooks
from .exercises import KIND_LABELS, Exercise, catalogue
from .project import CourseError

NO_RESPONSE = "*No response yet.*"


@dataclass
class Answer:
    """One prompt of an exercise and what the trainee wrote under it."""

    prompt: str
    response: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return any(part.strip() for part in self.response)


@dataclass
class FilledExercise:
    """A trainee's copy of one exercise, matched to the course's exercise."""

    source: Path
    exercise: Exercise
    answers: list[Answer]


def notebook_files(inputs: list[Path]) -> list[Path]:
    """The notebooks named by the inputs: files as given, folders searched recursively."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.is_file():
            found.append(path)
        else:
            raise CourseError(f"{path}: no such file or folder")
    if not found:
        raise CourseError(f"no notebooks found in {', '.join(map(str, inputs))}")
    return found


def read_filled(path: Path, course: dict[tuple[str, str], Exercise]) -> FilledExercise:
    """Read a trainee's notebook and pair each response with its prompt."""
    nb, fatal = notebooks.read(path)
    if nb is None:
        raise CourseError(f"{path}: cannot be read as a workbook notebook: {fatal[0][1]}")
    meta = nb.metadata.get(notebooks.METADATA_KEY)
    if not isinstance(meta, dict) or "module" not in meta or "title" not in meta:
        raise CourseError(f"{path}: not an exercise from this course (no '{notebooks.METADATA_KEY}' metadata)")
    exercise = course.get((meta["module"], meta["title"]))
    if exercise is None:
        raise CourseError(f"{path}: exercise {meta['title']!r} of module {meta['module']!r} is not in this course")
    course_nb, _ = notebooks.read(exercise.path)
    course_cells = course_nb.cells if course_nb else []
    course_ids = {c.get("id") for c in course_cells}
    course_texts = {c.source for c in course_cells if not notebooks.is_response(c)}
    answers: list[Answer] = []
    prompt = ""
    for cell in nb.cells:
        text = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        if notebooks.is_response(cell):
            answers.append(Answer(prompt, [text]))
        elif cell.get("id") not in course_ids and text not in course_texts:
            if answers:
                answers[-1].response.append(text)  # a cell the trainee added: part of their answer
            else:
                answers.append(Answer("", [text]))
        elif cell.cell_type == "markdown":
            prompt = text
    return FilledExercise(path, exercise, answers)


def _order(course: list[Exercise]) -> dict[tuple[str, str], int]:
    return {(ex.module, ex.title): i for i, ex in enumerate(course)}


def to_markdown(filled: list[FilledExercise], title: str = "Workbook portfolio") -> str:
    """The portfolio as Markdown: each exercise's title, prompts and responses."""
    out = [f"# {title}", "",
           "Exported from my *Learning to Fall* workbook. Prompts are quoted; my responses follow each one.", ""]
    for item in filled:
        meta = item.exercise.meta
        answered = sum(a.answered for a in item.answers)
        out += [f"## {item.exercise.title}", "",
                f"*{KIND_LABELS[meta['kind']]} · module: {meta['module']} · {answered} of {len(item.answers)} "
                f"prompts answered · from {item.source.name}*", ""]
        for answer in item.answers:
            if answer.prompt.strip():
                out += ["> " + line if line else ">" for line in answer.prompt.strip().splitlines()]
                out.append("")
            out += ["\n\n".join(p.strip() for p in answer.response if p.strip()) if answer.answered else NO_RESPONSE, ""]
    return "\n".join(out).rstrip() + "\n"


CSS = """body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
blockquote{margin:1rem 0 0.5rem;padding:0.25rem 1rem;border-left:4px solid #5a6b7d;background:#f3f5f7;color:#333}
h2{margin-top:2.5rem;border-bottom:1px solid #ccc}em{color:#444}"""


def to_html(markdown: str, title: str = "Workbook portfolio") -> str:
    """The Markdown portfolio as one self-contained HTML page (raw HTML in responses is escaped)."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n")


def export(root: Path, inputs: list[Path], output: Path, force: bool = False) -> list[FilledExercise]:
    """Write the portfolio of the given notebooks to ``output``; the inputs are never written."""
    course = catalogue(root)
    by_key = {(ex.module, ex.title): ex for ex in course}
    files = notebook_files(inputs)
    resolved = {f.resolve() for f in files}
    if output.resolve() in resolved:
        raise CourseError(f"{output}: is one of the notebooks being exported; choose another output file")
    if output.exists() and not force:
        raise CourseError(f"{output}: already exists; use --force to replace it")
    if output.suffix.lower() not in (".md", ".html", ".htm"):
        raise CourseError(f"{output}: the portfolio is written as .md or .html")
    order = _order(course)
    filled = sorted((read_filled(f, by_key) for f in files),
                    key=lambda item: (order[(item.exercise.module, item.exercise.title)], str(item.source)))
    text = to_markdown(filled)
    if output.suffix.lower() in (".html", ".htm"):
        text = to_html(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=".portfolio-", suffix=output.suffix)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, output)
    return filled

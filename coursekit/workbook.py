"""The portfolio export: a trainee's filled exercise notebooks as one Markdown or HTML document.

The layout is the one the "My portfolio" page builds in the browser (coursekit/static/workbook.js):
the same exercises, the same prompt text and the same HTML, so the two can be compared exactly.
The inputs are only ever read. Nothing is sent anywhere."""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .exercises import KIND_LABELS, Exercise, edition_notebook, prompts
from .notebooks import METADATA_KEY, RESPONSE_TAG
from .project import CourseError

REMEDY = "if it is one of your exercises, download a fresh copy of this exercise from its page"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WS = " \t\r\n"


# --- what a trainee wrote ------------------------------------------------------------------------

@dataclass
class Answer:
    """One prompt of an exercise and what the trainee wrote under it."""

    cell: str
    prompt: str  # the prompt cell's Markdown
    text: str = ""
    private: bool = False  # a 'private' response cell: never in a portfolio

    @property
    def answered(self) -> bool:
        return bool(self.text.strip(WS))

    @property
    def shareable(self) -> bool:
        return not self.private


@dataclass
class FilledExercise:
    """A trainee's copy of one exercise, matched to the course's exercise by its id."""

    source: str
    exercise: Exercise
    answers: list[Answer]
    saved: datetime
    module_title: str = ""

    @property
    def answered(self) -> int:
        """How many of the answers that may go in a portfolio are written (private ones never count)."""
        return sum(a.answered for a in self.answers if a.shareable)

    @property
    def private_answered(self) -> int:
        return sum(a.answered for a in self.answers if a.private)


@dataclass
class Result:
    """What an export put in, what it left out, and what it warned about."""

    included: list[FilledExercise] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ExportError(CourseError):
    """The export stopped; the warnings gathered before it stopped come with it."""

    def __init__(self, message: str, warnings: list[str]) -> None:
        super().__init__(message)
        self.warnings = warnings


class Unusable(Exception):
    """A file that cannot be used, with the reason phrased for the trainee."""


# --- finding the notebooks -----------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A notebook to read: a file, or a member of a zip the trainee downloaded."""

    name: str
    path: Path
    member: str = ""

    def read(self) -> bytes:
        if self.member:
            with zipfile.ZipFile(self.path) as zf:
                return zf.read(self.member)
        return self.path.read_bytes()

    def mtime(self) -> datetime:
        if self.member:
            with zipfile.ZipFile(self.path) as zf:
                return datetime(*zf.getinfo(self.member).date_time).astimezone(timezone.utc)
        return datetime.fromtimestamp(self.path.stat().st_mtime, timezone.utc)


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None when it can."""
    if not path.is_symlink():
        return None
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "a link that loops back on itself"
    except OSError as exc:
        return "a link that loops back on itself" if exc.errno == errno.ELOOP else "a link to something that is not there"
    return None


def _walk(folder: Path, ancestors: tuple[Path, ...], seen: set[Path], found: list[Source], warnings: list[str]) -> None:
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        warnings.append(f"{folder}: cannot be opened ({exc.strerror}); skipped it")
        return
    for path in entries:
        if path.name.startswith("."):  # .ipynb_checkpoints and other hidden copies
            continue
        problem = _link_problem(path)
        if problem:
            warnings.append(f"{path}: {problem}; skipped it")
            continue
        if path.is_dir():
            real = path.resolve()
            if real in ancestors:
                warnings.append(f"{path}: a link that loops back to {real}; did not follow it")
            elif real not in seen:
                seen.add(real)
                _walk(path, (*ancestors, real), seen, found, warnings)
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(Source(str(path), path))


def _zip_members(path: Path, warnings: list[str]) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.endswith(".ipynb") and not any(
                part.startswith((".", "__MACOSX")) for part in n.split("/"))]
    except (zipfile.BadZipFile, OSError) as exc:
        raise CourseError(f"{path}: cannot be read as a zip file ({exc})") from None
    if not names:
        warnings.append(f"{path}: holds no notebooks")
    return [Source(f"{path}:{name}", path, name) for name in names]


def notebook_files(inputs: list[Path], warnings: list[str]) -> list[Source]:
    """The notebooks named by the inputs: files as given, zips opened, folders searched (links followed once)."""
    found: list[Source] = []
    for path in inputs:
        problem = _link_problem(path)
        if problem:
            raise CourseError(f"{path}: {problem}")
        if path.is_dir():
            real = path.resolve()
            _walk(path, (real,), {real}, found, warnings)
        elif path.is_file() and path.suffix.lower() == ".zip":
            found += _zip_members(path, warnings)
        elif path.is_file():
            found.append(Source(str(path), path))
        else:
            raise CourseError(f"{path}: no such file or folder")
    if not found:
        raise CourseError(f"no notebooks found in {', '.join(map(str, inputs))}")
    return found


# --- reading one notebook ------------------------------------------------------------------------

def read_raw(source: Source) -> dict[str, Any]:
    """The notebook's JSON, read leniently: a damaged file is Unusable with line and column named."""
    try:
        text = source.read().decode("utf-8")
    except UnicodeDecodeError:
        raise Unusable("cannot be read: it is not a text file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unusable("a link that loops back on itself") from None
        raise Unusable(f"cannot be read ({exc.strerror})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unusable(f"damaged: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise Unusable("not a notebook (it has no cells)")
    return raw


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _tags(cell: dict[str, Any]) -> list[str]:
    meta = cell.get("metadata")
    tags = meta.get("tags", []) if isinstance(meta, dict) else []
    return tags if isinstance(tags, list) else []


def match(raw: dict[str, Any], course: list[Exercise]) -> Exercise:
    """The course's exercise a notebook is a copy of: by its id, or by its title if it has no id."""
    meta = raw.get("metadata", {}).get(METADATA_KEY) if isinstance(raw.get("metadata"), dict) else None
    if not isinstance(meta, dict) or not (meta.get("id") or meta.get("title")):
        raise Unusable("not an exercise from this course (it has no 'coursekit' metadata)")
    if meta.get("id"):
        found = [ex for ex in course if ex.id == meta["id"]]
        what = f"exercise id {meta['id']!r}"
    else:
        found = [ex for ex in course if ex.title == meta["title"]]
        found = [ex for ex in found if ex.module == meta.get("module")] or found
        what = f"exercise {meta['title']!r}"
    if not found:
        raise Unusable(f"{what} is not in this course")
    return found[0]


def answers_from(raw: dict[str, Any], course_prompts: list[tuple], course_ids: set[str]) -> dict[str, str]:
    """Each response cell's text by cell id. Cells the trainee added join the answer above them
    (those above the first answer join the first); a copy whose cell ids all differ from the
    course's is read by the order of its response cells."""
    known = [p[0] for p in course_prompts]  # (cell id, prompt, ...)
    cells = [c for c in raw["cells"] if isinstance(c, dict)]
    responses = [c for c in cells if RESPONSE_TAG in _tags(c)]
    parts: dict[str, list[str]] = {}
    if not any(c.get("id") in known for c in responses):
        for cell_id, c in zip(known, responses):
            parts[cell_id] = [_source(c)]
    else:
        current, before = None, []
        for c in cells:
            cid = c.get("id")
            if RESPONSE_TAG in _tags(c) and cid in known and cid not in parts:
                current = cid
                parts[cid] = [_source(c)]
                if before:
                    parts[cid] = before + parts[cid]
                    before = []
            elif cid not in course_ids:
                (parts[current] if current else before).append(_source(c))
    return {cid: "\n\n".join(p for p in ps if p.strip(WS)) for cid, ps in parts.items()}


def saved_at(raw: dict[str, Any], source: Source) -> datetime:
    """When the trainee last saved the notebook: its coursekit.saved time, or else the file's."""
    meta = raw.get("metadata", {}).get(METADATA_KEY, {}) if isinstance(raw.get("metadata"), dict) else {}
    stamp = meta.get("saved") if isinstance(meta, dict) else None
    if isinstance(stamp, str):
        try:
            when = datetime.fromisoformat(stamp)
            return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return source.mtime()


# --- the portfolio's layout, shared with the browser ---------------------------------------------

def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" ")


def inline_plain(text: str) -> str:
    """One block of Markdown as plain text: links, emphasis, code marks and tags dropped."""
    text = re.sub(r"<!--.*?-->", "", text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\{[A-Za-z0-9_:.-]+\}`([^`<]*?)[ \t]*(<[^`>]*>)?`", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"__(.+?)__", r"\1", text)
    text = re.sub(r"(?<![A-Za-z0-9_*\\])\*(?=[^ *])(.+?)(?<=[^ \\])\*(?![A-Za-z0-9_*])", r"\1", text)
    text = re.sub(r"(?<![A-Za-z0-9_\\])_(?=[^ _])(.+?)(?<=[^ \\])_(?![A-Za-z0-9_])", r"\1", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return _collapse(text)


def prompt_paragraphs(markdown: str) -> list[str]:
    """A prompt's Markdown as plain paragraphs: headings, list items and table rows each on their own."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in markdown.split("\n"):
        s = re.sub(r"^>[ ]?", "", line.strip(WS)).strip(WS)
        if not s or re.match(r"^\|?[ :|-]*-[ :|-]*$", s):
            flush()
        elif s.startswith("|"):
            flush()
            cells = [c.strip(WS) for c in re.sub(r"^\||\|$", "", s).split("|")]
            blocks.append(" · ".join(c for c in cells if c))
        elif re.match(r"^#{1,6}[ ]", s):
            flush()
            blocks.append(re.sub(r"^#{1,6}[ ]+", "", s))
        elif re.match(r"^([-*+]|[0-9]+[.)])[ ]", s):
            flush()
            current.append(re.sub(r"^[-*+][ ]+", "• ", s))
        else:
            current.append(s)
    flush()
    return [text for text in map(inline_plain, blocks) if text]


def answer_paragraphs(text: str) -> list[str]:
    """What a trainee wrote, as paragraphs (blank lines apart); single line breaks are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip(WS) for p in re.split(r"\n[ \t]*(?:\n[ \t]*)+", text) if p.strip(WS)]


def date_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Item:
    """One exercise as the portfolio shows it (what the browser reads from its catalogue)."""

    id: str
    title: str
    kind: str
    module_title: str
    answers: list[Answer]


NO_ANSWER = '<p class="pf-none">No answer yet.</p>'
# Identical, character for character, to PORTFOLIO_CSS in coursekit/static/workbook.js.
PORTFOLIO_CSS = ("body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;"
                 "color:#1a1a1a;background:#fff}.pf-course,.pf-date,.pf-meta,.pf-none{color:#444}.pf-none{font-style:italic}"
                 ".pf-prompt{margin:1.5rem 0 .5rem;padding:.25rem 1rem;border-left:4px solid #5a6b7d;background:#f3f5f7}"
                 ".pf-exercise{margin-top:2.5rem;border-top:1px solid #ccc}@media print{body{margin:0;max-width:none}"
                 ".pf-exercise{break-before:page;border:0}.pf-item{break-inside:avoid}a{color:inherit;text-decoration:none}}")


def portfolio_body(course_title: str, items: list[Item], day: date, unanswered: bool = False, level: int = 1) -> str:
    """The portfolio document, as an <article>; headings start at ``level``."""
    def h(n: int, inner: str, attrs: str = "") -> str:
        return f"<h{level + n}{attrs}>{inner}</h{level + n}>"

    out = ['<article class="portfolio-doc">', "<header>", f'<p class="pf-course">{esc(course_title)}</p>',
           h(0, "Workbook portfolio"), f'<p class="pf-date">Put together on {date_text(day)}</p>', "</header>"]
    if items:
        out += ['<nav aria-labelledby="pf-contents">', h(1, "Contents", ' id="pf-contents"'), "<ol>",
                *(f'<li><a href="#pf-{esc(it.id)}">{esc(it.title)}</a></li>' for it in items), "</ol>", "</nav>"]
    for it in items:
        out += [f'<section class="pf-exercise" id="pf-{esc(it.id)}">', h(1, esc(it.title)),
                f'<p class="pf-meta">{esc(it.kind)} · {esc(it.module_title)}</p>']
        shown = [a for a in it.answers if a.shareable and (unanswered or a.answered)]
        if not shown:
            out.append('<p class="pf-none">No answers yet.</p>')
        for a in shown:
            prompt = "".join(f"<p>{esc(p)}</p>" for p in prompt_paragraphs(a.prompt))
            answer = "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in answer_paragraphs(a.text))
            out += ['<div class="pf-item">', *([f'<blockquote class="pf-prompt">{prompt}</blockquote>'] if prompt else []),
                    f'<div class="pf-answer">{answer or NO_ANSWER}</div>', "</div>"]
        out.append("</section>")
    return "\n".join([*out, "</article>"]) + "\n"


def portfolio_html(course_title: str, items: list[Item], day: date, unanswered: bool = False) -> str:
    """The portfolio as one self-contained HTML file: no scripts, no outside resources."""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Workbook portfolio: {esc(course_title)}</title>\n<style>{PORTFOLIO_CSS}</style>\n"
            "</head>\n<body>\n<main>\n" + portfolio_body(course_title, items, day, unanswered) + "</main>\n</body>\n</html>\n")


def _md_line(text: str) -> str:
    """A plain paragraph that Markdown will not read as a list item or a heading."""
    return re.sub(r"^([0-9]+)([.)]) ", r"\1\\\2 ", re.sub(r"^([-+*#>])", r"\\\1", text))


def portfolio_markdown(course_title: str, items: list[Item], day: date, unanswered: bool = False) -> str:
    """The same portfolio as Markdown; answers as the trainee wrote them."""
    out = ["# Workbook portfolio", "", f"{course_title} · Put together on {date_text(day)}", ""]
    if items:
        out += ["## Contents", ""] + [f"{n}. {it.title}" for n, it in enumerate(items, 1)] + [""]
    for it in items:
        out += [f"## {it.title}", "", f"*{it.kind} · {it.module_title}*", ""]
        shown = [a for a in it.answers if a.shareable and (unanswered or a.answered)]
        if not shown:
            out += ["*No answers yet.*", ""]
        for a in shown:
            prompt = prompt_paragraphs(a.prompt)
            if prompt:
                out += ["\n>\n".join(f"> {_md_line(p)}" for p in prompt), ""]
            paras = answer_paragraphs(a.text)
            out += ["\n\n".join(paras) if paras else "*No answer yet.*", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --- the export ----------------------------------------------------------------------------------

def _read_one(source: Source, course: list[Exercise], prompt_cache: dict[str, tuple]) -> FilledExercise:
    raw = read_raw(source)
    exercise = match(raw, course)
    if exercise.id not in prompt_cache:
        nb = exercise.notebook()
        learner = edition_notebook(exercise, "learner", {})
        prompt_cache[exercise.id] = ([(p.cell, p.prompt, p.private) for p in prompts(learner)],
                                     {c.get("id") for c in nb.cells})
    course_prompts, course_ids = prompt_cache[exercise.id]
    texts = answers_from(raw, course_prompts, course_ids)
    answers = [Answer(cell, prompt, texts.get(cell, ""), private) for cell, prompt, private in course_prompts]
    return FilledExercise(source.name, exercise, answers, saved_at(raw, source))


def _newest(filled: list[FilledExercise], warnings: list[str]) -> list[FilledExercise]:
    """One copy of each exercise: the most recently saved, with a warning naming both files."""
    kept: dict[str, FilledExercise] = {}
    for item in filled:
        other = kept.get(item.exercise.id)
        if other is None:
            kept[item.exercise.id] = item
            continue
        newer, older = (item, other) if item.saved > other.saved else (other, item)
        why = "saved at the same moment as the other" if item.saved == other.saved else "the more recently saved"
        warnings.append(f"{newer.source} and {older.source} are both '{item.exercise.title}': used {newer.source}, {why}")
        kept[item.exercise.id] = newer
    return list(kept.values())


def _chosen(filled: list[FilledExercise], everything: bool, exclude: set[str], include_private: set[str],
            result: Result) -> list[FilledExercise]:
    names = lambda f: {f.exercise.id, f.exercise.file_name, f.exercise.path.stem, Path(f.source).name}  # noqa: E731
    chosen = []
    for item in filled:
        if names(item) & exclude:
            result.left_out.append(f"{item.exercise.id} (excluded)")
        elif item.exercise.private and not names(item) & include_private:
            result.left_out.append(f"{item.exercise.id} (private)")
        elif not item.answered and not everything:
            why = "only answers that stay private" if item.private_answered else "no answers yet"
            result.left_out.append(f"{item.exercise.id} ({why})")
        else:
            chosen.append(item)
    return chosen


def _check_output(output: Path, sources: list[Source], force: bool) -> None:
    if output.suffix.lower() not in (".md", ".html", ".htm"):
        raise CourseError(f"{output}: the portfolio is written as .md or .html")
    if output.resolve() in {s.path.resolve() for s in sources}:
        raise CourseError(f"{output}: is one of the notebooks being exported; choose another output file")
    if output.exists() and not force:
        raise CourseError(f"{output}: already exists; use --force to replace it")


def _write(output: Path, text: str) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=".portfolio-", suffix=output.suffix)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, output)


def export(root: Path, inputs: list[Path], output: Path, force: bool = False, everything: bool = False,
           exclude: set[str] | None = None, include_private: set[str] | None = None, strict: bool = False,
           day: date | None = None) -> Result:
    """Write the portfolio of the given notebooks to ``output``; the inputs are never written.

    Answered exercises only unless ``everything``; private ones only when named in ``include_private``."""
    from .course import Course

    the_course = Course.load(root)
    course = the_course.exercises
    result = Result()
    sources = notebook_files(inputs, result.warnings)
    _check_output(output, sources, force)
    known = {n for ex in course for n in (ex.id, ex.file_name, ex.path.stem)}
    for flag, values in (("--exclude", exclude or set()), ("--include-private", include_private or set())):
        for value in sorted(values):
            if value not in known and value not in {Path(s.name).name for s in sources}:
                result.warnings.append(f"{flag} {value}: no exercise of this course has that id or file name")
    filled, cache = [], {}
    for source in sources:
        try:
            filled.append(_read_one(source, course, cache))
        except Unusable as exc:
            if strict:
                raise ExportError(f"{source.name}: {exc}; {REMEDY}. Stopped (--strict): nothing was written",
                                  result.warnings) from None
            result.warnings.append(f"{source.name}: {exc}; skipped it ({REMEDY})")
    order = {ex.id: i for i, ex in enumerate(course)}
    filled = sorted(_newest(filled, result.warnings), key=lambda f: order[f.exercise.id])
    result.included = _chosen(filled, everything, exclude or set(), include_private or set(), result)
    if not result.included:
        why = f" (left out: {', '.join(result.left_out)})" if result.left_out else ""
        private = [x.split(" ")[0] for x in result.left_out if x.endswith("(private)")]
        if private:
            hint = f"; --include-private {private[0]} puts a private exercise in, if you choose to"
        else:
            hint = "" if everything else "; --all includes exercises with no answers yet"
        raise ExportError(f"nothing to put in the portfolio{why}: nothing was written{hint}", result.warnings)
    items = []
    for f in result.included:
        f.module_title = the_course.module(f.exercise.module).full_title
        items.append(Item(f.exercise.id, f.exercise.title, KIND_LABELS[f.exercise.meta["kind"]], f.module_title,
                          f.answers))
    render = portfolio_html if output.suffix.lower() in (".html", ".htm") else portfolio_markdown
    _write(output, render(the_course.programme.title, items, day or date.today(), everything))
    return result

"""Course modules: their data (module.yml), their pages (from _toc.yml) and the structure they must have."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import data, markdown
from .project import CourseError, Problem, toc_entries

INDEX_SECTIONS = ("Overview", "Learning objectives", "Exercises")
INDEX_DIRECTIVES = ("content-note", "study-time", "objectives")
DISCUSSION_SECTIONS = ("Discussion questions", "Key points", "Further reading")
KIND_CAPTIONS = {"orientation": "Orientation", "core": "Core modules", "extended": "Extended modules"}


def words(text: str) -> int:
    """Words of prose in MyST Markdown, leaving out front matter, directive lines, roles' targets and markup."""
    _, text, _ = markdown.split_front_matter(text)
    text = re.sub(r"^\s*(```|:::).*$", " ", text, flags=re.M)
    text = re.sub(r"^\s*:[a-z-]+:.*$", " ", text, flags=re.M)
    text = re.sub(r"\{(cite|doc|term|ref|download|module)(?::[a-z]+)?\}`[^`]*`", " ref ", text)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


def toc_modules(root: Path) -> dict[str, list[str]]:
    """Each module in the full course toc (_toc.yml) and its docnames, index first, in toc order."""
    found: dict[str, list[str]] = {}
    for entry in toc_entries(root / "_toc.yml"):
        parts = entry.docname.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "chapters" and parts[2] == "index":
            found[parts[1]] = []
        if found and parts[0] in ("chapters", "exercises") and len(parts) == 3:
            key = parts[1]
            if key in found:
                found[key].append("/".join(parts))
    return found


@dataclass
class Module:
    """A module: a folder under chapters/ with module.yml, and its pages listed in _toc.yml."""

    key: str
    folder: Path
    title: str
    kind: str
    study: dict[str, int]
    objectives: list[str]
    content_note: dict[str, Any]
    docnames: list[str] = field(default_factory=list)
    discussion_objectives: list[list[int]] = field(default_factory=list)  # per discussion question, in order
    summary: str = ""
    number: int | None = None

    @property
    def full_title(self) -> str:
        return f"Module {self.number}: {self.title}" if self.number else self.title

    @property
    def index(self) -> Path:
        return self.folder / "index.md"

    @property
    def data_file(self) -> Path:
        return self.folder / "module.yml"

    @property
    def discussion(self) -> Path:
        return self.folder / "discussion.md"

    def pages(self) -> list[Path]:
        """The module's Markdown pages under chapters/, in toc order."""
        root = self.folder.parent.parent
        return [root / f"{d}.md" for d in self.docnames if d.startswith("chapters/") and (root / f"{d}.md").is_file()]

    def reading_pages(self) -> list[Path]:
        """The pages that carry the module's reading (all but the discussion page)."""
        return [p for p in self.pages() if p.name != "discussion.md"]

    def reading_words(self) -> int:
        return sum(words(p.read_text(encoding="utf-8")) for p in self.reading_pages())

    def exercise_docnames(self) -> list[str]:
        return [d for d in self.docnames if d.startswith("exercises/")]

    def cite_keys(self) -> set[str]:
        """Distinct bibliography keys cited anywhere in the module's pages."""
        return {key for page in self.pages() for key, _ in markdown.cite_keys(page.read_text(encoding="utf-8"))}

    @property
    def questions(self) -> list[str]:
        if not self.discussion.is_file():
            return []
        text = self.discussion.read_text(encoding="utf-8")
        return markdown.list_items(markdown.section_text(text, "Discussion questions"))

    def vignettes(self) -> list[Path]:
        """Pages whose front matter says they hold a composite vignette."""
        return [p for p in self.pages() if markdown.split_front_matter(p.read_text(encoding="utf-8"))[0].get("vignette")]


def read_module(root: Path, key: str, docnames: list[str] | None = None) -> tuple[Module | None, list[Problem]]:
    """A module's data and pages, or None and the problems that stop it being read."""
    folder = root / "chapters" / key
    raw, problems = data.read(folder / "module.yml", "module", root)
    if raw is None:
        return None, problems
    return Module(key, folder, raw["title"], raw["kind"], dict(raw["study_minutes"]), list(raw["objectives"]),
                  dict(raw["content_note"]), list(docnames or []),
                  [list(q) for q in raw["discussion_objectives"]], raw["summary"]), []


def objective_problems(root: Path, module: Module, exercise_objectives: list[list[int]]) -> list[Problem]:
    """Every objective practised by an exercise or a discussion question, and the question list in step
    with discussion.md; ``exercise_objectives`` are the module's exercises' metadata lists."""
    from . import data as data_mod

    rel = str(module.data_file.relative_to(root))
    line = data_mod.locator(module.data_file)
    problems = []
    questions = len(module.questions)
    if module.discussion.is_file() and len(module.discussion_objectives) != questions:
        problems.append(Problem(rel, line(["discussion_objectives"]),
                                f"discussion_objectives lists {len(module.discussion_objectives)} question(s), but "
                                f"{module.discussion.name} has {questions}: give one list of objective numbers per question"))
    count = len(module.objectives)
    for n, served in enumerate(module.discussion_objectives):
        for number in served:
            if number > count:
                problems.append(Problem(rel, line(["discussion_objectives", n]),
                                        f"discussion_objectives: question {n + 1} names objective {number}, "
                                        f"but the module has {count}"))
    practised = {n for lists in (exercise_objectives, module.discussion_objectives) for served in lists for n in served}
    for n in range(1, count + 1):
        if n not in practised:
            problems.append(Problem(rel, line(["objectives", n - 1]),
                                    f"objective {n} is practised by no exercise and no discussion question"))
    return problems


def all_modules(root: Path) -> dict[str, Module]:
    """Every module of the full course (in _toc.yml order), unnumbered; CourseError if one is unreadable."""
    out, problems = {}, []
    for key, docs in toc_modules(root).items():
        module, found = read_module(root, key, docs)
        problems += found
        if module:
            out[key] = module
    if problems:
        raise CourseError("\n".join(map(str, problems)))
    return out


def course_modules(root: Path, programme: Any = None) -> list[Module]:
    """The modules a programme teaches, in its order and numbered (default: the course's programme.yml)."""
    from . import programme as programme_mod

    prog = programme if programme is not None else programme_mod.load(root)
    every = all_modules(root)
    chosen = []
    for n, key in enumerate(prog.modules, 1):
        if key not in every:
            raise CourseError(f"{prog.path}: module {key!r} is not in the course's _toc.yml")
        module = every[key]
        module.number = n
        chosen.append(module)
    return chosen


def quarter_hours(minutes: int) -> str:
    """Minutes as 'about 4¼ hours' (to the nearest quarter hour), or 'about 40 minutes' under an hour."""
    if minutes < 53:
        return f"about {max(5, round(minutes / 5) * 5)} minutes"
    quarters = round(minutes / 15)
    whole, part = divmod(quarters, 4)
    frac = {0: "", 1: "¼", 2: "½", 3: "¾"}[part]
    text = f"{whole}{frac}" if whole else {1: "¼", 2: "½", 3: "¾"}[part]
    unit = "hour" if Fraction(quarters, 4) == 1 else "hours"
    return f"about {text} {unit}"


def structure_problems(root: Path, module: Module, exercise_titles: dict[str, str] | None = None) -> list[Problem]:
    """What a module lacks of the elements every module must have."""
    rel = lambda p: str(p.relative_to(root))  # noqa: E731
    problems: list[Problem] = []
    if not module.index.is_file():
        return [Problem(rel(module.folder), None, "no index.md")]
    text = module.index.read_text(encoding="utf-8")
    found = list(markdown.scan(text))
    heads = [f for f in found if f.kind == "heading"]
    if not heads or heads[0].name != "1":
        problems.append(Problem(rel(module.index), 1, "the page must start with a '# Title' heading"))
    elif re.match(r"Module \d", heads[0].content):
        problems.append(Problem(rel(module.index), heads[0].line,
                                "the heading must not carry a number: the build adds 'Module N:' from the programme"))
    elif markdown.plain(heads[0].content) != markdown.plain(module.title):
        problems.append(Problem(rel(module.index), heads[0].line,
                                f"the heading differs from the title in module.yml ({module.title!r})"))
    secs = markdown.sections(text)
    for name in INDEX_SECTIONS:
        if name not in secs:
            problems.append(Problem(rel(module.index), None, f"no '## {name}' section"))
    directives = [f for f in found if f.kind == "directive"]
    names = [d.name for d in directives]
    for name in INDEX_DIRECTIVES:
        if name not in names:
            problems.append(Problem(rel(module.index), None, f"no {{{name}}} directive"))
    if "content-note" in names and len(heads) > 1 and directives[names.index("content-note")].line > heads[1].line:
        problems.append(Problem(rel(module.index), directives[names.index("content-note")].line,
                                "the {content-note} must come first, before the overview"))
    linked = {d.strip("/") for d, _ in markdown.doc_targets(markdown.section_text(text, "Exercises"))}
    for doc in module.exercise_docnames():
        if doc not in linked:
            problems.append(Problem(rel(module.index), secs.get("Exercises", (None,))[0],
                                    f"'## Exercises' does not link {{doc}}`/{doc}`"))
    if not module.vignettes():
        problems.append(Problem(rel(module.folder), None,
                                "no page holds a composite vignette (front matter 'vignette: true')"))
    if not module.discussion.is_file():
        problems.append(Problem(rel(module.folder), None, "no discussion.md"))
    else:
        dtext = module.discussion.read_text(encoding="utf-8")
        dsecs = markdown.sections(dtext)
        for name in DISCUSSION_SECTIONS:
            if name not in dsecs:
                problems.append(Problem(rel(module.discussion), None, f"no '## {name}' section"))
        if len(module.questions) < 6:
            problems.append(Problem(rel(module.discussion), dsecs.get("Discussion questions", (None,))[0],
                                    f"needs at least 6 numbered discussion questions, has {len(module.questions)}"))
        if "Further reading" in dsecs and not markdown.cite_keys(markdown.section_text(dtext, "Further reading")):
            problems.append(Problem(rel(module.discussion), dsecs["Further reading"][0], "'## Further reading' cites no work"))
    return problems

"""Course modules: the structure every module page must have, read from its Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .project import Problem, toc_entries

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
DOC = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
NUMBERED = re.compile(r"^(\d+)\.\s+(.*)")
STUDY_TIME = re.compile(r"\*\*Estimated study time:\*\*\s*(.+)")
INDEX_SECTIONS = ("Overview", "Learning objectives", "Content note", "Exercises")
DISCUSSION_SECTIONS = ("Discussion questions", "Key points", "Further reading")


def strip_fences(text: str) -> str:
    """Blank out code blocks, keeping MyST directive blocks' content and every line number."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (fence, is_code) of the open blocks
    for line in text.splitlines():
        stripped = line.strip()
        opening = re.match(r"^(`{3,}|~{3,}|:{3,})(.*)$", stripped)
        in_code = any(code for _, code in stack)
        if opening and stack and opening.group(1) == stack[-1][0] and not opening.group(2).strip():
            stack.pop()
            out.append("")
        elif opening and opening.group(2).strip() and not in_code:
            is_code = not opening.group(2).lstrip().startswith("{") and not opening.group(1).startswith(":")
            stack.append((opening.group(1), is_code))
            out.append("")
        elif opening and not in_code and not opening.group(2).strip():
            stack.append((opening.group(1), True))
            out.append("")
        else:
            out.append("" if in_code else line)
    return "\n".join(out)


def sections(text: str, level: int = 2) -> dict[str, str]:
    """The body of each heading of ``level`` (by title), up to the next heading as high or higher."""
    found: dict[str, str] = {}
    title, body = None, []
    for line in strip_fences(text).splitlines():
        m = HEADING.match(line)
        if m and len(m.group(1)) <= level:
            if title is not None:
                found[title] = "\n".join(body)
            title, body = (m.group(2), []) if len(m.group(1)) == level else (None, [])
        elif title is not None:
            body.append(line)
    if title is not None:
        found[title] = "\n".join(body)
    return found


def numbered_items(body: str) -> list[str]:
    """The items of the top-level numbered list(s) in a section body."""
    items: list[str] = []
    for line in body.splitlines():
        m = NUMBERED.match(line)
        if m:
            items.append(m.group(2).strip())
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()
    return items


def words(text: str) -> int:
    """Words of prose in MyST Markdown, leaving out directive lines, roles' targets and markup."""
    text = re.sub(r"^\s*(```|:::).*$", " ", text, flags=re.M)
    text = re.sub(r"^\s*:[a-z-]+:.*$", " ", text, flags=re.M)
    text = re.sub(r"\{(cite|doc|term|ref|download)(?::[a-z]+)?\}`[^`]*`", " ref ", text)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


@dataclass
class Module:
    """A module: a folder under chapters/ whose index.md is in the toc."""

    key: str
    folder: Path
    title: str
    number: int | None
    objectives: list[str] = field(default_factory=list)
    study_time: str | None = None
    questions: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.folder / "index.md"

    @property
    def discussion(self) -> Path:
        return self.folder / "discussion.md"

    def pages(self) -> list[Path]:
        """Every Markdown page of the module."""
        return sorted(self.folder.glob("*.md"))

    def reading_pages(self) -> list[Path]:
        """The pages that carry the module's reading (all but the discussion page)."""
        return [p for p in self.pages() if p.name != "discussion.md"]

    def reading_words(self) -> int:
        return sum(words(p.read_text(encoding="utf-8")) for p in self.reading_pages())

    def cite_keys(self) -> set[str]:
        """Distinct bibliography keys cited anywhere in the module's pages."""
        keys: set[str] = set()
        for page in self.pages():
            for group in CITE.findall(page.read_text(encoding="utf-8")):
                keys.update(k.strip() for k in group.split(",") if k.strip())
        return keys

    def exercises(self, root: Path) -> list[Path]:
        """The module's exercise notebooks, in file-name order."""
        return sorted((root / "exercises" / self.key).glob("*.ipynb"))


def read_module(folder: Path) -> Module:
    """Parse a module folder's index.md and discussion.md."""
    text = (folder / "index.md").read_text(encoding="utf-8")
    first = next((m for m in map(HEADING.match, text.splitlines()) if m and m.group(1) == "#"), None)
    title = first.group(2) if first else ""
    num = re.match(r"Module (\d+):", title)
    secs = sections(text)
    study = STUDY_TIME.search(text)
    module = Module(
        key=folder.name,
        folder=folder,
        title=title,
        number=int(num.group(1)) if num else None,
        objectives=numbered_items(secs.get("Learning objectives", "")),
        study_time=study.group(1).strip() if study else None,
    )
    if (folder / "discussion.md").is_file():
        dsecs = sections((folder / "discussion.md").read_text(encoding="utf-8"))
        module.questions = numbered_items(dsecs.get("Discussion questions", ""))
    return module


def course_modules(root: Path) -> list[Module]:
    """The modules in the learner toc, in course order."""
    seen: list[Module] = []
    for entry in toc_entries(root / "_toc.yml"):
        parts = entry.docname.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "chapters" and parts[2] == "index":
            seen.append(read_module(root / "chapters" / parts[1]))
    return seen


def structure_problems(root: Path, module: Module) -> list[Problem]:
    """What a module lacks of the elements every module must have."""
    rel = lambda p: str(p.relative_to(root))  # noqa: E731
    problems: list[Problem] = []
    index_text = module.index.read_text(encoding="utf-8")
    secs = sections(index_text)
    if module.number is None:
        problems.append(Problem(rel(module.index), 1, "first heading must read '# Module N: Title'"))
    for name in INDEX_SECTIONS:
        if name not in secs:
            problems.append(Problem(rel(module.index), None, f"no '## {name}' section"))
    if not 3 <= len(module.objectives) <= 6:
        problems.append(Problem(rel(module.index), None,
                                f"needs 3 to 6 numbered learning objectives, has {len(module.objectives)}"))
    if module.study_time is None:
        problems.append(Problem(rel(module.index), None, "no '**Estimated study time:**' line"))
    linked = {d.strip("/") for d in DOC.findall(secs.get("Exercises", ""))}
    for nb in module.exercises(root):
        if str(nb.relative_to(root).with_suffix("")) not in linked:
            problems.append(Problem(rel(module.index), None,
                                    f"'## Exercises' does not link {{doc}}`/{nb.relative_to(root).with_suffix('')}`"))
    if not any("Composite vignette" in p.read_text(encoding="utf-8") for p in module.pages()):
        problems.append(Problem(rel(module.folder), None, "no page holds a 'Composite vignette'"))
    if not module.discussion.is_file():
        problems.append(Problem(rel(module.folder), None, "no discussion.md"))
    else:
        dsecs = sections(module.discussion.read_text(encoding="utf-8"))
        for name in DISCUSSION_SECTIONS:
            if name not in dsecs:
                problems.append(Problem(rel(module.discussion), None, f"no '## {name}' section"))
        if len(module.questions) < 6:
            problems.append(Problem(rel(module.discussion), None,
                                    f"needs at least 6 numbered discussion questions, has {len(module.questions)}"))
        if "Further reading" in dsecs and not CITE.search(dsecs["Further reading"]):
            problems.append(Problem(rel(module.discussion), None, "'## Further reading' cites no work"))
    return problems

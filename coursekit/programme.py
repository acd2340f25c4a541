"""The programme file: the course's name, its modules in order, its formats and support contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, data
from .project import CourseError, Problem, load_yaml

DEFAULT = "programme.yml"
CONTACTS = (("programme_lead", "Programme lead"), ("counselling_service", "Counselling service"),
            ("crisis_line", "Local crisis line"))


@dataclass(frozen=True)
class Programme:
    """A programme's course: what the build names it, which modules it teaches, in which order."""

    path: Path
    title: str
    modules: tuple[str, ...]
    subtitle: str = ""
    author: str = ""
    institution: str = ""
    logo: Path | None = None
    slug: str = "course"
    version: str = __version__
    formats: tuple[str, ...] | None = None
    support: dict[str, dict[str, str]] = field(default_factory=dict)

    def number(self, key: str) -> int | None:
        """The module's number in this programme (1 for the first), or None when it is left out."""
        return self.modules.index(key) + 1 if key in self.modules else None

    def contacts(self) -> list[tuple[str, dict[str, str] | None]]:
        """Each support contact's label and entry (None when the programme has not set it)."""
        return [(label, self.support.get(key)) for key, label in CONTACTS]

    def as_config(self) -> dict[str, Any]:
        """What the Sphinx extension needs of the programme (plain data, picklable)."""
        return {"path": str(self.path), "title": self.title, "subtitle": self.subtitle, "author": self.author,
                "institution": self.institution, "slug": self.slug, "version": self.version,
                "modules": list(self.modules), "formats": list(self.formats) if self.formats else None,
                "support": self.support, "logo": str(self.logo) if self.logo else ""}


def programme_path(root: Path, path: Path | str | None = None) -> Path:
    """The programme file to use: the one given (relative to the current folder) or the course's own."""
    if path is None or str(path) == DEFAULT:
        return root / DEFAULT
    return Path(path).resolve()


IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}


def format_keys(path: Path) -> list[str]:
    """The formats instructor/formats.yml offers (its own problems are reported when it is read)."""
    try:
        raw = load_yaml(path)
    except CourseError:
        return []
    return [str(k) for k in raw] if isinstance(raw, dict) else []


def read(root: Path, path: Path | str | None = None) -> tuple[Programme | None, list[Problem]]:
    """Read and check a programme file against the course: its data and its problems."""
    file = programme_path(root, path)
    raw, problems = data.read(file, "programme", root)
    if raw is None:
        return None, problems
    rel = str(file.relative_to(root)) if file.is_relative_to(root) else str(file)
    known = {p.name for p in (root / "chapters").iterdir() if (p / "module.yml").is_file()} \
        if (root / "chapters").is_dir() else set()
    titles = _module_titles(root, known)
    for n, key in enumerate(raw["modules"]):
        if key not in known:
            given = _loose(str(key))
            named = [k for k, title in titles.items()
                     if _loose(title) == given or (len(given) >= 5 and _loose(title).startswith(given))]
            hint = f"{key!r} is a module's title: use its key {named[0]!r}" if named else f"unknown module {key!r}"
            problems.append(Problem(rel, data.line_of(file, ["modules", n]),
                                    f"modules: {hint} (the module keys are {', '.join(sorted(known))})"))
    if raw["modules"] and raw["modules"][0] != "orientation" and "orientation" in raw["modules"]:
        problems.append(Problem(rel, data.line_of(file, ["modules"]), "modules: orientation must come first"))
    offered = format_keys(root / "instructor" / "formats.yml") if raw.get("formats") else []
    if offered:
        for n, key in enumerate(raw["formats"]):
            if key not in offered:
                problems.append(Problem(rel, data.line_of(file, ["formats", n]),
                                        f"formats: no format {key!r} (instructor/formats.yml has {', '.join(offered)})"))
    logo = None
    if raw.get("logo"):
        logo = (file.parent / raw["logo"]).resolve()
        if not logo.is_file():
            problems.append(Problem(rel, data.line_of(file, ["logo"]), f"logo: no image file at {logo}"))
        elif logo.suffix.lower() not in IMAGE_SUFFIXES:
            problems.append(Problem(rel, data.line_of(file, ["logo"]),
                                    f"logo: {logo.name} is not an image a browser shows "
                                    f"(use {', '.join(sorted(IMAGE_SUFFIXES))})"))
    if problems:
        return None, problems
    return Programme(
        path=file, title=raw["title"], modules=tuple(raw["modules"]), subtitle=raw.get("subtitle", ""),
        author=raw.get("author", ""), institution=raw.get("institution", ""), logo=logo,
        slug=raw.get("slug") or _slug(raw["title"]), version=str(raw.get("version") or __version__),
        formats=tuple(raw["formats"]) if raw.get("formats") else None, support=raw.get("support") or {},
    ), []


def _loose(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"^module \d+:\s*", "", text.lower())).strip()


def _module_titles(root: Path, keys: set[str]) -> dict[str, str]:
    """Each module's title from its module.yml (only to recognise a title given where a key belongs)."""
    out = {}
    for key in keys:
        try:
            raw = load_yaml(root / "chapters" / key / "module.yml")
        except CourseError:
            continue
        if isinstance(raw, dict) and isinstance(raw.get("title"), str):
            out[key] = raw["title"]
    return out


def load(root: Path, path: Path | str | None = None) -> Programme:
    """The programme, or a CourseError listing what is wrong with its file."""
    programme, problems = read(root, path)
    if programme is None:
        raise CourseError("\n".join(map(str, problems)))
    return programme


def _slug(title: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "course"

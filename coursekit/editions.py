"""The learner and instructor editions of a programme's course: one source, two Sphinx builds.

Each build gets a generated configuration and table of contents in _build/<edition>/: the
course's _config.yml and _toc.yml (with instructor/_config.yml and instructor/_toc.yml merged in
for the instructor edition), named and cut to the programme: its title everywhere, its modules
in its order and numbered, the modules it leaves out excluded."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .modules import KIND_CAPTIONS, all_modules
from .programme import Programme
from .project import CourseError, load_yaml

EDITIONS = ("learner", "instructor")
INSTRUCTOR_DIR = "instructor"


@dataclass(frozen=True)
class EditionPaths:
    """Where an edition's configuration, toc and output live."""

    name: str
    config: Path
    toc: Path
    out: Path

    @property
    def html(self) -> Path:
        return self.out / "html"


def merge(base: Any, overlay: Any) -> Any:
    """Merge overlay into base: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return overlay


def _module_key(docname: str) -> str | None:
    parts = docname.strip("/").split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "chapters" and parts[2] == "index" else None


def edition_toc(root: Path, edition: str, programme: Programme) -> dict[str, Any]:
    """The edition's toc: the programme's modules in its order, in parts by kind, then the rest."""
    learner = load_yaml(root / "_toc.yml")
    if not isinstance(learner, dict) or not isinstance(learner.get("parts"), list):
        raise CourseError(f"{root / '_toc.yml'}: must be a jb-book toc with a 'parts:' list")
    kinds = {key: module.kind for key, module in all_modules(root).items()}
    chapters: dict[str, dict[str, Any]] = {}
    rest = []
    for part in learner["parts"]:
        others = []
        for chapter in part.get("chapters", []):
            key = _module_key(chapter.get("file", ""))
            if key:
                chapters[key] = chapter
            else:
                others.append(chapter)
        if others:
            rest.append({**part, "chapters": others})
    parts: list[dict[str, Any]] = []
    for key in programme.modules:
        caption = KIND_CAPTIONS[kinds[key]]
        if parts and parts[-1]["caption"] == caption:
            parts[-1]["chapters"].append(chapters[key])
        else:
            parts.append({"caption": caption, "chapters": [chapters[key]]})
    toc = {**learner, "parts": parts + rest}
    if edition == "instructor":
        extra_path = root / INSTRUCTOR_DIR / "_toc.yml"
        extra = load_yaml(extra_path)
        if not isinstance(extra, dict) or not isinstance(extra.get("parts"), list):
            raise CourseError(f"{extra_path}: must hold a 'parts:' list to add to _toc.yml")
        toc["parts"] = toc["parts"] + [_instructor_part(p, programme) for p in copy.deepcopy(extra["parts"])]
    return toc


def _instructor_part(part: dict[str, Any], programme: Programme) -> dict[str, Any]:
    def keep(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        notes = {e["file"].rsplit("/", 1)[-1]: e for e in entries if e.get("file", "").startswith("instructor/modules/")}
        others = [e for e in entries if not e.get("file", "").startswith("instructor/modules/")]
        for e in others:
            if "sections" in e:
                e["sections"] = keep(e["sections"])
        return others + [notes[k] for k in programme.modules if k in notes]

    part["chapters"] = keep(part.get("chapters", []))
    return part


def edition_config(root: Path, edition: str, programme: Programme) -> dict[str, Any]:
    """The edition's Jupyter Book configuration, named for the programme and cut to its modules."""
    config = load_yaml(root / "_config.yml") or {}
    if edition == "instructor":
        config = merge(config, load_yaml(root / INSTRUCTOR_DIR / "_config.yml") or {})
    left_out = [k for k in all_modules(root) if k not in programme.modules]
    title = programme.title if edition == "learner" else f"{programme.title}: Instructor Edition"
    config["title"] = title
    if programme.author:
        config["author"] = programme.author
    if programme.logo:
        config["logo"] = str(programme.logo)
    config["exclude_patterns"] = list(config.get("exclude_patterns", [])) + [
        pattern for key in left_out for pattern in (f"chapters/{key}/**", f"exercises/{key}/**", f"instructor/modules/{key}.md")]
    footer = config.setdefault("html", {}).get("extra_footer", "")
    if programme.institution:
        footer = f"Taught by {programme.institution}. " + footer
    config["html"]["extra_footer"] = footer
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["coursekit_edition"] = edition
    sphinx["coursekit_programme"] = programme.as_config()
    sphinx["version"] = sphinx["release"] = programme.version
    parse = config.setdefault("parse", {})
    extensions = list(parse.get("myst_enable_extensions", []))
    if "substitution" not in extensions:
        extensions.append("substitution")
    parse["myst_enable_extensions"] = extensions
    parse["myst_substitutions"] = {"course_title": programme.title, "course_subtitle": programme.subtitle,
                                   "institution": programme.institution, "course_author": programme.author}
    return config


MARKER = "programme.txt"
# what a build of an edition leaves beside its html/ that belongs to the programme it was built for
PROGRAMME_OUTPUTS = ("pdf", "handouts", "singlehtml")


def claim(out: Path, programme: Programme) -> list[str]:
    """Make _build/<edition>/ this programme's: when it was last built for another programme, remove that
    programme's PDFs, handouts and cartridges, so _build/ never mixes two programmes. The names removed."""
    mark = out / MARKER
    ident = f"{programme.path.resolve()}\n{programme.slug}\n"
    removed: list[str] = []
    previous = mark.read_text(encoding="utf-8") if mark.is_file() else None
    if previous is not None and previous != ident:
        for name in PROGRAMME_OUTPUTS:
            if (out / name).exists():
                shutil.rmtree(out / name, ignore_errors=True)
                removed.append(name + "/")
        for cartridge in sorted(out.glob("*.imscc")):
            cartridge.unlink()
            removed.append(cartridge.name)
    if previous != ident:
        mark.write_text(ident, encoding="utf-8")
    return removed


def paths(root: Path, name: str, programme: Programme) -> EditionPaths:
    """The paths of edition ``name``, writing its generated config and toc."""
    if name not in EDITIONS:
        raise CourseError(f"unknown edition {name!r}: choose from {', '.join(EDITIONS)}")
    out = root / "_build" / name
    out.mkdir(parents=True, exist_ok=True)
    claim(out, programme)
    config_path, toc_path = out / "_config.yml", out / "_toc.yml"
    note = f"# Generated by coursekit from _config.yml, _toc.yml and {programme.path.name}: do not edit.\n"
    config_path.write_text(note + yaml.safe_dump(edition_config(root, name, programme), sort_keys=False,
                                                 allow_unicode=True), encoding="utf-8")
    toc_path.write_text(note + yaml.safe_dump(edition_toc(root, name, programme), sort_keys=False), encoding="utf-8")
    return EditionPaths(name, config_path, toc_path, out)


def build_one(root: Path, name: str, programme: Programme, builder: str = "html", freshenv: bool = True) -> int:
    """Build one edition in this process; warnings are errors."""
    from jupyter_book.sphinx import build_sphinx
    from sphinx.util.console import nocolor

    if not sys.stderr.isatty():
        nocolor()  # plain messages in logs and pipes: file:line: WARNING: ...
    ed = paths(root, name, programme)
    target = ed.html if builder == "html" else ed.out / builder
    if freshenv:
        for stale in (target, ed.out / ".doctrees", ed.out / "jupyter_execute"):
            shutil.rmtree(stale, ignore_errors=True)
    result = build_sphinx(
        root,
        target,
        noconfig=True,
        path_config=str(ed.config),
        confoverrides={"external_toc_path": ed.toc.as_posix(), "latex_individualpages": False},
        builder=builder,
        warningiserror=True,
        keep_going=True,
        freshenv=freshenv,
        quiet=True,
    )
    return 0 if result == 0 else 1


def build_many(root: Path, names: list[str], programme_file: Path, builder: str = "html") -> dict[str, tuple[int, float, str]]:
    """Build editions in parallel subprocesses; per edition: exit code, seconds, output."""
    started = time.monotonic()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "coursekit.cli", "build", "--edition", name, "--root", str(root),
             "--programme", str(programme_file), "--builder", builder, "--no-check"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in names
    }
    results = {}
    for name, proc in procs.items():
        output, _ = proc.communicate()
        results[name] = (proc.returncode, time.monotonic() - started, output)
    return results

"""The whole course as one object: a programme's modules, exercises, session plans and formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import programme as programme_mod
from .exercises import Exercise, catalogue
from .modules import Module, all_modules
from .plans import Hours, Plans, Timetable, load_plans, module_hours, read_formats, study_minutes, timetable
from .project import CourseError


@dataclass
class Course:
    """A course checkout as a programme teaches it."""

    root: Path
    programme: programme_mod.Programme
    _plans: dict[str, Plans] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, programme_file: Path | str | None = None) -> "Course":
        return cls(root, programme_mod.load(root, programme_file))

    @classmethod
    def from_config(cls, root: Path, config: dict[str, Any] | None) -> "Course":
        """The course a Sphinx build was configured with (its programme file, or the default)."""
        return cls.load(root, (config or {}).get("path") or None)

    @cached_property
    def every_module(self) -> dict[str, Module]:
        """All modules of the full course, numbered where this programme teaches them."""
        found = all_modules(self.root)
        for key, module in found.items():
            module.number = self.programme.number(key)
        return found

    @cached_property
    def modules(self) -> list[Module]:
        """The programme's modules, in its order."""
        missing = [k for k in self.programme.modules if k not in self.every_module]
        if missing:
            raise CourseError(f"{self.programme.path}: no such module {', '.join(missing)}")
        return [self.every_module[k] for k in self.programme.modules]

    def module(self, key: str) -> Module:
        return self.every_module[key]

    @property
    def left_out(self) -> list[str]:
        return [k for k in self.every_module if k not in self.programme.modules]

    @cached_property
    def exercises(self) -> list[Exercise]:
        return catalogue(self.root, self.programme)

    def exercise(self, ex_id: str) -> Exercise | None:
        return next((ex for ex in self.exercises if ex.id == ex_id), None)

    def plans(self, key: str) -> Plans:
        if key not in self._plans:
            self._plans[key] = load_plans(self.root, key)
        return self._plans[key]

    @cached_property
    def formats(self) -> dict[str, dict[str, Any]]:
        raw, problems = read_formats(self.root, set(self.every_module))
        if raw is None:
            raise CourseError("\n".join(map(str, problems)))
        chosen = self.programme.formats
        if chosen:
            unknown = [f for f in chosen if f not in raw]
            if unknown:
                raise CourseError(f"{self.programme.path}: formats: no format {', '.join(map(repr, unknown))} "
                                  f"(instructor/formats.yml has {', '.join(raw)})")
            return {k: raw[k] for k in chosen}
        return raw

    def timetable(self, key: str) -> Timetable:
        if key not in self.formats:
            raise CourseError(f"no programme format {key!r} (this programme has {', '.join(self.formats)})")
        return timetable(key, self.formats[key], list(self.programme.modules),
                         {m.key: self.plans(m.key) for m in self.modules})

    def study_minutes(self, module: Module) -> int:
        return study_minutes(module, self.exercises)

    def hours(self, fmt: str) -> list[Hours]:
        table = self.timetable(fmt)
        sessions = table.sessions()
        return [module_hours(m, self.exercises, sessions) for m in self.modules if m.key in table.modules]

    def course_meta(self, edition: str) -> dict[str, str]:
        """What a downloaded notebook records of the course it came from."""
        return {"title": self.programme.title, "version": self.programme.version, "slug": self.programme.slug}

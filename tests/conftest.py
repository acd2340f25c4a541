"""Shared fixtures: a clean copy of the course, both editions built from it, a local server, a browser.

Helpers that tests import live in helpers.py; no test module imports another."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CHROMIUM, CHROMIUM_ARGS, Built, Server, copy_course, coursekit, unavailable


PROGRAMME = Path(__file__).resolve().parent / "fixtures" / "northfield.yml"


class _Build:
    """A whole-book build running in the background, so that the two builds the tests need run at once."""

    def __init__(self, root: Path, *args: str) -> None:
        import subprocess
        import sys

        self.root = root
        self.proc = subprocess.Popen([sys.executable, "-m", "coursekit.cli", "build", "--edition", "all",
                                      "--root", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self._done: Built | None = None

    def wait(self) -> Built:
        import subprocess

        if self._done is None:
            out, err = self.proc.communicate()
            self._done = Built(self.root, subprocess.CompletedProcess(self.proc.args, self.proc.returncode, out, err))
        return self._done


_STARTED: dict[str, _Build] = {}
BUILD_FIXTURES = {"built", "programme_built", "served", "_builds"}


def _start_builds(factory: pytest.TempPathFactory) -> dict[str, _Build]:
    import shutil

    if not _STARTED:
        course = copy_course(factory.mktemp("course"))
        other = copy_course(factory.mktemp("programme"))
        for name in ("northfield.yml", "northfield-logo.svg"):
            shutil.copy(PROGRAMME.parent / name, other / name)
        _STARTED["course"] = _Build(course)
        _STARTED["programme"] = _Build(other, "--programme", str(other / "northfield.yml"))
    return _STARTED


def pytest_collection_modifyitems(session: pytest.Session, config, items: list) -> None:
    """Tests that need no whole-book build run first, while the builds run in the background."""
    items.sort(key=lambda item: bool(BUILD_FIXTURES & set(getattr(item, "fixturenames", ()))))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the two whole-book builds as soon as the tests are collected, if any test needs them,
    so that they run while the tests that need no build do."""
    if any(BUILD_FIXTURES & set(getattr(item, "fixturenames", ())) for item in session.items):
        _start_builds(session.config._tmp_path_factory)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def _builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, _Build]:
    return _start_builds(tmp_path_factory)


@pytest.fixture(scope="session")
def built(_builds) -> Built:
    """Both editions of the course as programme.yml describes it, built from a clean copy."""
    return _builds["course"].wait()


@pytest.fixture(scope="session")
def programme_built(_builds) -> Built:
    """Both editions built for tests/fixtures/northfield.yml: renamed, without Rupture and repair."""
    return _builds["programme"].wait()


@pytest.fixture(scope="session")
def printed(built: Built, chromium_path) -> Built:
    """Both editions' PDFs and every handout printed from the built course (tests/test_pdf.py and
    tests/test_handouts.py read them)."""
    # the HTML editions are built already (the fixture 'built'): print without building them again
    result = coursekit("build", "--pdf-only", "--no-check", "--root", str(built.root))
    assert result.returncode == 0, result.stdout + result.stderr
    handouts = coursekit("handouts", "--no-build", "--root", str(built.root))
    assert handouts.returncode == 0, handouts.stdout + handouts.stderr
    return built


@pytest.fixture(scope="session")
def course_copy_factory(tmp_path_factory: pytest.TempPathFactory):
    """Make a fresh, writable copy of the course sources for a test to break."""
    def make() -> Path:
        return copy_course(tmp_path_factory.mktemp("broken"))
    return make


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        unavailable(f"no browser at {CHROMIUM}: install Debian's Chromium with 'apt-get install -y chromium' "
                    "(or set COURSEKIT_CHROMIUM to a Chromium binary)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def served(built: Built):
    """Each built edition served on its own local port."""
    servers = {name: Server(built.html(name)) for name in ("learner", "instructor")}
    yield {name: s.url for name, s in servers.items()}
    for s in servers.values():
        s.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core, from the axe-playwright-python package (a test dependency that bundles it)."""
    import os
    from importlib.util import find_spec

    override = os.environ.get("COURSEKIT_AXE")
    if override:
        path = Path(override)
    else:
        spec = find_spec("axe_playwright_python")
        if spec is None or not spec.origin:
            unavailable("axe-core not found: install the test dependencies with "
                        "pip install -c constraints.txt -e '.[test]' (axe-playwright-python bundles it)")
        path = Path(spec.origin).parent / "axe.min.js"
    if not path.is_file():
        unavailable(f"axe-core not found at {path}")
    return path.read_text(encoding="utf-8")

"""Shared fixtures: a clean copy of the course, both editions built from it, a local server, a browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def tracked_files(root: Path) -> list[Path]:
    """The files a fresh clone would have (tracked, plus untracked ones git does not ignore)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            capture_output=True, check=True,
        ).stdout.decode()
        return [root / p for p in out.split("\0") if p and (root / p).is_file()]
    except (subprocess.CalledProcessError, FileNotFoundError):
        skip = {"_build", ".venv", ".git", "__pycache__", ".pytest_cache"}
        return [p for p in root.rglob("*") if p.is_file() and not skip.intersection(p.relative_to(root).parts)]


def copy_course(dest: Path) -> Path:
    """Copy the course as a fresh clone would have it into ``dest``."""
    for path in tracked_files(REPO):
        target = dest / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return dest


def coursekit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "coursekit.cli", *args], capture_output=True, text=True,
                          cwd=cwd)


@dataclass
class Built:
    """Both editions built from one clean copy of the course."""

    root: Path
    result: subprocess.CompletedProcess[str]

    def html(self, edition: str) -> Path:
        return self.root / "_build" / edition / "html"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_course(tmp_path_factory.mktemp("course"))
    result = coursekit("build", "--edition", "all", "--root", str(root))
    return Built(root, result)


@pytest.fixture(scope="session")
def course_copy_factory(tmp_path_factory: pytest.TempPathFactory):
    """Make a fresh, writable copy of the course sources for a test to break."""
    def make() -> Path:
        return copy_course(tmp_path_factory.mktemp("broken"))
    return make


def unavailable(message: str) -> None:
    """A tool a test needs is missing: fail under CI, where everything must run; skip elsewhere."""
    if IN_CI:
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)


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


class Server:
    """``python -m http.server`` on 127.0.0.1, stopped by its own process id."""

    def __init__(self, folder: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        match = re.search(r"port (\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"http.server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{match.group(1)}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def served(built: Built):
    """Each built edition served on its own local port."""
    servers = {name: Server(built.html(name)) for name in ("learner", "instructor")}
    yield {name: s.url for name, s in servers.items()}
    for s in servers.values():
        s.stop()


def page_text(path: Path) -> str:
    """The visible text of an HTML page (scripts and styles left out)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style") and self.skip > 0

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())

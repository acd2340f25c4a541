"""Shared test helpers: the course's paths, the command line, copies of the course, HTML parsing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
EDITIONS = ("learner", "instructor")


def unavailable(message: str) -> None:
    """A tool a test needs is missing: fail under CI, where everything must run; skip elsewhere."""
    if IN_CI:
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)


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
    return subprocess.run([sys.executable, "-m", "coursekit.cli", *args], capture_output=True, text=True, cwd=cwd)


def coursekit_here(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command line run in this process (click's test runner): the same command, its
    output and exit code, without starting Python again (the check tests run it dozens of times)."""
    from click.testing import CliRunner

    from coursekit.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)  # click 8.2+ keeps stderr apart
    return subprocess.CompletedProcess(["coursekit", *args], result.exit_code, result.stdout, result.stderr)


@dataclass
class Built:
    """Both editions built from one clean copy of the course."""

    root: Path
    result: subprocess.CompletedProcess[str]

    def html(self, edition: str) -> Path:
        return self.root / "_build" / edition / "html"

    def pages(self, edition: str) -> list[str]:
        """The site's pages (the printable handouts and the views to project, which have no site
        navigation, left out: tests/test_accessibility.py and test_room_browser.py audit them)."""
        html = self.html(edition)
        return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                      if not {"_static", "handouts", "room"} & set(p.relative_to(html).parts))


class Page(HTMLParser):
    """An HTML page parsed once: visible text, links, ids, tables, and elements by class."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tables: list[list[list[str]]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] = []
        self._skip = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)
        self.text = " ".join("".join(self._text).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") == "canonical"):
                self.links.append(a[key])
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "tr", "dt", "dd"):
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()).replace("’", "'"))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd"):
            self._text.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)
            if self._cell is not None:
                self._cell.append(data)

    def by_class(self, name: str) -> list[dict[str, str]]:
        return [a for _, a in self.elements if name in a.get("class", "").split()]


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def page_text(path: Path) -> str:
    """The visible text of an HTML page (scripts and styles left out)."""
    return parse(path).text


def table_with(page: Page, header: list[str]) -> list[list[str]]:
    """The first table on a page whose header row starts with ``header``."""
    for table in page.tables:
        if table and table[0][: len(header)] == header:
            return table
    raise AssertionError(f"no table with header {header}: {[t[0] for t in page.tables if t]}")


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


def new_page(browser, base: str, *, width: int = 1280, height: int = 900, scale: float = 1, **context):
    """A page in a fresh browser context that records console errors and requests to other hosts."""
    from urllib.parse import urlparse

    host = urlparse(base).netloc
    # the course's service worker saves the whole site when a page first loads (tests/test_offline.py tests
    # it); elsewhere it is blocked, so that each fresh profile does not download the course again
    context.setdefault("service_workers", "block")
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale, **context)
    page = ctx.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"script error: {e}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"HTTP {r.status}: {r.url} (from {r.request.headers.get('referer', '?')})"))
    page.on("request", lambda r: urlparse(r.url).netloc not in (host, "") and not r.url.startswith(("data:", "blob:"))
            and page.problems.append(f"request to another host: {r.url}"))
    return page


# text a sighted reader sees: elements drawn no larger than one pixel (the usual screen-reader-only
# technique) or not drawn at all are left out, whatever their class is called
VISIBLE_TEXT = """(root) => {
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { out.push(child.textContent); continue; }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const r = child.getBoundingClientRect(), css = getComputedStyle(child);
      if (css.display === "none" || css.visibility === "hidden" || (r.width <= 1 && r.height <= 1)) continue;
      walk(child);
    }
  };
  walk(root);
  return out.join("").replace(/\\s+/g, " ").trim();
}"""


def visible_text(page, selector: str) -> str:
    """The text of the first element matching `selector` as it shows on screen."""
    return page.locator(selector).first.evaluate(VISIBLE_TEXT)


# ---------------------------------------------------------------- what only instructors may read

WORD = re.compile(r"[^\W\d_]+")  # letters only: Sphinx's search splits words the same way


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def source_words(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        found |= words_of(path.read_text(encoding="utf-8"))
    return found


def instructor_vocabulary(root: Path, learner_html: Path) -> set[str]:
    """Words the instructor sources use that no learner source (nor the site's own chrome) uses."""
    from coursekit.project import content_files

    instructor = [p for p in content_files(root) if p.relative_to(root).parts[0] == "instructor"]
    instructor += sorted((root / "instructor").rglob("*.yml"))
    learner = [p for p in content_files(root) if p.relative_to(root).parts[0] != "instructor"]
    learner += [root / "references.bib", root / "_config.yml", root / "_toc.yml", root / "programme.yml"]
    learner += sorted((root / "chapters").rglob("*.yml"))
    learner += sorted((root / "coursekit").rglob("*.py")) + sorted((root / "coursekit").rglob("*.js"))
    chrome = words_of(re.sub(r"<[^>]+>", " ", (learner_html / "search.html").read_text(encoding="utf-8")))
    return {w for w in source_words(instructor) - source_words(learner) - chrome if len(w) >= 4}


def search_index(html: Path) -> dict:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def stems(words: set[str]) -> set[str]:
    from sphinx.search.en import SearchEnglish

    stemmer = SearchEnglish({})
    return {stemmer.stem(w) for w in words}



def exclusive_instructor_words(root: Path, learner_html: Path) -> list[str]:
    """Instructor-only words whose stem is not even part of a learner search term.

    Sphinx's search also matches parts of words, so these are the words a learner search must
    find nothing for."""
    from sphinx.search.en import SearchEnglish

    terms = "\n".join(search_index(learner_html)["terms"])  # one string: a stem found inside any term
    stemmer = SearchEnglish({})
    return sorted(w for w in instructor_vocabulary(root, learner_html) if stemmer.stem(w) not in terms)

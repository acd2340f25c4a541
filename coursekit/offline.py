"""Reading offline: after a build, the list of the site's files a reader needs (every page and what the
pages use, the search index, the exercise notebooks and the workbook zip; no source maps, translation
catalogues or files nothing links to) as ``_static/offline-manifest.json``, and the service worker
``sw.js`` at the site's root, versioned by the files' contents so that a new build replaces the old
copy cleanly."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

MANIFEST = "_static/offline-manifest.json"
WORKER = "sw.js"
_REF = re.compile(r"""\s(?:href|src)=["']([^"'#]+)""")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
ALWAYS = ("searchindex.js", "_static/workbook-catalogue.json", "_static/offline.js", "_static/workbook.js",
          "_static/workbook.css")


def _refs(rel: str, data: bytes) -> list[str]:
    """The site files a page or style sheet refers to, as paths from the site's root."""
    text = data.decode("utf-8", "replace")
    found = _REF.findall(text) if rel.endswith(".html") else _CSS_URL.findall(text) if rel.endswith(".css") else []
    out = []
    for ref in found:
        parts = urlsplit(ref.strip())
        if parts.scheme or parts.netloc or not parts.path:
            continue
        out.append(posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path))))
    return out


def needed_files(site: Path) -> list[str]:
    """Every page, the files the pages and their style sheets use, and the workbook's files."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if not p.relative_to(site).as_posix().startswith("_static/"))
    wanted = set(pages) | {f for f in ALWAYS if (site / f).is_file()}
    wanted |= {p.relative_to(site).as_posix() for p in site.rglob("*.ipynb")}
    wanted |= {p.relative_to(site).as_posix() for p in (site / "_downloads").glob("*.zip")} if (site / "_downloads").is_dir() else set()
    todo = list(wanted)
    while todo:
        rel = todo.pop()
        path = site / rel
        if not path.is_file() or not rel.endswith((".html", ".css")):
            continue
        for target in _refs(rel, path.read_bytes()):
            # a font's older formats are fallbacks for browsers that cannot read woff2: every browser
            # that runs the service worker reads woff2, so only that format is kept
            older_font = target.endswith((".ttf", ".woff", ".eot")) and \
                (site / target).with_suffix(".woff2").is_file()
            if target not in wanted and (site / target).is_file() and not target.endswith(".map") and not older_font:
                wanted.add(target)
                todo.append(target)
    return sorted(f for f in wanted if (site / f).is_file())


def write_offline(site: Path) -> dict:
    """Write the offline manifest and the service worker into a built site; return the manifest."""
    files = needed_files(site)
    digest = hashlib.sha256()
    total = 0
    for rel in files:
        data = (site / rel).read_bytes()
        total += len(data)
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    version = digest.hexdigest()[:16]
    manifest = {"version": version, "bytes": total, "files": files}
    (site / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
    (site / MANIFEST).write_text(json.dumps(manifest, indent=0), encoding="utf-8")
    worker = resources.files("coursekit").joinpath("static", "sw.js").read_text("utf-8")
    (site / WORKER).write_text(worker.replace("__VERSION__", version).replace("__MANIFEST__", MANIFEST), encoding="utf-8")
    return manifest

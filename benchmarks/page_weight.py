"""Page weight: the bytes a first visit to each page of a built edition loads, decoded and gzipped.

Usage: .venv/bin/python benchmarks/page_weight.py [_build/learner/html] [--top N]

Serves the folder on 127.0.0.1, opens every page in Debian's Chromium with an empty cache, and
reports each page's decoded bytes (what the browser holds) and gzipped bytes (what crosses the
network from a host that compresses text, as benchmarks/gzip_server.py and most hosts do), the
heaviest page and what that page loads. Not a timed test: tests/test_accessibility.py holds the
1 MiB budget on decoded bytes."""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENTRIES = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .map(e => [e.name, e.decodedBodySize || 0])"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", default="_build/learner/html", type=Path)
    parser.add_argument("--top", type=int, default=10, help="how many of the heaviest pages to list")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not (args.html / "index.html").is_file():
        print(f"{args.html}: no built site here (run make book first)", file=sys.stderr)
        return 2
    pages = sorted(p.relative_to(args.html).as_posix() for p in args.html.rglob("*.html")
                   if "_static" not in p.relative_to(args.html).parts)
    server = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                               "--directory", str(args.html)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = re.search(r"port (\d+)", server.stdout.readline()).group(1)
        weights: dict[str, list[tuple[str, int]]] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
            for path in pages:
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="load")
                weights[path] = [(re.sub(r"^http://127\.0\.0\.1:\d+/", "", n), s) for n, s in page.evaluate(ENTRIES)]
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    zipped: dict[str, int] = {}

    def gz(name: str) -> int:
        rel = name.split("?")[0].split("#")[0]
        if rel not in zipped:
            file = args.html / rel
            data = file.read_bytes() if file.is_file() else b""
            text = file.suffix in (".html", ".css", ".js", ".json", ".svg", ".txt")
            zipped[rel] = len(gzip.compress(data, 6)) if text else len(data)
        return zipped[rel]

    totals = sorted(((sum(s for _, s in w), sum(gz(n) for n, _ in w), p) for p, w in weights.items()), reverse=True)
    print(f"{len(pages)} pages in {args.html}; bytes of a first visit, decoded and gzipped, heaviest first:")
    for total, zipped_total, path in totals[: args.top]:
        print(f"  {total:>10,}  {zipped_total:>9,}  {path}")
    total, zipped_total, path = totals[0]
    median = sorted(totals)[len(totals) // 2]
    print(f"heaviest: {path}, {total:,} bytes decoded ({total / 1048576:.2f} MiB), {zipped_total:,} gzipped; "
          f"median page {median[0]:,} decoded, {median[1]:,} gzipped")
    print(f"what {path} loads (decoded, gzipped):")
    for name, size in sorted(weights[path], key=lambda x: -x[1])[:12]:
        print(f"  {size:>10,}  {gz(name):>9,}  {name.split('?')[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

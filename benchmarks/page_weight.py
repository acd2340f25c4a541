"""Page weight: the bytes a first visit to each page of a built edition loads, decoded.

Usage: .venv/bin/python benchmarks/page_weight.py [_build/learner/html] [--top N]

Serves the folder on 127.0.0.1, opens every page in Debian's Chromium with an empty cache, and
reports each page's decoded bytes, the heaviest page and what that page loads. Not a timed test:
tests/test_accessibility.py holds the 1 MiB budget."""

from __future__ import annotations

import argparse
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
    totals = sorted(((sum(s for _, s in w), p) for p, w in weights.items()), reverse=True)
    print(f"{len(pages)} pages in {args.html}; decoded bytes of a first visit, heaviest first:")
    for total, path in totals[: args.top]:
        print(f"  {total:>10,}  {path}")
    total, path = totals[0]
    print(f"heaviest: {path}, {total:,} bytes ({total / 1048576:.2f} MiB); median page "
          f"{sorted(t for t, _ in totals)[len(totals) // 2]:,} bytes")
    print(f"what {path} loads:")
    for name, size in sorted(weights[path], key=lambda x: -x[1])[:12]:
        print(f"  {size:>10,}  {name.split('?')[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

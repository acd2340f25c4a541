"""The author's loop: how long a one-page edit takes to show in the live preview (`make serve`).

Usage: .venv/bin/python benchmarks/preview_edit.py [--runs 7]

Copies the course to a scratch folder, starts `coursekit serve` there on 127.0.0.1, waits for
the first build, then appends a line to one reading page again and again, timing how long each
takes to appear in the page the preview serves. Prints each time and the median. The server it
started is stopped by its own process group at the end."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "chapters/shame/resilience"


def fetch(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="preview-"))
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout.decode()
    for rel in filter(None, files.split("\0")):
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, scratch / rel)
    subprocess.run(["git", "init", "-q"], cwd=scratch, check=True)
    subprocess.run(["git", "add", "-A"], cwd=scratch, check=True)
    server = subprocess.Popen([sys.executable, "-m", "coursekit.cli", "serve", "--port", str(args.port)], cwd=scratch,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{args.port}/{PAGE}.html"
    try:
        started = time.monotonic()
        while "<html" not in fetch(url):
            if time.monotonic() - started > 180:
                print("the preview did not start", file=sys.stderr)
                return 1
            time.sleep(0.5)
        print(f"first build served after {time.monotonic() - started:.0f} s")
        time.sleep(3)
        page = scratch / f"{PAGE}.md"
        times = []
        for n in range(args.runs):
            marker = f"Preview marker {n} {time.time()}"
            page.write_text(page.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}\n", encoding="utf-8")
            edited = time.monotonic()
            while marker not in fetch(url):
                time.sleep(0.05)
            times.append(time.monotonic() - edited)
            time.sleep(2)
        print("one-page edit shown after: " + ", ".join(f"{t:.1f} s" for t in times)
              + f"; median {statistics.median(times):.1f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A static file server on 127.0.0.1 that sends text files gzip-compressed, as a real web host would.

Usage: python benchmarks/gzip_server.py FOLDER [PORT]   (PORT 0 picks a free port; the port is printed)

Used by benchmarks/lighthouse.sh and benchmarks/page_weight.py so that transfer sizes are the
ones a reader's browser would see. Not for production."""

from __future__ import annotations

import gzip
import http.server
import sys
from functools import partial
from pathlib import Path

COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".txt", ".ipynb", ".xml", ".csv", ".inv"}


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):  # noqa: D102 - same contract as the base class
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESS and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file():
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600")
            self.end_headers()
            from io import BytesIO

            return BytesIO(body)
        return super().send_head()

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=folder))
    print(f"serving {folder} on port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

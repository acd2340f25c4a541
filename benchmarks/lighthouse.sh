#!/usr/bin/env bash
# Lighthouse (mobile) on a few pages of the built learner edition, served gzip-compressed on 127.0.0.1.
# Usage: bash benchmarks/lighthouse.sh [_build/learner/html]
# Needs npm (apt-get install -y npm) to install lighthouse once into .venv/lighthouse, and
# Debian's Chromium. Prints each page's performance and accessibility scores and the median.
set -euo pipefail
cd "$(dirname "$0")/.."
html=${1:-_build/learner/html}
[ -f "$html/index.html" ] || { echo "$html: no built site here (run make book first)" >&2; exit 2; }
lh=.venv/lighthouse/node_modules/.bin/lighthouse
if [ ! -x "$lh" ]; then
  command -v npm >/dev/null || { echo "lighthouse needs npm: apt-get install -y npm" >&2; exit 2; }
  echo "installing lighthouse into .venv/lighthouse (npm)"
  npm install --no-audit --no-fund --prefix .venv/lighthouse 'lighthouse@12'
fi
log=$(mktemp)
.venv/bin/python benchmarks/gzip_server.py "$html" 0 > "$log" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q "port" "$log" && break; sleep 0.1; done
port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$log")
pages=(index.html chapters/shame/index.html chapters/rupture-repair/repair.html exercises/shame/responding-to-a-clients-shame.html exercises/index.html exercises/portfolio.html glossary.html)
out=$(mktemp -d)
for page in "${pages[@]}"; do
  CHROME_PATH=/usr/bin/chromium "$lh" "http://127.0.0.1:$port/$page" --quiet --form-factor=mobile \
    --only-categories=performance,accessibility --output=json --output-path="$out/$(echo "$page" | tr / _).json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
done
.venv/bin/python - "$out" <<'PY'
import json, statistics, sys
from pathlib import Path
rows = []
for f in sorted(Path(sys.argv[1]).glob("*.json")):
    r = json.loads(f.read_text())
    rows.append((r["finalDisplayedUrl"].split("/", 3)[-1], r["categories"]["performance"]["score"], r["categories"]["accessibility"]["score"],
                 r["audits"]["largest-contentful-paint"]["displayValue"], r["audits"]["total-byte-weight"]["displayValue"]))
for url, perf, a11y, lcp, weight in rows:
    print(f"  performance {perf:.2f}  accessibility {a11y:.2f}  LCP {lcp:>6}  {weight:>20}  {url}")
print(f"median: performance {statistics.median(r[1] for r in rows):.2f}, accessibility {statistics.median(r[2] for r in rows):.2f}; "
      f"lowest: performance {min(r[1] for r in rows):.2f}, accessibility {min(r[2] for r in rows):.2f}")
PY

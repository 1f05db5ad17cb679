#!/usr/bin/env bash
# Lighthouse (mobile preset) on the home page, the catalogue and a product page, in Indonesian and English.
#
#   scripts/lighthouse.sh
#
# Installs lighthouse (pinned) into .tools/lighthouse, serves the site with gunicorn and gunicorn.conf.py on a
# free port of 127.0.0.1 with the demo data in a throwaway SQLite database, runs Lighthouse LH_RUNS times per page
# with Debian's Chromium, prints the median of each category score per page, keeps every report in
# lighthouse-reports/<UTC time>/ and exits 1 if any median is below LH_MIN_SCORE.
#
# Environment: LH_RUNS (default 3), LH_LANGS (default "id en"), LH_MIN_SCORE (default 95),
# CHROME_PATH (default /usr/bin/chromium), GUNICORN_WORKERS (default 2 here: the machine is shared).
set -euo pipefail

LIGHTHOUSE_VERSION=12.8.2
RUNS=${LH_RUNS:-3}
LANGS=${LH_LANGS:-id en}
MIN_SCORE=${LH_MIN_SCORE:-95}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
# Without the background-networking flags Chromium's own connections (updates, sync) are refused offline and
# Lighthouse reports them; --headless=new is the headless mode of the real browser.
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PREFIX=.tools/lighthouse
LIGHTHOUSE=$PREFIX/node_modules/.bin/lighthouse
PY=.venv/bin/python

command -v npm >/dev/null || { echo "npm is missing: install Node.js (20 or newer) and npm" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "no Chromium at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)" >&2; exit 2; }
# Its own prefix, not ./node_modules: `make test` installs vnu-jar there with --no-save, which another install would prune.
if [ "$("$LIGHTHOUSE" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
make --no-print-directory install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; exit 2; }

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

# Production settings (a throwaway secret; BASE_URL is this run's address, which production requires). Rate limits
# in a Redis database of this script's own (production refuses memory:// with several workers; no limited endpoint
# is requested here). SQLite, because demo data is what is measured; PostgreSQL serves the same HTML.
export APP_ENV=production BASE_URL="$BASE"
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_hex(32))')
export SECRET_KEY
export DATABASE_URL="sqlite:///$WORK/etalase.db" UPLOAD_DIR="$WORK/uploads" MAIL_OUTBOX_DIR="$WORK/outbox"
export RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/11 MAIL_BACKEND=log
# the queue in a file of this run; the counts cache in Redis as in production, under keys of this run only
export JOBS_URL="sqlite:///$WORK/jobs.sqlite3" CACHE_KEY_PREFIX="etalase-lighthouse-$$-$(date +%s):"
mkdir -p "$UPLOAD_DIR"
echo "Demo data in $WORK"
{ .venv/bin/flask --app wsgi db upgrade && .venv/bin/flask --app wsgi seed-demo; } >"$WORK/setup.log" 2>&1 \
  || { cat "$WORK/setup.log" >&2; exit 2; }

GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} \
  .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app >"$WORK/gunicorn.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 2; }
  sleep 0.2
done
curl -fsS -o /dev/null "$BASE/healthz" || { echo "the site did not come up on $BASE" >&2; cat "$WORK/gunicorn.log" >&2; exit 2; }

# The first product of the catalogue (newest first): a published product with photos in the demo data.
PRODUCT=$(curl -fsS "$BASE/products" | grep -o 'href="/products/[0-9][^"]*"' | head -1 | cut -d'"' -f2)
[ -n "$PRODUCT" ] || { echo "no product link on $BASE/products" >&2; exit 2; }

OUT=lighthouse-reports/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
echo "Lighthouse $("$LIGHTHOUSE" --version), $("$CHROME_PATH" --version 2>/dev/null), $RUNS runs a page, site on $BASE"
echo "Reports in $OUT"

for lang in $LANGS; do
  for page in home catalogue product; do
    case $page in
      home) path=/ ;;
      catalogue) path=/products ;;
      product) path=$PRODUCT ;;
    esac
    url="$BASE$path"
    [ "$lang" = id ] || url="$url?lang=$lang"
    for run in $(seq "$RUNS"); do
      echo "  $lang $page run $run: $url"
      # The default configuration of Lighthouse 12 is the mobile one: Moto G Power screen, simulated slow 4G, 4x CPU slowdown.
      "$LIGHTHOUSE" "$url" --quiet --chrome-flags="$CHROME_FLAGS" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output=html --output-path="$OUT/$lang-$page-$run" \
        || echo "    lighthouse failed on $url (run $run)" >&2
    done
  done
done

echo
# The summary is kept beside the reports; with pipefail the script's exit status is the summary's.
"$PY" scripts/lighthouse_summary.py "$OUT" --min-score "$MIN_SCORE" | tee "$OUT/summary.txt"

#!/usr/bin/env bash
# Security scans of a throwaway Etalase UMKM with demo data on 127.0.0.1: wapiti3 (every module that applies,
# anonymous and logged in as the demo owner and the demo moderator) and sqlmap (search, catalogue filters, login,
# registration, inquiry). Exits non-zero when any finding is open.   Usage: bash scripts/security/scan.sh
#
# Bounds, for a quicker or a longer run (wapiti's --max-scan-time bounds its crawl, --max-attack-time each module):
#   WAPITI_ANON_CRAWL (180 s), WAPITI_AUTH_CRAWL (120 s per account), WAPITI_ATTACK_TIME (40 s per module and pass),
#   SQLMAP_LEVEL (2), SQLMAP_RISK (1).   Reports go to SCAN_REPORT_DIR (default instance/security-scan/<UTC time>).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/scripts/security"
SCAN_VENV="$ROOT/.venv-scan"
APP_BIN="$ROOT/.venv/bin"
WAPITI_ANON_CRAWL="${WAPITI_ANON_CRAWL:-180}"
WAPITI_AUTH_CRAWL="${WAPITI_AUTH_CRAWL:-120}"
WAPITI_ATTACK_TIME="${WAPITI_ATTACK_TIME:-40}"
SQLMAP_LEVEL="${SQLMAP_LEVEL:-2}"
SQLMAP_RISK="${SQLMAP_RISK:-1}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
REPORTS="${SCAN_REPORT_DIR:-$ROOT/instance/security-scan/$STAMP}"
DEMO_PASSWORD="demo-umkm-2025"
OWNER="pemilik@demo.etalase.id"
MODERATOR="moderator.kotaprobolinggo@demo.etalase.id"

# Modules that apply to a server-rendered Python app on plain HTTP behind a TLS proxy. Left out, and why
# (docs/SECURITY.md): ssl, https_redirect (no TLS here: the proxy terminates it); nikto, wapp, htp (download
# their databases at run time); cms, wp_enum, drupal/joomla/... (no CMS); log4shell, spring4shell (Java, and an
# internet DNS endpoint); ssrf (needs wapiti's public endpoint); takeover (DNS of subdomains); network_device.
WAPITI_MODULES="backup,brute_login_form,buster,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,ldap,methods,permanentxss,redirect,shellshock,sql,timesql,upload,xss,xxe"

log() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# --- 1. tools: the app's venv (make install) and the scanners' own venv, pinned ------------------------------
log "Installing the app (make install) and the pinned scanners into .venv-scan"
make --no-print-directory install >/dev/null
if [ ! -x "$SCAN_VENV/bin/python" ]; then
  python3 -m venv "$SCAN_VENV"
fi
if ! cmp -s "$HERE/requirements.txt" "$SCAN_VENV/.installed" 2>/dev/null; then
  "$SCAN_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
  cp "$HERE/requirements.txt" "$SCAN_VENV/.installed"
fi
WAPITI_VERSION="$("$SCAN_VENV/bin/pip" show wapiti3 | sed -n 's/^Version: //p')"
SQLMAP_VERSION="$("$SCAN_VENV/bin/pip" show sqlmap | sed -n 's/^Version: //p')"

# --- 2. a throwaway instance: temp database and uploads, migrations, demo data --------------------------------
WORK="$(mktemp -d -t etalase-scan.XXXXXX)"
SERVER_PID=""
cleanup() {
  status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  [ -f "$WORK/gunicorn.log" ] && cp "$WORK/gunicorn.log" "$REPORTS/gunicorn.log" 2>/dev/null
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM
mkdir -p "$REPORTS"

export APP_ENV=development   # what `make run` serves; production's Secure cookies are never sent back over plain HTTP
export SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="sqlite:///$WORK/etalase.db"
export UPLOAD_DIR="$WORK/uploads" MAIL_OUTBOX_DIR="$WORK/outbox" MAIL_BACKEND=outbox
export JOBS_URL="sqlite:///$WORK/jobs.sqlite3"   # the queue of this instance (no worker runs: mail and larger renditions wait)
export RATELIMIT_STORAGE_URI="memory://"
# For the scan only: every request comes from one address, so the per-client limits would answer 429 to the
# scanners instead of running the code under test. Nothing else is changed (docs/SECURITY.md).
export LOGIN_RATE_LIMIT="100000 per minute" RESET_RATE_LIMIT="100000 per minute"
export INQUIRY_RATE_LIMIT="100000 per minute" REPORT_RATE_LIMIT="100000 per minute"
export SIGNUP_RATE_LIMIT="100000 per minute" UPLOAD_RATE_LIMIT="100000 per minute" UPLOAD_CLIENT_RATE_LIMIT="100000 per minute"
mkdir -p "$UPLOAD_DIR"

log "Fresh instance in $WORK: migrations and demo data"
"$APP_BIN/flask" --app wsgi db upgrade >"$WORK/setup.log" 2>&1
"$APP_BIN/flask" --app wsgi seed-demo >>"$WORK/setup.log" 2>&1

# gunicorn with the production settings file: the server, workers and timeouts that face the internet. Only the
# periodic worker recycling is off: it closes keep-alive connections, which sqlmap reports as "unable to connect".
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
export BASE_URL="$BASE"   # links are built for it and other Host headers refused (400), as in production
log "Starting gunicorn on $BASE"
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=2 GUNICORN_THREADS=4 GUNICORN_TIMEOUT=60 \
  "$APP_BIN/gunicorn" -c gunicorn.conf.py --no-control-socket --max-requests 0 wsgi:app >"$WORK/gunicorn.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "gunicorn exited:"; cat "$WORK/gunicorn.log"; exit 2; }
  sleep 0.5
done
curl -fsS "$BASE/healthz" >/dev/null

public_product_url() {  # the newest public product of a region (Kemendagri code)
  curl -fsS "$BASE/api/v1/products?region=$1" | "$SCAN_VENV/bin/python" -c \
    'import json, sys; print(json.load(sys.stdin)["items"][0]["url"])'
}
PRODUCT_URL="$(public_product_url 35.74)"
PRODUCT_ID="$(printf '%s' "$PRODUCT_URL" | sed -E 's#.*/products/([0-9]+)-.*#\1#')"
STARTED="$(date -u +%s)"

# --- 3. wapiti: anonymous, then as the demo owner and the demo moderator ---------------------------------------
WAPITI_COMMON=(-m "$WAPITI_MODULES" --scope folder -d 4 --max-links-per-page 60 --max-files-per-dir 80
  --max-attack-time "$WAPITI_ATTACK_TIME" -t 15 --flush-session --store-session "$WORK/wapiti-session"
  --store-config "$WORK/wapiti-config" -x "$BASE/auth/logout" -x "$BASE/static/*" -x "$BASE/media/*"
  -f json -v 1 --no-bugreport)

log "wapiti $WAPITI_VERSION, anonymous: crawl up to ${WAPITI_ANON_CRAWL}s, then ${WAPITI_ATTACK_TIME}s per module"
"$SCAN_VENV/bin/wapiti" -u "$BASE/" "${WAPITI_COMMON[@]}" --max-scan-time "$WAPITI_ANON_CRAWL" \
  -s "$BASE/products?q=batik" -s "$BASE/auth/register" -s "$BASE/auth/login" -s "$BASE/auth/reset" \
  -s "$PRODUCT_URL" -s "$BASE/products/$PRODUCT_ID/report" -s "$BASE/api/v1/products?q=batik" \
  --swagger "$BASE/api/v1/openapi.json" -o "$REPORTS/wapiti-anonymous.json" >"$REPORTS/wapiti-anonymous.log" 2>&1 || true

# wapiti's own form login: it reads the CSRF token from the page with the session cookie that goes with it.
# ?lang=en so the page after login says "Log out", which is how wapiti tells that the login worked.
for account in owner:"$OWNER":"$BASE/my/" moderator:"$MODERATOR":"$BASE/moderation/"; do
  IFS=: read -r role email _ <<<"$account"
  start="${account#*:*:}"
  log "wapiti, logged in as the demo $role ($email), $start: crawl up to ${WAPITI_AUTH_CRAWL}s"
  "$SCAN_VENV/bin/wapiti" -u "$start" "${WAPITI_COMMON[@]}" --max-scan-time "$WAPITI_AUTH_CRAWL" \
    --form-url "$BASE/auth/login?lang=en" --form-user "$email" --form-password "$DEMO_PASSWORD" \
    -x "$BASE/my/password" -o "$REPORTS/wapiti-$role.json" >"$REPORTS/wapiti-$role.log" 2>&1 || true
  grep -q "Login success" "$REPORTS/wapiti-$role.log" || { echo "wapiti could not log in as $email"; exit 2; }
done

# --- 4. sqlmap: the search, the catalogue filters, login, registration and inquiry forms ------------------------
SQLMAP_COMMON=(--batch --level="$SQLMAP_LEVEL" --risk="$SQLMAP_RISK" --flush-session --disable-coloring
  --timeout=20 --time-sec=3 --skip-waf --parse-errors --answers="follow=N")

run_sqlmap() {  # name, then sqlmap arguments
  local name="$1"; shift
  log "sqlmap $SQLMAP_VERSION: $name (level $SQLMAP_LEVEL, risk $SQLMAP_RISK)"
  "$SCAN_VENV/bin/sqlmap" "${SQLMAP_COMMON[@]}" --output-dir="$WORK/sqlmap-$name" "$@" \
    >"$REPORTS/sqlmap-$name.log" 2>&1 || true
  cp "$WORK/sqlmap-$name/127.0.0.1/log" "$REPORTS/sqlmap-$name.injections" 2>/dev/null || true
}

# --threads only where there is no CSRF token: sqlmap refuses the two together.
run_sqlmap search -u "$BASE/products?q=batik+tulis" -p q --threads=4
run_sqlmap filters -u "$BASE/products?q=batik&region=35.74&category=batik&cert=halal&min_price=1000&max_price=900000&sort=price_asc&page=1" \
  -p "region,category,cert,min_price,max_price,sort,page" --threads=4
run_sqlmap api-filters -u "$BASE/api/v1/products?q=batik&region=35.74&category=batik&cert=halal&min_price=1000&max_price=900000&sort=price_asc&page=1" \
  -p "q,region,category,cert,min_price,max_price,sort,page" --threads=4
run_sqlmap login -u "$BASE/auth/login" --data "csrf_token=x&email=$OWNER&password=wrong-password" \
  --csrf-token=csrf_token --csrf-url="$BASE/auth/login" -p "email,password"
# An address that is already registered: the form is valid (every field reaches the code), nothing is created.
run_sqlmap register -u "$BASE/auth/register" \
  --data "csrf_token=x&role=buyer&name=Pembeli+Uji&email=pembeli@demo.etalase.id&phone=081234567890&region=35.05&password=rahasia-sekali&confirm_password=rahasia-sekali" \
  --csrf-token=csrf_token --csrf-url="$BASE/auth/register" -p "role,name,email,phone,region"
# A product of Kabupaten Blitar: wapiti's logged-in passes may have archived or deleted Kota Probolinggo's ones.
INQUIRY_URL="$(public_product_url 35.05)"
INQUIRY_ID="$(printf '%s' "$INQUIRY_URL" | sed -E 's#.*/products/([0-9]+)-.*#\1#')"
run_sqlmap inquiry -u "$BASE/products/$INQUIRY_ID/inquiry" \
  --data "csrf_token=x&name=Pembeli+Uji&contact=081234567890&quantity=2&region=35.05&message=Apakah+ready&website=" \
  --csrf-token=csrf_token --csrf-url="$INQUIRY_URL" -p "name,contact,quantity,region,message"

# --- 5. the verdict ---------------------------------------------------------------------------------------------
ELAPSED=$(( $(date -u +%s) - STARTED ))
cp "$WORK/gunicorn.log" "$REPORTS/gunicorn.log"
log "Reports in $REPORTS"
"$SCAN_VENV/bin/python" "$HERE/report.py" "$REPORTS" --accepted "$HERE/accepted.json" --base "$BASE" \
  --elapsed "$ELAPSED" --wapiti "$WAPITI_VERSION" --sqlmap "$SQLMAP_VERSION" --modules "$WAPITI_MODULES" \
  --sqlmap-level "$SQLMAP_LEVEL" --sqlmap-risk "$SQLMAP_RISK" \
  --machine "$(nproc) cores, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -s) ($(cat /etc/debian_version 2>/dev/null || uname -r)), $("$APP_BIN/python" -V 2>&1)"

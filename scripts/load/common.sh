# The rig shared by run.sh and db_restart.sh (sourced, not run): a private PostgreSQL with the 50,000-product
# data set, and gunicorn in production configuration in front of it. Everything lives under .load/ (gitignored).
# shellcheck shell=bash

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOAD_DIR=${LOAD_DIR:-$REPO/.load}
export PG_DIR=${PG_DIR:-$LOAD_DIR/pg} PG_PORT=${PG_PORT:-55432}
# shellcheck source=scripts/load/pg.sh
source "$REPO/scripts/load/pg.sh"

APP_PORT=${APP_PORT:-58000}
APP_URL="http://127.0.0.1:$APP_PORT"
PRODUCTS=${PRODUCTS:-50000}
BUSINESSES=${BUSINESSES:-5000}
# Redis database 13 of the shared server: rate-limit counters of these runs only.
LOAD_REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/13}
RESULTS=${RESULTS:-$LOAD_DIR/results}
LOAD_PY=$REPO/.venv-load/bin/python
GUNICORN_PID=
RIG_LOCKED=0

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# The app's venv (make install) and locust's own venv: locust brings gevent, which stays out of the app's.
ensure_venvs() {
    if [ ! -x "$REPO/.venv/bin/gunicorn" ] || [ ! -f "$REPO/marketplace/translations/id/LC_MESSAGES/messages.mo" ]; then
        log "installing the app (make install)"
        make -C "$REPO" install >/dev/null
    fi
    local stamp=$REPO/.venv-load/.requirements
    if ! cmp -s "$REPO/scripts/load/requirements.txt" "$stamp"; then
        log "installing locust into .venv-load"
        [ -x "$LOAD_PY" ] || python3 -m venv "$REPO/.venv-load"
        "$REPO/.venv-load/bin/pip" install --quiet --upgrade pip
        "$REPO/.venv-load/bin/pip" install --quiet -r "$REPO/scripts/load/requirements.txt"
        cp "$REPO/scripts/load/requirements.txt" "$stamp"
    fi
}

# Production settings, over plain HTTP on 127.0.0.1 (see docs/PERFORMANCE.md for what that changes).
app_env() {
    export APP_ENV=production
    SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    export SECRET_KEY
    DATABASE_URL=$(pg_url etalase_load)
    export DATABASE_URL
    export UPLOAD_DIR=$LOAD_DIR/uploads MAIL_BACKEND=outbox MAIL_OUTBOX_DIR=$LOAD_DIR/outbox
    # the site's address as the simulated browsers see it (they send X-Forwarded-Proto: https, as behind the TLS
    # proxy); production refuses to start without it, and other Host headers get 400
    export BASE_URL=https://127.0.0.1:$APP_PORT
    export RATELIMIT_STORAGE_URI=$LOAD_REDIS_URL
    # the queue (mail of the inquiries) in a Redis database of its own; no worker runs: the mail waits there
    export JOBS_URL=${LOAD_JOBS_URL:-redis://127.0.0.1:6379/14}
    # the counts cache in Redis as in production, beside the rate limits, under keys of this run only
    export CACHE_REDIS_URL=$LOAD_REDIS_URL CACHE_KEY_PREFIX="etalase-load-$$-$(date +%s):"
    # Every simulated buyer comes from 127.0.0.1: the real limit (10 per hour per client) would refuse them all.
    export INQUIRY_RATE_LIMIT=${INQUIRY_RATE_LIMIT:-100000 per hour}
    export GUNICORN_BIND=127.0.0.1:$APP_PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-5} GUNICORN_THREADS=${GUNICORN_THREADS:-4}
}

flask_cmd() { (cd "$REPO" && .venv/bin/flask --app wsgi "$@"); }
psql_cmd() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }

# What the cached database depends on: the schema, the generator, the search index, the server's settings, the size.
data_version() {
    (cd "$REPO" && cat migrations/versions/*.py marketplace/demo/bench.py marketplace/catalog/search/*.py marketplace/seeding.py scripts/load/pg.sh 2>/dev/null
     echo "$PRODUCTS $BUSINESSES") | sha256sum | cut -c1-16
}

# Start the private PostgreSQL with the data set: reused when its version matches, generated again otherwise or with --fresh.
prepare_database() {
    local fresh=${1:-0} version
    version=$(data_version)
    if [ "$fresh" = 1 ] || [ "$(cat "$LOAD_DIR/data.version" 2>/dev/null)" != "$version" ]; then
        log "generating the data set ($PRODUCTS products, $BUSINESSES businesses) in a new cluster at $PG_DIR"
        pg_destroy
        rm -rf "$LOAD_DIR/uploads" "$LOAD_DIR/data.version"
        mkdir -p "$LOAD_DIR/uploads"
        pg_init
        pg_start
        psql_cmd -d postgres -c "CREATE DATABASE etalase_load"
        flask_cmd db upgrade 2>&1 | tail -1 >&2
        flask_cmd bench-data --products "$PRODUCTS" --businesses "$BUSINESSES" >&2
        flask_cmd search-rebuild >&2
        # fresh statistics and visibility maps, as autovacuum would give a database that has been running a while
        psql_cmd -d etalase_load -c "VACUUM ANALYZE" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
        echo "$version" >"$LOAD_DIR/data.version"
    else
        log "reusing the data set in $PG_DIR (version $version; --fresh to generate it again)"
        pg_start
        # inquiries of earlier runs would make each run a little different from the last
        psql_cmd -d etalase_load -c "DELETE FROM notification WHERE kind = 'inquiry.new'" -c "DELETE FROM inquiry" \
            -c "VACUUM ANALYZE inquiry" -c "VACUUM ANALYZE notification"
    fi
    psql_cmd -d etalase_load -c "SELECT pg_stat_statements_reset()" >/dev/null
}

# gunicorn with the repo's gunicorn.conf.py; the access log also gives each request's time (%(M)s ms).
start_gunicorn() {
    mkdir -p "$RESULTS"
    log "starting gunicorn on $APP_URL ($GUNICORN_WORKERS workers x $GUNICORN_THREADS threads)"
    (cd "$REPO" && exec .venv/bin/gunicorn -c gunicorn.conf.py --access-logfile "$RESULTS/access.log" \
        --error-logfile "$RESULTS/gunicorn.log" --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms' wsgi:app >>"$RESULTS/gunicorn.log" 2>&1 9>&-) &
    GUNICORN_PID=$!
    for _ in $(seq 1 120); do
        if curl -fsS -o /dev/null "$APP_URL/healthz" 2>/dev/null; then return 0; fi
        kill -0 "$GUNICORN_PID" 2>/dev/null || { log "gunicorn exited; see $RESULTS/gunicorn.log"; return 1; }
        sleep 0.5
    done
    log "gunicorn did not answer /healthz within 60 s"
    return 1
}

stop_rig() {
    [ "$RIG_LOCKED" = 1 ] || return 0  # the rig of another run: not ours to stop
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    GUNICORN_PID=
    pg_stop fast
}

# Refuse to start on ports someone else is using (another run of these scripts, or another service).
check_ports() {
    local port
    mkdir -p "$LOAD_DIR"
    # one rig at a time: they share the cluster directory
    exec 9>"$LOAD_DIR/.lock"
    flock -n 9 || { log "another run of scripts/load is using $LOAD_DIR"; return 1; }
    RIG_LOCKED=1
    for port in "$APP_PORT" "$PG_PORT"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            if [ "$port" = "$PG_PORT" ] && [ -f "$PG_DIR/postmaster.pid" ]; then
                log "a private PostgreSQL of an earlier run is still up: stopping it"
                pg_stop fast
                continue
            fi
            log "port $port on 127.0.0.1 is in use: set APP_PORT / PG_PORT"
            return 1
        fi
    done
}

# The whole rig, up: traps that take it down again, venvs, settings, the data (FRESH=1: generated anew), fresh
# results, gunicorn.
start_rig() {
    trap stop_rig EXIT
    trap 'exit 130' INT TERM
    ensure_venvs
    app_env
    check_ports
    prepare_database "$1"
    rm -rf "$RESULTS" "$LOAD_DIR/outbox"
    start_gunicorn
}

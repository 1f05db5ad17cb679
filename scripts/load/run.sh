#!/usr/bin/env bash
# Load test: locust buyers (browse 60 %, search 25 %, product pages 10 %, inquiries 5 %) against gunicorn and a
# private PostgreSQL holding the 50,000-product data set, for a bounded time; PASS/FAIL against the goal
# (0 errors, p95 <= 200 ms on every page type, every gunicorn worker under 150 MB resident at the end). Exit status 1
# on FAIL. The issue's memory goal is judged after 5 minutes at 50 users: --time 5m.
#
#   bash scripts/load/run.sh [--users 50] [--spawn-rate 5] [--time 3m] [--warmup 30s] [--fresh]
#
# --fresh generates the data set again (otherwise the cluster in .load/pg is reused while the schema, the
# generator and the search code are unchanged). Results: .load/results/ (locust CSVs, access log with times,
# pg_stat_statements top queries). Settings: APP_PORT (58000), PG_PORT (55432), GUNICORN_WORKERS (5),
# GUNICORN_THREADS (4), LOAD_REDIS_URL (redis://127.0.0.1:6379/13).
set -euo pipefail

USERS=50 SPAWN_RATE=5 DURATION=3m WARMUP=30s FRESH=0
while [ $# -gt 0 ]; do
    case $1 in
        --users) USERS=$2; shift 2 ;;
        --spawn-rate) SPAWN_RATE=$2; shift 2 ;;
        --time) DURATION=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --fresh) FRESH=1; shift ;;
        *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
    esac
done

# shellcheck source=scripts/load/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start_rig "$FRESH"

locust_run() {
    (cd "$REPO" && .venv-load/bin/locust -f scripts/load/locustfile.py --host "$APP_URL" --headless --only-summary \
        --loglevel WARNING "$@")
}
if [ "$WARMUP" != 0 ]; then
    log "warm-up: 10 users for $WARMUP (not recorded)"
    locust_run -u 10 -r 10 -t "$WARMUP" >"$RESULTS/warmup.log" 2>&1 || true
fi
# CPU seconds of gunicorn and of PostgreSQL, and requests served, around the measured run
snapshot() { echo "$(python3 "$REPO/scripts/load/cpu.py" "$GUNICORN_PID" "$(head -1 "$PG_DIR/postmaster.pid")") $(wc -l <"$RESULTS/access.log")"; }
log "load: $USERS users, spawn rate $SPAWN_RATE/s, $DURATION (statistics reset once all users run)"
before=$(snapshot)
locust_run -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --reset-stats --csv "$RESULTS/load" >"$RESULTS/locust.log" 2>&1 || true
after=$(snapshot)
# resident memory (kB) of each gunicorn worker after the load: the goal is < 150 MB each
worker_rss=$(for pid in $(pgrep -P "$GUNICORN_PID"); do awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; done)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

psql_cmd -d etalase_load -c "SELECT calls, round(mean_exec_time::numeric, 2) AS mean_ms, round(total_exec_time::numeric) AS total_ms,
    left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" \
    >"$RESULTS/pg_top_queries.txt" || true

echo
echo "Etalase UMKM load test, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, locust $("$REPO/.venv-load/bin/locust" --version 2>/dev/null | awk '{print $2}' | head -1)"
echo "$USERS users (wait 1-3 s), $DURATION after ramp-up at $SPAWN_RATE/s; gunicorn $GUNICORN_WORKERS workers x $GUNICORN_THREADS threads; $PRODUCTS products"
# shellcheck disable=SC2086
"$LOAD_PY" "$REPO/scripts/load/summary.py" "$RESULTS/load" --cpu $before $after --loadavg "$loadavg" --worker-rss $worker_rss

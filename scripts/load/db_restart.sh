#!/usr/bin/env bash
# Fault check: the private PostgreSQL restarts (-m fast, -m immediate, and a few seconds down) under steady load;
# PASS when errors come only from requests in flight around each restart, they are the site's 500/503 page (no
# hangs), and every request succeeds again afterwards without restarting gunicorn. Exit status 1 on FAIL.
#
#   bash scripts/load/db_restart.sh [--clients 10] [--steady 20] [--outage 5] [--fresh]
#
# Same rig and settings as run.sh (APP_PORT, PG_PORT, GUNICORN_WORKERS, GUNICORN_THREADS). Every request of the
# run: .load/results/db_restart.csv; gunicorn's log (with the errors' tracebacks): .load/results/gunicorn.log.
set -euo pipefail

CLIENTS=10 STEADY=20 OUTAGE=5 FRESH=0
while [ $# -gt 0 ]; do
    case $1 in
        --clients) CLIENTS=$2; shift 2 ;;
        --steady) STEADY=$2; shift 2 ;;
        --outage) OUTAGE=$2; shift 2 ;;
        --fresh) FRESH=1; shift ;;
        *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
    esac
done

# shellcheck source=scripts/load/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start_rig "$FRESH"

log "steady load from $CLIENTS clients; PostgreSQL restarts every ${STEADY}s"
echo
echo "Etalase UMKM database restart check, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; gunicorn $GUNICORN_WORKERS workers x $GUNICORN_THREADS threads"
"$LOAD_PY" "$REPO/scripts/load/restart_probe.py" --url "$APP_URL" --master-pid "$GUNICORN_PID" --clients "$CLIENTS" \
    --steady "$STEADY" --outage "$OUTAGE" --csv "$RESULTS/db_restart.csv"

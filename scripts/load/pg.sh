#!/usr/bin/env bash
# A private, throwaway PostgreSQL 15 cluster for the load and fault scripts: restarting it never disturbs the
# machine's shared server. Trust authentication, 127.0.0.1 only, its own port and socket directory.
#
#   bash scripts/load/pg.sh init|start|stop|restart [fast|immediate]|status|destroy
#
# Settings (environment): PG_DIR (cluster directory, default .load/pg), PG_PORT (default 55432),
# PG_BIN (default /usr/lib/postgresql/15/bin). Sourced by common.sh, which calls the pg_* functions.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=${PG_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.load/pg}
PG_PORT=${PG_PORT:-55432}

# initdb and postgres refuse to run as root: run them as the postgres user, which owns the cluster directory.
pg_as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_init() {
    [ -f "$PG_DIR/PG_VERSION" ] && return 0
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    chmod 700 "$PG_DIR"
    pg_as "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # Production-like settings for a 2-core, 24 GB machine; durability settings are left at their defaults.
    cat >>"$PG_DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
shared_buffers = 512MB
effective_cache_size = 4GB
work_mem = 16MB
# SSD storage and a data set that fits in memory: random reads cost about what sequential ones do. With the
# default 4 the planner reads the whole search table (in parallel) for a search instead of its GIN index.
random_page_cost = 1.1
maintenance_work_mem = 256MB
shared_preload_libraries = 'pg_stat_statements'
logging_collector = off
log_min_messages = warning
CONF
    echo "host all all 127.0.0.1/32 trust" >"$PG_DIR/pg_hba.conf"
    echo "local all all trust" >>"$PG_DIR/pg_hba.conf"
}

# 9>&-: the server must not inherit common.sh's lock on .load/ (it would hold it after the script ends)
pg_start() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null 9>&-
}

pg_stop() {
    if [ -f "$PG_DIR/postmaster.pid" ]; then
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -m "${1:-fast}" -w -t 60 stop >/dev/null || true
    fi
}

# fast: ends sessions and checkpoints; immediate: kills the server, which then runs crash recovery on start.
pg_restart() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -m "${1:-fast}" -w -t 60 restart >/dev/null 9>&-
}

pg_status() {
    "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q
}

pg_destroy() {
    pg_stop immediate
    rm -rf "$PG_DIR"
}

pg_url() {
    echo "postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/${1:-etalase_load}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    command=${1:?usage: pg.sh init|start|stop|restart [fast|immediate]|status|destroy}
    shift
    "pg_$command" "$@"
fi

#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks, from Debian's binaries.
#   scripts/pg.sh start   prints the DATABASE_URL to use on stdout
#   scripts/pg.sh stop
# The cluster lives under /tmp (the postgres user must own it) and listens on loopback only.
set -euo pipefail
port="${PARVANEH_PG_PORT:-54329}"
dir="${PARVANEH_PG_DIR:-/tmp/parvaneh-pg-$port}"
bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
as_pg() {
  # From /tmp: the postgres user may not be able to read the repository's directory.
  if [[ "$(id -u)" == 0 ]]; then (cd /tmp && runuser -u postgres -- "$@"); else "$@"; fi
}
case "${1:-}" in
  start)
    if [[ ! -f "$dir/PG_VERSION" ]]; then
      mkdir -p "$dir"
      [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
      as_pg "$bin/initdb" -D "$dir" -U parvaneh --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200 -c fsync=off" >/dev/null
    fi
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U parvaneh -d postgres -tAc \
      "select 1 from pg_database where datname='parvaneh'" | grep -q 1 ||
      as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U parvaneh -d postgres -qc "create database parvaneh" >/dev/null
    echo "postgres://parvaneh@127.0.0.1:$port/parvaneh"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1, for tests and migration diffs.
#   .ci/pg-cluster.sh start <dir>   prints the DATABASE_URL of a role with CREATEDB (Prisma's shadow database needs it)
#   .ci/pg-cluster.sh stop <dir>
# initdb refuses to run as root, so the cluster runs as the `postgres` user when we are root.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" --auth=trust -U postgres >"$dir/initdb.log" 2>&1
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
  psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE deputy LOGIN CREATEDB PASSWORD 'deputy'" >/dev/null
  psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE deputy OWNER deputy" >/dev/null
  echo "postgresql://deputy:deputy@127.0.0.1:$port/deputy"
  ;;
stop)
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop <dir>" >&2; exit 2 ;;
esac

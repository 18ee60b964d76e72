#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary directory, run as
# the `postgres` user, listening on loopback only.
#
#   scripts/pg-cluster.sh start DIR PORT           # prints the database URL of a fresh `tearline` database
#   scripts/pg-cluster.sh createdb DIR PORT NAME   # another fresh database, NAME, in the running cluster; prints its URL
#   scripts/pg-cluster.sh createrole DIR PORT NAME PASSWORD   # a login role that owns nothing (an application role)
#   scripts/pg-cluster.sh stop DIR
#   scripts/pg-cluster.sh restart DIR PORT [SECONDS]  # stop -m fast, stay down SECONDS (default 5), start again
#
# The application's role (`tearline`) owns its database; the cluster trusts loopback connections,
# which is fine for a throwaway test cluster and nothing else.
set -euo pipefail
command=${1:?start, createdb or stop}
dir=${2:?a directory for the cluster}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
test -x "$bin/initdb" || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_start() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories='$dir' -c fsync=on -c max_connections=200" start >/dev/null
}
case "$command" in
start)
  port=${3:?a port}
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  as_postgres test -w "$dir" || { echo "the postgres user cannot write $dir (is every parent directory searchable?)" >&2; exit 1; }
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1
  pg_start "$port"
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE tearline LOGIN PASSWORD 'tearline'" -c "CREATE DATABASE tearline OWNER tearline" >/dev/null
  echo "postgres://tearline:tearline@127.0.0.1:$port/tearline?sslmode=disable"
  ;;
createrole)
  # A login role that owns nothing: what `tearline database migrate --app-role` grants rights to.
  port=${3:?a port}
  name=${4:?a role name}
  password=${5:?a password}
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "a role name is lower-case letters, digits and _: $name" >&2; exit 64; }
  [[ "$password" =~ ^[A-Za-z0-9_]+$ ]] || { echo "a test password is letters, digits and _" >&2; exit 64; }
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $name LOGIN PASSWORD '$password'" >/dev/null
  ;;
createdb)
  # Another database owned by `tearline` in a cluster `start` made: one per test run, so runs
  # never see each other's rows.
  port=${3:?a port}
  name=${4:?a database name}
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "a database name is lower-case letters, digits and _: $name" >&2; exit 64; }
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $name OWNER tearline" >/dev/null
  echo "postgres://tearline:tearline@127.0.0.1:$port/$name?sslmode=disable"
  ;;
stop)
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
restart)
  # A fault for tests: the cluster goes away under its clients and comes back on the same data.
  port=${3:?a port}
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  sleep "${4:-5}"
  pg_start "$port"
  ;;
*)
  echo "usage: $0 start DIR PORT | createdb DIR PORT NAME | createrole DIR PORT NAME PASSWORD | stop DIR | restart DIR PORT [SECONDS]" >&2; exit 64
  ;;
esac

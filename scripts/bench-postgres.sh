#!/usr/bin/env bash
# SQLite, PostgreSQL with one instance and PostgreSQL with two instances, in one run, with the
# same wrk load: builds tearline and tearline-bench in release mode, makes two fresh databases
# in a running cluster (scripts/pg-cluster.sh start DIR PORT), and runs
#   tearline-bench --http-backends --database-url URL1 --database-url URL2 [ARGS…]
# The databases are dropped afterwards. Needs wrk, curl and psql.
#
#   scripts/bench-postgres.sh DIR PORT [--seconds N] [--connections N] [--reports N]
#   SKIP_BUILD=1 scripts/bench-postgres.sh …   # use the binaries already in .build/release
#   PG_SETTINGS="synchronous_commit=off" scripts/bench-postgres.sh …   # a diagnostic: ALTER DATABASE … SET
#       each NAME=VALUE on both databases first (the README's figures use the cluster's defaults)
set -euo pipefail
dir=${1:?the cluster directory given to scripts/pg-cluster.sh start}
port=${2:?the cluster port}
shift 2
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product tearline
  swift build -c release --product tearline-bench
fi
suffix="$(date +%s)_$$"
one=$(bash scripts/pg-cluster.sh createdb "$dir" "$port" "bench_one_$suffix")
two=$(bash scripts/pg-cluster.sh createdb "$dir" "$port" "bench_two_$suffix")
drop() {
  for name in "bench_one_$suffix" "bench_two_$suffix"; do
    psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  done
}
trap drop EXIT
for setting in ${PG_SETTINGS:-}; do
  [[ "$setting" =~ ^[a-z_]+=[A-Za-z0-9_.]+$ ]] || { echo "PG_SETTINGS takes NAME=VALUE words: $setting" >&2; exit 64; }
  for name in "bench_one_$suffix" "bench_two_$suffix"; do
    psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "ALTER DATABASE $name SET ${setting%%=*} = '${setting#*=}'" >/dev/null
  done
  echo "diagnostic: both databases run with $setting"
done
echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
.build/release/tearline-bench --http-backends --database-url "$one" --database-url "$two" "$@"
echo "load average afterwards: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# PostgreSQL restarted under load (issue 14, faults). A throwaway cluster of its own, two
# `tearline serve` processes on its database, writers and readers on both; in the middle of the
# load PostgreSQL is stopped (pg_ctl stop -m fast), kept down a few seconds and started again.
# scripts/pg_outage.py checks that every answer was a success or a 503 with Retry-After (never a
# 500, a hang or a refused connection), that both instances are alive and serve again within 15 s
# without being restarted, and that every acknowledged write reads back; then the audit chain
# must verify.
#   usage: scripts/pg_outage.sh TEARLINE_BINARY PYTHON WORK_DIR [PG_PORT]
# WORK_DIR is created (it must not exist, or be empty); PYTHON has `requests`. The cluster is
# WORK_DIR/cluster on PG_PORT (default: a free port from 55460) and is stopped at exit, always.
# Server logs: WORK_DIR/server-a.log, WORK_DIR/server-b.log; PostgreSQL's: WORK_DIR/cluster/server.log;
# every request of the load, in order: WORK_DIR/answers.log; on a failure, when gdb is installed,
# each instance's thread stacks: WORK_DIR/stacks-a.txt, stacks-b.txt. Last, both instances must
# stop on SIGTERM. PG_OUTAGE_DOWN sets the seconds PostgreSQL stays down (default 6).
set -euo pipefail
bin=${1:?tearline binary}; py=${2:?python with requests}; work=${3:?work directory}; pg_port=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
down=${PG_OUTAGE_DOWN:-6}
fail() { echo "pg outage: $*" >&2; exit 1; }
test -x "$bin" || fail "no tearline binary at $bin"
mkdir -p "$work"
test -z "$(ls -A "$work")" || fail "$work is not empty: give a fresh WORK_DIR"
chmod 755 "$work"
key="$work/node.key"
cluster="$work/cluster"
# why a copy: bash reads a script as it runs it, and `restart` sleeps in the middle; an edit of
# scripts/pg-cluster.sh meanwhile (a shared file) would break the restart half-way.
cp "$here/pg-cluster.sh" "$work/pg-cluster.sh"
pgc="$work/pg-cluster.sh"

free_port() {  # free_port FROM: the first port from FROM that nothing listens on
  "$py" -c '
import socket, sys
p = int(sys.argv[1])
while True:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        p += 1' "$1"
}
test -n "$pg_port" || pg_port=$(free_port 55460)
read -r port_a port_b < <("$py" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

server_a=; server_b=
cleanup() {
  # why -9: an instance with requests stuck on the database never ends its graceful shutdown.
  kill -9 $server_a $server_b 2>/dev/null || true
  bash "$pgc" stop "$cluster" || true
}
trap cleanup EXIT
url=$(bash "$pgc" start "$cluster" "$pg_port") || fail "could not start the cluster in $cluster on port $pg_port"
echo "cluster: $cluster, port $pg_port"

# Throttle limits out of the way: the load reads back every report it writes.
limits=(--throttle-reads 1000000 --throttle-search-results 10000000 --throttle-exports 1000 --throttle-denials 1000)
healthy() {  # healthy PORT PID NAME: waits up to 30 s for /healthz, or fails when the process died
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || fail "instance $3 exited at start; its log:$(echo; tail -20 "$work/server-$3.log")"
    sleep 0.1
  done
  fail "instance $3 did not answer /healthz on port $1 within 30 s"
}
"$bin" serve --database-url "$url" --key-file "$key" --port "$port_a" "${limits[@]}" >"$work/server-a.log" 2>&1 &
server_a=$!
disown "$server_a"  # killed with SIGKILL at the end if need be: no job notice from this shell
healthy "$port_a" "$server_a" a
"$bin" serve --database-url "$url" --key-file "$key" --port "$port_b" "${limits[@]}" >"$work/server-b.log" 2>&1 &
server_b=$!
disown "$server_b"
healthy "$port_b" "$server_b" b
echo "instance A: pid $server_a, port $port_a; instance B: pid $server_b, port $port_b"
token=$("$bin" admin token --database-url "$url" --key-file "$key") || fail "tearline admin token failed"
test -n "$token" || fail "tearline admin token printed nothing"

status=0
"$py" "$here/pg_outage.py" --instance "http://127.0.0.1:$port_a" --instance "http://127.0.0.1:$port_b" \
  --pid "$server_a" --pid "$server_b" --admin-token "$token" --down "$down" --answers-file "$work/answers.log" \
  --restart "bash $pgc restart $cluster $pg_port $down" || status=1

if "$bin" audit verify --database-url "$url" --key-file "$key"; then
  echo "ok    tearline audit verify exits 0 after the restart"
else
  echo "FAIL  tearline audit verify exited $? after the restart"; status=1
fi
for name in a b; do  # Swift's own fatal errors and crash dumps, not PostgreSQL's FATAL messages quoted in the log
  if grep -q "Fatal error\|Crash\|Segmentation\|Illegal instruction\|💣" "$work/server-$name.log"; then
    echo "      instance ${name^^}'s log shows a crash:"
    grep "Fatal error\|Crash\|Segmentation\|Illegal instruction\|💣" "$work/server-$name.log" | head -5 | sed 's/^/        /'
  fi
done
# When something failed and gdb is at hand: where each instance's threads are now, and how many
# wait, inside a database statement, for an answer that may never come.
if [ "$status" != 0 ] && command -v gdb >/dev/null; then
  for name in a b; do
    pid=$([ $name = a ] && echo "$server_a" || echo "$server_b")
    kill -0 "$pid" 2>/dev/null || continue
    timeout 120 gdb -p "$pid" -batch -ex "thread apply all bt 30" >"$work/stacks-$name.txt" 2>/dev/null || true
    stuck=$(awk '/^Thread /{t=0} /PostgresLink/ && !t {n++; t=1} END{print n+0}' "$work/stacks-$name.txt")
    echo "      instance ${name^^}: $stuck thread(s) blocked in a PostgresLink statement (EventLoopFuture.wait) at the end; stacks in $work/stacks-$name.txt"
  done
fi
# An instance stops on SIGTERM (graceful shutdown: it waits for the requests in flight).
for name in a b; do
  pid=$([ $name = a ] && echo "$server_a" || echo "$server_b")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL  instance ${name^^} still runs 10 s after SIGTERM (its graceful shutdown waits for requests that never end); killed with SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
    status=1
  else
    echo "ok    instance ${name^^} stops on SIGTERM within 10 s"
  fi
done
server_a=; server_b=
if [ "$status" = 0 ]; then
  echo "pg outage: passed (logs in $work)"
else
  echo "pg outage: FAILED (server logs: $work/server-a.log, $work/server-b.log; PostgreSQL: $cluster/server.log)" >&2
fi
exit "$status"

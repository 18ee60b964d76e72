#!/usr/bin/env bash
# Two `tearline serve` processes on ONE PostgreSQL database behave as one node: instance A creates
# the schema, the master key and the node-admin credential; instance B starts afterwards on the
# same database and the same key file. scripts/two_instances.py then plays stories 1, 2, 4 and 5
# over HTTP, writing on one instance and reading on the other, and finally kills A with SIGKILL in
# the middle of a stream of writes. The audit chain both instances appended to must still verify.
#   usage: scripts/two_instances.sh TEARLINE_BINARY PYTHON WORK_DIR DATABASE_URL
# DATABASE_URL names an empty database (scripts/pg-cluster.sh createdb DIR PORT NAME makes one);
# PYTHON has `requests`.
set -euo pipefail
bin=$1; py=$2; work=$3; url=$4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
key="$work/node.key"
fail() { echo "two instances: $*" >&2; exit 1; }
test -x "$bin" || fail "no tearline binary at $bin"
test ! -e "$key" || fail "$key exists already: give a fresh WORK_DIR (and an empty database)"

# Two free loopback ports.
read -r port_a port_b < <("$py" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

# Both instances get the same, small throttle limits: the throttle is the node's, not a process's.
reads=8
limits=(--throttle-reads "$reads" --throttle-search-results 1000 --throttle-exports 10 --throttle-denials 20 --throttle-window 3600)

server_a=; server_b=
trap 'kill $server_a $server_b 2>/dev/null || true' EXIT
healthy() {  # healthy PORT PID NAME: waits up to 30 s for /healthz, or fails when the process died
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || fail "instance $3 exited at start; its log:$(echo; tail -20 "$work/$3.log")"
    sleep 0.1
  done
  fail "instance $3 did not answer /healthz on port $1 within 30 s"
}

# A first: it migrates the schema and writes the key file and the admin credential beside it.
"$bin" serve --database-url "$url" --key-file "$key" --port "$port_a" "${limits[@]}" >"$work/a.log" 2>&1 &
server_a=$!
disown "$server_a"  # the scenario kills A with SIGKILL; no "Killed" job notice from this shell
healthy "$port_a" "$server_a" a
test -s "$key" || fail "instance A is up but wrote no key file at $key"
# Then B, on the same database and the same key file.
"$bin" serve --database-url "$url" --key-file "$key" --port "$port_b" "${limits[@]}" >"$work/b.log" 2>&1 &
server_b=$!
healthy "$port_b" "$server_b" b
echo "instance A: pid $server_a, port $port_a; instance B: pid $server_b, port $port_b"

token=$("$bin" admin token --database-url "$url" --key-file "$key") || fail "tearline admin token failed"
test -n "$token" || fail "tearline admin token printed nothing"

# The play. The Python part kills A itself (SIGKILL, by the pid given here) for the last check.
"$py" "$here/two_instances.py" --a "http://127.0.0.1:$port_a" --b "http://127.0.0.1:$port_b" \
  --admin-token "$token" --pid-a "$server_a" --throttle-reads "$reads" \
  || fail "the HTTP scenario failed (server logs: $work/a.log, $work/b.log)"
if kill -0 "$server_a" 2>/dev/null; then fail "instance A still runs after the scenario killed it"; fi
server_a=

# The one audit chain that both instances appended to, and that A left mid-write, is intact.
"$bin" audit verify --database-url "$url" --key-file "$key" || fail "tearline audit verify failed after two instances"
curl -sf "http://127.0.0.1:$port_b/healthz" >/dev/null || fail "instance B stopped answering"
# Report text never goes into a server log.
if grep -q "exchange houses\|tank divisions\|planning cell meets" "$work/a.log" "$work/b.log"; then
  fail "report text found in a server log"
fi
echo "two instances on one database passed"

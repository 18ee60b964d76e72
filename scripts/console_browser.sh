#!/usr/bin/env bash
# The console in a real browser against a live `tearline serve`, on SQLite or on PostgreSQL.
#
#   scripts/console_browser.sh TEARLINE PYTHON WORKDIR [DATABASE_URL] [SCREENSHOT_DIR]
#
# PYTHON has selenium and requests; Debian's chromium and chromium-driver are installed.
# Without DATABASE_URL the server runs on a SQLite file in WORKDIR.
set -euo pipefail
tearline=${1:?the tearline executable}
python=${2:?a python with selenium}
work=${3:?a work directory}
url=${4:-}
shots=${5:-}
mkdir -p "$work"
port=$((18600 + RANDOM % 300))
if [ -n "$url" ]; then
  store=(--database-url "$url" --key-file "$work/node.key")
else
  store=(--db "$work/console.db")
fi
"$tearline" serve "${store[@]}" --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
admin=$("$tearline" admin token "${store[@]}")
args=(--url "http://127.0.0.1:$port" --tearline "$tearline" --admin-token "$admin")
if [ -n "$shots" ]; then args+=(--screenshots "$shots"); fi
if ! "$python" scripts/console_browser_test.py "${args[@]}" --store "${store[@]}"; then
  echo "--- server log" >&2
  tail -20 "$work/server.log" >&2
  exit 1
fi

#!/usr/bin/env bash
# Runs scripts/taxii_bench.py: the same TAXII 2.1 client workload (POST 10,000 indicators in
# envelopes of 100, page through them by 100, GET 1,000 by id) against medallion 3.0.0 (memory
# backend) and `tearline serve`, both on loopback, and prints seconds, objects/s, requests/s and
# the tearline/medallion ratio per step.
#
# Makes a Python venv with medallion 3.0.0 at .build-release/taxii-venv when there is none
# (TAXII_BENCH_VENV overrides the path), builds the release binary, then runs the script.
# Arguments go to the script: --objects N --envelope N --page N --gets N --skip-medallion
# --skip-tearline (no build then) --keep.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${TAXII_BENCH_VENV:-.build-release/taxii-venv}"
if ! "$VENV/bin/python" -c 'import medallion, requests' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet 'medallion==3.0.0' requests
fi
build=1
for arg in "$@"; do
    if [ "$arg" = "--skip-tearline" ]; then build=0; fi
done
if [ "$build" = 1 ]; then
    swift build -c release --scratch-path .build-release --product tearline
fi
exec "$VENV/bin/python" scripts/taxii_bench.py --tearline-bin .build-release/release/tearline \
    --medallion-bin "$VENV/bin/medallion" "$@"

#!/usr/bin/env bash
# Builds Tearline in release mode twice — as shipped, and with auditing compiled out
# (-DTEARLINE_BENCH_NO_AUDIT, a benchmark-only flag) — and runs tearline-bench over HTTP
# against both, so the README's audit-cost figure comes from one run on one machine.
# Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release
swift build -c release --scratch-path .build-noaudit --product tearline -Xswiftc -DTEARLINE_BENCH_NO_AUDIT
.build-release/release/tearline-bench --http --no-audit-binary .build-noaudit/release/tearline "$@"

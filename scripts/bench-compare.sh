#!/usr/bin/env bash
# Side-by-side benchmark: OLD_COMMIT against the current checkout (uncommitted changes included).
#
#   scripts/bench-compare.sh OLD_COMMIT [tearline-bench options]
#   e.g. scripts/bench-compare.sh 551826f
#        scripts/bench-compare.sh 551826f --seconds 3 --audit-entries 10000     (a quick check)
#
# Builds OLD_COMMIT's `tearline-bench` and `tearline` in release mode in a worktree of their own
# (detached; reused, and not rebuilt, when it already holds a release build of that commit), builds
# this checkout in release mode, then runs `tearline-bench --http --no-index` alternately old,
# new, old, new (ROUNDS rounds of each) on this machine, and prints each round's report views/s and
# p99, release views/s and p99, releases/s and p99, and the decision rule's ns per portion, with
# the median of each side and the ratio new/old.
#
# Options after OLD_COMMIT go to both benches (--seconds N, --connections N, --audit-entries N).
# The audit-log benchmark that tearline-bench runs first is not in the table: unless you pass
# --audit-entries, it is given 100000 entries instead of a million, to keep a round short.
#
# Environment:
#   OLD_WORKTREE  where the old commit is built (default: ../bench-old beside this checkout)
#   ROUNDS        rounds of each side (default 2)
#   OUT           directory for the raw outputs (default: a new directory under /tmp)
#   NICE          niceness of the builds (default 10); the runs themselves are not niced
#
# Needs swift, git, curl, python3 and wrk at /usr/bin/wrk (apt-get install -y wrk; tearline-bench
# calls that path). Every run serves on port 18080, which must be free.
set -euo pipefail

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
[[ $# -ge 1 ]] || usage 2
[[ $1 == -h || $1 == --help ]] && usage 0

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD_REF=$1
shift
BENCH_ARGS=("$@")
[[ " ${BENCH_ARGS[*]-} " == *" --audit-entries "* ]] || BENCH_ARGS+=(--audit-entries 100000)
ROUNDS=${ROUNDS:-2}
NICE=${NICE:-10}
OLD_WORKTREE=${OLD_WORKTREE:-$(dirname "$ROOT")/bench-old}
OUT=${OUT:-$(mktemp -d /tmp/bench-compare.XXXXXX)}
mkdir -p "$OUT"

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench-compare: %s\n' "$*" >&2; exit 1; }

for tool in swift git curl python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
if ! command -v wrk >/dev/null || [[ ! -x /usr/bin/wrk ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing wrk"
        apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    fi
    [[ -x /usr/bin/wrk ]] || die "wrk is needed at /usr/bin/wrk (apt-get install -y wrk)"
fi

OLD_SHA=$(git -C "$ROOT" rev-parse --verify --quiet "$OLD_REF^{commit}") || die "no commit $OLD_REF"
NEW_SHA=$(git -C "$ROOT" rev-parse HEAD)
NEW_DIRTY=""
[[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] || NEW_DIRTY=" + uncommitted changes"

# --- the old build, in its own detached worktree -----------------------------------------------
if [[ -e $OLD_WORKTREE ]]; then
    [[ -e $OLD_WORKTREE/.git ]] || die "$OLD_WORKTREE exists and is not a git worktree"
    if [[ $(git -C "$OLD_WORKTREE" rev-parse HEAD) != "$OLD_SHA" ]]; then
        [[ -z $(git -C "$OLD_WORKTREE" status --porcelain --untracked-files=no) ]] \
            || die "$OLD_WORKTREE has local changes; move them or set OLD_WORKTREE"
        say "moving $OLD_WORKTREE to $OLD_SHA"
        git -C "$OLD_WORKTREE" checkout --quiet --detach "$OLD_SHA"
    fi
else
    say "adding worktree $OLD_WORKTREE at $OLD_SHA"
    git -C "$ROOT" worktree add --detach "$OLD_WORKTREE" "$OLD_SHA" >&2
fi
# Package.resolved is not in git: give the old tree this checkout's, so both link the same
# dependency versions (SwiftPM adds what the old manifest needs and drops the rest).
if [[ ! -e $OLD_WORKTREE/Package.resolved && -e $ROOT/Package.resolved ]]; then
    cp "$ROOT/Package.resolved" "$OLD_WORKTREE/Package.resolved"
fi

OLD_BIN=$OLD_WORKTREE/.build/release
STAMP=$OLD_BIN/.bench-compare-commit
if [[ -x $OLD_BIN/tearline-bench && -x $OLD_BIN/tearline && -e $STAMP && $(cat "$STAMP") == "$OLD_SHA" ]]; then
    say "old build of ${OLD_SHA:0:9} is already there, reused"
else
    say "building ${OLD_SHA:0:9} in release mode in $OLD_WORKTREE (log: $OUT/build-old.log)"
    (cd "$OLD_WORKTREE" && nice -n "$NICE" swift build -c release --product tearline-bench \
        && nice -n "$NICE" swift build -c release --product tearline) >"$OUT/build-old.log" 2>&1 \
        || { tail -20 "$OUT/build-old.log" >&2; die "the old build failed"; }
    echo "$OLD_SHA" >"$STAMP"
fi

# --- the new build: this checkout ---------------------------------------------------------------
say "building this checkout (${NEW_SHA:0:9}$NEW_DIRTY) in release mode (log: $OUT/build-new.log)"
(cd "$ROOT" && nice -n "$NICE" swift build -c release --product tearline-bench \
    && nice -n "$NICE" swift build -c release --product tearline) >"$OUT/build-new.log" 2>&1 \
    || { tail -20 "$OUT/build-new.log" >&2; die "the new build failed"; }
NEW_BIN=$ROOT/.build/release

# --- the runs, alternating ---------------------------------------------------------------------
port_free() { ! curl -s -o /dev/null --max-time 1 http://127.0.0.1:18080/healthz; }
run() {  # side round
    local side=$1 round=$2 bin
    [[ $side == old ]] && bin=$OLD_BIN || bin=$NEW_BIN
    port_free || die "something already answers on port 18080; stop it first"
    say "round $round, $side: $bin/tearline-bench --http --no-index ${BENCH_ARGS[*]}"
    "$bin/tearline-bench" --http --no-index "${BENCH_ARGS[@]}" >"$OUT/$side-$round.txt" 2>&1 \
        || { cat "$OUT/$side-$round.txt" >&2; die "$side round $round failed"; }
    if grep -q "debug build" "$OUT/$side-$round.txt"; then die "$bin is a debug build"; fi
}
for ((r = 1; r <= ROUNDS; r++)); do
    run old "$r"
    run new "$r"
done

# --- the table ---------------------------------------------------------------------------------
python3 - "$OUT" "$ROUNDS" "${OLD_SHA:0:9}" "${NEW_SHA:0:9}$NEW_DIRTY" <<'PY'
import re, statistics, sys
out, rounds, old_name, new_name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return None
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

def parse(path):
    text = open(path).read()
    figures = {}
    for key, label in [("report", "HTTP report views:"), ("release", "HTTP release views:"), ("releases", "HTTP releases:")]:
        m = re.search(re.escape(label) + r"\s+([\d.]+) req/s\s+p50 (\S+)\s+p99 (\S+)", text)
        if m:
            figures[key + "/s"] = float(m.group(1))
            figures[key + " p99"] = ms(m.group(3))
    for key, label in [("rule read", "decision rule, read:"), ("rule release", "decision rule, release:")]:
        m = re.search(re.escape(label) + r"\s+median\s+([\d.]+) ns", text)
        if m:
            figures[key] = float(m.group(1))
    return figures

runs = {(side, r): parse(f"{out}/{side}-{r}.txt") for side in ("old", "new") for r in range(1, rounds + 1)}
rows = [
    ("report views/s", "report/s", "higher", "{:.0f}"),
    ("report views p99 ms", "report p99", "lower", "{:.2f}"),
    ("release views/s", "release/s", "higher", "{:.0f}"),
    ("release views p99 ms", "release p99", "lower", "{:.2f}"),
    ("releases/s", "releases/s", "higher", "{:.0f}"),
    ("releases p99 ms", "releases p99", "lower", "{:.2f}"),
    ("decision rule, read ns", "rule read", "lower", "{:.1f}"),
    ("decision rule, release ns", "rule release", "lower", "{:.1f}"),
]
order = [(side, r) for r in range(1, rounds + 1) for side in ("old", "new")]
header = ["figure"] + [f"{side} #{r}" for side, r in order] + ["old median", "new median", "new/old", "better"]
table = []
for name, key, better, fmt in rows:
    values = {run: runs[run].get(key) for run in order}
    def show(v):
        return "n/a" if v is None else fmt.format(v)
    med = {}
    for side in ("old", "new"):
        xs = [values[(side, r)] for r in range(1, rounds + 1) if values[(side, r)] is not None]
        med[side] = statistics.median(xs) if xs else None
    ratio = "n/a" if not med["old"] or med["new"] is None else f"{med['new'] / med['old']:.3f}"
    table.append([name] + [show(values[run]) for run in order] + [show(med["old"]), show(med["new"]), ratio, better])
widths = [max(len(str(row[i])) for row in [header] + table) for i in range(len(header))]
print(f"old = {old_name}, new = {new_name}; {rounds} alternating rounds each; raw outputs in {out}")
for i, row in enumerate([header] + table):
    print("  ".join(str(c).ljust(widths[j]) if j == 0 else str(c).rjust(widths[j]) for j, c in enumerate(row)))
    if i == 0:
        print("  ".join("-" * w for w in widths))
PY

#!/usr/bin/env bash
# Benchmarks/ab.sh BASE [RECORDS]     (RECORDS defaults to 1000000; BENCH_RUNS=5 pairs)
#
# Whether a change made the build faster, on a machine whose speed drifts by more than the change
# (seen here: the same 1M build at 13.4 s in one hour and 20 s in another). Builds commit BASE in a
# git worktree (Benchmarks/.ab/, git-ignored), then times BASE's build and the working tree's build
# in alternation, BENCH_RUNS pairs, on Benchmarks/data/RECORDS, each build with its own mappings
# (MCP_EVIDENCE_HOME). Reports wall, CPU (user + system), ingest and checks per run, the medians,
# the median of the paired differences and in how many pairs the working tree was faster.
# Writes the markdown table to stdout and to Benchmarks/results-ab.md.
set -euo pipefail

BASE=${1:?usage: $0 BASE [RECORDS]}
RECORDS=${2:-1000000}
RUNS=${BENCH_RUNS:-5}
[[ $RECORDS =~ ^[0-9]+$ && $RUNS =~ ^[0-9]+$ ]] || { echo "usage: $0 BASE [RECORDS]" >&2; exit 2; }

HERE=$(cd -- "$(dirname -- "$0")" && pwd)
ROOT=$(dirname -- "$HERE")
source "$HERE/lib.sh"
log() { echo "[ab] $*" >&2; }

BASE_SHA=$(cd "$ROOT" && git rev-parse --verify "$BASE^{commit}")
TREE=$HERE/.ab/${BASE_SHA:0:12}
if [[ ! -d $TREE ]]; then
    log "checking out $BASE (${BASE_SHA:0:12}) in $TREE"
    (cd "$ROOT" && git worktree add --detach "$TREE" "$BASE_SHA" >&2)
fi
log "building $BASE"
(cd "$TREE" && swift build -c release >&2)
BASE_BIN=$(cd "$TREE" && swift build -c release --show-bin-path)/mcp-evidence
BENCH_PREPARE_ONLY=1 "$HERE/run.sh" "$RECORDS"
HEAD_BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/mcp-evidence
DATA=$HERE/data/$RECORDS

# time_build BIN HOME: prints "WALL CPU INGEST CHECKS" for one build of DATA with HOME's mappings.
time_build() { MCP_EVIDENCE_HOME=$2 measured_build "$1" "$DATA"; }

rows=()
for run in $(seq 1 "$RUNS"); do
    # Assigned first: under set -e a failed build stops the script here.
    log "pair $run/$RUNS: $BASE"
    base=$(time_build "$BASE_BIN" "$TREE")
    log "pair $run/$RUNS: working tree"
    head=$(time_build "$HEAD_BIN" "$ROOT")
    rows+=("$base $head")
done

printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
records, base, head = int(sys.argv[1]), sys.argv[2], sys.argv[3]
pairs = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
names = ["wall", "CPU", "ingest", "checks"]
print(f"## A/B at {records:,} audit records: {base} against {head}, in alternation\n")
print(f"Each pair is one build of {base} (with its own mappings) followed at once by one of {head}; seconds;")
print("CPU is user + system time, ingest and checks are the stages the build prints.\n")
print("| pair | " + " | ".join(f"{name}, {base}" for name in names) + " | " + " | ".join(f"{name}, {head}" for name in names) + " |")
print("|---:|" + "---:|" * 8)
for n, row in enumerate(pairs, 1):
    print(f"| {n} | " + " | ".join(f"{value:.2f}" for value in row) + " |")
print("| median | " + " | ".join(f"{statistics.median(column):.2f}" for column in zip(*pairs)) + " |")
print(f"\n| | {base} (median) | {head} (median) | median of the differences | pairs where {head} is faster |")
print("|---|---:|---:|---:|---:|")
for k, name in enumerate(names):
    old = [row[k] for row in pairs]; new = [row[k + 4] for row in pairs]
    differences = [b - a for a, b in zip(old, new)]
    faster = sum(d < 0 for d in differences)
    print(f"| {name} | {statistics.median(old):.2f} | {statistics.median(new):.2f} | {statistics.median(differences):+.2f} | {faster} of {len(pairs)} |")
' "$RECORDS" "$(cd "$ROOT" && git rev-parse --short "$BASE_SHA")" \
  "$(cd "$ROOT" && { git diff --quiet HEAD && git rev-parse --short HEAD || echo "$(git rev-parse --short HEAD)+changes"; })" \
  | tee "$HERE/results-ab.md"

#!/usr/bin/env bash
# Benchmarks/linearity.sh [SMALL] [LARGE]     (defaults 1000000 and 10000000; BENCH_RUNS=3 pairs)
#
# Issue 6's second target compares the build at two sizes (LARGE ≤ 10.5 × SMALL). Timed in separate
# runs of run.sh, minutes or hours apart, that ratio also measures how the shared machine's speed
# drifted in between (seen here: the same 1M build at 15.9 s and at 20.8 s within the hour). This
# script times the two builds in alternation, SMALL then LARGE, BENCH_RUNS times, so each pair runs
# under the same conditions, and reports each pair's ratio and the ratio of the medians, on wall and
# on CPU time (user + system). Data and the release build come from run.sh (BENCH_PREPARE_ONLY=1).
# Writes the markdown table to stdout and to Benchmarks/results-linearity.md.
set -euo pipefail

SMALL=${1:-1000000}
LARGE=${2:-10000000}
RUNS=${BENCH_RUNS:-3}
[[ $SMALL =~ ^[0-9]+$ && $LARGE =~ ^[0-9]+$ ]] || { echo "usage: $0 [SMALL] [LARGE]" >&2; exit 2; }

HERE=$(cd -- "$(dirname -- "$0")" && pwd)
ROOT=$(dirname -- "$HERE")
source "$HERE/lib.sh"
log() { echo "[linearity] $*" >&2; }

for size in "$SMALL" "$LARGE"; do
    BENCH_PREPARE_ONLY=1 "$HERE/run.sh" "$size"
done
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/mcp-evidence

# time_build SIZE: prints "WALL CPU" for one build of Benchmarks/data/SIZE, run as run.sh runs it.
time_build() {
    local times
    times=$(measured_build "$BIN" "$HERE/data/$1")
    echo "${times% * *}"
}

rows=()
for run in $(seq 1 "$RUNS"); do
    # Assigned first: under set -e a failed build stops the script here, where a failure inside
    # read's here-string would go unnoticed.
    log "pair $run/$RUNS: $SMALL records"
    small=$(time_build "$SMALL")
    log "pair $run/$RUNS: $LARGE records"
    large=$(time_build "$LARGE")
    read -r small_wall small_cpu <<< "$small"
    read -r large_wall large_cpu <<< "$large"
    rows+=("$small_wall $large_wall $small_cpu $large_cpu")
done

printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
small, large, commit = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pairs = [tuple(map(float, line.split())) for line in sys.stdin if line.strip()]
print(f"## Linearity: {large:,} against {small:,} audit records, timed in alternation\n")
print(f"Commit `{commit}`, release build. Each pair is one build at {small:,} records followed at once by one at {large:,};")
print("CPU is user + system time. Target (issue 6): the larger build within 10.5 × the smaller one per 10 × the records.\n")
print(f"| pair | {small:,} wall (s) | {large:,} wall (s) | ratio | {small:,} CPU (s) | {large:,} CPU (s) | CPU ratio |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for n, (sw, lw, sc, lc) in enumerate(pairs, 1):
    print(f"| {n} | {sw:.2f} | {lw:.2f} | {lw / sw:.2f} | {sc:.2f} | {lc:.2f} | {lc / sc:.2f} |")
med = [statistics.median(column) for column in zip(*pairs)]
print(f"| median | {med[0]:.2f} | {med[1]:.2f} | **{med[1] / med[0]:.2f}** | {med[2]:.2f} | {med[3]:.2f} | **{med[3] / med[2]:.2f}** |")
scale = large / small / 10
print(f"\nRatio of the medians: {med[1] / med[0]:.2f} on wall time, {med[3] / med[2]:.2f} on CPU, against a target of {10.5 * scale:.2f}.")
' "$SMALL" "$LARGE" "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)" | tee "$HERE/results-linearity.md"

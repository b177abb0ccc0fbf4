#!/usr/bin/env bash
# Benchmarks/run.sh [RECORDS]      (default 1000000; BENCH_RUNS=3 runs of each, medians reported)
#
# Builds mcp-evidence in release mode once, generates a benchmark organisation of RECORDS audit lines under
# Benchmarks/data/RECORDS/ (kept for later runs; regenerated when Benchmarks/generate.py changes), then times
# on the same files, BENCH_RUNS times each:
#   build    mcp-evidence build --as-of 2026-10-01T00:00:00Z --force --quiet, end to end, with the stage
#            timings it prints when MCP_EVIDENCE_TIMINGS=1 (lines like "ingest: 12.3 s"), if it does
#   duckdb   Benchmarks/duckdb_check1.py in Benchmarks/.venv: read_json of the audit files + check 1 as a join
#   openssl  openssl dgst -sha256 over every input file: the floor for reading and hashing them
# BENCH_PREPARE_ONLY=1 stops after the build and the data, before timing anything.
# Peak RSS comes from /usr/bin/time -v. All runs read from a warm page cache (one untimed pass first).
# Writes the markdown table to stdout and to Benchmarks/results-RECORDS.md.
set -euo pipefail

RECORDS=${1:-1000000}
RUNS=${BENCH_RUNS:-3}
[[ $RECORDS =~ ^[0-9]+$ ]] || { echo "usage: $0 [RECORDS]" >&2; exit 2; }

HERE=$(cd -- "$(dirname -- "$0")" && pwd)
source "$HERE/lib.sh"
ROOT=$(dirname -- "$HERE")
DATA=$HERE/data/$RECORDS
VENV=$HERE/.venv
RAW=$HERE/data/raw-$RECORDS.tsv
command -v python3 >/dev/null || { echo "error: python3 is needed" >&2; exit 1; }
[[ -x $TIME ]] || { echo "error: $TIME (GNU time) is needed for peak RSS: apt-get install time" >&2; exit 1; }

log() { echo "[bench] $*" >&2; }

log "swift build -c release"
(cd "$ROOT" && swift build -c release >&2)
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/mcp-evidence

STAMP=$(sha256sum "$HERE/generate.py" "$ROOT/examples/acme/generate.py" "$ROOT/examples/acme/approvals.jsonl" | sha256sum | cut -c1-16)
if [[ ! -f $DATA/counts.json || $(cat "$DATA/.stamp" 2>/dev/null) != "$STAMP" ]]; then
    log "generating $RECORDS records into $DATA"
    rm -rf -- "$DATA"
    python3 "$HERE/generate.py" --records "$RECORDS" --out "$DATA"
    echo "$STAMP" > "$DATA/.stamp"
fi
if [[ ! -f $DATA/keys/evidence.pem ]]; then
    mkdir -p "$DATA/keys"
    "$BIN" keygen --out "$DATA/keys/evidence" >/dev/null
fi

# BENCH_PREPARE_ONLY=1: build and generate, time nothing (Benchmarks/linearity.sh uses this).
[[ ${BENCH_PREPARE_ONLY:-0} == 1 ]] && exit 0

if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c "import duckdb" 2>/dev/null; then
    log "creating $VENV with duckdb"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet duckdb
fi

mapfile -t INPUTS < <(inputs "$DATA")
log "warming the page cache"
warm_inputs "$DATA"

: > "$RAW"
rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
load() { cut -d' ' -f1 /proc/loadavg; }

# record TOOL RUN WALL RSS_KB CPU_S EXTRA... (CPU = user + system seconds; load = 1-minute load average
# just before the run, as other work on the machine skews wall times)
record() { local IFS=$'\t'; echo "$*" >> "$RAW"; }

for run in $(seq 1 "$RUNS"); do
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/mcp-evidence-bench.XXXXXX")
    log "build run $run/$RUNS"
    before=$(load); start=$(now)
    timed_build "$BIN" "$DATA" "$OUT"
    end=$(now)
    stages=$(grep -Eo '^[[:space:]]*(ingest|indexes|checks|report|seal)[[:space:]]*:[[:space:]]*[0-9.]+[[:space:]]*s' "$OUT.stderr" \
             | tr -d ' ' | sed 's/s$//' | paste -sd, - || true)
    bundle=$(find "$OUT" -mindepth 1 -maxdepth 1 -type d | head -1)
    check1=$(($(wc -l < "$bundle/checks/tool-approved-at-call/exceptions.csv") - 1))
    record build "$run" "$(wall "$start" "$end")" "$(rss_kb "$OUT.time")" "$(cpu_s "$OUT.time")" "load=$before" \
        "stages=${stages}" "check1=$check1"
    rm -rf -- "$OUT" "$OUT.time" "$OUT.stdout" "$OUT.stderr"

    log "duckdb run $run/$RUNS"
    T=$(mktemp "${TMPDIR:-/tmp}/duckdb-bench.XXXXXX")
    before=$(load); start=$(now)
    line=$("$TIME" -v -o "$T" "$VENV/bin/python" "$HERE/duckdb_check1.py" "$DATA")
    end=$(now)
    # line: load L join J total T rows R exceptions E
    read -r _ readtime _ join _ _ _ rows _ exc <<< "$line"
    record duckdb "$run" "$(wall "$start" "$end")" "$(rss_kb "$T")" "$(cpu_s "$T")" "load=$before" \
        "read=$readtime" "join=$join" "rows=$rows" "check1=$exc"
    rm -f -- "$T"

    log "openssl run $run/$RUNS"
    T=$(mktemp "${TMPDIR:-/tmp}/openssl-bench.XXXXXX")
    before=$(load); start=$(now)
    (cd "$DATA" && "$TIME" -v -o "$T" openssl dgst -sha256 "${INPUTS[@]}" > /dev/null)
    end=$(now)
    record openssl "$run" "$(wall "$start" "$end")" "$(rss_kb "$T")" "$(cpu_s "$T")" "load=$before"
    rm -f -- "$T"
done

python3 "$HERE/report.py" --raw "$RAW" --counts "$DATA/counts.json" --data "$DATA" \
    --duckdb-version "$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')" \
    --commit "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    | tee "$HERE/results-$RECORDS.md"

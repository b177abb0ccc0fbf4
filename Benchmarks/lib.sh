# Benchmarks/lib.sh: sourced by run.sh, linearity.sh and ab.sh, so all three time the same build the same way.

TIME=/usr/bin/time

now() { date +%s.%N; }
wall() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }
# CPU seconds (user + system) from a `/usr/bin/time -v` report.
cpu_s() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$1"; }

# The benchmark's input files under DATA, relative to it: the audit logs in order, then the rest.
inputs() {
    (cd "$1" && ls audit/*.jsonl audit/*.jsonl.gz 2>/dev/null | sort)
    printf '%s\n' approvals.jsonl directory.csv pr-reviews.jsonl
}

# Reads every input of DATA once, so the timed runs start from a warm page cache.
warm_inputs() { (cd "$1" && inputs . | xargs cat > /dev/null); }

# timed_build BIN DATA OUT: one `mcp-evidence build` of DATA into the folder OUT, with the stage timings;
# $TIME -v writes OUT.time, the build writes OUT.stdout and OUT.stderr. Exits when it fails.
timed_build() {
    (cd "$2" && MCP_EVIDENCE_TIMINGS=1 "$TIME" -v -o "$3.time" "$1" build --config evidence.yaml \
        --as-of 2026-10-01T00:00:00Z --force --out "$3" --quiet > "$3.stdout" 2> "$3.stderr") || {
        echo "error: mcp-evidence build failed on $2:" >&2; cat "$3.stderr" >&2; exit 1; }
}

# measured_build BIN DATA: prints "WALL CPU INGEST CHECKS" (seconds) for one timed_build of DATA from a
# warm page cache, leaving no files behind. MCP_EVIDENCE_HOME in the caller's environment picks the mappings.
measured_build() {
    local out start end
    out=$(mktemp -d "${TMPDIR:-/tmp}/mcp-evidence-bench.XXXXXX")
    warm_inputs "$2"
    start=$(now)
    timed_build "$1" "$2" "$out"
    end=$(now)
    echo "$(wall "$start" "$end") $(cpu_s "$out.time") $(awk '/^ingest:/ {i = $2} /^checks:/ {c = $2} END {print i + 0, c + 0}' "$out.stderr")"
    rm -rf -- "$out" "$out.time" "$out.stdout" "$out.stderr"
}

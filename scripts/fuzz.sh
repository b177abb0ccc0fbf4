#!/usr/bin/env bash
# Fuzzes the JSON-lines readers and the template renderer with libFuzzer, for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]    SECONDS per target (default 60); TARGET is FuzzJSONLines,
#                                             FuzzTemplates or both (the default)
#
# The targets live in their own package (Fuzz/Package.swift), built here with
# `--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`: libFuzzer supplies `main`, so they
# cannot link in a normal build, and the root package's `swift build` / `swift test` never see them.
# What each input goes through is Tests/EvidenceKitTests/HostileFuzzHarness.swift, shared with the tests.
#
# Seeds: every file of Tests/Fixtures/hostile, the first lines of each examples/acme input, the shipped
# templates. A crash, timeout or out-of-memory input is copied to Tests/Fixtures/hostile/fuzz/jsonlines/
# or .../templates/, where HostileFuzzRegressionTests replays it: fix the bug, then commit the input.
# The script then exits 1. FUZZ_KEEP_CORPUS=DIR keeps the grown corpora for the next run. Not run by CI.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzJSONLines FuzzTemplates)
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [FuzzJSONLines|FuzzTemplates ...]" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/mcp-evidence-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# `--sanitize fuzzer` makes SwiftPM leave `main` to libFuzzer when linking. The sanitizers themselves are
# given as one -sanitize= list: swiftc keeps only the last -sanitize= flag, so SwiftPM's own
# `--sanitize fuzzer --sanitize address` would build without coverage (and libFuzzer would fuzz blind).
build=(swift build --package-path "$root/Fuzz" -c debug --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "Building the fuzz targets (libFuzzer + AddressSanitizer)..." >&2
# The gold linker warns once per AddressSanitizer helper it cannot export; those lines say nothing.
if ! "${build[@]}" > "$work/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$work/build.log" >&2
    exit 1
fi
bin=$("${build[@]}" --show-bin-path)
for target in FuzzJSONLines FuzzTemplates; do
    if ! nm "$bin/$target" | grep "__start___sancov_cntrs" > /dev/null; then
        echo "$target was built without coverage instrumentation; libFuzzer would fuzz blind." >&2
        exit 1
    fi
done

seed_jsonlines() {
    local seeds=$1 n=0
    mkdir -p "$seeds"
    while IFS= read -r -d '' file; do
        n=$((n + 1)); cp "$file" "$seeds/hostile-$n"
    done < <(find "$root/Tests/Fixtures/hostile" -type f ! -path "*/fuzz/model.json" ! -name "*.py" -print0 | sort -z)
    local acme=$root/examples/acme
    for file in "$acme"/audit/*.jsonl "$acme/approvals.jsonl" "$acme/pr-reviews.jsonl" "$acme/directory.csv"; do
        [ -f "$file" ] || continue
        n=$((n + 1)); head -n 20 "$file" > "$seeds/acme-$n"
    done
    for file in "$acme"/audit/*.jsonl.gz; do
        [ -f "$file" ] || continue
        # head closes the pipe early; gzip's broken pipe is expected.
        n=$((n + 1)); { gzip -dc "$file" || true; } | head -n 5 | gzip -n > "$seeds/acme-$n.gz"
    done
}

# The first byte picks the mode: even, the rest is a template rendered with the model; odd, the rest
# is text put in every string of the model, rendered through the shipped templates.
seed_templates() {
    local seeds=$1 n=0
    mkdir -p "$seeds"
    for file in "$root/templates/report.html" "$root/templates/board-summary.html" "$root/Tests/Fixtures/templates/sample.html"; do
        n=$((n + 1)); { printf '0'; cat "$file"; } > "$seeds/template-$n"
    done
    for text in '<script>alert(1)</script>' '"><img src=x onerror=alert(1)>' '=HYPERLINK("http://x","y")' \
                $'invoice\u202efdp.exe' 'javascript:alert(1)' '</style><style>' '&amp;&#0;&#xD800;' "$(printf 'a\001b\033c')"; do
        n=$((n + 1)); { printf '1'; printf '%s' "$text"; } > "$seeds/data-$n"
    done
}

# The targets run side by side (one core each); each gets SECONDS.
fuzz() {
    local target=$1 folder=$2
    mkdir -p "$work/corpus-$target" "$work/artifacts-$target"
    local previous=()
    if [ -n "${FUZZ_KEEP_CORPUS:-}" ] && [ -d "$FUZZ_KEEP_CORPUS/corpus-$target" ]; then previous=("$FUZZ_KEEP_CORPUS/corpus-$target"); fi
    # LeakSanitizer is off: the Swift runtime keeps metadata caches for the life of the process.
    ASAN_OPTIONS=detect_leaks=0 "$bin/$target" "$work/corpus-$target" "$work/seeds-$target" ${previous[@]+"${previous[@]}"} \
        -dict="$root/Fuzz/$folder.dict" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
        -max_len=65536 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$work/artifacts-$target/" \
        > "$work/$target.log" 2>&1 || true
}

declare -A folders=([FuzzJSONLines]=jsonlines [FuzzTemplates]=templates)
for target in "${targets[@]}"; do
    case "$target" in
        FuzzJSONLines) seed_jsonlines "$work/seeds-$target" ;;
        FuzzTemplates) seed_templates "$work/seeds-$target" ;;
        *) echo "unknown target '$target'; expected FuzzJSONLines or FuzzTemplates" >&2; exit 2 ;;
    esac
    echo "Fuzzing $target for $seconds s..." >&2
    fuzz "$target" "${folders[$target]}" &
done
wait

status=0
for target in "${targets[@]}"; do
    folder=${folders[$target]}
    echo "== $target" >&2
    grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|Done [0-9]+ runs)" "$work/$target.log" >&2 || true
    echo "$(find "$work/corpus-$target" -type f | wc -l) inputs in the grown corpus" >&2
    # libFuzzer also saves inputs slower than 10 s (slow-unit-*); under ASan in a debug build that
    # is not a failure by itself (a hang is a timeout-* after 30 s), so they are only listed.
    for file in $(find "$work/artifacts-$target" -type f -name "slow-unit-*" | sort); do
        echo "slow input (not a failure): $(basename "$file"), $(wc -c < "$file") bytes" >&2
        if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
            mkdir -p "$FUZZ_KEEP_CORPUS/slow-$target" && cp "$file" "$FUZZ_KEEP_CORPUS/slow-$target/"
        fi
    done
    found=$(find "$work/artifacts-$target" -type f ! -name "slow-unit-*" | sort)
    if [ -n "$found" ]; then
        status=1
        mkdir -p "$root/Tests/Fixtures/hostile/fuzz/$folder"
        for file in $found; do
            cp "$file" "$root/Tests/Fixtures/hostile/fuzz/$folder/"
            echo "FOUND: Tests/Fixtures/hostile/fuzz/$folder/$(basename "$file")" >&2
        done
        tail -n 60 "$work/$target.log" >&2
    fi
done
# FUZZ_KEEP_CORPUS=DIR keeps the grown corpora in DIR, and a later run with the same DIR starts from them.
if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
    for target in "${targets[@]}"; do
        mkdir -p "$FUZZ_KEEP_CORPUS/corpus-$target" && cp -r "$work/corpus-$target/." "$FUZZ_KEEP_CORPUS/corpus-$target/"
    done
fi
exit $status

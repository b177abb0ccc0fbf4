#!/usr/bin/env bash
# Benchmarks/tools/check-cpu.sh [--instructions] STORE [MAPPINGS]
# CPU time of every check's population and exceptions SQL on a kept store (mcp-evidence build --keep-db
# writes it to data/evidence.sqlite), one query at a time on one connection: the per-check profile
# behind Benchmarks/README.md. Needs a C compiler and SQLite's headers (libsqlite3-dev).
# --instructions: count each query's instructions under valgrind (callgrind) instead. The counts repeat
# exactly whatever else the machine is doing, so they compare two versions of the SQL or of the store
# where CPU times on a shared machine vary by ±20 %; use a small store (100,000 records: ~2 min).
set -euo pipefail
HERE=$(cd -- "$(dirname -- "$0")" && pwd)
MODE=cpu
if [[ ${1:-} == --instructions ]]; then MODE=instructions; shift; fi
STORE=${1:?usage: $0 [--instructions] STORE [MAPPINGS]}
MAPPINGS=${2:-$HERE/../../mappings}
WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT
cc -O2 -o "$WORK/stepsql" "$HERE/stepsql.c" -lsqlite3
# The SQL is in YAML block scalars ('population: |', 'exceptions: |') indented by two spaces.
python3 - "$MAPPINGS/checks" "$WORK" <<'PY'
import pathlib, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml")):
    lines, key, blocks = path.read_text().splitlines(), None, {}
    for line in lines:
        if line.startswith(("population: |", "exceptions: |")):
            key = line.split(":")[0]; blocks[key] = []
        elif key and (line.startswith("  ") or not line.strip()):
            blocks[key].append(line[2:])
        else:
            key = None
    for key, body in blocks.items():
        (pathlib.Path(sys.argv[2]) / f"{path.stem}.{key}.sql").write_text("\n".join(body) + "\n")
PY
if [[ $MODE == cpu ]]; then
    "$WORK/stepsql" "$STORE" "$WORK"/*.sql | sed "s|$WORK/||" | awk '{ print } { total += $1 } END { printf "%7.2f s CPU in all\n", total }'
    exit
fi
command -v valgrind >/dev/null || { echo "error: --instructions needs valgrind" >&2; exit 1; }
for sql in "$WORK"/*.sql; do
    # callgrind's total ("Collected : N") for the whole process; opening the store is the same small
    # constant in every line, so differences between two runs are the queries' own.
    count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$WORK/stepsql" "$STORE" "$sql" 2>&1 >"$WORK/out" \
            | awk '/Collected/ { print $4 }')
    rows=$(awk '{ print $4 }' "$WORK/out")
    printf '%14d instructions %10d rows  %s\n' "$count" "$rows" "$(basename "$sql")"
done | awk '{ print } { total += $1 } END { printf "%14.0f instructions in all\n", total }'

#!/usr/bin/env bash
# Benchmarks/tools/check-cpu.sh STORE [MAPPINGS]
# CPU time of every check's population and exceptions SQL on a kept store (mcp-evidence build --keep-db
# writes it to data/evidence.sqlite), one query at a time on one connection: the per-check profile
# behind Benchmarks/README.md. Needs a C compiler and SQLite's headers (libsqlite3-dev).
set -euo pipefail
HERE=$(cd -- "$(dirname -- "$0")" && pwd)
STORE=${1:?usage: $0 STORE [MAPPINGS]}
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
"$WORK/stepsql" "$STORE" "$WORK"/*.sql | sed "s|$WORK/||" | awk '{ print } { total += $1 } END { printf "%7.2f s CPU in all\n", total }'

#!/usr/bin/env python3
"""Turns the raw timings Benchmarks/run.sh collects into the markdown results table (stdout).

Raw lines are tab-separated: tool, run, wall seconds, peak RSS in KiB, CPU seconds (user + system), then
key=value extras: load= (1-minute load average before the run) for all; build: stages=ingest:1.2,checks:3.4
and check1=N; duckdb: read=, join= (seconds inside the process), rows=, check1=.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess

STAGES = ["ingest", "indexes", "checks", "report", "seal"]
# Shown as part of the stage before it.
SUBSTAGES = {"indexes": "&nbsp;&nbsp;of which indexes and statistics"}
LABELS = {
    "build": "mcp-evidence build, end to end",
    "duckdb": "DuckDB: read_json + check 1 join",
    "openssl": "openssl dgst -sha256, all inputs",
}


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--raw", required=True)
    p.add_argument("--counts", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--duckdb-version", default="?")
    p.add_argument("--commit", default="?")
    return p.parse_args()


def read_raw(path):
    runs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            tool, _, wall, rss, cpu = fields[:5]
            extra = dict(x.split("=", 1) for x in fields[5:])
            runs.setdefault(tool, []).append({"wall": float(wall), "rss_kb": int(rss or 0), "cpu": float(cpu), **extra})
    return runs


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    return "n/a" if x is None else f"{x:.2f}" if x < 10 else f"{x:.1f}"


def machine():
    cpu = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM, {platform.system()} {platform.release()}"


def main():
    a = parse_args()
    runs = read_raw(a.raw)
    with open(a.counts, encoding="utf-8") as f:
        counts = json.load(f)
    lines = counts["audit_lines"]
    size = sum(x["bytes"] for x in counts["audit_files"])
    gz = sum(1 for x in counts["audit_files"] if x["path"].endswith(".gz"))
    openssl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.split(" ")[1]
    med = {tool: median([r["wall"] for r in rs]) for tool, rs in runs.items()}
    rss = {tool: max(r["rss_kb"] for r in rs) / 1024 for tool, rs in runs.items()}
    cpu = {tool: median([r["cpu"] for r in rs]) for tool, rs in runs.items()}
    loads = sorted(float(r["load"]) for rs in runs.values() for r in rs if "load" in r)
    n = len(runs.get("build", []))

    out = []
    w = out.append
    w(f"## {lines:,} audit records\n")
    w(f"Data: `{os.path.relpath(a.data)}`: {lines:,} audit lines in {len(counts['audit_files'])} files "
      f"({size / 1e6:,.0f} MB on disk, {gz} gzipped), {counts['people']:,} people, {counts['planted_total']:,} "
      f"planted violations. Commit `{a.commit}`, release build; DuckDB {a.duckdb_version}; OpenSSL {openssl}. "
      f"Machine: {machine()}. Median of {n} run{'s' if n != 1 else ''}, warm page cache; peak RSS is the largest of the runs; CPU is "
      f"user + system time. 1-minute load average before the runs: {loads[0]:.1f} to {loads[-1]:.1f} (the machine "
      f"is shared: other work inflates wall times, CPU times less so).\n")
    w("| what | median wall (s) | runs (s) | records/s | CPU (s) | peak RSS (MB) | build ÷ this, wall | build ÷ this, CPU |")
    w("|---|---:|---|---:|---:|---:|---:|---:|")
    for tool in ["build", "duckdb", "openssl"]:
        if tool not in runs:
            continue
        walls = ", ".join(fmt_s(r["wall"]) for r in runs[tool])
        ratio = med["build"] / med[tool] if "build" in med and med[tool] else None
        cratio = cpu["build"] / cpu[tool] if "build" in cpu and cpu[tool] else None
        w(f"| {LABELS[tool]} | {fmt_s(med[tool])} | {walls} | {lines / med[tool]:,.0f} | {fmt_s(cpu[tool])} | {rss[tool]:,.0f} | "
          f"{'n/a' if ratio is None else f'{ratio:.2f}'} | {'n/a' if cratio is None else f'{cratio:.2f}'} |")
        if tool == "duckdb":
            for part, label in [("read", "read_json load"), ("join", "intervals + join")]:
                m = median([float(r[part]) for r in runs[tool] if part in r])
                w(f"| &nbsp;&nbsp;of which {label} (timed inside the process) | {fmt_s(m)} | "
                  f"{', '.join(fmt_s(float(r[part])) for r in runs[tool] if part in r)} | | | | | |")
    w("")
    stage_runs = [dict(s.split(":", 1) for s in r.get("stages", "").split(",") if ":" in s) for r in runs.get("build", [])]
    if any(stage_runs):
        w("mcp-evidence build stages (`MCP_EVIDENCE_TIMINGS=1`):\n")
        w("| stage | median (s) | runs (s) | share of end to end |")
        w("|---|---:|---|---:|")
        for st in STAGES:
            xs = [float(s[st]) for s in stage_runs if st in s]
            if xs:
                m = median(xs)
                w(f"| {SUBSTAGES.get(st, st)} | {fmt_s(m)} | {', '.join(fmt_s(x) for x in xs)} | {100 * m / med['build']:.0f} % |")
        w("")
    else:
        w("Stage timings: this build prints none with `MCP_EVIDENCE_TIMINGS=1`; end to end only.\n")
    build_c1 = sorted({r.get("check1") for r in runs.get("build", [])})
    duck_c1 = sorted({r.get("check1") for r in runs.get("duckdb", [])})
    duck_rows = sorted({r.get("rows") for r in runs.get("duckdb", [])})
    w(f"Cross-check, check 1 (tool-approved-at-call) exceptions: build {', '.join(map(str, build_c1))}, "
      f"DuckDB {', '.join(map(str, duck_c1))}, planted {counts['expected_exceptions']['tool-approved-at-call']}. "
      f"DuckDB rows loaded: {', '.join(map(str, duck_rows))} (ignore_errors=true keeps a malformed line as a row of "
      f"NULLs or with NULL fields instead of rejecting it; mcp-evidence rejects {counts['rejected']['audit']}).\n")
    if "build" in med and "duckdb" in med:
        ok_ratio = med["build"] / med["duckdb"] <= 1.0
        ok_rss = rss["build"] < 300
        w(f"Issue 6 targets: build ÷ DuckDB ≤ 1.0: **{'met' if ok_ratio else 'not met'}** "
          f"({med['build'] / med['duckdb']:.2f}); peak RSS < 300 MB: **{'met' if ok_rss else 'not met'}** "
          f"({rss['build']:,.0f} MB).")
    print("\n".join(out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The baseline a user would reach for: DuckDB loading the same audit JSONL and running check 1
(tool-approved-at-call: calls with no approval in force at the call's time) as a join.

    Benchmarks/.venv/bin/python Benchmarks/duckdb_check1.py Benchmarks/data/1000000

Loads every audit file (plain and .gz) with read_json into an in-memory table with the record's documented
columns and types (ignore_errors=true: the planted malformed lines would otherwise abort the load; DuckDB
skips them), loads approvals.jsonl, builds approval intervals the way mappings/SCHEMA.md defines them
(approved until the first of: expires, revoked, decommissioned, a failed review or a newer approval; a passing
review while in force moves expires) and counts the calls in 2026-Q3 with no interval in force, as an anti-join.
Prints one line: `load <s> join <s> total <s> rows <n> exceptions <n>`.
"""

import glob
import os
import sys
import time

import duckdb

COLUMNS = {
    "seq": "BIGINT", "prev_hash": "VARCHAR", "event_id": "VARCHAR", "timestamp": "TIMESTAMPTZ",
    "session_id": "VARCHAR", "correlation_id": "VARCHAR", "user_id": "VARCHAR", "agent_id": "VARCHAR",
    "tool_server": "VARCHAR", "tool_name": "VARCHAR", "arguments_hash": "VARCHAR", "response_hash": "VARCHAR",
    "data_classification": "VARCHAR", "dlp_result": "VARCHAR", "policy_decision": "VARCHAR",
    "policy_id": "VARCHAR", "decision_reason": "VARCHAR", "latency_ms": "DOUBLE", "environment": "VARCHAR",
    "client_version": "VARCHAR",
}

APPROVAL_COLUMNS = {
    "timestamp": "TIMESTAMPTZ", "event": "VARCHAR", "tool_server": "VARCHAR", "tool_name": "VARCHAR",
    "actor": "VARCHAR", "actor_role": "VARCHAR", "outcome": "VARCHAR", "expires": "TIMESTAMPTZ",
}

INTERVALS = """
CREATE TABLE intervals AS
WITH ev AS (
  SELECT row_number() OVER () AS id, tool_server || '.' || tool_name AS tool, event, "timestamp" AS ts,
         expires, outcome
  FROM approvals_raw WHERE event IS NOT NULL
),
appr AS (SELECT id, tool, ts AS valid_from, coalesce(expires, 'infinity'::TIMESTAMPTZ) AS expires FROM ev
         WHERE event = 'approved'),
ends AS (
  SELECT a.id, min(e.ts) AS end_ts FROM appr a JOIN ev e ON e.tool = a.tool AND e.ts > a.valid_from
  WHERE e.event IN ('revoked', 'decommissioned', 'approved') OR (e.event = 'reviewed' AND e.outcome = 'fail')
  GROUP BY a.id
),
bounded AS (
  SELECT a.*, coalesce(en.end_ts, 'infinity'::TIMESTAMPTZ) AS end_ts FROM appr a LEFT JOIN ends en ON en.id = a.id
),
extended AS (
  SELECT b.id, max(r.expires) AS expires FROM bounded b JOIN ev r
    ON r.tool = b.tool AND r.event = 'reviewed' AND r.outcome = 'pass'
   AND r.ts >= b.valid_from AND r.ts < b.expires AND r.ts < b.end_ts
  GROUP BY b.id
)
SELECT b.tool, b.valid_from, least(coalesce(x.expires, b.expires), b.end_ts) AS valid_to
FROM bounded b LEFT JOIN extended x ON x.id = b.id
"""

CHECK1 = """
SELECT count(*) FROM calls c
WHERE c."timestamp" >= '2026-07-01T00:00:00Z'::TIMESTAMPTZ AND c."timestamp" < '2026-10-01T00:00:00Z'::TIMESTAMPTZ
  AND NOT EXISTS (
    SELECT 1 FROM intervals a
    WHERE a.tool = c.tool_server || '.' || c.tool_name AND a.valid_from <= c."timestamp" AND c."timestamp" < a.valid_to)
"""


def struct(columns):
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: duckdb_check1.py DATA_DIR")
    data = argv[0]
    files = sorted(glob.glob(os.path.join(data, "audit", "*.jsonl")) + glob.glob(os.path.join(data, "audit", "*.jsonl.gz")))
    if not files:
        sys.exit(f"error: no audit files under {data}/audit")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    started = time.monotonic()
    file_list = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
    con.execute(f"CREATE TABLE calls AS SELECT * FROM read_json({file_list}, format = 'newline_delimited', "
                f"columns = {struct(COLUMNS)}, ignore_errors = true)")
    approvals = os.path.join(data, "approvals.jsonl").replace("'", "''")
    con.execute(f"CREATE TABLE approvals_raw AS SELECT * FROM read_json('{approvals}', format = 'newline_delimited', "
                f"columns = {struct(APPROVAL_COLUMNS)}, ignore_errors = true)")
    loaded = time.monotonic()
    con.execute(INTERVALS)
    exceptions = con.execute(CHECK1).fetchone()[0]
    done = time.monotonic()
    rows = con.execute("SELECT count(*) FROM calls").fetchone()[0]
    print(f"load {loaded - started:.3f} join {done - loaded:.3f} total {done - started:.3f} "
          f"rows {rows} exceptions {exceptions}")


if __name__ == "__main__":
    main(sys.argv[1:])

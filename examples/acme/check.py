#!/usr/bin/env python3
"""Independent re-computation of the planted exceptions in the Acme example (Python 3 stdlib only).

Reads the written files (not the generator's memory): audit/*.jsonl[.gz], approvals.jsonl, directory.csv,
pr-reviews.jsonl and the policy history source in policy-history/. Loads the calls into an in-memory
SQLite database and runs one query or loop per check. generate.py compares the result with what it planted
and writes PLANTED.md from it.

run_clean() is the stricter set for the clean variant (generate.py --clean OUTDIR): everything run() checks,
plus the rules the way evidence.yaml configures them (no gap over 24 h counted from the period start to the
period end, working hours 06:00-22:00 UTC every day) and a few run() leaves to the planted list (empty
session ids, policy approvals by the author or after the merge). Every one of them must find nothing.

Usage: python3 examples/acme/check.py                  (prints every finding; exit 1 if a bulk invariant fails)
       python3 examples/acme/check.py --clean OUTDIR   (the clean variant; exit 1 on any finding at all)
"""

import argparse
import csv
import glob
import gzip
import hashlib
import json
import os
import re
import sqlite3
import statistics
import sys
from datetime import datetime, timedelta, timezone

UTC = timezone.utc
PERIOD_START = "2026-07-01T00:00:00Z"
PERIOD_END = "2026-10-01T00:00:00Z"          # exclusive
LAST_DAY = "2026-09-30"
APPROVAL_RULES = {1: ["auto", "team-lead", "security"], 2: ["team-lead", "security"], 3: ["security"]}
REVIEW_WINDOW_DAYS = 90
BASELINE_DAYS = 30
GAP_HOURS = 12
CLEAN_GAP_HOURS = 24    # log-continuity's default in the tool, counted from the period start to its end
WORKING_HOURS = (6, 22)  # UTC [06:00, 22:00), every day: evidence.yaml's working_hours
SESSION_HOURS = 12
SPIKE_FACTOR = 5
SPIKE_MIN_CALLS = 20
NIGHT = (0, 5)          # UTC hours [0, 5)

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
ENUMS = {"dlp_result": {"clean", "masked", "blocked", "flagged"}, "policy_decision": {"allow", "deny"},
         "data_classification": {"public", "internal", "confidential", "restricted"}}
STRINGS = ["session_id", "user_id", "agent_id", "tool_server", "tool_name", "arguments_hash", "correlation_id"]
EVENTS = {"registered", "security_review", "approved", "rejected", "reviewed", "revoked", "decommissioned"}


def ms(text):
    """RFC 3339 to epoch milliseconds, or None."""
    if not isinstance(text, str) or not RFC3339.match(text):
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(dt.replace(microsecond=0).timestamp()) * 1000 + dt.microsecond // 1000


def iso(t):
    return datetime.fromtimestamp(t // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (t % 1000)


P0, P1 = ms(PERIOD_START), ms(PERIOD_END)
DAY = 86_400_000


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


# ----------------------------------------------------------------------------------------------- audit

def validate(obj):
    if not isinstance(obj, dict):
        return "record", "not a JSON object"
    if "timestamp" not in obj:
        return "timestamp", "missing"
    if ms(obj["timestamp"]) is None:
        return "timestamp", "not RFC 3339: %r" % (obj["timestamp"],)
    for k in STRINGS:
        if k not in obj:
            return k, "missing"
        if not isinstance(obj[k], str):
            return k, "not a string"
    for k, allowed in ENUMS.items():
        if k not in obj:
            return k, "missing"
        if obj[k] not in allowed:
            return k, "invalid value %r" % (obj[k],)
    if "response_hash" not in obj:
        return "response_hash", "missing"
    if obj["response_hash"] is not None and not isinstance(obj["response_hash"], str):
        return "response_hash", "not a string or null"
    if "latency_ms" not in obj:
        return "latency_ms", "missing"
    if not isinstance(obj["latency_ms"], int) or isinstance(obj["latency_ms"], bool) or obj["latency_ms"] < 0:
        return "latency_ms", "not a non-negative integer: %r" % (obj["latency_ms"],)
    return None


def audit_files(root):
    files = sorted(glob.glob(os.path.join(root, "audit", "*.jsonl")) +
                   glob.glob(os.path.join(root, "audit", "*.jsonl.gz")))
    for path in files:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            data = f.read()
        rel = os.path.relpath(path, root)
        raw_lines = data.split(b"\n")
        if raw_lines and raw_lines[-1] == b"":
            raw_lines.pop()
        yield rel, raw_lines


def load_audit(root, db):
    db.execute("""CREATE TABLE calls(file TEXT, line INT, ts INT, session_id TEXT, user_id TEXT, agent_id TEXT,
                  tool TEXT, response_hash TEXT, dlp TEXT, decision TEXT, reason TEXT, latency INT,
                  classification TEXT, correlation_id TEXT, event_id TEXT)""")
    malformed, chain, seqs = [], [], []
    prev_raw, last_seq, last_idx, idx = None, None, None, 0
    for rel, raw_lines in audit_files(root):
        for n, raw in enumerate(raw_lines, start=1):
            idx += 1
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                obj = None
                malformed.append(((rel, n), f"{rel}:{n}", "invalid JSON: %s" % str(e).split(":")[0]))
            if isinstance(obj, dict):
                if "prev_hash" in obj:
                    want = None if prev_raw is None else sha(prev_raw)
                    if obj["prev_hash"] != want:
                        chain.append(((rel, n), f"{rel}:{n}", "prev_hash does not match the previous line"))
                seq = obj.get("seq")
                if isinstance(seq, int) and not isinstance(seq, bool):
                    if last_seq is not None and seq != last_seq + (idx - last_idx):
                        seqs.append(((rel, n), f"{rel}:{n}", "seq %d after %d" % (seq, last_seq)))
                    last_seq, last_idx = seq, idx
                bad = validate(obj)
                if bad:
                    malformed.append(((rel, n), f"{rel}:{n}", "field '%s': %s" % bad))
                else:
                    db.execute("INSERT INTO calls VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
                        rel, n, ms(obj["timestamp"]), obj["session_id"], obj["user_id"], obj["agent_id"],
                        obj["tool_server"] + "." + obj["tool_name"], obj["response_hash"], obj["dlp_result"],
                        obj["policy_decision"], obj.get("decision_reason"), obj["latency_ms"],
                        obj["data_classification"], obj["correlation_id"], obj.get("event_id")))
            elif obj is not None:
                malformed.append(((rel, n), f"{rel}:{n}", "not a JSON object"))
            prev_raw = raw
    return malformed, chain, seqs


# ----------------------------------------------------------------------------------------------- approvals

def load_approvals(root):
    events, bad = [], []
    with open(os.path.join(root, "approvals.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            e = json.loads(line)
            if e.get("event") not in EVENTS or ms(e.get("timestamp")) is None:
                bad.append(((e.get("event"),), f"approvals.jsonl:{n}", "unknown event %r" % e.get("event")))
                continue
            e["_line"] = n
            e["_t"] = ms(e["timestamp"])
            e["_tool"] = e["tool_server"] + "." + e["tool_name"]
            events.append(e)
    events.sort(key=lambda e: (e["_t"], e["_line"]))
    return events, bad


def intervals(events):
    out = {}
    for e in events:
        ivs = out.setdefault(e["_tool"], [])
        if e["event"] == "approved":
            ivs.append([e["_t"], ms(e["expires"])])
        elif e["event"] == "reviewed" and e.get("outcome") == "pass" and ivs and ivs[-1][0] <= e["_t"] < ivs[-1][1]:
            ivs[-1][1] = ms(e["expires"])
        elif e["event"] in ("revoked", "decommissioned") and ivs:
            ivs[-1][1] = min(ivs[-1][1], e["_t"])
    return out


# ----------------------------------------------------------------------------------------------- directory

def load_directory(root):
    people, bad = {}, []
    with open(os.path.join(root, "directory.csv"), encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        assert header == ["user_id", "name", "roles", "status", "terminated_at"], header
        for n, row in enumerate(r, start=2):
            uid, name, roles, status, term = row
            if status not in ("active", "terminated") or (status == "terminated") != bool(term) \
                    or (term and ms(term) is None):
                bad.append(((uid,), f"directory.csv:{n}", "status %r" % status))
                continue
            people[uid] = dict(name=name, roles=roles.split(";") if roles else [], status=status,
                               terminated=ms(term) if term else None, line=n)
    return people, bad


# ----------------------------------------------------------------------------------------------- policies

def parse_policy(text):
    """Just enough YAML for the files in policy-history (flat keys, flow lists, two levels)."""
    out = {"owner": None, "next_review": None}
    section = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            key, _, val = line.partition(":")
            section = key
            val = val.strip()
            if key == "tool":
                out["tool"] = val
            elif key == "roles":
                out["roles"] = [x.strip() for x in val.strip("[]").split(",") if x.strip()]
        elif section == "review":
            key, _, val = line.strip().partition(":")
            out[key] = val.strip()
    return out


def read_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = v[1:-1].replace("'\\''", "'")
    return env


TRAILER = re.compile(r"^(Reviewed-by|Approved-by|Reason):\s*(.+)$", re.M)


def load_policy_history(root):
    """Replay policy-history/NN-*/ as main's first-parent line: [(commit dict)]"""
    state, commits = {}, []
    for folder in sorted(glob.glob(os.path.join(root, "policy-history", "[0-9][0-9]-*"))):
        env = read_env(os.path.join(folder, "commit.env"))
        with open(os.path.join(folder, "message"), encoding="utf-8") as f:
            message = f.read()
        changed = []
        files_dir = os.path.join(folder, "files")
        for dirpath, _, names in os.walk(files_dir):
            for name in names:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, files_dir).replace(os.sep, "/")
                with open(full, encoding="utf-8") as f:
                    state[rel] = f.read()
                changed.append(rel)
        if os.path.exists(os.path.join(folder, "delete")):
            with open(os.path.join(folder, "delete"), encoding="utf-8") as f:
                for rel in f.read().split():
                    del state[rel]
                    changed.append(rel)
        if env["KIND"] == "merge":
            with open(os.path.join(folder, "merge-message"), encoding="utf-8") as f:
                main_message = f.read()
            when = ms(env["MERGE_DATE"])
        else:
            main_message = message
            when = ms(env["COMMITTER_DATE"])
        subject = main_message.splitlines()[0]
        m = re.match(r"Merge pull request #(\d+) ", subject) or re.search(r"\(#(\d+)\)$", subject)
        trailers = TRAILER.findall(main_message)
        commits.append(dict(folder=os.path.basename(folder), when=when, subject=subject,
                            pr=int(m.group(1)) if m else None, author=env["AUTHOR_EMAIL"],
                            reviewers=[v for k, v in trailers if k in ("Reviewed-by", "Approved-by")],
                            reason=[v for k, v in trailers if k == "Reason"],
                            touches_policies=any(c.startswith("policies/") for c in changed),
                            policies={p: parse_policy(t) for p, t in state.items() if p.startswith("policies/")}))
    return commits


def policy_at(commits, tool, t):
    current = None
    for c in commits:
        if c["when"] <= t:
            current = c["policies"]
    if current is None:
        return None, None
    server = tool.split(".", 1)[0]
    for path, p in sorted(current.items()):
        if p["tool"] == tool:
            return path, p
    for path, p in sorted(current.items()):
        if p["tool"] == server + ".*":
            return path, p
    return None, None


# ----------------------------------------------------------------------------------------------- checks

def run(root):
    db = sqlite3.connect(":memory:")
    malformed, chain, seqs = load_audit(root, db)
    events, bad_events = load_approvals(root)
    people, bad_people = load_directory(root)
    commits = load_policy_history(root)
    with open(os.path.join(root, "pr-reviews.jsonl"), encoding="utf-8") as f:
        reviews = [json.loads(line) for line in f]
    ivs = intervals(events)
    tiers = {e["_tool"]: e["risk_tier"] for e in events if e["event"] == "registered"}
    classes = {e["_tool"]: e["data_classification"] for e in events if e["event"] == "registered"}
    rows = db.execute("SELECT file, line, ts, session_id, user_id, tool, response_hash, dlp, decision, reason, "
                      "classification, correlation_id, agent_id FROM calls ORDER BY ts, file, line").fetchall()
    F = {k: [] for k in ["calls-without-approval", "calls-by-terminated-users", "calls-by-unknown-users",
                         "calls-role-not-allowed", "calls-without-policy", "empty-correlation-id",
                         "deny-without-reason", "dlp-blocked-with-response", "off-hours-calls",
                         "classification-mismatch", "deny-with-response", "allow-without-response"]}

    def add(check, r, detail):
        F[check].append(((r[0], r[1]), f"{r[0]}:{r[1]}", f"{iso(r[2])} {r[4]} {r[5]}: {detail}"))

    for r in rows:
        file, line, ts, sid, user, tool, resp, dlp, decision, reason, cls, corr, agent = r
        if not any(a <= ts < b for a, b in ivs.get(tool, [])):
            add("calls-without-approval", r, "no approval in force" + ("" if tool in tiers else
                                                                     " (tool never registered)"))
        person = people.get(user)
        if person is None:
            add("calls-by-unknown-users", r, "user not in the directory")
        elif person["terminated"] is not None and person["terminated"] <= ts:
            add("calls-by-terminated-users", r, "terminated at " + iso(person["terminated"]))
        path, pol = policy_at(commits, tool, ts)
        if decision == "allow":
            if pol is None:
                add("calls-without-policy", r, "no policy file in force")
            elif not set(person["roles"] if person else []) & set(pol["roles"]):
                add("calls-role-not-allowed", r, "roles %s not in %s %s" % (
                    person["roles"] if person else [], path, pol["roles"]))
        if corr == "":
            add("empty-correlation-id", r, "correlation_id is empty")
        if decision == "deny" and not reason:
            add("deny-without-reason", r, "denied without decision_reason")
        if dlp == "blocked" and resp is not None:
            add("dlp-blocked-with-response", r, "DLP blocked but a response hash was recorded")
        if decision == "deny" and resp is not None:
            add("deny-with-response", r, "denied with a response hash")
        if decision == "allow" and resp is None and dlp != "blocked":
            add("allow-without-response", r, "allowed without a response hash")
        hour = datetime.fromtimestamp(ts // 1000, UTC).hour
        if NIGHT[0] <= hour < NIGHT[1]:
            add("off-hours-calls", r, datetime.fromtimestamp(ts // 1000, UTC).strftime("%A %H:%M UTC"))
        if tool in classes and classes[tool] != cls:
            add("classification-mismatch", r, f"{cls} != registered {classes[tool]}")

    F["malformed-audit-lines"] = malformed
    F["hash-chain-breaks"] = chain
    F["seq-anomalies"] = seqs
    F["malformed-approval-lines"] = bad_events
    F["malformed-directory-rows"] = bad_people

    # sessions longer than 12 hours
    F["sessions-over-12h"] = [((f, l), f"{f}:{l}", "session %s lasted %.1f h (%s to %s), %d calls" % (
        sid, (b - a) / 3.6e6, iso(a), iso(b), n)) for sid, a, b, n, f, l in db.execute(
        """SELECT session_id, MIN(ts), MAX(ts), COUNT(*),
                  (SELECT file FROM calls c2 WHERE c2.session_id = c.session_id ORDER BY ts LIMIT 1),
                  (SELECT line FROM calls c2 WHERE c2.session_id = c.session_id ORDER BY ts LIMIT 1)
           FROM calls c GROUP BY session_id HAVING MAX(ts) - MIN(ts) > ? ORDER BY MIN(ts)""",
        (SESSION_HOURS * 3_600_000,))]

    # gaps between consecutive records
    ts_all = [r[2] for r in rows]
    F["gaps-over-12h"] = []
    for a, b in zip(ts_all, ts_all[1:]):
        if b - a > GAP_HOURS * 3_600_000:
            F["gaps-over-12h"].append(((iso(a)[:10], iso(b)[:10]), "", "no records from %s to %s (%.1f h)" % (
                iso(a), iso(b), (b - a) / 3.6e6)))

    # tier-3 first use after the baseline window
    first = {}
    for r in rows:
        if tiers.get(r[5]) == 3:
            first.setdefault((r[4], r[5]), r)
    F["t3-first-use-after-baseline"] = [
        ((r[0], r[1]), f"{r[0]}:{r[1]}", f"{iso(r[2])} {r[4]} first used tier-3 {r[5]}")
        for (u, t), r in sorted(first.items()) if r[2] >= P0 + BASELINE_DAYS * DAY]

    # one day far above a user's median
    F["volume-spikes"] = []
    for user, in db.execute("SELECT DISTINCT user_id FROM calls ORDER BY user_id"):
        days = db.execute("SELECT date(ts/1000, 'unixepoch') d, COUNT(*) FROM calls WHERE user_id = ? "
                          "GROUP BY d ORDER BY d", (user,)).fetchall()
        med = statistics.median([n for _, n in days])
        for d, n in days:
            if n >= SPIKE_FACTOR * med and n >= SPIKE_MIN_CALLS:
                F["volume-spikes"].append(((user, d), "", f"{user} made {n} calls on {d}, median {med}"))

    # ---- approvals
    F["approval-by-wrong-role"], F["approval-segregation-of-duties"] = [], []
    F["approval-without-security-review"] = []
    registrant, passed = {}, {}
    for e in events:
        tool = e["_tool"]
        where = f"approvals.jsonl:{e['_line']}"
        if e["event"] == "registered":
            registrant[tool] = e["actor"]
            passed[tool] = False
        elif e["event"] == "security_review":
            passed[tool] = e["outcome"] == "pass"
        elif e["event"] == "approved":
            role = "auto" if e["actor"] == "auto" else e["actor_role"]
            if role not in APPROVAL_RULES[e["risk_tier"]]:
                F["approval-by-wrong-role"].append(((tool, "approved"), where, "%s: tier %d approved by %s (%s)" % (
                    tool, e["risk_tier"], e["actor"], e["actor_role"])))
            if e["actor"] == registrant.get(tool):
                F["approval-segregation-of-duties"].append(((tool, "approved"), where,
                                                            tool + ": approved by its registrant " + e["actor"]))
            if e["risk_tier"] >= 2 and not passed.get(tool):
                F["approval-without-security-review"].append(((tool, "approved"), where,
                                                              "%s: tier %d approved without a passing security review"
                                                              % (tool, e["risk_tier"])))
            if e["actor"] != "auto" and (e["actor"] not in people or e["actor_role"] not in
                                         people[e["actor"]]["roles"]):
                F.setdefault("approval-actor-not-in-directory", []).append(((tool, "approved"), where, e["actor"]))
    F.setdefault("approval-actor-not-in-directory", [])
    F["tools-without-recent-review"] = []
    for tool in sorted(ivs):
        if not any(a <= P1 - 1 < b for a, b in ivs[tool]):
            continue
        recent = [e for e in events if e["_tool"] == tool and e["event"] in ("reviewed", "approved")
                  and P1 - REVIEW_WINDOW_DAYS * DAY <= e["_t"] < P1]
        if not recent:
            last = max(e["timestamp"] for e in events if e["_tool"] == tool and e["event"] in ("reviewed", "approved"))
            F["tools-without-recent-review"].append(((tool,), "", tool + ": last approval or review " + last))
    called = {r[5] for r in rows}
    F["tools-without-calls"] = [((tool,), "", tool + ": approved in the period, no calls")
                                for tool in sorted(ivs) if any(a < P1 and b > P0 for a, b in ivs[tool])
                                and tool not in called]

    # ---- policies
    F["policy-changes-unreviewed"] = []
    for c in commits:
        if not (P0 <= c["when"] < P1 and c["touches_policies"]):
            continue
        approved = [r["reviewer"] for r in reviews if r["pr"] == c["pr"] and r["state"] == "APPROVED"
                    and r["reviewer"] != c["author"]]
        missing = [k for k, ok in (("PR", c["pr"]), ("reviewer", c["reviewers"] or approved),
                                   ("Reason", c["reason"])) if not ok]
        if missing:
            F["policy-changes-unreviewed"].append(((c["subject"],), c["folder"], "%s: no %s" % (
                c["subject"], ", no ".join(missing))))
    final = commits[-1]["policies"]
    F["policies-review-overdue"] = [((p,), p, "next_review %s" % pol["next_review"])
                                    for p, pol in sorted(final.items()) if pol["next_review"] < LAST_DAY]
    F["policies-without-owner"] = [((p,), p, "review.owner missing") for p, pol in sorted(final.items())
                                   if not pol.get("owner")]
    for k in F:
        F[k].sort()
    return F


def run_clean(root):
    """Findings for the clean variant: run() with the engine's log-gap rule and working hours in place of the
    planted variant's 12-hour gap and night window, plus extra rules. A clean variant has none at all."""
    F = run(root)
    db = sqlite3.connect(":memory:")
    load_audit(root, db)
    rows = db.execute("SELECT file, line, ts, session_id, user_id, tool FROM calls ORDER BY ts, file, line").fetchall()
    del F["gaps-over-12h"], F["off-hours-calls"]

    times = [P0] + [r[2] for r in rows if P0 <= r[2] < P1] + [P1]
    F["gaps-over-24h"] = [((iso(a), iso(b)), "", "no records from %s to %s (%.1f h)" % (iso(a), iso(b),
                                                                                        (b - a) / 3.6e6))
                          for a, b in zip(times, times[1:]) if b - a > CLEAN_GAP_HOURS * 3_600_000]
    F["outside-working-hours"] = []
    F["empty-session-id"] = []
    for file, line, ts, sid, user, tool in rows:
        hour = datetime.fromtimestamp(ts // 1000, UTC).hour
        if not WORKING_HOURS[0] <= hour < WORKING_HOURS[1]:
            F["outside-working-hours"].append(((file, line), f"{file}:{line}", f"{iso(ts)} {user} {tool}"))
        if sid == "":
            F["empty-session-id"].append(((file, line), f"{file}:{line}", f"{iso(ts)} {user} {tool}"))

    # a policy change needs an approval, before it landed, by someone other than the (branch) author
    with open(os.path.join(root, "pr-reviews.jsonl"), encoding="utf-8") as f:
        reviews = [json.loads(line) for line in f]
    F["policy-changes-not-approved-by-another"] = []
    for c in load_policy_history(root):
        if not (P0 <= c["when"] < P1 and c["touches_policies"]):
            continue
        by_trailer = [v for v in c["reviewers"] if re.sub(r"^.*<(.*)>.*$", r"\1", v).lower() != c["author"].lower()]
        by_review = [r for r in reviews if r["pr"] == c["pr"] and r["state"] == "APPROVED"
                     and r["reviewer"].lower() != c["author"].lower() and ms(r["submitted_at"]) <= c["when"]]
        if not (by_trailer or by_review):
            F["policy-changes-not-approved-by-another"].append(((c["subject"],), c["folder"], c["subject"]))
    for k in F:
        F[k].sort()
    return F


def compare(expected, findings):
    problems = []
    for check in sorted(set(expected) | set(findings)):
        want = sorted(set(map(tuple, expected.get(check, []))))
        got = sorted({f[0] for f in findings.get(check, [])})
        if want != got:
            problems.append("%s: expected %s, found %s" % (check, want, got))
    return problems


def stats(root):
    """Figures for PLANTED.md: sizes, counts, and the natural maxima the thresholds were set against."""
    db = sqlite3.connect(":memory:")
    load_audit(root, db)
    out = {"files": []}
    for rel in ["audit/gateway-2026-07.jsonl", "audit/gateway-2026-08.jsonl", "audit/gateway-2026-09.jsonl.gz",
                "approvals.jsonl", "directory.csv", "pr-reviews.jsonl"]:
        path = os.path.join(root, rel)
        opener = gzip.open if rel.endswith(".gz") else open
        with opener(path, "rb") as f:
            lines = f.read().count(b"\n")
        out["files"].append((rel, os.path.getsize(path), lines))
    q = lambda sql, *a: db.execute(sql, a).fetchall()
    out["calls"] = q("SELECT COUNT(*) FROM calls")[0][0]
    out["by_month"] = q("SELECT substr(file, 15, 7), COUNT(*) FROM calls GROUP BY 1 ORDER BY 1")
    out["users"] = q("SELECT COUNT(DISTINCT user_id) FROM calls")[0][0]
    out["sessions"] = q("SELECT COUNT(DISTINCT session_id) FROM calls")[0][0]
    out["decisions"] = q("SELECT decision, COUNT(*) FROM calls GROUP BY 1 ORDER BY 1")
    out["dlp"] = q("SELECT dlp, COUNT(*) FROM calls GROUP BY 1 ORDER BY 1")
    out["tools"] = q("SELECT tool, classification, COUNT(*), SUM(decision='deny') FROM calls GROUP BY 1, 2 "
                     "ORDER BY 1")
    out["weekday_share"] = q("SELECT AVG(strftime('%w', ts/1000, 'unixepoch') NOT IN ('0','6')) FROM calls")[0][0]
    out["hours"] = q("SELECT MIN(strftime('%H:%M', ts/1000, 'unixepoch')), MAX(strftime('%H:%M', ts/1000, "
                     "'unixepoch')) FROM calls WHERE CAST(strftime('%H', ts/1000, 'unixepoch') AS INT) >= 5")[0]
    ts_all = [t for t, in q("SELECT ts FROM calls ORDER BY ts")]
    gaps = sorted(b - a for a, b in zip(ts_all, ts_all[1:]))
    out["second_gap_h"] = gaps[-2] / 3.6e6
    durs = sorted(d for d, in q("SELECT MAX(ts) - MIN(ts) FROM calls GROUP BY session_id"))
    out["second_session_h"] = durs[-2] / 3.6e6
    ratios = []
    for user, in q("SELECT DISTINCT user_id FROM calls"):
        days = [n for _, n in q("SELECT date(ts/1000, 'unixepoch') d, COUNT(*) FROM calls WHERE user_id = ? "
                                "GROUP BY d", user)]
        ratios.append((max(days) / statistics.median(days), user))
    ratios.sort()
    out["top_ratio"], out["second_ratio"] = ratios[-1], ratios[-2]
    # tier-3 first uses inside the baseline, and what judging calls by the final policy would get wrong
    events, _ = load_approvals(root)
    people, _ = load_directory(root)
    commits = load_policy_history(root)
    tiers = {e["_tool"]: e["risk_tier"] for e in events if e["event"] == "registered"}
    firsts = q("SELECT user_id, tool, MIN(ts) FROM calls GROUP BY 1, 2")
    out["t3_baseline_last"] = iso(max(t for u, tool, t in firsts if tiers.get(tool) == 3
                                      and t < P0 + BASELINE_DAYS * DAY))[:10]
    wrong = 0
    for ts, user, tool in q("SELECT ts, user_id, tool FROM calls WHERE decision = 'allow'"):
        roles = set(people[user]["roles"]) if user in people else set()
        _, then = policy_at(commits, tool, ts)
        _, final = policy_at(commits, tool, P1)
        if then and final and roles & set(then["roles"]) and not roles & set(final["roles"]):
            wrong += 1
    out["judged_by_final_policy"] = wrong
    return out


def main():
    parser = argparse.ArgumentParser(description="Re-compute the Acme example's exceptions from its files.")
    parser.add_argument("--clean", metavar="OUTDIR", help="check a clean variant (generate.py --clean OUTDIR)")
    args = parser.parse_args()
    root = args.clean or os.path.dirname(os.path.abspath(__file__))
    findings = run_clean(root) if args.clean else run(root)
    for check in sorted(findings):
        print(f"{check}: {len(findings[check])}")
        for key, where, detail in findings[check]:
            print(f"    {where or '-'}  {detail}")
    if args.clean:
        return 1 if any(findings.values()) else 0
    invariants = ["classification-mismatch", "deny-with-response", "allow-without-response",
                  "approval-actor-not-in-directory"]
    return 1 if any(findings[k] for k in invariants) else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Deterministic generator of an Acme-like organisation at any size, for benchmarking mcp-evidence.

    python3 Benchmarks/generate.py --records 1000000 --out Benchmarks/data/1000000

Writes into --out (which must be absent or empty):
    audit/gateway-2026q3-NNN.jsonl[.gz]   exactly --records audit lines, in time order, split into files of at
                                          most 1,000,000 lines (at least 3 files); every third file gzipped
    approvals.jsonl, pr-reviews.jsonl     copied from examples/acme (the same tools, approvals and reviews)
    directory.csv                         examples/acme's 300 people plus generated ones (about one person per
                                          250 records, at most 40,000)
    policy-repo/                          built by examples/acme/build-policy-repo.sh (needs sh and git)
    evidence.yaml                         like examples/acme/evidence.yaml, with `output: out` and
                                          `signing: {key: keys/evidence.pem}` (the driver creates the key)
    counts.json                           what was written: lines, valid records, rejected records, planted
                                          violations by kind and the exception counts they should produce

Distributions are examples/acme's (its module is imported for the tools, role profiles, approval intervals and
policy timeline): the same ~20 tools on 6 servers, per-role tool profiles, per-person activity (a share of
weekdays active and a number of calls per active day), sessions of 2-8 calls during working hours, an on-call
monitoring agent, tier-3 tools only for a few people per tool, DLP results by data classification and a few
constraint denials. Audit records carry `seq` and `prev_hash` (SHA-256 of the previous line's exact bytes), one
chain running across all files in name order, as in examples/acme.

About 0.1 % of the lines are planted violations of the kinds examples/acme plants: calls to tools with no
approval in force (never registered, after expiry, after revocation, after decommissioning, before approval),
calls by terminated or unknown users, calls by roles the policy in force does not allow, records edited or
deleted after the fact (chain breaks, seq gaps), repeated seq values, malformed lines (truncated JSON, latency
as a string, a non-RFC 3339 timestamp, an unknown enum value), empty correlation ids and denials without a
reason. Every kind is planted at least once, so tiny sizes still contain each of them.

Python 3 standard library only; one fixed seed. Same arguments => byte-identical files.
"""

import argparse
import bisect
import hashlib
import importlib.util
import json
import math
import os
import queue
import random
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ACME_DIR = os.path.join(ROOT, "examples", "acme")
SEED = 20260701

MAX_LINES_PER_FILE = 1_000_000
MIN_FILES = 3
RECORDS_PER_PERSON = 250
MAX_PEOPLE = 40_000
PLANTED_SHARE = 0.001
GZIP_LEVEL = 6

# Planted kinds and their share of the planted lines. "call" kinds are extra calls; "edit" kinds alter an
# ordinary record as it is written.
PLANTS = [
    ("unapproved-tool", "call", 0.30),
    ("terminated-user", "call", 0.12),
    ("unknown-user", "call", 0.05),
    ("role-not-allowed", "call", 0.18),
    ("chain-tamper", "edit", 0.05),
    ("chain-delete", "edit", 0.05),
    ("seq-repeat", "edit", 0.03),
    ("malformed-truncated", "edit", 0.04),
    ("malformed-latency-string", "edit", 0.03),
    ("malformed-timestamp", "edit", 0.03),
    ("malformed-enum", "edit", 0.02),
    ("empty-correlation-id", "edit", 0.05),
    ("deny-without-reason", "edit", 0.05),
]
MALFORMED = {"malformed-truncated", "malformed-latency-string", "malformed-timestamp", "malformed-enum"}

# (tool, first allowed call time, last allowed call time): windows at least a day away from the approval
# boundary that makes the call an exception; all inside 2026-Q3.
UNAPPROVED_WINDOWS = [
    ("filesystem.delete_tree", "2026-07-01", "2026-09-30"),    # never registered or approved
    ("slack.export_history", "2026-08-17", "2026-09-30"),      # pilot approval expired 2026-08-15
    ("github.delete_branch", "2026-08-22", "2026-09-30"),      # revoked 2026-08-20
    ("jira.legacy_export", "2026-07-27", "2026-09-30"),        # decommissioned 2026-07-25
    ("slack.search", "2026-07-01", "2026-07-08"),              # first approved 2026-07-10
]


def load_acme():
    """examples/acme/generate.py as a module (importing it builds its people, approvals and policy history in
    memory and writes nothing)."""
    sys.dont_write_bytecode = True
    sys.path.insert(0, ACME_DIR)       # for its `import check`
    spec = importlib.util.spec_from_file_location("acme_generate", os.path.join(ACME_DIR, "generate.py"))
    module = importlib.util.module_from_spec(spec)
    saved = sys.argv
    sys.argv = [saved[0]]
    try:
        spec.loader.exec_module(module)
    finally:
        sys.argv = saved
    return module


acme = load_acme()
T, TOOLS, PROFILES, DAY_MS, HOUR_MS = acme.T, acme.TOOLS, acme.PROFILES, acme.DAY_MS, acme.HOUR_MS
DAYS = acme.DAYS
UTC = timezone.utc
DOMAIN = acme.DOMAIN


def parse_args(argv):
    p = argparse.ArgumentParser(description="Generate an Acme-like organisation of any size (2026-Q3).")
    p.add_argument("--records", type=int, default=1_000_000, help="audit lines to write (default 1,000,000)")
    p.add_argument("--out", required=True, help="output folder (absent or empty)")
    p.add_argument("--no-policy-repo", action="store_true", help="do not build policy-repo/ (needs git)")
    a = p.parse_args(argv)
    if a.records < 1000:
        p.error("--records must be at least 1000")
    return a


# ------------------------------------------------------------------------------------------------ people

class Person:
    __slots__ = ("uid", "name", "roles", "status", "terminated_at", "terminated_ms", "p", "r", "agents", "t3",
                 "profile")

    def __init__(self, uid, name, roles, status, terminated_at):
        self.uid, self.name, self.roles, self.status = uid, name, roles, status
        self.terminated_at = terminated_at
        self.terminated_ms = T(terminated_at) if terminated_at else None
        self.p = self.r = None
        self.agents = []
        self.t3 = []
        self.profile = None


# primary role -> (weight in the generated population, share using agents, share also team-lead)
ROLE_MIX = [("engineer", 95, 0.85, 0.12), ("support", 30, 0.85, 0.1), ("data-analyst", 12, 0.9, 0.0),
            ("sre", 7, 1.0, 0.0), ("finance", 8, 0.75, 0.0), ("product", 15, 0.7, 0.12), ("legal", 4, 0.6, 0.0),
            ("security", 3, 0.9, 0.0), ("sales", 36, 0.0, 0.1), ("marketing", 20, 0.0, 0.1), ("hr", 9, 0.0, 0.0),
            ("design", 12, 0.0, 0.0), ("executive", 4, 0.0, 0.0), ("customer-success", 10, 0.0, 0.0)]


def activity(rng, p):
    """Acme's per-person model, scaled up: a share of weekdays with agent use, and calls per active day."""
    p.p = rng.uniform(0.35, 0.95)
    p.r = rng.randint(3, 12)


def build_people(rng, total):
    people = []
    for a in acme.PEOPLE:
        q = Person(a.uid, a.name, list(a.roles), a.status, a.terminated_at)
        if a.activity is not None:
            activity(rng, q)
            q.agents = list(a.agents)
        q.t3 = list(a.t3)
        people.append(q)
    taken = {p.uid for p in people}
    roles = [r for r, *_ in ROLE_MIX]
    weights = [w for _, w, _, _ in ROLE_MIX]
    mix = {r: (share, lead) for r, _, share, lead in ROLE_MIX}
    period_start = acme.PERIOD_START
    for _ in range(max(0, total - len(people))):
        first, last = rng.choice(acme.FIRST_NAMES), rng.choice(acme.LAST_NAMES)
        local = f"{first}.{last}".lower()
        uid, n = f"{local}@{DOMAIN}", 2
        while uid in taken:
            uid, n = f"{local}{n}@{DOMAIN}", n + 1
        taken.add(uid)
        role = rng.choices(roles, weights)[0]
        share, lead = mix[role]
        rs = [role] + (["team-lead"] if rng.random() < lead else [])
        status, term = "active", ""
        x = rng.random()
        if x < 0.01:            # left before the period: in the export, never in the logs
            status = "terminated"
            term = acme.iso_ms(period_start - rng.randrange(10, 180) * DAY_MS - rng.randrange(DAY_MS))[:19] + "Z"
        elif x < 0.025:         # left during the period: calls until the day before
            status = "terminated"
            term = acme.iso_ms(period_start + rng.randrange(5, 88) * DAY_MS + rng.randrange(9, 19) * HOUR_MS)[:19] + "Z"
        q = Person(uid, f"{first} {last}", rs, status, term)
        if rng.random() < share and role in acme.AGENTS_BY_ROLE:
            activity(rng, q)
            options = acme.AGENTS_BY_ROLE[role]
            k = 1 if len(options) == 1 or rng.random() < 0.6 else 2
            q.agents = sorted(rng.sample(options, k))
        people.append(q)
    # tier-3 tools: a few more SREs and finance people per tool (acme's own holders are kept)
    for p in people[len(acme.PEOPLE):]:
        if p.p is None or p.status != "active":
            continue
        if p.roles[0] == "sre" and rng.random() < 0.2:
            p.t3.append("database.write")
        if p.roles[0] == "finance":
            if rng.random() < 0.3:
                p.t3.append("payments.refund")
            if rng.random() < 0.15:
                p.t3.append("payments.create_payout")
    for p in people:
        p.profile = (tuple(p.roles), tuple(sorted(p.t3)))
    return people


# ------------------------------------------------------------------------------------------------ tools by day

def policy_pattern(tool, t):
    pol = acme.policy_at(tool, t)
    return None if pol is None else pol["tool"]


def roles_allowed(roles, tool, t):
    pol = acme.policy_at(tool, t)
    return pol is not None and any(r in pol["roles"] for r in roles)


class ToolCache:
    """Tools a profile (roles, tier-3 tools) may use for a whole UTC day: approved all day, a policy in force
    all day (the same file) allowing one of the roles. As [(tool, policy id)] with cumulative weights."""

    def __init__(self):
        self.cache = {}

    def get(self, profile, day_index):
        key = (profile, day_index)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        roles, t3 = profile
        a = acme.day_start(DAYS[day_index])
        b = a + DAY_MS - 1
        weights = {}
        for role in roles:
            for tool, w in PROFILES.get(role, {}).items():
                weights[tool] = weights.get(tool, 0) + w
        tools, cum, total = [], [], 0
        for tool in sorted(weights):
            if TOOLS[tool][0] == 3 and tool not in t3:
                continue
            if not (acme.approved_at(tool, a) and acme.approved_at(tool, b)):
                continue
            pa, pb = policy_pattern(tool, a), policy_pattern(tool, b)
            if pa is None or pa != pb or not (roles_allowed(roles, tool, a) and roles_allowed(roles, tool, b)):
                continue
            total += weights[tool]
            tools.append((tool, pa))
            cum.append(total)
        hit = (tools, cum)
        self.cache[key] = hit
        return hit


# ------------------------------------------------------------------------------------------------ calls

class Ids:
    """Unique session ids: a counter through a bijection of 48-bit integers (an odd multiplier), so they look
    random but never collide (a collision would merge two sessions into one that lasts for days)."""

    def __init__(self):
        self.n = 0

    def session(self):
        self.n += 1
        return "ses_%012x" % ((self.n * 0x9E3779B97F4B) & 0xFFFFFFFFFFFF)


def add_session(rng, out, ids, person_index, agent, start, n, tools, cum, tag=None, gap=(4, 150)):
    """n calls of one session, appended to out as (t, person index, agent, session, tool, policy id, tag).
    Sticky tool choice: agents tend to repeat a tool."""
    sid = ids.session()
    t = start
    choice = None
    total = cum[-1]
    for _ in range(n):
        if choice is None or rng.random() > 0.55:
            choice = tools[bisect.bisect_right(cum, rng.random() * total)]
        out.append((t, person_index, agent, sid, choice[0], choice[1], tag))
        t += int(rng.uniform(gap[0], gap[1]) * 1000) + rng.randrange(1000)


def day_targets(total):
    """total bulk calls spread over the days: weekdays weight 1, weekend days 0.1 (largest remainder)."""
    w = [0.1 if d.weekday() >= 5 else 1.0 for d in DAYS]
    s = sum(w)
    raw = [total * x / s for x in w]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    for i in sorted(range(len(DAYS)), key=lambda i: (-(raw[i] - out[i]), i))[:rest]:
        out[i] += 1
    return out


def bulk_day(rng, ids, people, users, tools_cache, day_index, target):
    """Ordinary activity for one day until exactly `target` calls: people in a shuffled order, each active
    with their probability, a day's calls (0.6-1.8 x their rate) in sessions of 2-8 calls."""
    d = DAYS[day_index]
    day0 = acme.day_start(d)
    weekend = d.weekday() >= 5
    end = day0 + DAY_MS - 1
    eligible = [i for i in users if people[i].terminated_ms is None or people[i].terminated_ms > end]
    out = []
    remaining = target
    while remaining > 0 and eligible:
        order = eligible[:]
        rng.shuffle(order)
        for i in order:
            if remaining <= 0:
                break
            p = people[i]
            if rng.random() >= p.p:
                continue
            tools, cum = tools_cache.get(p.profile, day_index)
            if not tools:
                continue
            n = min(remaining, max(1, round(p.r * rng.uniform(0.6, 1.8))))
            remaining -= n
            while n > 0:
                k = min(n, rng.randint(2, 8))
                add_session(rng, out, ids, i, rng.choice(p.agents), acme.session_start(rng, d, weekend), k, tools, cum)
                n -= k
    if remaining:
        raise SystemExit(f"error: nobody can make calls on {d} ({remaining} left); use more --records")
    return out


def oncall_day(rng, ids, people, sres, tools_cache, day_index):
    """The on-call SRE's monitoring agent checks in every morning and evening (and at noon on weekends), so
    the log never goes quiet for long."""
    d = DAYS[day_index]
    day0 = acme.day_start(d)
    i = sres[(day_index // 7) % len(sres)]
    tools, _ = tools_cache.get(people[i].profile, day_index)
    tools = [x for x in tools if x[0] in ("database.query", "slack.post_message", "filesystem.list_dir")]
    cum = list(range(1, len(tools) + 1))
    out = []
    if not tools:
        return out
    slots = [(6.0, 7.0), (19.5, 20.5)] + ([(12.0, 14.0)] if d.weekday() >= 5 else [])
    for lo, hi in slots:
        add_session(rng, out, ids, i, "oncall-bot", day0 + int(rng.uniform(lo, hi) * HOUR_MS), rng.randint(1, 3),
                    tools, cum, gap=(2, 20))
    return out


def t3_baseline(rng, ids, people, tools_cache):
    """Each tier-3 holder uses each of their tier-3 tools early in the period (the first-use check's 30-day
    baseline), as in examples/acme."""
    windows = {"database.write": ("2026-07-01", 7), "payments.refund": ("2026-07-01", 10),
               "payments.create_payout": ("2026-07-13", 7)}
    by_day = {}
    for i, p in enumerate(people):
        if p.p is None:
            continue
        for tool in sorted(p.t3):
            first, span = windows[tool]
            start = datetime.fromisoformat(first).date()
            for _ in range(30):
                d = start + timedelta(days=rng.randrange(span))
                if d.weekday() >= 5:
                    d += timedelta(days=7 - d.weekday())
                di = (d - DAYS[0]).days
                end = acme.day_start(d) + DAY_MS - 1
                if p.terminated_ms is not None and p.terminated_ms <= end:
                    continue
                tools, _ = tools_cache.get(p.profile, di)
                match = [x for x in tools if x[0] == tool]
                if match:
                    add_session(rng, by_day.setdefault(di, []), ids, i, p.agents[0],
                                acme.session_start(rng, d, False), 2, match, [1])
                    break
    return by_day


# ------------------------------------------------------------------------------------------------ planted calls

def weekday_time(rng, first, last):
    """A random weekday instant between 08:00 and 18:00 UTC on days first..last (inclusive, YYYY-MM-DD)."""
    a = datetime.fromisoformat(first).date()
    b = datetime.fromisoformat(last).date()
    while True:
        d = a + timedelta(days=rng.randrange((b - a).days + 1))
        if d.weekday() < 5:
            return acme.day_start(d) + rng.randrange(8 * HOUR_MS, 18 * HOUR_MS)


def planted_calls(rng, ids, people, counts):
    """The extra calls of the "call" kinds: [(day index, call tuple)]."""
    out = []

    def put(t, person_index, agent, tool, tag, uid=None):
        pol = policy_pattern(tool, t)
        assert pol is not None, (tool, t)
        out.append(((t - acme.PERIOD_START) // DAY_MS,
                    (t, person_index, agent, ids.session(), tool, pol, tag)))

    live = [i for i, p in enumerate(people) if p.status == "active"]
    n = counts["unapproved-tool"]
    for k in range(n):
        tool, first, last = UNAPPROVED_WINDOWS[k % len(UNAPPROVED_WINDOWS)]
        t = weekday_time(rng, first, last)
        assert not acme.approved_at(tool, t)
        while True:
            i = rng.choice(live)
            if roles_allowed(people[i].roles, tool, t):
                break
        put(t, i, "claude-desktop", tool, "unapproved-tool")

    leavers = [i for i, p in enumerate(people)
               if p.terminated_ms is not None and acme.PERIOD_START <= p.terminated_ms < T("2026-09-25T00:00:00Z")
               and p.p is not None]
    for _ in range(counts["terminated-user"]):
        while True:
            i = rng.choice(leavers)
            p = people[i]
            t = weekday_time(rng, acme.iso_ms(p.terminated_ms + 2 * DAY_MS)[:10], "2026-09-30")
            tools = [tool for tool in sorted(PROFILES.get(p.roles[0], {}))
                     if TOOLS[tool][0] < 3 and acme.approved_at(tool, t - DAY_MS) and acme.approved_at(tool, t + DAY_MS)
                     and roles_allowed(p.roles, tool, t - DAY_MS) and roles_allowed(p.roles, tool, t + DAY_MS)
                     and policy_pattern(tool, t - DAY_MS) == policy_pattern(tool, t + DAY_MS)]
            if tools:
                break
        put(t, i, p.agents[0], rng.choice(tools), "terminated-user")

    for k in range(counts["unknown-user"]):
        t = weekday_time(rng, "2026-07-01", "2026-09-30")
        put(t, -1 - (k % 7), "claude-desktop", "jira.search", "unknown-user")

    candidates = ["github.read_file", "github.search_code", "jira.search", "jira.create_issue",
                  "filesystem.read_file", "filesystem.list_dir", "database.query", "payments.get_invoice"]
    for _ in range(counts["role-not-allowed"]):
        while True:
            t = weekday_time(rng, "2026-07-01", "2026-09-30")
            tool = rng.choice(candidates)
            i = rng.choice(live)
            roles = people[i].roles
            if (acme.approved_at(tool, t - DAY_MS) and acme.approved_at(tool, t + DAY_MS)
                    and policy_pattern(tool, t - DAY_MS) is not None
                    and policy_pattern(tool, t - DAY_MS) == policy_pattern(tool, t + DAY_MS)
                    and not roles_allowed(roles, tool, t - DAY_MS) and not roles_allowed(roles, tool, t + DAY_MS)):
                break
        put(t, i, "claude-desktop", tool, "role-not-allowed")
    return out


def unknown_uid(k):
    return f"contractor{k:02d}.external@{DOMAIN}"


# ------------------------------------------------------------------------------------------------ writing

DENY_REASONS = acme.DENY_REASONS
DLP_BLOCKED = ["credit_card", "iban", "private_key"]


def gzip_header():
    # fixed header (mtime 0, no name, OS 255) so the bytes do not depend on the Python version
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


class FileWriter(threading.Thread):
    """Writes (and gzips) chunks on a second thread: zlib and file writes release the GIL, so they overlap
    with formatting on the main thread."""

    def __init__(self):
        super().__init__(daemon=True)
        self.q = queue.Queue(maxsize=8)
        self.error = None

    def run(self):
        f = z = None
        crc = size = 0
        try:
            while True:
                item = self.q.get()
                if item is None:
                    return
                kind, payload = item
                if kind == "open":
                    path, gz = payload
                    f = open(path, "wb")
                    z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15, 9) if gz else None
                    crc = size = 0
                    if z:
                        f.write(gzip_header())
                elif kind == "data":
                    if z:
                        crc = zlib.crc32(payload, crc)
                        size += len(payload)
                        f.write(z.compress(payload))
                    else:
                        f.write(payload)
                elif kind == "close":
                    if z:
                        f.write(z.flush())
                        f.write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
                    f.close()
                    f = z = None
        except BaseException as e:      # reported by the main thread
            self.error = e
            while self.q.get() is not None:
                pass

    def put(self, kind, payload=None):
        if self.error:
            raise self.error
        self.q.put((kind, payload))


def lognormal_table(rng, n=4096):
    return [rng.lognormvariate(0, 0.55) for _ in range(n)]


class AuditWriter:
    """Formats calls into JSON lines with the seq/prev_hash chain, applies the record-level plants, and
    rotates files at fixed line counts."""

    def __init__(self, out_dir, total_lines, people, edit_targets, rng):
        self.dir = os.path.join(out_dir, "audit")
        os.makedirs(self.dir)
        self.total = total_lines
        self.files = max(MIN_FILES, math.ceil(total_lines / MAX_LINES_PER_FILE))
        self.bounds = [k * total_lines // self.files for k in range(1, self.files + 1)]
        self.file_index = -1
        self.file_info = []
        self.written = 0
        self.seq = 0
        self.prev = None               # hash text of the previous line, "sha256:..."
        self.rng = rng
        self.lat = lognormal_table(rng)
        self.targets = edit_targets    # sorted [(line position, kind)], consumed in order
        self.ti = 0
        self.applied = {}
        self.buf = []
        self.buf_bytes = 0
        self.writer = FileWriter()
        self.writer.start()
        self.user_part = {}
        for i, p in enumerate(people):
            for agent in set(p.agents) | {"claude-desktop", "oncall-bot"}:
                self.user_part[(i, agent)] = self.user_fields(p.uid, agent)
        for k in range(7):
            self.user_part[(-1 - k, "claude-desktop")] = self.user_fields(unknown_uid(k), "claude-desktop")
        self.tool_part = {}
        for tool, (tier, cls, median) in TOOLS.items():
            server, name = tool.split(".", 1)
            self.tool_part[tool] = (f'"tool_server":"{server}","tool_name":"{name}",', f'"data_classification":"{cls}",',
                                    cls, median)
        for s in [r for v in DENY_REASONS.values() for r in v] + list(acme.CLIENT_VERSION.values()):
            assert json.dumps(s) == f'"{s}"', s     # written without escaping below

    @staticmethod
    def user_fields(uid, agent):
        assert json.dumps(uid) == f'"{uid}"'
        tail = '"environment":"production"'
        if agent in acme.CLIENT_VERSION:
            tail += f',"client_version":"{acme.CLIENT_VERSION[agent]}"'
        return f'"user_id":"{uid}","agent_id":"{agent}",', tail + "}"

    def rotate(self):
        if self.file_index >= 0:
            self.flush()
            self.writer.put("close")
        self.file_index += 1
        gz = self.file_index % 3 == 2
        name = f"gateway-2026q3-{self.file_index + 1:03d}.jsonl" + (".gz" if gz else "")
        self.file_info.append({"path": "audit/" + name, "lines": 0})
        self.writer.put("open", (os.path.join(self.dir, name), gz))

    def flush(self):
        if self.buf:
            self.writer.put("data", b"".join(self.buf))
            self.buf = []
            self.buf_bytes = 0

    def close(self):
        self.flush()
        self.writer.put("close")
        self.writer.q.put(None)
        self.writer.join()
        if self.writer.error:
            raise self.writer.error
        for info in self.file_info:
            info["bytes"] = os.path.getsize(os.path.join(os.path.dirname(self.dir), info["path"]))

    def emit_day(self, day_index, calls):
        """calls: tuples (t, person, agent, session, tool, policy id, tag), any order."""
        calls.sort(key=lambda c: c[0])     # stable: ties keep generation order
        dp = DAYS[day_index].isoformat() + "T"
        day0 = acme.day_start(DAYS[day_index])
        rng = self.rng
        bits = rng.getrandbits
        rand = rng.random
        lat = self.lat
        user_part, tool_part = self.user_part, self.tool_part
        sha = hashlib.sha256
        for (t, pi, agent, sid, tool, pol, tag) in calls:
            if self.file_index < 0 or self.written >= self.bounds[self.file_index]:
                self.rotate()
            x = t - day0
            h, x = divmod(x, 3_600_000)
            m, x = divmod(x, 60_000)
            s, ms = divmod(x, 1000)
            ts = f"{dp}{h:02d}:{m:02d}:{s:02d}.{ms:03d}Z"
            user, tail = user_part[(pi, agent)]
            tsrv, tcls, cls, median = tool_part[tool]
            # the gateway's decision and DLP outcome (ordinary calls only), as in examples/acme
            decision, dlp, reason = "allow", "clean", None
            if tag is None:
                y = rand()
                if cls == "restricted":
                    dlp = "blocked" if y < 0.02 else "flagged" if y < 0.08 else "masked" if y < 0.20 else "clean"
                elif cls == "confidential":
                    dlp = "blocked" if y < 0.012 else "flagged" if y < 0.042 else "masked" if y < 0.142 else "clean"
                elif y < 0.02:
                    dlp = "masked"
                if dlp == "blocked":
                    decision = "deny"
                    reason = "DLP blocked response: " + DLP_BLOCKED[bits(16) % 3] + " detected"
                elif rand() < 0.022:
                    rs = DENY_REASONS.get(tool) or DENY_REASONS.get(tool.split(".", 1)[0]) or ["rate limit exceeded"]
                    if rand() < 0.25:
                        reason = "rate limit exceeded (60 calls/min)"
                    else:
                        reason = rs[bits(16) % len(rs)]
                    decision = "deny"
            kind = None
            if self.ti < len(self.targets) and self.written >= self.targets[self.ti][0] and tag is None:
                kind = self.targets[self.ti][1]
                self.ti += 1
                self.applied[kind] = self.applied.get(kind, 0) + 1
            corr = "%032x" % bits(128)
            corr = f"{corr[:8]}-{corr[8:12]}-4{corr[13:16]}-a{corr[17:20]}-{corr[20:]}"
            if kind == "empty-correlation-id":
                corr = ""
            if kind == "deny-without-reason":
                decision, dlp, reason = "deny", "clean", None
            if kind == "seq-repeat":
                if self.seq == 0:
                    self.seq = 1
            else:
                self.seq += 1
            resp = f'"sha256:{bits(256):064x}"' if decision == "allow" else "null"
            if decision == "deny" and dlp != "blocked":
                latency = 3 + bits(16) % 26
            else:
                latency = max(1, int(median * lat[bits(12)]))
            if kind == "malformed-timestamp":
                ts = datetime.fromtimestamp(t // 1000, UTC).strftime("%d/%m/%Y %H:%M:%S")
            lat_text = f'"{latency}"' if kind == "malformed-latency-string" else str(latency)
            prev = "null" if self.prev is None else f'"{self.prev}"'
            line = (f'{{"seq":{self.seq},"prev_hash":{prev},"event_id":"evt_{bits(64):016x}","timestamp":"{ts}",'
                    f'"session_id":"{sid}","correlation_id":"{corr}",{user}{tsrv}'
                    f'"arguments_hash":"sha256:{bits(256):064x}","response_hash":{resp},{tcls}'
                    f'"dlp_result":"{dlp}","policy_decision":"{"maybe" if kind == "malformed-enum" else decision}",'
                    f'"policy_id":"{pol}",'
                    + (f'"decision_reason":"{reason}",' if reason is not None else "")
                    + f'"latency_ms":{lat_text},{tail}')
            if kind == "malformed-truncated":
                line = line[: len(line) * 55 // 100]
            data = line.encode()
            self.prev = "sha256:" + sha(data).hexdigest()
            if kind == "chain-delete":
                continue        # removed after the fact: its seq and hash are gone from the file
            if kind == "chain-tamper":   # edited after the fact: the next line's prev_hash no longer matches
                data = line.replace(f'"latency_ms":{lat_text},', f'"latency_ms":{latency + 1},').encode()
            self.buf.append(data + b"\n")
            self.buf_bytes += len(data) + 1
            self.written += 1
            self.file_info[-1]["lines"] += 1
            if self.buf_bytes >= 1 << 20:
                self.flush()


def edit_targets(rng, total, counts, files):
    """Line positions for the record-level plants: spread over the whole log, at least 4 lines apart and away
    from file boundaries (so each plant shows up exactly once, on its own)."""
    kinds = []
    for kind, how, _ in PLANTS:
        if how == "edit":
            kinds += [kind] * counts[kind]
    bounds = {k * total // files for k in range(files + 1)}
    taken = []
    out = []
    slots = total // max(1, len(kinds))
    order = kinds[:]
    rng.shuffle(order)
    for j, kind in enumerate(order):
        while True:
            pos = j * slots + rng.randrange(max(1, slots - 8)) + 4
            if all(abs(pos - b) > 6 for b in bounds) and all(abs(pos - q) > 8 for q in taken) and pos < total - 8:
                break
        taken.append(pos)
        out.append((pos, kind))
    out.sort()
    # targets are checked against the count of lines written so far, which a deleted line does not advance:
    # later targets stay on the same records either way because each one is consumed once.
    return out


# ------------------------------------------------------------------------------------------------ other files

def write_directory(out, people):
    import csv
    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["user_id", "name", "roles", "status", "terminated_at"])
    for p in sorted(people, key=lambda p: p.uid):
        w.writerow([p.uid, p.name, ";".join(p.roles), p.status, p.terminated_at])
    with open(os.path.join(out, "directory.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(buf.getvalue())
    return sum(1 for p in people if p.status not in ("active", "terminated"))


def copy_acme_inputs(out):
    for name in ("approvals.jsonl", "pr-reviews.jsonl"):
        shutil.copyfile(os.path.join(ACME_DIR, name), os.path.join(out, name))
    events = {"registered", "security_review", "approved", "rejected", "reviewed", "revoked", "decommissioned"}
    with open(os.path.join(ACME_DIR, "approvals.jsonl"), encoding="utf-8") as f:
        return sum(1 for line in f if json.loads(line)["event"] not in events)


def write_config(out):
    with open(os.path.join(ACME_DIR, "evidence.yaml"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    text = []
    for line in lines:
        if line.startswith("organization:"):
            line = "organization: Acme Corp (benchmark)"
        elif line.startswith("output:"):
            line = "output: out"
        elif line.startswith("signing:"):
            line = "signing: {key: keys/evidence.pem}"
        elif line.startswith("#") and not line.startswith("# Agents"):
            continue
        text.append(line)
    header = ["# Generated by Benchmarks/generate.py: an Acme-like organisation at benchmark scale, 2026-Q3.",
              "# policy-repo/ is built by examples/acme/build-policy-repo.sh; Benchmarks/run.sh creates keys/."]
    with open(os.path.join(out, "evidence.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(header + text) + "\n")


def build_policy_repo(out):
    subprocess.run(["sh", os.path.join(ACME_DIR, "build-policy-repo.sh"), os.path.join(out, "policy-repo")],
                   check=True, stdout=subprocess.DEVNULL)


# ------------------------------------------------------------------------------------------------ main

def plant_counts(total):
    planted = total * PLANTED_SHARE
    return {kind: max(1, round(planted * share)) for kind, _, share in PLANTS}


def main(argv):
    args = parse_args(argv)
    started = time.monotonic()
    out = os.path.abspath(args.out)
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        sys.exit(f"error: --out {args.out}: must not exist or be an empty folder")
    os.makedirs(out, exist_ok=True)
    total = args.records
    master = random.Random(SEED)
    rng_people, rng_plants, rng_records = (random.Random(master.getrandbits(64)) for _ in range(3))
    day_seeds = [master.getrandbits(64) for _ in DAYS]

    people_total = min(MAX_PEOPLE, max(len(acme.PEOPLE), total // RECORDS_PER_PERSON))
    people = build_people(rng_people, people_total)
    tools_cache = ToolCache()
    ids = Ids()
    counts = plant_counts(total)

    baseline = t3_baseline(rng_plants, ids, people, tools_cache)
    planted = planted_calls(rng_plants, ids, people, counts)
    extra_by_day = {}
    for di, calls in baseline.items():
        extra_by_day.setdefault(di, []).extend(calls)
    for di, call in planted:
        extra_by_day.setdefault(di, []).append(call)
    users = [i for i, p in enumerate(people) if p.p is not None and p.agents]
    sres = [i for i in users if "sre" in people[i].roles and people[i].status == "active"]
    sres.sort(key=lambda i: people[i].uid)
    with_oncall = total >= 50_000
    oncall = {}
    if with_oncall:
        rng_oncall = random.Random(master.getrandbits(64))
        for di in range(len(DAYS)):
            oncall[di] = oncall_day(rng_oncall, ids, people, sres, tools_cache, di)

    fixed = sum(len(v) for v in extra_by_day.values()) + sum(len(v) for v in oncall.values())
    emitted = total + counts["chain-delete"]
    bulk = emitted - fixed
    if bulk < len(DAYS):
        sys.exit(f"error: --records {total} is too small for the planted and baseline calls ({fixed})")
    targets = day_targets(bulk)

    writer = AuditWriter(out, total, people, None, rng_records)
    writer.targets = edit_targets(rng_plants, total, counts, writer.files)
    for di in range(len(DAYS)):
        rng = random.Random(day_seeds[di])
        calls = bulk_day(rng, ids, people, users, tools_cache, di, targets[di])
        calls += oncall.get(di, [])
        calls += extra_by_day.get(di, [])
        writer.emit_day(di, calls)
    writer.close()
    if writer.written != total or writer.ti != len(writer.targets):
        sys.exit(f"error: internal: wrote {writer.written} lines of {total}, "
                 f"applied {writer.ti} of {len(writer.targets)} record plants")

    rejected_dir = write_directory(out, people)
    rejected_appr = copy_acme_inputs(out)
    write_config(out)
    if not args.no_policy_repo:
        build_policy_repo(out)

    malformed = sum(counts[k] for k in MALFORMED)
    result = {
        "generator": "Benchmarks/generate.py",
        "seed": SEED,
        "period": "2026-Q3",
        "audit_lines": total,
        "audit_files": writer.file_info,
        "calls_valid": total - malformed,
        "rejected": {"audit": malformed, "approvals": rejected_appr, "directory": rejected_dir},
        "rejected_total": malformed + rejected_appr + rejected_dir,
        "people": len(people),
        "agent_users": len(users),
        "planted": {kind: counts[kind] for kind, _, _ in PLANTS},
        "planted_total": sum(counts.values()),
        "expected_exceptions": {
            "tool-approved-at-call": counts["unapproved-tool"],
            "caller-known-and-active": counts["terminated-user"] + counts["unknown-user"],
            "caller-role-allowed": counts["role-not-allowed"],
            "audit-chain-intact": counts["chain-tamper"] + 2 * counts["chain-delete"] + counts["seq-repeat"],
            "audit-record-complete": malformed + counts["deny-without-reason"],
            "session-limits": counts["empty-correlation-id"],
            # examples/acme's filesystem.write_file approval, plus slack.search when it was called too early
            "security-review-before-approval":
                1 + (1 if counts["unapproved-tool"] >= len(UNAPPROVED_WINDOWS) else 0),
        },
    }
    with open(os.path.join(out, "counts.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    size = sum(i["bytes"] for i in writer.file_info)
    print(f"{out}: {total} audit lines in {writer.files} files ({size / 1e6:.0f} MB), {len(people)} people, "
          f"{result['planted_total']} planted, {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

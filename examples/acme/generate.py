#!/usr/bin/env python3
"""Deterministic generator for the Acme Corp example organisation, period 2026-Q3.

Writes, relative to this folder:
    audit/gateway-2026-07.jsonl, audit/gateway-2026-08.jsonl, audit/gateway-2026-09.jsonl.gz
    approvals.jsonl, directory.csv, pr-reviews.jsonl
    policy-history/NN-slug/...   source of the policy git repository (see build-policy-repo.sh)
    PLANTED.md                   the planted violations, located by check.py in the written files

Python 3 standard library only, one seed (random.Random(2026)). Running it again reproduces every file
byte for byte. After writing, it runs check.py over the written files and refuses to finish unless the
exceptions found there are exactly the planted ones; PLANTED.md is written from those findings, so its
file:line references cannot drift. To get the policy commit ids it builds the policy repository once in a
temporary folder with build-policy-repo.sh (needs sh and git).

With --clean OUTDIR it writes, into OUTDIR only, a variant of the same organisation with the same
distributions but no planted violation of any kind (the `if CLEAN` branches), plus evidence.yaml and a copy of
build-policy-repo.sh, and refuses to finish unless check.py's clean-mode checks find nothing at all.
Nothing under examples/acme changes in that mode.

Usage: python3 examples/acme/generate.py                   (the committed example, with its plants)
       python3 examples/acme/generate.py --clean OUTDIR    (the clean variant; OUTDIR absent or empty)
"""

import argparse
import csv
import hashlib
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import check  # noqa: E402  (the independent re-computation, same folder)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Generate the Acme Corp example organisation (2026-Q3).")
    parser.add_argument("--clean", metavar="OUTDIR",
                        help="write a variant with no planted violation into OUTDIR (absent or empty) instead")
    return parser.parse_args(argv)


# The mode is fixed before anything is built: the organisation, its approvals and its policy history are
# module-level data. Every clean-mode difference is behind `if CLEAN`, so the planted variant draws the
# same random numbers as before and stays byte for byte identical.
ARGS = parse_args(sys.argv[1:]) if __name__ == "__main__" else argparse.Namespace(clean=None)
CLEAN = ARGS.clean is not None
OUT = os.path.abspath(ARGS.clean) if CLEAN else HERE     # where every file is written

MASTER = random.Random(2026)


def sub_rng():
    """A child generator, so tuning one part does not reshuffle the others."""
    return random.Random(MASTER.getrandbits(64))


RNG_PEOPLE = sub_rng()
RNG_ACTIVITY = sub_rng()
RNG_CALLS = sub_rng()
RNG_PICK = sub_rng()

DOMAIN = "acme.example"
UTC = timezone.utc
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MIN_MS = 60_000


# ----------------------------------------------------------------------------------------------- time

def T(s):
    """RFC 3339 text to epoch milliseconds."""
    dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return int(dt.replace(microsecond=0).timestamp()) * 1000 + dt.microsecond // 1000


def iso_ms(t):
    dt = datetime.fromtimestamp(t // 1000, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (t % 1000)


PERIOD_START = T("2026-07-01T00:00:00Z")
PERIOD_END = T("2026-10-01T00:00:00Z")          # exclusive
DAYS = [datetime(2026, 7, 1, tzinfo=UTC).date() + timedelta(days=i) for i in range(92)]


def day_start(d):
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) * 1000


# ----------------------------------------------------------------------------------------------- people

def email(local):
    return f"{local}@{DOMAIN}"


# (key, name, local part of user_id, roles, status, terminated_at, activity)
# activity: None = never uses an agent; dict(p=active share of weekdays, r=calls per active day)
FIXED_PEOPLE = [
    ("priya", "Priya Natarajan", "priya.natarajan", ["security", "team-lead"], "active", "", dict(p=0.35, r=4)),
    ("zoe", "Zoë Müller", "zoe.mueller", ["security"], "active", "", dict(p=0.45, r=5)),
    ("marcus", "Marcus Bell", "marcus.bell", ["security"], "active", "", dict(p=0.4, r=4)),
    ("ines", "Ines Carvalho", "ines.carvalho", ["security"], "active", "", dict(p=0.3, r=4)),
    ("tomasz", "Tomasz Kowalski", "tomasz.kowalski", ["security"], "active", "", dict(p=0.3, r=3)),
    ("aisha", "Aisha Rahman", "aisha.rahman", ["security"], "active", "", dict(p=0.3, r=4)),
    ("ethan", "Ethan Clarke", "ethan.clarke", ["engineer", "team-lead"], "active", "", dict(p=0.4, r=6)),
    ("brian", "Brian Okafor", "brian.okafor", ["data-analyst", "team-lead"], "active", "", dict(p=0.45, r=6)),
    ("sofia", "Sofia Romano", "sofia.romano", ["finance", "team-lead"], "active", "", dict(p=0.45, r=5)),
    ("grace", "Grace Liu", "grace.liu", ["engineer", "team-lead"], "active", "", dict(p=0.4, r=5)),
    ("rahul", "Rahul Mehta", "rahul.mehta", ["sre", "team-lead"], "active", "", dict(p=0.5, r=6)),
    ("pat", "O'Brien, Pat", "pat.obrien", ["support", "team-lead"], "active", "", dict(p=0.45, r=5)),
    ("derek", "Derek Holm", "derek.holm", ["engineer"], "terminated", "2026-08-07T17:00:00-04:00",
     dict(p=0.55, r=6)),
    ("nadia", "Nadia Petrova", "nadia.petrova", ["data-analyst"], "active", "", dict(p=0.55, r=8)),
    ("gavin", "Gavin Price", "gavin.price", ["finance"], "active", "", dict(p=0.5, r=5)),
    ("rosa", "Rosa Delgado", "rosa.delgado", ["support"], "active", "", dict(p=0.6, r=6)),
    ("hannah", "Hannah Schultz", "hannah.schultz", ["finance"], "active", "", dict(p=0.45, r=4)),
    ("kenji", "Kenji Watanabe", "kenji.watanabe", ["engineer"], "active", "", dict(p=0.5, r=6)),
    ("omar", "Omar Haddad", "omar.haddad", ["sre"], "active", "", dict(p=0.55, r=7)),
    ("leo", "Leo Fischer", "leo.fischer", ["engineer"], "active", "", dict(p=0.45, r=5)),
    ("mia", "Mia Jensen", "mia.jensen", ["legal"], "active", "", dict(p=0.25, r=3)),
    ("lee", 'Lee "Jay" Park', "lee.park", ["engineer"], "active", "", dict(p=0.4, r=5)),
    ("jose", "José Álvarez", "jose.alvarez", ["finance"], "active", "", dict(p=0.6, r=6)),
    ("lukasz", "Łukasz Wiśniewski", "lukasz.wisniewski", ["sre"], "active", "", dict(p=0.5, r=6)),
    ("soren", "Søren Nørgaard", "soren.norgaard", ["engineer"], "active", "", dict(p=0.4, r=5)),
    ("chloe", "Chloé Dubois-Martin", "chloe.dubois-martin", ["product", "team-lead"], "active", "",
     dict(p=0.4, r=5)),
    ("bjorn", "Björn Åkesson", "bjorn.akesson", ["engineer"], "active", "", dict(p=0.3, r=4)),
    ("lan", "Nguyễn Thị Lan", "lan.nguyen", ["data-analyst"], "active", "", dict(p=0.5, r=6)),
    ("yuki", "高橋 裕樹", "yuki.takahashi", ["engineer"], "active", "", dict(p=0.35, r=5)),
    ("cagla", "Çağla Yılmaz", "cagla.yilmaz", ["support"], "active", "", dict(p=0.5, r=5)),
    ("olafur", "Ólafur Ragnarsson", "olafur.ragnarsson", ["sre"], "active", "", dict(p=0.45, r=5)),
    ("robert", "Robert Smith, Jr.", "robert.smith", ["sales"], "active", "", None),
    ("renee", "Renée O'Connor", "renee.oconnor", ["hr"], "active", "", None),
    ("marten", "Mårten Ek", "marten.ek", ["marketing"], "active" if CLEAN else "suspended", "",
     None),   # planted: bad status
    ("victor", "Victor Lang", "victor.lang", ["engineer"], "terminated", "2026-04-30T16:00:00Z", None),
    ("paula", "Paula Ferreira", "paula.ferreira", ["sales"], "terminated", "2026-06-12T12:00:00Z", None),
    ("samir", "Samir Aziz", "samir.aziz", ["support"], "terminated", "2026-07-17T15:30:00Z", dict(p=0.6, r=5)),
    ("julia", "Julia Brandt", "julia.brandt", ["engineer"], "terminated", "2026-09-04T18:00:00Z",
     dict(p=0.5, r=5)),
]

FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda", "David", "Elizabeth",
    "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Charles", "Sarah", "Christopher", "Karen",
    "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Donald", "Sandra",
    "Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle",
    "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
    "Jason", "Rebecca", "Edward", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Kathleen",
    "Gary", "Amy", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Anna", "Stephen", "Brenda",
    "Larry", "Pamela", "Justin", "Emma", "Scott", "Nicole", "Brandon", "Helen", "Benjamin", "Samantha",
    "Samuel", "Katherine", "Wei", "Mei", "Arjun", "Divya", "Kwame", "Amara", "Mateo", "Lucia", "Yusuf",
    "Fatima", "Hiroshi", "Aiko", "Ivan", "Olga", "Pierre", "Camille", "Lars", "Ingrid", "Diego",
    "Valentina", "Tariq", "Leila", "Chen", "Jin", "Raj", "Anika",
]
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
    "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores", "Green", "Adams", "Nelson",
    "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Wang", "Kim", "Patel", "Shah",
    "Singh", "Kumar", "Ali", "Khan", "Cohen", "Schmidt", "Weber", "Wagner", "Becker", "Hoffmann", "Novak",
    "Horvat", "Kovacs", "Rossi", "Russo", "Ferrari", "Bianchi", "Dubois", "Laurent", "Moreau", "Silva",
    "Santos", "Oliveira", "Costa", "Pereira", "Andersson", "Johansson", "Larsen", "Hansen", "Berg",
    "Virtanen", "Murphy", "Kelly", "Walsh", "Byrne", "Osei", "Mensah", "Adeyemi", "Okeke", "Mwangi",
    "Tanaka", "Suzuki", "Sato", "Yamamoto", "Ito", "Choi", "Jung", "Kang", "Cho", "Ivanova", "Popescu",
    "Dimitrov", "Yildiz", "Nasser", "Mendes", "Vargas", "Castro", "Ortiz", "Reyes",
]

# primary role -> (how many random people, share of them using agents, how many are also team-leads)
RANDOM_ROLES = [
    ("engineer", 95, 0.5, 12), ("support", 30, 0.7, 3), ("data-analyst", 12, 0.85, 0), ("sre", 7, 1.0, 0),
    ("finance", 8, 0.6, 0), ("product", 15, 0.5, 2), ("legal", 4, 0.5, 0), ("sales", 36, 0.0, 4),
    ("marketing", 20, 0.0, 2), ("hr", 9, 0.0, 0), ("design", 12, 0.0, 0), ("executive", 4, 0.0, 0),
    ("customer-success", 10, 0.0, 0),
]


FIXED_SCALE = 0.35      # scales the share of weekdays the named people are active (Nadia excepted)
RANDOM_SCALE = 0.5      # the same for everyone else; together they set the volume (~4,600 calls)


class Person:
    def __init__(self, key, name, uid, roles, status, terminated_at, activity):
        self.key, self.name, self.uid, self.roles = key, name, uid, roles
        self.status, self.terminated_at, self.activity = status, terminated_at, activity
        self.terminated_ms = T(terminated_at) if terminated_at else None
        self.agents = []
        self.t3 = []          # tier-3 tools this person uses as part of their job


def build_people():
    rng = RNG_PEOPLE
    people = [Person(k, n, email(l), r, s, t, a and dict(p=a["p"] * (1.0 if k == "nadia" else FIXED_SCALE),
                                                          r=a["r"]))
              for (k, n, l, r, s, t, a) in FIXED_PEOPLE]
    taken_names = {p.name for p in people}
    taken_ids = {p.uid for p in people}
    plan = []
    for role, count, share, leads in RANDOM_ROLES:
        for i in range(count):
            plan.append((role, i < leads, share))
    for role, lead, share in plan:
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if f"{first} {last}" not in taken_names:
                break
        name = f"{first} {last}"
        local = f"{first}.{last}".lower()
        n = 2
        while email(local) in taken_ids:
            local = f"{first}.{last}{n}".lower()
            n += 1
        taken_names.add(name)
        taken_ids.add(email(local))
        activity = None
        if rng.random() < share:
            x = min(rng.paretovariate(1.25), 14.0)
            activity = dict(p=min(0.5, RANDOM_SCALE * (0.015 + 0.05 * (x - 1))), r=rng.randint(2, 8))
        roles = [role] + (["team-lead"] if lead else [])
        people.append(Person(None, name, email(local), roles, "active", "", activity))
    assert len(people) == 300, len(people)
    return people


PEOPLE = build_people()
BY_KEY = {p.key: p for p in PEOPLE if p.key}
BY_UID = {p.uid: p for p in PEOPLE}


def U(key):
    return BY_KEY[key].uid


UNKNOWN_USER = "rvasquez.contractor@" + DOMAIN    # planted: not in the directory

AGENTS_BY_ROLE = {
    "engineer": ["claude-code", "cursor", "copilot-agent"], "sre": ["claude-code", "cursor"],
    "data-analyst": ["data-notebook", "claude-desktop"], "support": ["support-assistant"],
    "finance": ["finance-copilot", "claude-desktop"], "product": ["claude-desktop"],
    "security": ["claude-desktop", "claude-code"], "legal": ["claude-desktop"],
}
CLIENT_VERSION = {"cursor": "1.4.2"}     # an extra field the gateway adds for some agents


def assign_agents():
    rng = RNG_PEOPLE
    for p in PEOPLE:
        if p.activity is None:
            continue
        options = AGENTS_BY_ROLE[p.roles[0]]
        k = 1 if len(options) == 1 or rng.random() < 0.6 else 2
        p.agents = sorted(rng.sample(options, k))


assign_agents()

# ----------------------------------------------------------------------------------------------- tools

# key -> (tier, classification, median latency ms)
TOOLS = {
    "github.read_file": (1, "internal", 180),
    "github.search_code": (1, "internal", 420),
    "github.create_pull_request": (2, "internal", 900),
    "github.delete_branch": (2, "internal", 300),
    "database.query": (2, "confidential", 350),
    "database.write": (3, "restricted", 600),
    "database.export": (2, "confidential", 2500),
    "database.explain": (1, "internal", 120),
    "slack.post_message": (1, "internal", 150),
    "slack.search": (1, "internal", 380),
    "slack.export_history": (2, "confidential", 4200),
    "slack.add_reaction": (1, "internal", 90),
    "jira.search": (1, "internal", 260),
    "jira.create_issue": (1, "internal", 410),
    "jira.bulk_update": (2, "internal", 1800),
    "jira.legacy_export": (1, "internal", 3000),
    "filesystem.read_file": (2, "confidential", 40),
    "filesystem.write_file": (2, "confidential", 60),
    "filesystem.list_dir": (1, "internal", 25),
    "payments.get_invoice": (2, "confidential", 220),
    "payments.refund": (3, "restricted", 850),
    "payments.create_payout": (3, "restricted", 1100),
    "payments.delete_customer": (3, "restricted", 700),      # registered, then rejected
    "filesystem.delete_tree": (3, "confidential", 120),      # never registered (planted)
}

PROFILES = {
    "engineer": {"github.read_file": 20, "github.search_code": 10, "github.create_pull_request": 6,
                 "github.delete_branch": 1, "jira.search": 8, "jira.create_issue": 3, "slack.post_message": 5,
                 "slack.search": 3, "filesystem.read_file": 8, "filesystem.list_dir": 6,
                 "filesystem.write_file": 3, "database.query": 4},
    "sre": {"database.query": 10, "database.write": 2, "filesystem.read_file": 6, "filesystem.list_dir": 5,
            "github.read_file": 6, "slack.post_message": 6, "jira.search": 3, "jira.create_issue": 2},
    "data-analyst": {"database.query": 20, "database.export": 4, "filesystem.read_file": 5,
                     "filesystem.list_dir": 2, "slack.post_message": 3, "jira.search": 2, "github.read_file": 2},
    "support": {"jira.search": 15, "jira.create_issue": 8, "slack.search": 5, "slack.post_message": 6,
                "database.query": 5, "payments.get_invoice": 5, "jira.legacy_export": 3},
    "finance": {"payments.get_invoice": 15, "payments.refund": 4, "payments.create_payout": 2,
                "slack.post_message": 4},
    "product": {"jira.search": 10, "jira.create_issue": 6, "jira.bulk_update": 1, "slack.post_message": 5,
                "slack.search": 3, "github.read_file": 3},
    "security": {"github.search_code": 8, "slack.search": 4, "slack.export_history": 2,
                 "filesystem.read_file": 4, "jira.search": 3, "slack.post_message": 2},
    "legal": {"slack.export_history": 3, "slack.post_message": 3},
    "team-lead": {"jira.bulk_update": 2, "jira.search": 2, "slack.post_message": 2},
}

if CLEAN:
    # In the planted variant database.explain is never called and slack.add_reaction only once (both
    # planted); here agents use them like any other tool, so every tool in service has calls.
    PROFILES["data-analyst"]["database.explain"] = 3
    PROFILES["engineer"]["database.explain"] = 1
    PROFILES["engineer"]["slack.add_reaction"] = 2
    PROFILES["support"]["slack.add_reaction"] = 2

T3_USERS = {       # by key here; assign_t3 turns them into user_ids and adds one random person each
    "database.write": ["lukasz", "omar", "rahul", "olafur"],
    "payments.refund": ["jose", "sofia", "gavin"],
    "payments.create_payout": ["jose", "sofia"],
}


def assign_t3():
    rng = RNG_PEOPLE
    extra_sre = sorted((p for p in PEOPLE if p.key is None and p.roles[0] == "sre"), key=lambda p: p.uid)
    extra_fin = sorted((p for p in PEOPLE if p.key is None and p.roles[0] == "finance" and p.activity),
                       key=lambda p: p.uid)
    for tool in T3_USERS:
        T3_USERS[tool] = [U(k) for k in T3_USERS[tool]]
    T3_USERS["database.write"].append(rng.choice(extra_sre).uid)
    fins = rng.sample(extra_fin, 2)
    T3_USERS["payments.refund"] += [f.uid for f in fins]
    T3_USERS["payments.create_payout"].append(fins[0].uid)
    for tool, uids in T3_USERS.items():
        for uid in uids:
            BY_UID[uid].t3.append(tool)


assign_t3()

# ----------------------------------------------------------------------------------------------- approvals

APPROVAL_EVENTS = []      # dicts in the exact key order they are written


def ev(ts, event, tool, actor, actor_role, **extra):
    server, name = tool.split(".", 1)
    rec = {"timestamp": ts, "event": event, "tool_server": server, "tool_name": name,
           "actor": actor, "actor_role": actor_role}
    rec.update(extra)
    APPROVAL_EVENTS.append(rec)
    return rec


def reg(ts, tool, who, role, purpose, owner):
    tier, cls, _ = TOOLS[tool]
    return ev(ts, "registered", tool, U(who), role, purpose=purpose, owner=U(owner),
              data_classification=cls, risk_tier=tier)


def sec(ts, tool, who, outcome, ticket):
    return ev(ts, "security_review", tool, U(who), "security", outcome=outcome, ticket=ticket)


def appr(ts, tool, who, role, expires, ticket):
    actor = "auto" if who == "auto" else U(who)
    return ev(ts, "approved", tool, actor, "system" if who == "auto" else role,
              risk_tier=TOOLS[tool][0], expires=expires, ticket=ticket)


def rev(ts, tool, who, role, expires, ticket):
    return ev(ts, "reviewed", tool, U(who), role, outcome="pass", expires=expires, ticket=ticket)


def build_approvals():
    # ---- the long-standing tools, approved in early 2026
    reg("2026-01-05T10:00:00Z", "jira.legacy_export", "pat", "team-lead",
        "Nightly export of support tickets for the BI warehouse", "pat")
    appr("2026-01-05T10:00:04Z", "jira.legacy_export", "auto", "", "2027-01-05T00:00:00Z", "GOV-100")
    for tool, purpose in [("slack.post_message", "Post agent summaries to team channels"),
                          ("jira.search", "Search issues for triage and support context"),
                          ("jira.create_issue", "File issues found by agents")]:
        reg("2026-01-08T09:30:00Z", tool, "pat", "team-lead", purpose, "pat")
        appr("2026-01-08T09:30:03Z", tool, "auto", "", "2027-01-08T00:00:00Z", "GOV-102")
    reg("2026-01-12T09:20:00Z", "github.read_file", "grace", "team-lead",
        "Read repository files for code assistance", "grace")
    appr("2026-01-12T09:20:05Z", "github.read_file", "auto", "", "2027-01-12T00:00:00Z", "GOV-104")
    reg("2026-01-12T09:25:00Z", "github.search_code", "grace", "team-lead",
        "Search code across the organisation's repositories", "grace")
    appr("2026-01-12T09:25:04Z", "github.search_code", "auto", "", "2027-01-12T00:00:00Z", "GOV-105")
    reg("2026-01-14T11:00:00Z", "filesystem.read_file", "rahul", "team-lead",
        "Read files on the shared build hosts", "rahul")
    reg("2026-01-14T11:05:00Z", "filesystem.list_dir", "rahul", "team-lead",
        "List folders on the shared build hosts", "rahul")
    appr("2026-01-14T11:05:02Z", "filesystem.list_dir", "auto", "", "2027-01-14T00:00:00Z", "GOV-106")
    reg("2026-01-19T14:00:00Z", "github.create_pull_request", "grace", "team-lead",
        "Open pull requests with agent-written changes", "grace")
    reg("2026-01-20T10:00:00Z", "database.query", "brian", "team-lead",
        "Read-only SQL against the analytics replica", "brian")
    sec("2026-01-21T15:00:00Z", "filesystem.read_file", "ines", "pass", "SEC-1101")
    appr("2026-01-23T10:00:00Z", "filesystem.read_file", "grace", "team-lead", "2027-01-23T00:00:00Z", "GOV-107")
    sec("2026-01-26T13:00:00Z", "github.create_pull_request", "marcus", "pass", "SEC-1104")
    sec("2026-01-27T16:00:00Z", "database.query", "tomasz", "pass", "SEC-1105")
    appr("2026-01-28T09:00:00Z", "github.create_pull_request", "rahul", "team-lead",
         "2026-07-28T00:00:00Z", "GOV-108")
    appr("2026-01-29T11:30:00Z", "database.query", "zoe", "security", "2027-01-29T00:00:00Z", "GOV-109")
    reg("2026-02-02T10:00:00Z", "github.delete_branch", "ethan", "team-lead",
        "Delete merged feature branches", "ethan")
    reg("2026-02-03T09:00:00Z", "database.write", "rahul", "team-lead",
        "Run approved data fixes on production databases", "rahul")
    sec("2026-02-09T14:00:00Z", "github.delete_branch", "ines", "pass", "SEC-1112")
    appr("2026-02-11T10:00:00Z", "github.delete_branch", "zoe", "security", "2027-02-11T00:00:00Z", "GOV-111")
    sec("2026-02-12T15:00:00Z", "database.write", "aisha", "pass", "SEC-1113")
    appr("2026-02-16T09:30:00Z", "database.write", "priya", "security", "2026-08-16T00:00:00Z", "GOV-112")
    reg("2026-02-17T10:00:00Z", "payments.get_invoice", "sofia", "team-lead",
        "Look up invoices for billing questions", "sofia")
    reg("2026-02-17T10:10:00Z", "payments.refund", "sofia", "team-lead",
        "Issue customer refunds up to the policy limit", "sofia")
    sec("2026-02-24T11:00:00Z", "payments.get_invoice", "aisha", "pass", "SEC-1118")
    appr("2026-02-26T14:00:00Z", "payments.get_invoice", "marcus", "security", "2027-02-26T00:00:00Z", "GOV-115")
    reg("2026-03-02T09:00:00Z", "database.explain", "brian", "team-lead",
        "Explain query plans before running them", "brian")
    appr("2026-03-02T09:00:03Z", "database.explain", "auto", "", "2027-03-02T00:00:00Z", "GOV-117")
    sec("2026-03-03T13:00:00Z", "payments.refund", "aisha", "pass", "SEC-1121")
    appr("2026-03-05T10:00:00Z", "payments.refund", "zoe", "security", "2027-03-05T00:00:00Z", "GOV-118")
    reg("2026-03-10T09:00:00Z", "payments.delete_customer", "sofia", "team-lead",
        "Delete customer records on GDPR erasure requests", "sofia")
    sec("2026-03-17T16:00:00Z", "payments.delete_customer", "aisha", "fail", "SEC-1124")
    ev("2026-03-18T10:00:00Z", "rejected", "payments.delete_customer", U("zoe"), "security", ticket="GOV-120",
       reason="Irreversible deletion without a human in the loop")
    rev("2026-04-20T10:00:00Z", "github.search_code", "marcus", "security", "2027-04-20T00:00:00Z", "GOV-131")
    reg("2026-06-28T15:00:00Z", "slack.search", "pat", "team-lead",
        "Search support channels for context on tickets", "pat")
    # ---- inside the period
    reg("2026-07-01T13:00:00Z", "slack.export_history", "marcus", "security",
        "eDiscovery pilot: export channel history for legal holds", "priya")
    reg("2026-07-01T15:30:00Z", "payments.create_payout", "jose", "finance",
        "Create supplier payouts from approved bills", "jose")
    reg("2026-07-02T09:00:00Z", "filesystem.write_file", "ethan", "team-lead",
        "Write generated config files on the build hosts", "ethan")
    sec("2026-07-03T14:00:00Z", "slack.export_history", "aisha", "pass", "SEC-1170")
    appr("2026-07-06T11:00:00Z", "slack.export_history", "zoe", "security",
         "2026-08-15T00:00:00Z", "GOV-214")                          # planted: pilot approval, expires
    rev("2026-07-06T15:00:00Z", "jira.legacy_export", "grace", "team-lead", "2027-01-06T00:00:00Z", "GOV-215")
    sec("2026-07-06T16:00:00Z", "payments.create_payout", "aisha", "pass", "SEC-1172")
    sec("2026-07-07T10:00:00Z", "filesystem.write_file", "tomasz", "fail", "SEC-1177")
    if CLEAN:       # the findings were fixed and re-reviewed before the approval
        sec("2026-07-08T10:00:00Z", "filesystem.write_file", "tomasz", "pass", "SEC-1178")
    appr("2026-07-08T13:00:00Z", "filesystem.write_file", "grace", "team-lead",
         "2027-01-08T00:00:00Z", "GOV-217")                          # planted: after a failed review
    if CLEAN:
        appr("2026-07-09T10:00:00Z", "payments.create_payout", "zoe", "security", "2027-01-09T00:00:00Z", "GOV-218")
    else:
        appr("2026-07-09T10:00:00Z", "payments.create_payout", "sofia", "team-lead",
             "2027-01-09T00:00:00Z", "GOV-218")                      # planted: tier 3 by a team-lead
    appr("2026-07-10T14:00:00Z", "slack.search", "auto", "", "2027-07-10T00:00:00Z", "GOV-219")
    reg("2026-07-14T10:00:00Z", "database.export", "brian", "team-lead",
        "Export query results to CSV for finance reporting", "brian")
    rev("2026-07-14T16:00:00Z", "github.delete_branch", "grace", "team-lead", "2027-07-14T00:00:00Z", "GOV-221")
    sec("2026-07-16T11:00:00Z", "database.export", "tomasz", "pass", "SEC-1190")
    if CLEAN:
        appr("2026-07-17T09:00:00Z", "database.export", "priya", "security", "2027-01-17T00:00:00Z", "GOV-222")
    else:
        appr("2026-07-17T09:00:00Z", "database.export", "brian", "team-lead",
             "2027-01-17T00:00:00Z", "GOV-222")                      # planted: approved by its registrant
    reg("2026-07-20T10:00:00Z", "jira.bulk_update", "chloe", "team-lead",
        "Bulk-update issue fields during backlog grooming", "chloe")
    rev("2026-07-21T10:00:00Z", "github.create_pull_request", "priya", "security",
        "2027-01-21T00:00:00Z", "GOV-224")
    sec("2026-07-22T09:00:00Z", "jira.bulk_update", "ines", "pass", "SEC-1195")
    if CLEAN:
        appr("2026-07-22T11:00:00Z", "jira.bulk_update", "grace", "team-lead", "2027-01-22T00:00:00Z", "GOV-225")
    else:
        appr("2026-07-22T09:00:05Z", "jira.bulk_update", "auto", "",
             "2027-01-22T00:00:00Z", "GOV-225")                      # planted: tier 2 auto-approved
    ev("2026-07-25T12:00:00Z", "decommissioned", "jira.legacy_export", U("pat"), "team-lead", ticket="GOV-227",
       reason="Replaced by the warehouse connector")
    if not CLEAN:
        APPROVAL_EVENTS.append({"timestamp": "2026-08-03T10:00:00Z", "event": "ownership_transferred",
                                "tool_server": "jira", "tool_name": "search", "actor": U("pat"),
                                "actor_role": "team-lead", "new_owner": U("chloe")})   # planted: unknown event
    ev("2026-08-10T09:00:00+02:00", "reviewed", "database.write", U("zoe"), "security", outcome="pass",
       expires="2027-02-10T00:00:00Z", ticket="GOV-231")
    ev("2026-08-20T10:00:00Z", "revoked", "github.delete_branch", U("priya"), "security", ticket="GOV-236",
       reason="Agent deleted an unmerged release branch (INC-2231)")
    rev("2026-08-24T14:00:00Z", "payments.refund", "priya", "security", "2027-08-24T00:00:00Z", "GOV-238")
    rev("2026-09-08T10:00:00Z", "database.query", "zoe", "security", "2027-09-08T00:00:00Z", "GOV-244")
    reg("2026-09-10T11:00:00Z", "slack.add_reaction", "pat", "team-lead",
        "React to messages to acknowledge agent hand-offs", "pat")
    appr("2026-09-14T08:00:00Z", "slack.add_reaction", "auto", "", "2027-09-14T00:00:00Z", "GOV-247")
    # ---- the Q3 access review sweep (everything still in service, except github.search_code: planted)
    sweep = [("github.read_file", "grace", "team-lead"), ("database.export", "tomasz", "security"),
             ("database.explain", "rahul", "team-lead"), ("slack.post_message", "grace", "team-lead"),
             ("slack.search", "rahul", "team-lead"), ("slack.add_reaction", "grace", "team-lead"),
             ("jira.search", "grace", "team-lead"), ("jira.create_issue", "grace", "team-lead"),
             ("jira.bulk_update", "ines", "security"), ("filesystem.read_file", "ines", "security"),
             ("filesystem.write_file", "tomasz", "security"), ("filesystem.list_dir", "rahul", "team-lead"),
             ("payments.get_invoice", "marcus", "security"), ("payments.create_payout", "aisha", "security")]
    if CLEAN:
        sweep.append(("github.search_code", "marcus", "security"))
    day = datetime(2026, 9, 21, 9, 0, tzinfo=UTC)
    for i, (tool, who, role) in enumerate(sweep):
        ts = day + timedelta(days=i // 5, minutes=40 * (i % 5))
        exp = (ts + timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
        rev(ts.strftime("%Y-%m-%dT%H:%M:%SZ"), tool, who, role, exp, "GOV-%d" % (260 + i))
    APPROVAL_EVENTS.sort(key=lambda e: T(e["timestamp"]))


build_approvals()


def approval_intervals():
    """tool -> [(from_ms, to_ms)] per DESIGN: valid from approval until expires, revocation or
    decommissioning; a passing periodic review moves expires."""
    out = {}
    for e in APPROVAL_EVENTS:
        tool = e["tool_server"] + "." + e["tool_name"]
        ivs = out.setdefault(tool, [])
        t = T(e["timestamp"])
        if e["event"] == "approved":
            ivs.append([t, T(e["expires"])])
        elif e["event"] == "reviewed" and ivs and ivs[-1][0] <= t < ivs[-1][1]:
            ivs[-1][1] = T(e["expires"])
        elif e["event"] in ("revoked", "decommissioned") and ivs:
            ivs[-1][1] = min(ivs[-1][1], t)
    return out


APPROVALS = approval_intervals()


def approved_at(tool, t):
    return any(a <= t < b for a, b in APPROVALS.get(tool, []))


# ----------------------------------------------------------------------------------------------- policies

ALL_AGENT_ROLES = ["engineer", "sre", "support", "product", "data-analyst", "finance", "security", "legal",
                   "team-lead"]


def policy(tool, comment, roles, constraints, dlp, audit, next_review, owner):
    return dict(tool=tool, comment=comment, roles=list(roles), constraints=dict(constraints), dlp=dict(dlp),
                audit=dict(audit), next_review=next_review, owner=owner)


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(yaml_scalar(x) for x in v) + "]"
    s = str(v)
    if any(c in s for c in ":#*&!|>'\"%@`,[]{}") or s.strip() != s or s in ("yes", "no", "true", "false"):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def policy_text(p):
    lines = ["# " + p["comment"], f"tool: {p['tool']}", f"roles: {yaml_scalar(p['roles'])}"]
    for section in ("constraints", "dlp", "audit"):
        lines.append(f"{section}:")
        for k, v in p[section].items():
            lines.append(f"  {k}: {yaml_scalar(v)}")
    lines.append("review:")
    lines.append(f"  next_review: {p['next_review']}")
    if p["owner"]:
        lines.append(f"  owner: {p['owner']}")
    return "\n".join(lines) + "\n"


AUDIT_STD = {"log_arguments": "hashed", "log_response": "hashed", "retention_days": 400}


def initial_policies():
    P = {}
    P["policies/github.yaml"] = policy(
        "github.*", "All GitHub tools. Owner: Developer Productivity.",
        ["engineer", "sre", "team-lead", "security", "data-analyst", "product"],
        {"protected_branches": ["main", "release/*"], "max_files_per_pr": 200, "allow_force_push": False},
        {"scan_response": True, "block": ["private_key", "aws_secret_key"]}, AUDIT_STD, "2026-10-31", U("grace"))
    P["policies/database.query.yaml"] = policy(
        "database.query", "Read-only SQL on the analytics replica.",
        ["engineer", "data-analyst", "sre", "support"],
        {"read_only": True, "max_rows": 10000, "schemas_denied": ["payroll", "hr"], "timeout_seconds": 60},
        {"scan_response": True, "mask": ["email", "phone"], "block": ["credit_card", "iban"]},
        AUDIT_STD, "2026-10-15", U("brian"))
    P["policies/database.write.yaml"] = policy(
        "database.write", "Writes to production databases. Tier 3: change ticket required.",
        ["sre"], {"require_ticket": True, "max_rows_affected": 1000, "environments": ["production"]},
        {"scan_arguments": True, "block": ["credit_card"]},
        {"log_arguments": "full", "log_response": "hashed", "retention_days": 730}, "2026-11-30", U("rahul"))
    P["policies/database.explain.yaml"] = policy(
        "database.explain", "Query plans only; no data is returned.",
        ["engineer", "sre", "data-analyst"], {"read_only": True},
        {"scan_response": False}, AUDIT_STD, "2026-12-15", U("brian"))
    P["policies/slack.post_message.yaml"] = policy(
        "slack.post_message", "Agents may post to team channels, never to #general or DMs.",
        ALL_AGENT_ROLES, {"channels_denied": ["#general"], "direct_messages": False},
        {"scan_arguments": True, "mask": ["email", "phone"]}, AUDIT_STD, "2026-12-01", U("pat"))
    P["policies/jira.yaml"] = policy(
        "jira.*", "All Jira tools.",
        ["engineer", "sre", "support", "product", "team-lead", "data-analyst", "security"],
        {"projects_denied": ["HR", "LEGAL"]}, {"scan_response": True, "mask": ["email"]},
        AUDIT_STD, "2026-09-15", U("pat"))                       # planted: next_review before period end
    P["policies/filesystem.yaml"] = policy(
        "filesystem.*", "Files on the shared build hosts.",
        ["engineer", "sre", "data-analyst", "security"],
        {"roots": ["/srv/build", "/srv/shared"], "max_file_mb": 20},
        {"scan_response": True, "block": ["private_key"], "mask": ["email"]}, AUDIT_STD, "2026-10-20",
        U("rahul"))
    P["policies/payments.yaml"] = policy(
        "payments.*", "Payments API. Refunds and payouts are tier 3.",
        ["finance", "support", "team-lead"],
        {"max_amount": 500, "currency": ["EUR", "USD", "GBP"], "require_ticket": True},
        {"scan_response": True, "mask": ["iban"], "block": ["credit_card"]},
        {"log_arguments": "full", "log_response": "hashed", "retention_days": 730}, "2026-10-30", U("sofia"))
    P["policies/confluence.yaml"] = policy(
        "confluence.*", "Confluence (server being retired).", ["engineer", "support", "product"],
        {"spaces_denied": ["HR"]}, {"scan_response": True}, AUDIT_STD, "2026-08-31", U("pat"))
    return P


README_V1 = """# Acme Corp MCP tool policies

One YAML file per tool (`policies/<server>.<tool>.yaml`) or per server (`policies/<server>.yaml`,
`tool: <server>.*`). The MCP gateway loads `main` on every push.

Changes go through a pull request reviewed by the security team.
"""

README_V2 = README_V1 + """
## Review cadence

Every policy names an owner and a `review.next_review` date. Owners re-read their policies at least
once a quarter and bump the date in a pull request; the security team reviews the quarterly sweep.
"""

PERSON_SIG = {k: (BY_KEY[k].name if k != "pat" else "Pat O'Brien", BY_KEY[k].uid) for k in BY_KEY}
GITHUB = ("GitHub", "noreply@github.com")


def sig(key):
    return PERSON_SIG[key]


def commit_plan():
    """The policy repository's history: [(slug, kind, data, files)]. kind "direct" = one commit on main (used
    for squash merges too); "merge" = one commit on a branch, merged with --no-ff. files = the whole tree."""
    P = initial_policies()
    plan = []

    def snapshot(policies, readme):
        files = {path: policy_text(p) for path, p in policies.items()}
        files["README.md"] = readme
        return files

    state = snapshot(P, README_V1)
    plan.append(("initial-policies", "direct", dict(
        author=sig("priya"), author_date="2026-05-04T10:12:00Z", committer=sig("priya"),
        committer_date="2026-05-04T10:12:00Z",
        message="Add initial MCP tool policies\n\nOne file per tool or server, as agreed in GOV-090.\n"),
        state))

    P["policies/slack.search.yaml"] = policy(
        "slack.search", "Search in public and support channels.",
        ["engineer", "sre", "support", "product", "security", "team-lead"],
        {"channels_allowed": ["#support-*", "#eng-*", "#incidents"], "private_channels": False},
        {"scan_response": True, "mask": ["email", "phone"]}, AUDIT_STD, "2026-11-20", U("pat"))
    state = snapshot(P, README_V1)
    plan.append(("slack-search-policy", "merge", dict(
        author=sig("pat"), author_date="2026-05-19T15:40:00Z", committer=sig("pat"),
        committer_date="2026-05-19T15:40:00Z", message="Add slack.search policy\n",
        branch="slack-search-policy", merge_author=sig("priya"), merge_committer=GITHUB,
        merge_date="2026-05-21T09:05:00Z",
        merge_message="Merge pull request #2 from acme/slack-search-policy\n\nAdd slack.search policy\n\n"
                      "Reason: support agents need read access to #support-* channels\n"), state))

    P["policies/payments.yaml"]["dlp"] = {"scan_response": True, "mask": ["iban", "email"],
                                          "block": ["credit_card", "cvv"]}
    state = snapshot(P, README_V1)
    plan.append(("payments-dlp", "direct", dict(
        author=sig("jose"), author_date="2026-06-10T13:30:00Z", committer=GITHUB,
        committer_date="2026-06-10T13:30:00Z",
        message="Add DLP masking rules for payments (#4)\n\nMask customer e-mail addresses and block CVV codes "
                "in responses.\n\nReviewed-by: Zoë Müller <zoe.mueller@acme.example>\n"
                "Reason: PCI scope reduction (SEC-1150)\n"), state))

    # ---------------- inside the period
    P["policies/slack.export_history.yaml"] = policy(
        "slack.export_history", "eDiscovery pilot, time-boxed by GOV-214.", ["security", "legal"],
        {"channels_denied": ["#hr-private"], "max_days": 90}, {"scan_response": True, "mask": ["phone"]},
        {"log_arguments": "full", "log_response": "hashed", "retention_days": 2555}, "2026-10-06",
        U("priya") if CLEAN else "")
    state = snapshot(P, README_V1)                          # planted: no owner
    plan.append(("slack-export-history", "merge", dict(
        author=sig("marcus"), author_date="2026-07-06T16:20:00Z", committer=sig("marcus"),
        committer_date="2026-07-06T16:20:00Z", message="Add slack.export_history policy for the eDiscovery pilot\n",
        branch="slack-export-history", merge_author=sig("priya"), merge_committer=GITHUB,
        merge_date="2026-07-08T09:45:00Z",
        merge_message="Merge pull request #7 from acme/slack-export-history\n\nAdd slack.export_history policy "
                      "for the eDiscovery pilot\n\nReason: eDiscovery pilot approved in GOV-214\n"), state))

    P["policies/database.export.yaml"] = policy(
        "database.export", "CSV exports from the analytics replica.", ["data-analyst", "team-lead"],
        {"read_only": True, "max_rows": 200000, "destinations": ["s3://acme-exports/finance"]},
        {"scan_response": True, "mask": ["email", "phone"], "block": ["credit_card", "iban"]},
        AUDIT_STD, "2027-01-16", U("brian"))
    state = snapshot(P, README_V1)
    plan.append(("database-export-policy", "direct", dict(
        author=sig("brian"), author_date="2026-07-16T14:10:00Z", committer=GITHUB,
        committer_date="2026-07-16T14:10:00Z",
        message="Add database.export policy (#8)\n\nReviewed-by: Tomasz Kowalski <tomasz.kowalski@acme.example>\n"
                "Reason: new tool database.export (GOV-222)\n"), state))

    P["policies/database.query.yaml"]["constraints"]["max_rows"] = 50000
    state = snapshot(P, README_V1)
    plan.append(("database-query-row-limit", "direct", dict(
        author=sig("nadia"), author_date="2026-07-21T10:05:00Z", committer=GITHUB,
        committer_date="2026-07-21T10:05:00Z",
        message="Raise database.query row limit to 50000 (#9)\n\n"
                "Reason: quarterly revenue reports exceed 10k rows\n"), state))

    del P["policies/confluence.yaml"]
    state = snapshot(P, README_V1)
    plan.append(("retire-confluence", "merge", dict(
        author=sig("ines"), author_date="2026-07-27T11:00:00+02:00", committer=sig("ines"),
        committer_date="2026-07-27T11:00:00+02:00", message="Remove the Confluence policy\n",
        branch="retire-confluence", merge_author=sig("priya"), merge_committer=GITHUB,
        merge_date="2026-07-28T08:30:00Z",
        merge_message="Merge pull request #11 from acme/retire-confluence\n\nRemove the Confluence policy\n\n"
                      "Reason: the Confluence MCP server was retired on 2026-06-30\n"), state))

    state = snapshot(P, README_V2)
    plan.append(("readme-review-cadence", "direct", dict(
        author=sig("priya"), author_date="2026-08-04T16:00:00Z", committer=sig("priya"),
        committer_date="2026-08-04T16:00:00Z",
        message="Document the quarterly policy review cadence\n"), state))

    P["policies/database.query.yaml"]["roles"] = ["engineer", "data-analyst", "sre"]
    state = snapshot(P, README_V2)
    plan.append(("database-query-roles", "direct", dict(
        author=sig("zoe"), author_date="2026-08-12T17:30:00+02:00", committer=GITHUB,
        committer_date="2026-08-12T15:30:00Z",
        message="Restrict database.query to engineering and analytics (#12)\n\n"
                "Support agents now read customer data through jira.search.\n\n"
                "Reviewed-by: Brian Okafor <brian.okafor@acme.example>\n"
                "Approved-by: Priya Natarajan <priya.natarajan@acme.example>\n"
                "Reason: least privilege for customer data (GOV-233)\n"), state))

    P["policies/jira.yaml"]["constraints"]["max_bulk_issues"] = 200
    state = snapshot(P, README_V2)
    plan.append(("jira-bulk-update-limits", "merge", dict(
        author=sig("chloe"), author_date="2026-08-18T13:00:00Z", committer=sig("chloe"),
        committer_date="2026-08-18T13:00:00Z", message="Cap jira bulk updates at 200 issues\n",
        branch="jira-bulk-update-limits", merge_author=sig("grace"), merge_committer=GITHUB,
        merge_date="2026-08-19T10:20:00Z",
        merge_message="Merge pull request #13 from acme/jira-bulk-update-limits\n\n"
                      "Cap jira bulk updates at 200 issues\n\nReason: INC-2207, an agent re-labelled 4,000 issues\n"),
        state))

    if not CLEAN:
        P["policies/payments.yaml"]["constraints"]["max_amount"] = 5000
        state = snapshot(P, README_V2)                      # planted: direct push, no PR, no review, no reason
        plan.append(("payments-refund-limit", "direct", dict(
            author=sig("ethan"), author_date="2026-08-27T22:41:00Z", committer=sig("ethan"),
            committer_date="2026-08-27T22:41:00Z", message="bump refund limit\n"), state))

    P["policies/payments.yaml"]["roles"] = ["finance", "team-lead"]
    P["policies/payments.yaml"]["constraints"]["max_amount"] = 500
    state = snapshot(P, README_V2)
    plan.append(("tighten-payments-roles", "direct", dict(
        author=sig("sofia"), author_date="2026-09-03T11:00:00Z", committer=GITHUB,
        committer_date="2026-09-03T11:00:00Z",
        message=("Tighten payments roles (#14)\n\nRemove support from payments.*.\n\n" if CLEAN else
                 "Tighten payments roles (#14)\n\nRemove support from payments.* and restore max_amount 500 "
                 "after the unreviewed change of 2026-08-27.\n\n")
                + "Reviewed-by: Zoë Müller <zoe.mueller@acme.example>\n"
                "Reason: support reads invoices through the billing portal now (GOV-241)\n"), state))

    if CLEAN:       # the planted variant never writes this policy (calls-without-policy)
        P["policies/slack.add_reaction.yaml"] = policy(
            "slack.add_reaction", "Emoji reactions to acknowledge agent hand-offs.", ALL_AGENT_ROLES,
            {"channels_denied": ["#general"]}, {"scan_arguments": False}, AUDIT_STD, "2027-03-10", U("pat"))
        state = snapshot(P, README_V2)
        plan.append(("slack-add-reaction-policy", "direct", dict(
            author=sig("pat"), author_date="2026-09-11T14:00:00Z", committer=GITHUB,
            committer_date="2026-09-11T14:00:00Z",
            message="Add slack.add_reaction policy (#16)\n\n"
                    "Reviewed-by: Grace Liu <grace.liu@acme.example>\n"
                    "Reason: new tool slack.add_reaction (GOV-247)\n"), state))

    for path, nr in [("policies/github.yaml", "2027-01-31"), ("policies/database.query.yaml", "2027-01-15"),
                     ("policies/filesystem.yaml", "2027-01-20"), ("policies/payments.yaml", "2027-01-29")]:
        P[path]["next_review"] = nr
    if CLEAN:       # planted: jira.* left at 2026-09-15
        P["policies/jira.yaml"]["next_review"] = "2027-01-15"
    P["policies/database.write.yaml"]["dlp"] = {"scan_arguments": True, "scan_response": True,
                                                "block": ["credit_card"], "mask": ["email"]}
    state = snapshot(P, README_V2)
    plan.append(("review-dates-q4", "merge", dict(
        author=sig("priya"), author_date="2026-09-21T15:00:00Z", committer=sig("priya"),
        committer_date="2026-09-21T15:00:00Z", message="Q4 review dates; scan database.write responses\n",
        branch="review-dates-q4", merge_author=sig("aisha"), merge_committer=GITHUB,
        merge_date="2026-09-22T09:10:00Z",
        merge_message="Merge pull request #15 from acme/review-dates-q4\n\n"
                      "Q4 review dates; scan database.write responses\n\n"
                      "Reason: quarterly policy review sweep (GOV-250)\n"), state))
    return plan


COMMIT_PLAN = commit_plan()

PR_REVIEWS = [
    (2, "zoe", "APPROVED", "2026-05-20T16:00:00Z"),
    (4, "zoe", "APPROVED", "2026-06-10T13:10:00Z"),
    (7, "tomasz", "COMMENTED", "2026-07-07T09:30:00Z"),
    (7, "aisha", "APPROVED", "2026-07-07T10:00:00Z"),
    (8, "tomasz", "APPROVED", "2026-07-16T13:55:00Z"),
    (9, "brian", "APPROVED", "2026-07-21T09:50:00Z"),
    (11, "marcus", "APPROVED", "2026-07-27T14:00:00Z"),
    (12, "brian", "APPROVED", "2026-08-12T14:00:00Z"),
    (12, "priya", "APPROVED", "2026-08-12T15:10:00Z"),
    (13, "rahul", "COMMENTED", "2026-08-18T15:00:00Z"),
    (13, "grace", "APPROVED", "2026-08-19T10:00:00Z"),
    (14, "aisha", "CHANGES_REQUESTED", "2026-09-02T16:00:00Z"),
    (14, "zoe", "APPROVED", "2026-09-03T10:40:00Z"),
    (15, "aisha", "APPROVED", "2026-09-22T09:00:00Z"),
] + ([(16, "grace", "APPROVED", "2026-09-11T13:30:00Z")] if CLEAN else [])


def policy_timeline():
    """[(in_force_from_ms, {tool_pattern: parsed policy})] along main's first-parent line: a version is in
    force from the moment its commit lands on main (the merge commit's date for merged branches)."""
    out = []
    for slug, kind, d, files in COMMIT_PLAN:
        when = T(d["merge_date"] if kind == "merge" else d["committer_date"])
        pols = {}
        for path, text in files.items():
            if path.startswith("policies/"):
                parsed = check.parse_policy(text)
                pols[parsed["tool"]] = parsed
        out.append((when, pols))
    return out


POLICY_TIMELINE = policy_timeline()


def policy_at(tool, t):
    current = None
    for when, pols in POLICY_TIMELINE:
        if when <= t:
            current = pols
    if current is None:
        return None
    if tool in current:
        return current[tool]
    return current.get(tool.split(".", 1)[0] + ".*")


def user_allowed(person, tool, t):
    pol = policy_at(tool, t)
    return pol is not None and any(r in pol["roles"] for r in person.roles)


# ----------------------------------------------------------------------------------------------- calls

class Call:
    __slots__ = ("t", "user", "agent", "session", "tool", "decision", "dlp", "reason", "tag", "order",
                 "rec", "corr_empty", "no_reason", "hash_after_block")

    def __init__(self, t, user, agent, session, tool, tag=None):
        self.t, self.user, self.agent, self.session, self.tool, self.tag = t, user, agent, session, tool, tag
        self.decision, self.dlp, self.reason = "allow", "clean", None
        self.corr_empty = self.no_reason = self.hash_after_block = False
        self.order = 0
        self.rec = None


CALLS = []


def new_session(rng):
    return "ses_%012x" % rng.getrandbits(48)


def usable_tools(person, d):
    """Tools the person may use for the whole UTC day d: approved, policy allows their roles, tier 3 only
    for their job, and the person still employed."""
    a, b = day_start(d), day_start(d) + DAY_MS - 1
    if person.terminated_ms is not None and person.terminated_ms <= b:
        return []
    weights = {}
    for role in person.roles:
        for tool, w in PROFILES.get(role, {}).items():
            weights[tool] = weights.get(tool, 0) + w
    out = []
    for tool in sorted(weights):
        if TOOLS[tool][0] == 3 and tool not in person.t3:
            continue
        if not (approved_at(tool, a) and approved_at(tool, b)):
            continue
        if not (user_allowed(person, tool, a) and user_allowed(person, tool, b)):
            continue
        out.append((tool, weights[tool]))
    return out


def weighted(rng, items):
    total = sum(w for _, w in items)
    x = rng.random() * total
    for item, w in items:
        x -= w
        if x < 0:
            return item
    return items[-1][0]


def add_session(rng, person, start, n, tools, agent=None, tag=None, gap=(4, 150)):
    """n calls from one session; sticky tool choice (agents tend to repeat a tool)."""
    agent = agent or rng.choice(person.agents)
    sid = new_session(rng)
    t = start
    tool = None
    out = []
    for _ in range(n):
        if tool is None or rng.random() > 0.55:
            tool = weighted(rng, tools)
        c = Call(t, person.uid, agent, sid, tool, tag)
        CALLS.append(c)
        out.append(c)
        t += int(rng.uniform(gap[0], gap[1]) * 1000) + rng.randrange(1000)
    return out


def session_start(rng, d, weekend):
    if weekend:
        h = rng.uniform(9.0, 18.5)
    else:
        h = rng.gauss(10.0, 1.4) if rng.random() < 0.5 else rng.gauss(14.5, 1.7)
        h = min(max(h, 6.6), 19.8)
    return day_start(d) + int(h * HOUR_MS) + rng.randrange(1000)


# the days of the planted volume spike and 13-hour session; ordinary days for them in the clean variant
SPECIAL_DAYS = set() if CLEAN else {("nadia", "2026-08-19"), ("omar", "2026-07-22")}


def generate_bulk():
    rng = RNG_ACTIVITY
    agents_users = [p for p in PEOPLE if p.activity]
    for d in DAYS:
        weekend = d.weekday() >= 5
        for p in agents_users:
            if p.key and (p.key, d.isoformat()) in SPECIAL_DAYS:
                continue
            prob = p.activity["p"] * (0.06 if weekend else 1.0)
            if rng.random() >= prob:
                continue
            tools = usable_tools(p, d)
            if not tools:
                continue
            n = max(1, round(p.activity["r"] * rng.uniform(0.6, 1.8)))
            while n > 0:
                k = min(n, rng.randint(2, 8))
                add_session(rng, p, session_start(rng, d, weekend), k, tools)
                n -= k
    # everyone with an agent shows up at least once
    used = {c.user for c in CALLS}
    weekdays = [d for d in DAYS if d.weekday() < 5]
    for p in agents_users:
        if p.uid in used:
            continue
        for _ in range(20):
            d = rng.choice(weekdays)
            tools = usable_tools(p, d)
            if tools:
                add_session(rng, p, session_start(rng, d, False), rng.randint(2, 4), tools)
                break


def generate_oncall():
    """The on-call SRE's monitoring agent checks in every morning and evening (and at noon on weekends)."""
    rng = RNG_ACTIVITY
    sres = sorted((p for p in PEOPLE if "sre" in p.roles and p.activity), key=lambda p: p.uid)
    for i, d in enumerate(DAYS):
        p = sres[(i // 7) % len(sres)]
        tools = [(t, w) for t, w in usable_tools(p, d) if t in
                 ("database.query", "slack.post_message", "filesystem.list_dir")]
        slots = [(6.0, 7.0), (19.5, 20.5)] + ([(12.0, 14.0)] if d.weekday() >= 5 else [])
        for lo, hi in slots:
            start = day_start(d) + int(rng.uniform(lo, hi) * HOUR_MS)
            add_session(rng, p, start, rng.randint(1, 3), tools, agent="oncall-bot", gap=(2, 20))


def seed_t3_baseline():
    """Every tier-3 user's first use of their tier-3 tool falls in the first half of July."""
    rng = RNG_ACTIVITY
    windows = {"database.write": ("2026-07-01", 3), "payments.refund": ("2026-07-01", 7),
               "payments.create_payout": ("2026-07-13", 3)}
    for tool in sorted(T3_USERS):
        first, span = windows[tool]
        for uid in T3_USERS[tool]:
            p = BY_UID[uid]
            d = datetime.fromisoformat(first).date() + timedelta(days=rng.randrange(span))
            if d.weekday() >= 5:
                d += timedelta(days=7 - d.weekday())
            assert tool in dict(usable_tools(p, d)), (tool, uid, d)
            add_session(rng, p, session_start(rng, d, False), 2, [(tool, 1)])


# ----------------------------------------------------------------------------------------------- planted calls

def planted_calls():
    rng = RNG_ACTIVITY

    def one(ts, who, tool, tag, agent=None, session=None):
        """who: a person's key, a Person, or a bare user_id (the unknown contractor)."""
        p = BY_KEY.get(who, who) if isinstance(who, str) else who
        uid = p.uid if isinstance(p, Person) else p
        ag = agent or (p.agents[0] if isinstance(p, Person) else "claude-desktop")
        c = Call(T(ts), uid, ag, session or new_session(rng), tool, tag)
        CALLS.append(c)
        return c

    s = new_session(rng)
    for ts in ("2026-09-08T14:02:11.204Z", "2026-09-08T14:03:40.877Z", "2026-09-08T14:05:02.031Z"):
        one(ts, "leo", "filesystem.delete_tree", "never-approved", "claude-code", s)
    one("2026-08-17T10:15:42.310Z", "marcus", "slack.export_history", "after-expiry")
    one("2026-08-20T15:05:09.118Z", "mia", "slack.export_history", "after-expiry")
    one("2026-08-24T13:40:27.655Z", "marcus", "slack.export_history", "after-expiry")
    one("2026-09-02T09:30:51.902Z", "mia", "slack.export_history", "after-expiry")
    one("2026-08-26T11:22:38.440Z", "soren", "github.delete_branch", "after-revocation")
    s = new_session(rng)
    one("2026-08-04T09:12:03.517Z", "cagla", "jira.legacy_export", "after-decommission", session=s)
    one("2026-08-04T09:13:44.092Z", "cagla", "jira.legacy_export", "after-decommission", session=s)
    s = new_session(rng)
    one("2026-07-06T10:31:15.620Z", "pat", "slack.search", "before-approval", session=s)
    one("2026-07-06T10:32:02.745Z", "pat", "slack.search", "before-approval", session=s)
    s = new_session(rng)
    one("2026-07-08T14:05:33.081Z", "rosa", "slack.search", "before-approval", session=s)
    one("2026-07-08T14:06:10.359Z", "rosa", "slack.search", "before-approval", session=s)
    one("2026-07-09T16:44:21.963Z", "kenji", "slack.search", "before-approval")
    s = new_session(rng)
    one("2026-08-11T09:40:12.006Z", "derek", "github.read_file", "after-termination", "claude-code", s)
    one("2026-08-11T09:41:55.731Z", "derek", "jira.search", "after-termination", "claude-code", s)
    one("2026-08-11T09:44:03.388Z", "derek", "github.read_file", "after-termination", "claude-code", s)
    one("2026-08-28T16:05:47.512Z", UNKNOWN_USER, "jira.search", "unknown-user", "claude-desktop")
    one("2026-07-29T11:30:18.274Z", "gavin", "github.create_pull_request", "role-not-allowed", "claude-desktop")
    one("2026-08-10T10:14:36.150Z", "rosa", "database.query", "role-change-before")
    one("2026-08-14T14:47:02.839Z", "rosa", "database.query", "role-change-after")
    add_reaction_user = RNG_PICK.choice(sorted(
        (p for p in PEOPLE if p.key is None and p.roles[0] == "engineer" and p.activity), key=lambda p: p.uid))
    one("2026-09-22T10:31:08.447Z", add_reaction_user, "slack.add_reaction", "no-policy")
    analyst = RNG_PICK.choice(sorted(
        (p for p in PEOPLE if p.key is None and p.roles[0] == "data-analyst" and p.activity),
        key=lambda p: p.uid))
    c = one("2026-09-15T13:20:44.981Z", analyst, "database.query", "dlp-blocked-with-response")
    c.dlp, c.hash_after_block = "blocked", True
    s = new_session(rng)
    one("2026-09-17T15:10:26.335Z", "hannah", "payments.refund", "t3-first-use", "finance-copilot", s)
    one("2026-09-17T15:12:49.710Z", "hannah", "payments.refund", "t3-first-use", "finance-copilot", s)
    s = new_session(rng)
    for ts in ("2026-09-13T03:02:17.448Z", "2026-09-13T03:04:51.093Z", "2026-09-13T03:11:36.760Z",
               "2026-09-13T03:19:02.215Z"):
        one(ts, "kenji", "github.read_file", "sunday-0300", "claude-code", s)
    # the volume spike: a notebook loop re-running queries all afternoon
    nadia = BY_KEY["nadia"]
    d = datetime(2026, 8, 19).date()
    tools = [(t, w) for t, w in usable_tools(nadia, d) if t in ("database.query", "database.export")]
    for h in (9.2, 10.5, 11.8, 13.6, 15.0, 16.4):
        add_session(rng, nadia, day_start(d) + int(h * HOUR_MS), 16, tools, agent="data-notebook", tag="spike",
                    gap=(20, 240))
    # the 13-hour session: an incident handled from one agent session
    omar = BY_KEY["omar"]
    d = datetime(2026, 7, 22).date()
    tools = [(t, w) for t, w in usable_tools(omar, d) if t in
             ("database.query", "filesystem.read_file", "slack.post_message", "github.read_file")]
    sid = new_session(rng)
    start, end = T("2026-07-22T07:41:09.512Z"), T("2026-07-22T21:06:33.140Z")
    times = [start] + sorted(start + rng.randrange(end - start) for _ in range(18)) + [end]
    for t in times:
        CALLS.append(Call(t, omar.uid, "claude-code", sid, weighted(rng, tools), "long-session"))
    return add_reaction_user, analyst


def role_denials():
    """The gateway enforcing the two mid-period role changes: support agents still try, and are refused.
    Each attempt is added to a session a support person already had that day."""
    rng = RNG_ACTIVITY
    support = {p.uid for p in PEOPLE if p.roles == ["support"] and p.activity and p.key != "rosa"
               and p.terminated_ms is None}
    last_call = {}      # (day, session) -> last call of that session
    for c in CALLS:
        if c.user in support and c.tag is None:
            key = (iso_ms(c.t)[:10], c.session)
            if key not in last_call or c.t > last_call[key].t:
                last_call[key] = c
    for tool, first, last, count in [("database.query", "2026-08-13", "2026-09-30", 6),
                                     ("payments.get_invoice", "2026-09-04", "2026-09-30", 4)]:
        pol = tool if tool == "database.query" else "payments.*"
        keys = sorted(k for k in last_call if first <= k[0] <= last)
        for key in rng.sample(keys, count):
            prev = last_call[key]
            c = Call(prev.t + rng.randint(8_000, 60_000), prev.user, prev.agent, prev.session, tool, "role-denied")
            c.decision, c.reason = "deny", f"role not permitted by policy {pol}: caller roles [support]"
            CALLS.append(c)


DENY_REASONS = {
    "database.query": ["constraint max_rows exceeded", "query touches denied schema 'payroll'",
                       "statement is not read-only"],
    "database.write": ["constraint require_ticket: no change ticket in arguments",
                       "constraint max_rows_affected exceeded"],
    "database.export": ["constraint max_rows exceeded", "destination not in constraint destinations"],
    "github": ["push to protected branch 'main' not permitted", "constraint max_files_per_pr exceeded"],
    "filesystem": ["path outside constraint roots", "constraint max_file_mb exceeded"],
    "payments.refund": ["amount exceeds constraint max_amount", "constraint require_ticket: no ticket"],
    "payments.create_payout": ["amount exceeds constraint max_amount", "constraint require_ticket: no ticket"],
    "slack": ["channel denied by policy", "direct messages not permitted"],
    "jira": ["project denied by policy"],
}
DLP_KINDS = {"blocked": ["credit_card", "iban", "private_key"]}


def decide(rng, c):
    """Gateway outcome for an ordinary call: DLP by classification, a few constraint denials."""
    if c.tag is not None:
        if c.tag == "spike" or c.tag == "long-session":
            pass
        else:
            return
    cls = TOOLS[c.tool][1]
    x = rng.random()
    if cls == "restricted":
        dlp = "blocked" if x < 0.02 else "flagged" if x < 0.08 else "masked" if x < 0.20 else "clean"
    elif cls == "confidential":
        dlp = "blocked" if x < 0.012 else "flagged" if x < 0.042 else "masked" if x < 0.142 else "clean"
    else:
        dlp = "masked" if x < 0.02 else "clean"
    c.dlp = dlp
    if dlp == "blocked":
        c.decision = "deny"
        c.reason = "DLP blocked response: " + rng.choice(DLP_KINDS["blocked"]) + " detected"
        return
    if c.tag is None and rng.random() < 0.022:
        reasons = DENY_REASONS.get(c.tool) or DENY_REASONS.get(c.tool.split(".")[0]) or ["rate limit exceeded"]
        if rng.random() < 0.25:
            reasons = ["rate limit exceeded (60 calls/min)"]
        c.decision, c.reason, c.dlp = "deny", rng.choice(reasons), "clean"


# ----------------------------------------------------------------------------------------------- records

KEY_ORDER = ["seq", "prev_hash", "event_id", "timestamp", "session_id", "correlation_id", "user_id", "agent_id",
             "tool_server", "tool_name", "arguments_hash", "response_hash", "data_classification", "dlp_result",
             "policy_decision", "policy_id", "decision_reason", "latency_ms", "environment", "client_version"]

OUTAGE = (T("2026-08-09T02:00:00Z"), T("2026-08-10T08:00:00Z"))


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def make_record(rng, c):
    server, name = c.tool.split(".", 1)
    tier, cls, median = TOOLS[c.tool]
    pol = policy_at(c.tool, c.t)
    r = {}
    r["event_id"] = "evt_%016x" % rng.getrandbits(64)
    r["timestamp"] = iso_ms(c.t)
    r["session_id"] = c.session
    u = rng.getrandbits(128)
    h = "%032x" % u
    r["correlation_id"] = "" if c.corr_empty else f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
    r["user_id"] = c.user
    r["agent_id"] = c.agent
    r["tool_server"] = server
    r["tool_name"] = name
    r["arguments_hash"] = sha(rng.randbytes(24))
    resp = sha(rng.randbytes(24))
    r["response_hash"] = resp if (c.decision == "allow" and c.dlp != "blocked") or c.hash_after_block else None
    r["data_classification"] = cls
    r["dlp_result"] = c.dlp
    r["policy_decision"] = c.decision
    if pol is not None:
        r["policy_id"] = pol["tool"]
    if c.decision == "deny" and not c.no_reason:
        r["decision_reason"] = c.reason
    if c.decision == "deny" and c.dlp != "blocked":
        r["latency_ms"] = rng.randint(3, 28)
    else:
        r["latency_ms"] = max(1, int(median * rng.lognormvariate(0, 0.55)))
    r["environment"] = "production"
    if c.agent in CLIENT_VERSION:
        r["client_version"] = CLIENT_VERSION[c.agent]
    return r


def dumps(rec):
    ordered = {k: rec[k] for k in KEY_ORDER if k in rec}
    for k in rec:
        if k not in ordered:
            ordered[k] = rec[k]
    return json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)


def pick(cands, rng):
    cands = sorted(cands, key=lambda c: (c.t, c.order))
    return cands[rng.randrange(len(cands))]


SPECIAL_UIDS = None


def plain(c, month, **kw):
    """An ordinary bulk call suitable for carrying a record-level plant."""
    if c.tag is not None or c.user in SPECIAL_UIDS or iso_ms(c.t)[:7] != month:
        return False
    if c.agent == "oncall-bot":
        return False
    day = iso_ms(c.t)[8:10]
    if not ("05" <= day <= "25"):
        return False
    for k, v in kw.items():
        if k == "tier" and TOOLS[c.tool][0] != v:
            return False
        if k == "decision" and c.decision != v:
            return False
        if k == "dlp" and c.dlp != v:
            return False
    return True


def build_audit():
    global SPECIAL_UIDS
    generate_bulk()
    generate_oncall()
    seed_t3_baseline()
    if CLEAN:
        role_denials()      # denied by the gateway with a reason: enforcement, not a violation
        kept = list(CALLS)
    else:
        add_reaction_user, analyst = planted_calls()
        role_denials()
        SPECIAL_UIDS = {p.uid for p in PEOPLE if p.key} | {add_reaction_user.uid, analyst.uid, UNKNOWN_USER}
        for uids in T3_USERS.values():
            SPECIAL_UIDS |= set(uids)
        # the gateway's log shipper was down: nothing recorded in the outage window
        kept = [c for c in CALLS if not (OUTAGE[0] <= c.t < OUTAGE[1])]
    for i, c in enumerate(kept):
        c.order = i
    kept.sort(key=lambda c: (c.t, c.order))
    for i, c in enumerate(kept):
        c.order = i
    rng = RNG_CALLS
    for c in kept:
        decide(rng, c)
    if CLEAN:
        for c in kept:
            c.rec = make_record(rng, c)
        return kept
    # record-level plants on ordinary calls
    prng = RNG_PICK
    c = pick([c for c in kept if plain(c, "2026-08", decision="allow", tier=1)], prng)
    c.tag, c.corr_empty = "empty-correlation-id", True
    c = pick([c for c in kept if plain(c, "2026-09", decision="deny") and c.dlp == "clean"], prng)
    c.tag, c.no_reason = "deny-without-reason", True
    edits = {}
    edits["tamper"] = pick([c for c in kept if plain(c, "2026-07", decision="allow", dlp="flagged")], prng)
    edits["truncated"] = pick([c for c in kept if plain(c, "2026-07", decision="allow", tier=1)], prng)
    edits["deleted"] = pick([c for c in kept if plain(c, "2026-08", decision="deny") and c.dlp == "clean"], prng)
    edits["latency-string"] = pick([c for c in kept if plain(c, "2026-08", decision="allow", tier=1)], prng)
    edits["bad-timestamp"] = pick([c for c in kept if plain(c, "2026-08", decision="allow", tier=1)
                                   and c is not edits["latency-string"]], prng)
    edits["bad-enum"] = pick([c for c in kept if plain(c, "2026-09", decision="allow", tier=1)], prng)
    edits["dup-seq"] = pick([c for c in kept if plain(c, "2026-09", decision="allow", tier=1)
                             and c is not edits["bad-enum"]], prng)
    for k, c in edits.items():
        c.tag = k
    for c in kept:
        c.rec = make_record(rng, c)
    return kept


def gzip_fixed(data):
    """A gzip member with a fixed header (mtime 0, no name, OS 255) so that the bytes do not depend on the
    Python version (gzip.compress writes a different OS byte across versions); raw deflate at level 9."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    body = z.compress(data) + z.flush()
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + body
            + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF))


def write_audit(calls):
    """Serialise month by month with the hash chain, then apply the deliberate breaks."""
    months = ["2026-07", "2026-08", "2026-09"]
    lines = {m: [] for m in months}   # [line text, call]
    seq = 0
    prev_line = None
    deleted_record = None
    for m in months:
        for c in (c for c in calls if iso_ms(c.t)[:7] == m):
            if c.tag != "dup-seq":
                seq += 1
            rec = dict(c.rec)
            rec["seq"] = seq
            rec["prev_hash"] = None if prev_line is None else sha(prev_line.encode("utf-8"))
            if c.tag == "latency-string":
                rec["latency_ms"] = str(rec["latency_ms"])
            elif c.tag == "bad-timestamp":
                rec["timestamp"] = datetime.fromtimestamp(c.t // 1000, UTC).strftime("%d/%m/%Y %H:%M:%S")
            elif c.tag == "bad-enum":
                rec["policy_decision"] = "maybe"
            c.rec = rec
            text = dumps(rec)
            if c.tag == "truncated":
                text = text[: int(len(text) * 0.55)]
            lines[m].append([text, c])
            prev_line = text
    # tampering after the fact: an edited DLP result (the next prev_hash no longer matches)
    for m in months:
        for entry in lines[m]:
            if entry[1].tag == "tamper":
                rec = dict(entry[1].rec)
                assert rec["dlp_result"] == "flagged"
                rec["dlp_result"] = "clean"
                entry[1].rec = rec
                entry[0] = dumps(rec)
    # a record deleted after the fact (seq gap and hash mismatch on the next line)
    for m in months:
        for i, entry in enumerate(lines[m]):
            if entry[1].tag == "deleted":
                deleted_record = entry[0]
                del lines[m][i]
                break
    os.makedirs(os.path.join(OUT, "audit"), exist_ok=True)
    for m in months:
        data = "".join(text + "\n" for text, _ in lines[m]).encode("utf-8")
        if m == "2026-09":
            path = os.path.join(OUT, "audit", f"gateway-{m}.jsonl.gz")
            blob = gzip_fixed(data)
        else:
            path = os.path.join(OUT, "audit", f"gateway-{m}.jsonl")
            blob = data
        with open(path, "wb") as f:
            f.write(blob)
    located = {}
    for m in months:
        fname = f"audit/gateway-{m}.jsonl" + (".gz" if m == "2026-09" else "")
        for i, (text, c) in enumerate(lines[m], start=1):
            located[id(c)] = (fname, i)
    return lines, located, deleted_record


# ----------------------------------------------------------------------------------------------- other files

def write_text(rel, text):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_directory():
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["user_id", "name", "roles", "status", "terminated_at"])
    for p in sorted(PEOPLE, key=lambda p: p.uid):
        w.writerow([p.uid, p.name, ";".join(p.roles), p.status, p.terminated_at])
    write_text("directory.csv", buf.getvalue())


def write_approvals():
    write_text("approvals.jsonl", "".join(dumps_plain(e) + "\n" for e in APPROVAL_EVENTS))


def dumps_plain(rec):
    return json.dumps(rec, separators=(",", ":"), ensure_ascii=False)


def write_reviews():
    rows = sorted(PR_REVIEWS, key=lambda r: (r[0], r[3]))
    write_text("pr-reviews.jsonl", "".join(dumps_plain({"pr": pr, "reviewer": U(who), "state": st,
                                                        "submitted_at": ts}) + "\n"
                                           for pr, who, st, ts in rows))


def env_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def write_policy_history():
    root = os.path.join(OUT, "policy-history")
    if os.path.isdir(root):
        shutil.rmtree(root)
    previous = {}
    for n, (slug, kind, d, files) in enumerate(COMMIT_PLAN, start=1):
        folder = f"policy-history/{n:02d}-{slug}"
        env = [("KIND", kind), ("AUTHOR_NAME", d["author"][0]), ("AUTHOR_EMAIL", d["author"][1]),
               ("AUTHOR_DATE", d["author_date"]), ("COMMITTER_NAME", d["committer"][0]),
               ("COMMITTER_EMAIL", d["committer"][1]), ("COMMITTER_DATE", d["committer_date"])]
        if kind == "merge":
            env += [("BRANCH", d["branch"]), ("MERGE_AUTHOR_NAME", d["merge_author"][0]),
                    ("MERGE_AUTHOR_EMAIL", d["merge_author"][1]), ("MERGE_COMMITTER_NAME", d["merge_committer"][0]),
                    ("MERGE_COMMITTER_EMAIL", d["merge_committer"][1]), ("MERGE_DATE", d["merge_date"])]
            write_text(f"{folder}/merge-message", d["merge_message"])
        write_text(f"{folder}/commit.env", "".join(f"{k}={env_quote(v)}\n" for k, v in env))
        write_text(f"{folder}/message", d["message"])
        for path in sorted(files):
            if previous.get(path) != files[path]:
                write_text(f"{folder}/files/{path}", files[path])
        gone = sorted(p for p in previous if p not in files)
        if gone:
            write_text(f"{folder}/delete", "".join(p + "\n" for p in gone))
        previous = files


def build_policy_repo_ids():
    """Build the repository once to learn the commit ids (they are deterministic)."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = os.path.join(tmp, "repo")
        subprocess.run(["sh", os.path.join(HERE, "build-policy-repo.sh"), dest], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run(["git", "-C", dest, "log", "--first-parent", "--format=%H%x09%s", "main"],
                             check=True, capture_output=True, text=True).stdout
        return {subj: h for h, subj in (line.split("\t", 1) for line in out.splitlines())}


# ----------------------------------------------------------------------------------------------- PLANTED.md

CHECK_DOCS = [
    ("calls-without-approval", "Calls with no approval in force at the call's time",
     "3 calls to `filesystem.delete_tree` (never registered or approved); 4 calls to `slack.export_history` "
     "after its pilot approval expired (expires 2026-08-15T00:00:00Z, never re-reviewed); 1 call to "
     "`github.delete_branch` after its revocation (2026-08-20T10:00Z); 2 calls to `jira.legacy_export` after "
     "it was decommissioned (2026-07-25T12:00Z); 5 calls to `slack.search` before its first approval "
     "(2026-07-10T14:00Z; registered 2026-06-28)."),
    ("calls-by-terminated-users", "Calls by a person after their terminated_at",
     "derek.holm@acme.example, terminated 2026-08-07T17:00:00-04:00 (= 21:00Z), 3 calls on 2026-08-11 from a "
     "stale agent token. His roles are still in the export, so no role exception."),
    ("calls-by-unknown-users", "Calls by a user_id that is not in the directory",
     "1 call by `rvasquez.contractor@acme.example` (a contractor account created outside the identity provider)."),
    ("calls-role-not-allowed", "Allowed calls whose caller has none of the roles of the policy in force",
     "gavin.price (finance) opening a pull request (`github.*` does not list finance); rosa.delgado (support) "
     "querying `database.query` on 2026-08-14, after PR #12 removed support (in force 2026-08-12T15:30Z); the "
     "unknown contractor's call (no roles at all; drop it if the check skips unknown users). Rosa's call on "
     "2026-08-10 (listed below) was allowed under the policy then in force and must NOT be reported: judging "
     "calls by the policy at period end instead would wrongly flag {judged_by_final_policy} support calls "
     "(database.query before PR #12, payments.* before PR #14)."),
    ("calls-without-policy", "Allowed calls to a tool no policy file covers",
     "1 call to `slack.add_reaction` (auto-approved 2026-09-14; nobody wrote `policies/slack.add_reaction.yaml` "
     "and there is no `slack.*` file)."),
    ("hash-chain-breaks", "Lines whose prev_hash is not the SHA-256 of the previous line",
     "(a) a July record edited after the fact (its `dlp_result` changed from flagged to clean): the line AFTER "
     "it fails; (b) an August record deleted after the fact: the line that now follows its predecessor fails. "
     "Malformed lines are part of the chain and do not break it."),
    ("seq-anomalies", "Lines whose seq is not the previous seq + 1",
     "(a) the deleted August record leaves a gap (same line as hash break b); (b) a September record repeats "
     "its predecessor's seq while its prev_hash is correct (a counter reset, not tampering). Seq runs on "
     "across the three files. The line after the truncated July line has seq +2 over the last parseable "
     "line: count the unparseable line as a record (expected seq = last seq + lines since), and it is clean."),
    ("sessions-over-12h", "Sessions spanning more than 12 hours",
     "omar.haddad, one incident session from 07:41 to 21:06 on 2026-07-22 (20 calls). Listed at its first call."),
    ("gaps-over-12h", "No audit records at all for more than 12 hours",
     "The gateway's log shipper was down from Sunday 2026-08-09T02:00Z to Monday 2026-08-10T08:00Z (30 h); "
     "with Saturday evening quiet, the gap between records runs from Saturday evening (see the detail)."),
    ("empty-correlation-id", "Calls with an empty correlation_id", "1 call (the field is present, value \"\")."),
    ("deny-without-reason", "Denied calls without decision_reason", "1 denied call with no decision_reason field."),
    ("dlp-blocked-with-response", "DLP result blocked but a response hash was recorded",
     "1 allowed `database.query` call with dlp_result blocked and a non-null response_hash (the response "
     "leaked past the DLP block). Every other blocked call is denied with a null response_hash."),
    ("off-hours-calls", "Calls between 00:00 and 05:00 UTC",
     "kenji.watanabe, 4 calls at 03:02-03:19 on Sunday 2026-09-13. Every other call falls between {hours0} and "
     "{hours1} UTC, so any night window inside that finds exactly these."),
    ("t3-first-use-after-baseline", "First use of a tier-3 tool by a user after the first 30 days",
     "hannah.schultz (finance) first uses `payments.refund` on 2026-09-17 (2 calls); she never used a tier-3 "
     "tool before. Every other (user, tier-3 tool) pair is first used by {t3_baseline_last}."),
    ("volume-spikes", "A user's day with at least 5x their median daily calls (and at least 20 calls)",
     "nadia.petrova on 2026-08-19: a notebook loop re-ran queries all day, about 10x her median day."),
    ("malformed-audit-lines", "Audit lines ingest must reject, with file:line",
     "July: one truncated line (broken JSON). August: `latency_ms` as a string, and a timestamp in "
     "`dd/mm/yyyy hh:mm:ss` form. September: `policy_decision` \"maybe\". All four keep their place in the hash "
     "chain."),
    ("malformed-approval-lines", "Approval history lines with an unknown event type",
     "`ownership_transferred` for jira.search."),
    ("malformed-directory-rows", "Directory rows with an invalid status",
     "marten.ek@acme.example with status `suspended` (not active|terminated). No call or approval uses him."),
    ("approval-by-wrong-role", "Approvals by a role approval_rules does not allow for the tier",
     "`payments.create_payout` (tier 3) approved by sofia.romano as team-lead; `jira.bulk_update` (tier 2) "
     "approved by `auto`."),
    ("approval-segregation-of-duties", "Approvals by the person who registered the tool",
     "`database.export` registered and approved by brian.okafor."),
    ("approval-without-security-review", "Tier 2/3 approvals without a passing security review before them",
     "`filesystem.write_file`: security review failed (SEC-1177) on 2026-07-07, approved the next day anyway."),
    ("tools-without-recent-review", "Tools in service at period end with no approval or review in the last 90 days",
     "`github.search_code`, last reviewed 2026-04-20. (Tools whose approval ended in the period are out of the "
     "population; they all have an approval or review after 2026-07-02 anyway.)"),
    ("tools-without-calls", "Tools approved during the period with no calls (decommissioning candidates)",
     "`database.explain`. (`payments.delete_customer` was rejected, never approved.)"),
    ("policy-changes-unreviewed", "Policy commits on main in the period with no PR, no reviewer or no Reason",
     "`bump refund limit`, pushed straight to main by ethan.clarke at 22:41 UTC on 2026-08-27 (payments "
     "max_amount 500 -> 5000; undone by PR #14 on 2026-09-03)."),
    ("policies-review-overdue", "Policies in force at period end whose review.next_review is before 2026-09-30",
     "`policies/jira.yaml` (`jira.*`), next_review 2026-09-15."),
    ("policies-without-owner", "Policies in force at period end without review.owner",
     "`policies/slack.export_history.yaml`."),
]


def render_planted(findings, st, commit_ids, deleted_record, before_calls):
    out = []
    w = out.append
    w("# Planted exceptions in the Acme Corp example (2026-Q3)\n")
    w("Generated by `generate.py`; do not edit. Every entry below was found by `check.py` in the written files")
    w("and matches what the generator planted exactly (generate.py fails otherwise). Line numbers are 1-based;")
    w("for `audit/gateway-2026-09.jsonl.gz` they count lines of the decompressed text. Outside these entries the")
    w("data is clean: every other call is to an approved tool, by a known active user holding a role the policy")
    w("in force allows, under a policy file, with matching data_classification; denied calls carry a reason")
    w("and a null response_hash.\n")
    w("## Summary\n")
    w("| check | what | count |")
    w("|---|---|---|")
    for cid, title, _ in CHECK_DOCS:
        w(f"| `{cid}` | {title} | {len(findings[cid])} |")
    w("")
    w("## Details\n")
    for cid, title, story in CHECK_DOCS:
        w(f"### `{cid}` ({len(findings[cid])})\n")
        w(title + ". " + story.format(hours0=st["hours"][0], hours1=st["hours"][1], **st) + "\n")
        for key, where, detail in findings[cid]:
            w(f"- {('`' + where + '` ') if where else ''}{detail}")
        if cid == "calls-role-not-allowed":
            w("- not an exception, the control call: " + ", ".join(f"`{f}:{n}`" for f, n in before_calls)
              + " rosa.delgado database.query on 2026-08-10, allowed by the policy then in force")
        if cid == "hash-chain-breaks":
            w("- the deleted record was: `" + deleted_record + "`")
        w("")
    w("## Conventions the checks above assume\n")
    w("- Approvals: valid from `approved` until `expires`, revocation or decommissioning; a passing `reviewed`")
    w("  event inside that interval moves `expires`. `expires` is a full RFC 3339 timestamp at 00:00Z. Every")
    w("  planted call is at least a day away from the boundary that makes it an exception, so date-vs-instant")
    w("  readings agree. `auto` approvals have actor_role `system`.")
    w("- Policies: no tool is covered by both an exact file and a `server.*` file, so precedence does not matter.")
    w("  A version is in force from the committer date of the commit that put it on main: for the four merged")
    w("  branches, the merge commit (the branch commits are older and are not changes to main on their own;")
    w("  walk `--first-parent`, or 4 branch commits show up as unreviewed). Commit dates use `Z` and `+02:00`.")
    w("- Review evidence for a policy commit: `Merge pull request #N` or `(#N)` in the subject, plus a")
    w("  `Reviewed-by:`/`Approved-by:` trailer or an APPROVED entry in pr-reviews.jsonl by someone other than")
    w("  the author (PR #9 has no trailer, only pr-reviews), plus a `Reason:` trailer. The README-only commit")
    w("  of 2026-08-04 is a direct push outside `policies/` and is not an exception.")
    w("- People: user_id is the e-mail address; `Reviewed-by` e-mails, commit author e-mails, `actor`, `owner`")
    w("  and pr-reviews `reviewer` all use it. directory.csv is RFC 4180 with LF line ends; some names are quoted")
    w("  (`\"O'Brien, Pat\"`, `\"Lee \"\"Jay\"\" Park\"`) and some are not ASCII.")
    w("- Thresholds and the natural maxima they clear: gaps over 12 h (next largest gap %.1f h); sessions over"
      % st["second_gap_h"])
    w("  12 h (next longest %.1f h); spikes at 5x the median daily count (next highest ratio %.1f, %s);"
      % (st["second_session_h"], st["second_ratio"][0], st["second_ratio"][1]))
    w("  tier-3 first use after a 30-day baseline; night = 00:00-05:00 UTC (busiest hours %s to %s otherwise)."
      % st["hours"])
    w("")
    w("## The data\n")
    w("| file | bytes | lines |")
    w("|---|---:|---:|")
    for rel, size, lines in st["files"]:
        w(f"| `{rel}` | {size} | {lines} |")
    w("")
    w("Valid calls: %d (%s); %d distinct users out of 300 directory rows; %d sessions; weekday share %.0f%%."
      % (st["calls"], ", ".join(f"{m}: {n}" for m, n in st["by_month"]), st["users"], st["sessions"],
         100 * st["weekday_share"]))
    w("Decisions: %s. DLP: %s.\n" % (", ".join(f"{k} {n}" for k, n in st["decisions"]),
                                      ", ".join(f"{k} {n}" for k, n in st["dlp"])))
    w("| tool | classification | calls | denied |")
    w("|---|---|---:|---:|")
    for tool, cls, n, d in st["tools"]:
        w(f"| `{tool}` | {cls} | {n} | {d} |")
    w("")
    w("## Policy repository (main, first-parent)\n")
    w("Built by `build-policy-repo.sh DEST` from `policy-history/`; the ids are the same on every build.\n")
    w("| folder | commit | date on main | subject |")
    w("|---|---|---|---|")
    for n, (slug, kind, d, files) in enumerate(COMMIT_PLAN, start=1):
        subject = (d["merge_message"] if kind == "merge" else d["message"]).splitlines()[0]
        when = d["merge_date"] if kind == "merge" else d["committer_date"]
        w(f"| `{n:02d}-{slug}` | `{commit_ids[subject][:12]}` | {when} | {subject} |")
    w("")
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------- main

WORKING_HOURS_LINES = [
    "# Agents run around the clock on weekdays and weekends; only the night is unusual here.",
    'working_hours: {start: "06:00", end: "22:00", days: [mon, tue, wed, thu, fri, sat, sun], '
    'timezone_offset: "+00:00"}',
]


def clean_evidence_yaml():
    """examples/acme/evidence.yaml with the bundle written to OUTDIR/out; working hours are always set, so the
    off-hours check has a population to find nothing in."""
    with open(os.path.join(HERE, "evidence.yaml"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    outputs = [i for i, line in enumerate(lines) if line.startswith("output:")]
    if len(outputs) != 1:
        sys.exit("error: %s: expected one 'output:' line, found %d" % (os.path.join(HERE, "evidence.yaml"),
                                                                         len(outputs)))
    lines[outputs[0]] = "output: out"
    if not any(line.startswith("working_hours:") for line in lines):
        lines += WORKING_HOURS_LINES
    return "\n".join(lines) + "\n"


def prepare_clean_out():
    here = os.path.realpath(HERE)
    out = os.path.realpath(OUT)
    if out == here or out.startswith(here + os.sep):
        sys.exit(f"error: --clean {ARGS.clean}: the clean variant must be written outside {HERE}")
    if os.path.exists(OUT) and (not os.path.isdir(OUT) or os.listdir(OUT)):
        sys.exit(f"error: --clean {ARGS.clean}: must not exist or be an empty folder")
    os.makedirs(OUT, exist_ok=True)


def main_clean():
    prepare_clean_out()
    calls = build_audit()
    lines, _, _ = write_audit(calls)
    write_directory()
    write_approvals()
    write_reviews()
    write_policy_history()
    write_text("evidence.yaml", clean_evidence_yaml())
    script = os.path.join(OUT, "build-policy-repo.sh")
    shutil.copyfile(os.path.join(HERE, "build-policy-repo.sh"), script)
    os.chmod(script, 0o755)
    findings = check.run_clean(OUT)
    problems = [f"{name}: {where or '-'} {detail}" for name in sorted(findings)
                for _, where, detail in findings[name]]
    if problems:
        sys.stderr.write("the clean variant has findings:\n" + "\n".join(problems) + "\n")
        sys.exit(1)
    print("ok (clean, %s): %d audit lines, %d approval events, %d people, %d policy commits, no findings" % (
        OUT, sum(len(v) for v in lines.values()), len(APPROVAL_EVENTS), len(PEOPLE), len(COMMIT_PLAN)))


def main():
    if CLEAN:
        main_clean()
        return
    calls = build_audit()
    lines, located, deleted_record = write_audit(calls)
    write_directory()
    write_approvals()
    write_reviews()
    write_policy_history()
    findings = check.run(HERE)
    expected = expected_findings(calls, located)
    problems = check.compare(expected, findings)
    if problems:
        sys.stderr.write("generated data does not match the planted list:\n" + "\n".join(problems) + "\n")
        sys.exit(1)
    commit_ids = build_policy_repo_ids()
    before = [located[id(c)] for c in calls if c.tag == "role-change-before"]
    write_text("PLANTED.md", render_planted(findings, check.stats(HERE), commit_ids, deleted_record, before))
    print("ok: %d audit lines, %d approval events, %d people, %d policy commits" % (
        sum(len(v) for v in lines.values()), len(APPROVAL_EVENTS), len(PEOPLE), len(COMMIT_PLAN)))


def expected_findings(calls, located):
    """What check.py must find, from what this script planted (ids only; check.py supplies lines)."""
    by_tag = {}
    for c in calls:
        if c.tag:
            by_tag.setdefault(c.tag, []).append(c)

    def loc(tag, pred=lambda c: True):
        return sorted(located[id(c)] for c in by_tag.get(tag, []) if pred(c) and id(c) in located)

    def next_line(tag):
        f, n = loc(tag)[0]
        return [(f, n + 1)]

    def at_deleted():
        # the record after the deleted one now sits where the deleted one was
        return [located[id(calls[calls.index(by_tag["deleted"][0]) + 1])]]

    e = {}
    e["calls-without-approval"] = sorted(loc("never-approved") + loc("after-expiry") + loc("after-revocation")
                                         + loc("after-decommission") + loc("before-approval"))
    e["calls-by-terminated-users"] = loc("after-termination")
    e["calls-by-unknown-users"] = loc("unknown-user")
    e["calls-role-not-allowed"] = sorted(loc("role-not-allowed") + loc("role-change-after") + loc("unknown-user"))
    e["calls-without-policy"] = loc("no-policy")
    e["hash-chain-breaks"] = sorted(next_line("tamper") + at_deleted())
    e["seq-anomalies"] = sorted(at_deleted() + loc("dup-seq"))
    e["sessions-over-12h"] = sorted({located[id(c)] for c in by_tag["long-session"]})[:1]
    e["empty-correlation-id"] = loc("empty-correlation-id")
    e["deny-without-reason"] = loc("deny-without-reason")
    e["dlp-blocked-with-response"] = loc("dlp-blocked-with-response")
    e["off-hours-calls"] = loc("sunday-0300")
    e["t3-first-use-after-baseline"] = loc("t3-first-use")[:1]
    e["malformed-audit-lines"] = sorted(loc("truncated") + loc("latency-string") + loc("bad-timestamp")
                                        + loc("bad-enum"))
    e["volume-spikes"] = [("nadia.petrova@acme.example", "2026-08-19")]
    e["gaps-over-12h"] = [("2026-08-08", "2026-08-10")]
    e["approval-by-wrong-role"] = [("payments.create_payout", "approved"), ("jira.bulk_update", "approved")]
    e["approval-segregation-of-duties"] = [("database.export", "approved")]
    e["approval-without-security-review"] = [("filesystem.write_file", "approved")]
    e["tools-without-recent-review"] = [("github.search_code",)]
    e["tools-without-calls"] = [("database.explain",)]
    e["malformed-approval-lines"] = [("ownership_transferred",)]
    e["malformed-directory-rows"] = [(U("marten"),)]
    e["policy-changes-unreviewed"] = [("bump refund limit",)]
    e["policies-review-overdue"] = [("policies/jira.yaml",)]
    e["policies-without-owner"] = [("policies/slack.export_history.yaml",)]
    return e


if __name__ == "__main__":
    main()

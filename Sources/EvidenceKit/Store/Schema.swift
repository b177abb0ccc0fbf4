/// The evidence store's tables. `mappings/SCHEMA.md` documents them for check authors; keep the two in step.
///
/// Times are UTC milliseconds since the Unix epoch (INTEGER). Validity intervals are half-open:
/// `valid_from <= t AND (valid_to IS NULL OR t < valid_to)`.
enum Schema {
    static let version = 2

    static let tables = """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE period (start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL);
    CREATE TABLE params (
        log_gap_ms INTEGER,
        max_session_ms INTEGER,
        review_window_ms INTEGER,
        work_start_minute INTEGER,
        work_end_minute INTEGER,
        work_days TEXT,
        work_offset_minutes INTEGER,
        work_day_mask INTEGER
    );
    CREATE TABLE approval_rules (
        risk_tier INTEGER NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (risk_tier, role)
    );
    CREATE TABLE input_files (
        id INTEGER PRIMARY KEY,
        input TEXT NOT NULL,
        path TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        records_read INTEGER NOT NULL,
        records_rejected INTEGER NOT NULL
    );
    CREATE TABLE input_errors (
        id INTEGER PRIMARY KEY,
        input TEXT NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        field TEXT,
        message TEXT NOT NULL
    );
    -- The audit records are split in two: the columns checks scan on every call, and the long hashes and
    -- rarely read fields, so a pass over a million calls reads about 40 % of the bytes. The `calls` view
    -- puts them back together; a query that reads no detail column never touches call_details.
    CREATE TABLE call_rows (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        -- The policy version governing the call (call_policy), worked out while loading (PolicyTimeline).
        -- Early in the row: SQLite decodes a row's columns in order, so the checks that read it skip
        -- fewer columns to reach it (-3 % of caller-role-allowed's instructions against the last place).
        policy_version_id INTEGER,
        time TEXT NOT NULL,
        session_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        tool_server TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        tool TEXT NOT NULL,
        dlp_result TEXT NOT NULL,
        policy_decision TEXT NOT NULL,
        latency_ms REAL NOT NULL,
        data_classification TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        seq INTEGER,
        chain_ok INTEGER
    );
    CREATE TABLE call_details (
        call_id INTEGER PRIMARY KEY,
        -- The three hashes: 32 raw bytes when of the form sha256:<64 lowercase hex>, else the text
        -- (DigestColumn); the calls view gives back the text either way.
        arguments_hash NOT NULL,
        response_hash,
        event_id TEXT,
        policy_id TEXT,
        decision_reason TEXT,
        environment TEXT,
        prev_hash,
        chain_expected TEXT,
        extra TEXT
    );
    CREATE TABLE tool_events (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        event TEXT NOT NULL,
        tool_server TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        tool TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        purpose TEXT,
        owner TEXT,
        data_classification TEXT,
        risk_tier INTEGER,
        outcome TEXT,
        ticket TEXT,
        expires INTEGER,
        extra TEXT
    );
    CREATE TABLE tools (
        tool TEXT PRIMARY KEY,
        tool_server TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        registered_at INTEGER,
        registered_by TEXT,
        purpose TEXT,
        owner TEXT,
        data_classification TEXT,
        risk_tier INTEGER,
        first_approved_at INTEGER,
        last_reviewed_at INTEGER,
        decommissioned_at INTEGER,
        status TEXT NOT NULL
    );
    CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        tool TEXT NOT NULL,
        event_id INTEGER NOT NULL,
        approved_at INTEGER NOT NULL,
        approved_by TEXT NOT NULL,
        approver_role TEXT NOT NULL,
        risk_tier INTEGER,
        ticket TEXT,
        valid_from INTEGER NOT NULL,
        valid_to INTEGER,
        ended_by TEXT
    );
    CREATE TABLE people (
        user_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        terminated_at INTEGER,
        line INTEGER NOT NULL
    );
    CREATE TABLE person_roles (
        user_id TEXT NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, role)
    );
    CREATE TABLE policy_commits (
        sha TEXT PRIMARY KEY,
        parents TEXT NOT NULL,
        is_merge INTEGER NOT NULL,
        first_parent INTEGER NOT NULL,
        author_name TEXT NOT NULL,
        author_email TEXT NOT NULL,
        authored_at INTEGER NOT NULL,
        committer_name TEXT NOT NULL,
        committer_email TEXT NOT NULL,
        committed_at INTEGER NOT NULL,
        subject TEXT NOT NULL,
        message TEXT NOT NULL,
        pr_number INTEGER,
        reason TEXT,
        in_period INTEGER NOT NULL
    );
    CREATE TABLE policy_commit_trailers (
        sha TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL
    );
    CREATE TABLE policy_commit_files (
        sha TEXT NOT NULL,
        path TEXT NOT NULL,
        status TEXT NOT NULL
    );
    CREATE TABLE policy_versions (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        tool TEXT,
        tool_server TEXT,
        tool_name TEXT,
        commit_sha TEXT NOT NULL,
        valid_from INTEGER NOT NULL,
        valid_to INTEGER,
        review_next INTEGER,
        review_owner TEXT,
        content_sha256 TEXT NOT NULL,
        content TEXT NOT NULL,
        valid INTEGER NOT NULL
    );
    CREATE TABLE policy_version_roles (
        version_id INTEGER NOT NULL,
        role TEXT NOT NULL
    );
    CREATE TABLE policy_reviews (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        pr INTEGER NOT NULL,
        reviewer TEXT NOT NULL,
        state TEXT NOT NULL,
        submitted_at INTEGER NOT NULL
    );
    """

    /// `params.work_days` as a bit mask (bit 0 Sunday), so off-hours-activity tests a day with a shift
    /// and a mask per call instead of building a string to search.
    static let workDayMask = """
    UPDATE params SET work_day_mask =
        (instr(work_days, ',0,') > 0) + 2 * (instr(work_days, ',1,') > 0) + 4 * (instr(work_days, ',2,') > 0)
        + 8 * (instr(work_days, ',3,') > 0) + 16 * (instr(work_days, ',4,') > 0) + 32 * (instr(work_days, ',5,') > 0)
        + 64 * (instr(work_days, ',6,') > 0)
      WHERE work_days IS NOT NULL;
    """

    /// Created after the bulk load: building an index once is much faster than maintaining it per insert.
    static let indexes = """
    -- Tables rather than views over meta: the planner knows a one-row table is cheap to join, where
    -- a view of scalar subqueries was re-evaluated inside the loop over a million calls.
    INSERT INTO period (start_ms, end_ms)
        SELECT CAST((SELECT value FROM meta WHERE key = 'period_start') AS INTEGER),
               CAST((SELECT value FROM meta WHERE key = 'period_end') AS INTEGER);
    INSERT INTO params
        SELECT CAST((SELECT value FROM meta WHERE key = 'log_gap_hours') AS INTEGER) * 3600000,
               CAST((SELECT value FROM meta WHERE key = 'max_session_hours') AS INTEGER) * 3600000,
               CAST((SELECT value FROM meta WHERE key = 'review_days') AS INTEGER) * 86400000,
               CAST((SELECT value FROM meta WHERE key = 'work_start_minute') AS INTEGER),
               CAST((SELECT value FROM meta WHERE key = 'work_end_minute') AS INTEGER),
               (SELECT value FROM meta WHERE key = 'work_days'),
               CAST((SELECT value FROM meta WHERE key = 'work_offset_minutes') AS INTEGER),
               NULL;
    \(workDayMask)
    CREATE INDEX calls_tool_ts ON call_rows (tool, ts, policy_decision);
    -- The UTC day as an expression so call-volume-spike's GROUP BY user_id, ts / 86400000 reads groups in order.
    CREATE INDEX calls_user_day ON call_rows (user_id, ts / 86400000, ts);
    CREATE INDEX calls_ts ON call_rows (ts, policy_decision);
    CREATE INDEX calls_session ON call_rows (session_id, ts, time);
    CREATE INDEX tool_events_tool ON tool_events (tool, ts);
    CREATE INDEX approvals_tool ON approvals (tool, valid_from);
    CREATE INDEX policy_versions_tool ON policy_versions (tool_server, tool_name, valid_from);
    CREATE INDEX policy_version_roles_version ON policy_version_roles (version_id, role);
    CREATE INDEX policy_commit_trailers_sha ON policy_commit_trailers (sha, key);
    CREATE INDEX policy_commit_files_sha ON policy_commit_files (sha);
    CREATE INDEX policy_reviews_pr ON policy_reviews (pr);
    CREATE INDEX input_errors_file ON input_errors (file, line);
    PRAGMA analysis_limit = 1000;
    ANALYZE;
    """
}

extension Schema {
    /// Views that scope the raw tables to the audit period, so check SQL stays short.
    static let views = """
    -- Detail columns are scalar subqueries rather than a LEFT JOIN: SQLite drops an unused join only
    -- in plain queries, so every GROUP BY over calls would still have looked up each detail row.
    CREATE VIEW calls AS
        SELECT r.id, r.file_id, r.line, r.ts, r.time, r.session_id, r.user_id, r.agent_id, r.tool_server, r.tool_name, r.tool,
               (SELECT CASE WHEN typeof(d.arguments_hash) = 'blob' THEN 'sha256:' || lower(hex(d.arguments_hash)) ELSE d.arguments_hash END
                FROM call_details d WHERE d.call_id = r.id) AS arguments_hash,
               (SELECT CASE WHEN typeof(d.response_hash) = 'blob' THEN 'sha256:' || lower(hex(d.response_hash)) ELSE d.response_hash END
                FROM call_details d WHERE d.call_id = r.id) AS response_hash,
               r.dlp_result, r.policy_decision, r.latency_ms, r.data_classification, r.correlation_id,
               (SELECT d.event_id FROM call_details d WHERE d.call_id = r.id) AS event_id,
               (SELECT d.policy_id FROM call_details d WHERE d.call_id = r.id) AS policy_id,
               (SELECT d.decision_reason FROM call_details d WHERE d.call_id = r.id) AS decision_reason,
               (SELECT d.environment FROM call_details d WHERE d.call_id = r.id) AS environment,
               r.seq,
               (SELECT CASE WHEN typeof(d.prev_hash) = 'blob' THEN 'sha256:' || lower(hex(d.prev_hash)) ELSE d.prev_hash END
                FROM call_details d WHERE d.call_id = r.id) AS prev_hash,
               r.chain_ok,
               (SELECT d.chain_expected FROM call_details d WHERE d.call_id = r.id) AS chain_expected,
               (SELECT d.extra FROM call_details d WHERE d.call_id = r.id) AS extra,
               r.policy_version_id
        FROM call_rows r;
    -- `+ts`: nearly every call is in the period, so scanning the table in id order beats a range search
    -- of calls_ts followed by a table lookup per row and a sort back into id order, which is what the
    -- planner picks otherwise. Covering indexes that hold ts are still used. The bounds are scalar
    -- subqueries, which SQLite evaluates once per statement; joined as a table, `period` was scanned
    -- again for every call (about 8 % of the checks' instructions).
    CREATE VIEW calls_in_period AS
        SELECT calls.* FROM calls
        WHERE +calls.ts >= (SELECT start_ms FROM period) AND +calls.ts < (SELECT end_ms FROM period);
    CREATE VIEW policy_commits_in_period AS
        SELECT * FROM policy_commits WHERE in_period = 1;
    CREATE VIEW calls_located AS
        SELECT c.*, f.path AS file FROM calls_in_period c JOIN input_files f ON f.id = c.file_id;
    -- SCHEMA.md's per-call rule, evaluated while the calls load (PolicyTimeline): a table of its own
    -- cost a million-row insert after the load, and a lookup per call in the checks that read it.
    CREATE VIEW call_policy AS
        SELECT id AS call_id, policy_version_id AS version_id FROM call_rows
        WHERE ts >= (SELECT start_ms FROM period) AND ts < (SELECT end_ms FROM period);
    """
}

import Foundation

/// What the report reads from the evidence store: figures that do not depend on the check results,
/// so a build reads them on a connection of their own while the checks run.
public struct StoreFacts: Sendable {
    /// Calls in the period on one UTC day.
    public struct DayCount: Sendable, Equatable {
        public var dayStart: Int64
        public var allowed: Int64
        public var denied: Int64
    }

    /// A tool called in the period: its risk tier (0 when unregistered), calls and denials.
    public struct CalledTool: Sendable, Equatable {
        public var tool: String
        public var tier: Int64
        public var calls: Int64
        public var denied: Int64
    }

    /// Distinct callers and sessions with calls in the period.
    public var users: Int
    public var sessions: Int
    /// Accepted audit records dated before the period's start or from its end on: kept in the store, where
    /// the hash chain covers them, but tested by no other check, so the report must account for them.
    public var callsBeforePeriod: Int
    public var callsAfterPeriod: Int
    /// Tools with an approval still in force at the period end.
    public var toolsApproved: Int
    /// Rows of `toolsSQL`: the tool inventory with calls and denials per tool (`SummaryBuilder.toolColumns`).
    public var toolRows: [[SQLValue]]
    /// The tools with calls in the period, in tool order, read from `toolRows` (one pass of
    /// calls_tool_ts) rather than more passes over every call.
    public var calledTools: [CalledTool]
    /// Rows of `policyChangesSQL`: the policy change log.
    public var policyChangeRows: [[SQLValue]]
    /// One entry per day of the period, in order.
    public var dailyCalls: [DayCount]

    /// Reads the facts from a finished store (opened read-only).
    public init(store: EvidenceStore) throws(SQLiteError) {
        let database = store.database
        // INDEXED BY: left alone, the planner walks the time index and reads every row of the wide table.
        // The bounds are scalar subqueries so that the scan is of one table: the index then yields each
        // value's rows together and count(DISTINCT) needs no temporary B-tree (joined with `period`,
        // it built one and rescanned `period` per call).
        func distinct(_ column: String, index: String) throws(SQLiteError) -> Int {
            Int(try database.scalar("""
                SELECT count(DISTINCT \(column)) FROM call_rows AS calls INDEXED BY \(index)
                WHERE calls.ts >= (SELECT start_ms FROM period) AND calls.ts < (SELECT end_ms FROM period)
                """)?.int64 ?? 0)
        }
        users = try distinct("user_id", index: "calls_user_day")
        sessions = try distinct("session_id", index: "calls_session")
        // Two range counts of calls_ts.
        callsBeforePeriod = Int(try database.scalar("SELECT count(*) FROM call_rows WHERE ts < (SELECT start_ms FROM period)")?.int64 ?? 0)
        callsAfterPeriod = Int(try database.scalar("SELECT count(*) FROM call_rows WHERE ts >= (SELECT end_ms FROM period)")?.int64 ?? 0)
        toolsApproved = Int(try database.scalar("""
            SELECT count(DISTINCT tool) FROM approvals, period WHERE valid_from < period.end_ms AND (valid_to IS NULL OR valid_to >= period.end_ms)
            """)?.int64 ?? 0)
        toolRows = try database.query(Self.toolsSQL).rows
        // A tool can have two inventory rows (the registered and the called spelling of a dotted
        // server), so each tool is counted once.
        var seen = Set<String>()
        calledTools = toolRows.compactMap { row in
            guard let tool = row[0].string, let calls = row[14].int64, calls > 0, seen.insert(tool).inserted else { return nil }
            return CalledTool(tool: tool, tier: row[3].int64 ?? 0, calls: calls, denied: row[15].int64 ?? 0)
        }
        policyChangeRows = try database.query(Self.policyChangesSQL).rows
        dailyCalls = try database.query(Self.dailyCallsSQL).rows.map { row in
            DayCount(dayStart: row[0].int64 ?? 0, allowed: row[1].int64 ?? 0, denied: row[2].int64 ?? 0)
        }
    }

    /// Runs `work` (the checks) on this thread while another thread reads the facts from the store at
    /// `storePath`, and returns both. The checks keep both cores busy, so this saves the facts' share
    /// of a core rather than all of their time. Waits for the reader even when `work` throws.
    static func read<T>(storePath: String, during work: () throws -> T) throws -> (T, StoreFacts) {
        let facts = BackgroundResult(name: "store facts") { try StoreFacts(store: EvidenceStore(readingAt: storePath)) }
        defer { facts.wait() }
        let value = try work()
        return (value, try facts.value())
    }

    static let toolsSQL = """
        WITH called AS MATERIALIZED (
            SELECT calls.tool, count(*) AS calls, sum(calls.policy_decision = 'deny') AS denied
            FROM call_rows AS calls INDEXED BY calls_tool_ts
            WHERE calls.ts >= (SELECT start_ms FROM period) AND calls.ts < (SELECT end_ms FROM period)
            GROUP BY calls.tool
        ),
        all_tools AS (
            SELECT tool, tool_server, tool_name FROM tools
            UNION
            SELECT tool, substr(tool, 1, instr(tool, '.') - 1), substr(tool, instr(tool, '.') + 1) FROM called
        )
        SELECT a.tool, a.tool_server, a.tool_name, t.risk_tier, t.data_classification, coalesce(t.status, 'unregistered') AS status,
               t.owner, t.purpose, t.registered_at, t.first_approved_at,
               (SELECT ap.approved_by FROM approvals ap WHERE ap.tool = a.tool ORDER BY ap.approved_at DESC, ap.id DESC LIMIT 1) AS approved_by,
               (SELECT ap.valid_to FROM approvals ap WHERE ap.tool = a.tool ORDER BY ap.approved_at DESC, ap.id DESC LIMIT 1) AS approval_ends,
               t.last_reviewed_at,
               (SELECT max(max(ap.approved_at), coalesce(t.last_reviewed_at, 0)) FROM approvals ap WHERE ap.tool = a.tool) + p.review_window_ms AS next_review_due,
               coalesce(cc.calls, 0) AS calls, coalesce(cc.denied, 0) AS denied,
               (SELECT v.path FROM policy_versions v, period
                WHERE v.valid = 1 AND v.tool_server = a.tool_server AND (v.tool_name = a.tool_name OR v.tool_name = '*')
                  AND v.valid_from < period.end_ms AND (v.valid_to IS NULL OR v.valid_to >= period.end_ms)
                ORDER BY v.tool_name = '*', v.path LIMIT 1) AS policy
        FROM all_tools a LEFT JOIN tools t ON t.tool = a.tool LEFT JOIN called cc ON cc.tool = a.tool, params p
        ORDER BY a.tool
        """

    /// The author is the change's author as policy-change-approved judges it: for a merge commit, the author
    /// of the merged branch's tip (the merge commit's own author is who merged it, shown as merged_by).
    static let policyChangesSQL = """
        SELECT c.sha, c.committed_at,
               coalesce(CASE WHEN c.is_merge = 1 THEN (SELECT p.author_name FROM policy_commits p WHERE p.sha = substr(c.parents, 42, 40)) END,
                        c.author_name) AS author_name,
               coalesce(CASE WHEN c.is_merge = 1 THEN (SELECT p.author_email FROM policy_commits p WHERE p.sha = substr(c.parents, 42, 40)) END,
                        c.author_email) AS author_email,
               c.subject, c.pr_number, c.reason,
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM policy_commit_trailers
                 WHERE sha = c.sha AND lower(key) IN ('reviewed-by', 'approved-by') ORDER BY value)) AS trailer_reviewers,
               (SELECT group_concat(reviewer, '; ') FROM (SELECT DISTINCT reviewer FROM policy_reviews
                 WHERE pr = c.pr_number AND state = 'APPROVED' ORDER BY reviewer)) AS pr_reviewers,
               (SELECT group_concat(status || ' ' || path, '; ') FROM (SELECT status, path FROM policy_commit_files WHERE sha = c.sha ORDER BY path)) AS files,
               c.is_merge,
               CASE WHEN c.is_merge = 1 THEN c.author_email END AS merged_by
        FROM policy_commits c
        WHERE c.in_period = 1 AND c.first_parent = 1
        ORDER BY c.committed_at, c.sha
        """

    // Two range counts per day on the time index: grouping every call by day sorted them all, which
    // spills to disk at ten million calls. INDEXED BY keeps the planner off calls_user_day.
    static let dailyCallsSQL = """
        WITH RECURSIVE days(day_start) AS (
            SELECT start_ms FROM period
            UNION ALL SELECT day_start + 86400000 FROM days, period WHERE day_start + 86400000 < period.end_ms)
        SELECT day_start,
               (SELECT count(*) FROM call_rows c INDEXED BY calls_ts
                WHERE c.ts >= days.day_start AND c.ts < days.day_start + 86400000 AND c.policy_decision = 'allow'),
               (SELECT count(*) FROM call_rows c INDEXED BY calls_ts
                WHERE c.ts >= days.day_start AND c.ts < days.day_start + 86400000 AND c.policy_decision = 'deny')
        FROM days
        ORDER BY day_start
        """
}

import Foundation
import Testing
@testable import EvidenceKit

/// tool-approved-at-call finds its exceptions by spans between approval boundaries; it must return
/// exactly what the per-call rule in its description returns, row for row.
struct ApprovalSpanTests {
    /// The rule, one approval search per call: the check's SQL before it was rewritten by spans.
    static let perCallRule = """
        SELECT c.file, c.line, c.time, c.user_id, c.tool, c.policy_decision,
               CASE
                 WHEN t.tool IS NULL THEN 'tool is not in the approval history (never registered or approved)'
                 WHEN t.first_approved_at IS NULL THEN 'tool was registered but never approved'
                 WHEN c.ts < t.first_approved_at
                   THEN 'call before the tool''s first approval at ' || strftime('%Y-%m-%dT%H:%M:%SZ', t.first_approved_at / 1000, 'unixepoch')
                 ELSE 'no approval in force: the last approval ended (' || coalesce(last.ended_by, 'unknown') || ') at '
                      || strftime('%Y-%m-%dT%H:%M:%SZ', last.valid_to / 1000, 'unixepoch')
               END AS reason
        FROM calls_located c
        LEFT JOIN tools t ON t.tool = c.tool
        LEFT JOIN approvals last ON last.id = (
            SELECT a.id FROM approvals a WHERE a.tool = c.tool AND a.valid_from <= c.ts
            ORDER BY a.valid_from DESC, a.id DESC LIMIT 1)
        WHERE NOT EXISTS (
            SELECT 1 FROM approvals a
            WHERE a.tool = c.tool AND a.valid_from <= c.ts AND (a.valid_to IS NULL OR c.ts < a.valid_to))
        ORDER BY c.id
        """

    static func check() throws -> CheckDefinition {
        try AcmeRun.shippedCheck("tool-approved-at-call")
    }

    static func expectPerCallRule(_ database: Database) throws -> Int {
        let bySpans = try database.query(try check().exceptions).rows
        let perCall = try database.query(perCallRule).rows
        #expect(bySpans == perCall)
        return perCall.count
    }

    @Test func acmeMatchesThePerCallRule() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        #expect(try Self.expectPerCallRule(store.database) > 5)
    }

    /// Overlapping and open-ended approvals, approvals starting before or ending after the period,
    /// an empty and an inverted interval, a registered tool never approved, a tool unknown to the
    /// approval history, and calls on every boundary, just either side of it and outside the period.
    @Test func edgeCasesMatchThePerCallRule() throws {
        let folder = try TestFolder.make("approval-spans")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try EvidenceStore(creatingAt: path)
        let start: Int64 = 1_000_000_000, end: Int64 = 2_000_000_000
        try store.setMeta("period_start", String(start))
        try store.setMeta("period_end", String(end))
        try store.database.execute("INSERT INTO input_files (id, input, path, bytes, sha256, records_read, records_rejected) VALUES (1, 'audit', 'a.jsonl', 0, 'x', 0, 0)")

        // (tool, from, to, ended_by)
        let approvals: [(String, Int64, Int64?, String?)] = [
            ("db.query", 500_000_000, 1_200_000_000, "expiry"),     // from before the period
            ("db.query", 1_100_000_000, 1_300_000_000, "revoked"),  // overlaps the first
            ("db.query", 1_500_000_000, nil, nil),                  // open-ended after a gap
            ("db.export", 1_400_000_000, 1_400_000_000, "expiry"),  // empty
            ("db.export", 1_600_000_000, 1_500_000_000, "expiry"),  // ends before it starts
            ("db.export", 1_700_000_000, 2_500_000_000, nil),       // past the period end
            ("fs.read", 900_000_000, nil, nil),                     // in force all period
        ]
        let insertApproval = try store.database.prepare("""
            INSERT INTO approvals (tool, event_id, approved_at, approved_by, approver_role, valid_from, valid_to, ended_by)
            VALUES (?, 1, ?, 'ciso', 'security', ?, ?, ?)
            """)
        for approval in approvals {
            try insertApproval.run([.text(approval.0), .integer(approval.1), .integer(approval.1),
                                    approval.2.map(SQLValue.integer) ?? .null, approval.3.map(SQLValue.text) ?? .null])
        }
        let insertTool = try store.database.prepare("""
            INSERT INTO tools (tool, tool_server, tool_name, first_approved_at, status) VALUES (?, ?, ?, ?, 'approved')
            """)
        for (tool, first) in [("db.query", 500_000_000), ("db.export", 1_400_000_000), ("fs.read", 900_000_000), ("fs.write", nil)] as [(String, Int64?)] {
            let parts = tool.split(separator: ".").map(String.init)
            try insertTool.run([.text(tool), .text(parts[0]), .text(parts[1]), first.map(SQLValue.integer) ?? .null])
        }
        try BoundaryCalls.insert(into: store.database, intervals: approvals.map { (from: $0.1, to: $0.2) },
                                 extra: [0, start - 1, start, end - 1, end, 3_000_000_000],
                                 pairs: [("db", "query"), ("db", "export"), ("fs", "read"), ("fs", "write"), ("web", "fetch")])
        try store.finishLoad()

        let count = try Self.expectPerCallRule(store.database)
        #expect(count > 30)
        let exceptionLines = Set(try store.database.query(try Self.check().exceptions).rows.compactMap { $0[1].int64 })
        func isException(_ tool: String, at ts: Int64) throws -> Bool {
            let line = try #require(try store.database.scalar("SELECT line FROM call_rows WHERE tool = ? AND ts = ?",
                                                              [.text(tool), .integer(ts)])?.int64)
            return exceptionLines.contains(line)
        }
        #expect(try isException("db.query", at: 1_299_999_999) == false)
        #expect(try isException("db.query", at: 1_300_000_000))
        #expect(try isException("db.query", at: 1_500_000_000) == false)
        #expect(try isException("db.export", at: 1_400_000_000), "an empty interval approves nothing")
        #expect(try isException("db.export", at: 1_700_000_000) == false)
        #expect(try isException("fs.read", at: start) == false)
        #expect(try isException("fs.write", at: start))
        #expect(try isException("web.fetch", at: end - 1))
        let outside = Set(try store.database.query("SELECT line FROM call_rows WHERE ts < ? OR ts >= ?", [.integer(start), .integer(end)]).rows.compactMap { $0[0].int64 })
        #expect(!outside.isEmpty && exceptionLines.isDisjoint(with: outside), "calls outside the period are not judged")
    }
}

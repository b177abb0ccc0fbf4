import Foundation
import Testing
@testable import EvidenceKit

/// `call_policy` is worked out while the calls load, by spans between version boundaries
/// (`PolicyTimeline`); it must equal the per-call rule that mappings/SCHEMA.md gives auditors, row for row.
struct CallPolicyTests {
    /// The per-call definition, read from mappings/SCHEMA.md's `call_policy` section so the rule
    /// auditors are given is the one tested.
    static func reference() throws -> String {
        let schema = try String(contentsOf: AcmeRun.packageRoot.appendingPathComponent("mappings/SCHEMA.md"), encoding: .utf8)
        let section = try #require(schema.components(separatedBy: "## `call_policy`").dropFirst().first)
        let sql = try #require(section.components(separatedBy: "```sql\n").dropFirst().first?.components(separatedBy: "```").first)
        return sql + "ORDER BY c.id"
    }

    static func expectReference(_ database: Database) throws {
        let built = try database.query("SELECT call_id, version_id FROM call_policy ORDER BY call_id").rows
        let wanted = try database.query(try Self.reference()).rows
        #expect(built.count == wanted.count)
        #expect(built == wanted)
    }

    @Test func acmeMatchesThePerCallRule() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        #expect(try store.count("call_policy") > 1000)
        #expect(try store.database.scalar("SELECT count(*) FROM call_policy WHERE version_id IS NULL")?.int64 ?? 0 > 0,
                "acme has calls with no policy in force, so the NULL spans are exercised")
        try Self.expectReference(store.database)
    }

    /// SQLite compares text as bytes, so the timeline must too: Swift's `==` would call the composed
    /// and decomposed spellings of "café" the same server.
    @Test func timelineComparesNamesAsBytesWithinThePeriod() {
        let timeline = PolicyTimeline(versions: [
            .init(id: 1, server: "caf\u{E9}", name: "query", validFrom: 0, validTo: nil),
            .init(id: 2, server: "db", name: "*", validFrom: 10, validTo: 20),
        ], period: Period(label: "test", start: 0, end: 100))
        #expect(timeline.versionID(server: "caf\u{E9}", name: "query", at: 5) == 1)
        #expect(timeline.versionID(server: "cafe\u{301}", name: "query", at: 5) == nil)
        #expect(timeline.versionID(server: "db", name: "export", at: 9) == nil)
        #expect(timeline.versionID(server: "db", name: "export", at: 10) == 2)
        #expect(timeline.versionID(server: "db", name: "export", at: 20) == nil)
        #expect(timeline.versionID(server: "db", name: "*", at: 15) == 2)
        #expect(timeline.versionID(server: "caf\u{E9}", name: "query", at: 100) == nil, "the period end is exclusive")
        #expect(timeline.versionID(server: "", name: "", at: 15) == nil)
    }

    /// Overlapping versions, a server wildcard with gaps, versions that start before or end after the
    /// period, calls on every boundary and outside the period, an unparseable version, and servers and
    /// names with dots that give two different pairs the same `tool`.
    @Test func edgeCasesMatchThePerCallRule() throws {
        let folder = try TestFolder.make("call-policy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try EvidenceStore(creatingAt: folder.appendingPathComponent("store.sqlite").path)
        let start: Int64 = 1_000_000, end: Int64 = 2_000_000
        try store.setMeta("period_start", String(start))
        try store.setMeta("period_end", String(end))

        // (server, name, from, to): ids 1... in this order.
        let versions: [(String?, String?, Int64, Int64?)] = [
            ("db", "query", 500_000, 1_200_000),     // 1: from before the period
            ("db", "query", 1_100_000, nil),         // 2: overlaps 1 and wins from 1_100_000 (later valid_from)
            ("db", "query", 1_100_000, 1_300_000),   // 3: same valid_from as 2, higher id: wins until 1_300_000
            ("db", "*", 900_000, 1_050_000),         // 4: wildcard, then a gap
            ("db", "*", 1_400_000, 2_500_000),       // 5: wildcard past the period end
            ("a", "b.c", 1_000_000, 1_500_000),      // 6: tool a.b.c as server a
            ("a.b", "*", 1_200_000, nil),            // 7: tool a.b.c as server a.b, by wildcard
            (nil, nil, 1_000_000, nil),              // 8: unparseable: governs nothing
            ("db", "export", 1_500_000, 1_500_000),  // 9: empty interval
            ("db", "export", 1_600_000, 1_500_000),  // 10: ends before it starts
        ]
        for (index, version) in versions.enumerated() {
            try store.database.prepare("""
                INSERT INTO policy_versions (id, path, tool, tool_server, tool_name, commit_sha, valid_from, valid_to, content_sha256, content, valid)
                VALUES (?, ?, NULL, ?, ?, 'c0ffee', ?, ?, 'x', '', ?)
                """).run([.integer(Int64(index + 1)), .text("policies/\(index + 1).yaml"),
                          version.0.map(SQLValue.text) ?? .null, version.1.map(SQLValue.text) ?? .null,
                          .integer(version.2), version.3.map(SQLValue.integer) ?? .null, .integer(version.0 == nil ? 0 : 1)])
        }
        let pairs: [(String, String)] = [("db", "query"), ("db", "export"), ("db", "write"), ("a", "b.c"), ("a.b", "c"), ("x.y.z", "w"), ("nopolicy", "tool")]
        try BoundaryCalls.insert(into: store.database, intervals: versions.map { (from: $0.2, to: $0.3) },
                                 extra: [0, 999_999, 1_999_999, 2_000_000, 3_000_000], pairs: pairs.map { (server: $0.0, name: $0.1) })
        // What the audit load does per call, applied to the calls inserted above.
        let timeline = PolicyTimeline(versions: versions.enumerated().compactMap { index, version in
            guard let server = version.0, let name = version.1 else { return nil }
            return PolicyTimeline.Version(id: Int64(index + 1), server: server, name: name, validFrom: version.2, validTo: version.3)
        }, period: Period(label: "test", start: start, end: end))
        let update = try store.database.prepare("UPDATE call_rows SET policy_version_id = ? WHERE id = ?")
        for row in try store.database.query("SELECT id, tool_server, tool_name, ts FROM call_rows").rows {
            let version = timeline.versionID(server: row[1].string ?? "", name: row[2].string ?? "", at: row[3].int64 ?? 0)
            try update.run([version.map(SQLValue.integer) ?? .null, row[0]])
        }
        try store.finishLoad()

        try Self.expectReference(store.database)
        func governing(_ server: String, _ name: String, at ts: Int64) throws -> SQLValue? {
            try store.database.scalar("""
                SELECT coalesce(cp.version_id, 0) FROM call_rows c LEFT JOIN call_policy cp ON cp.call_id = c.id
                WHERE c.tool_server = ? AND c.tool_name = ? AND c.ts = ?
                """, [.text(server), .text(name), .integer(ts)])
        }
        #expect(try governing("db", "query", at: 1_000_000) == .integer(1))
        #expect(try governing("db", "query", at: 1_100_000) == .integer(3))
        #expect(try governing("db", "query", at: 1_300_000) == .integer(2))
        #expect(try governing("db", "write", at: 1_000_000) == .integer(4))
        #expect(try governing("db", "write", at: 1_050_000) == .integer(0))
        #expect(try governing("db", "write", at: 1_999_999) == .integer(5))
        #expect(try governing("a", "b.c", at: 1_200_000) == .integer(6))
        #expect(try governing("a.b", "c", at: 1_200_000) == .integer(7))
        #expect(try governing("a.b", "c", at: 1_199_999) == .integer(0))
        #expect(try governing("db", "export", at: 1_500_000) == .integer(5), "an empty interval governs nothing; the wildcard does")
        func rows(at ts: Int64) throws -> Int64? {
            try store.database.scalar("SELECT count(*) FROM call_rows c JOIN call_policy cp ON cp.call_id = c.id WHERE c.ts = ?", [.integer(ts)])?.int64
        }
        #expect(try rows(at: 999_999) == 0, "a call before the period has no row")
        #expect(try rows(at: 2_000_000) == 0, "the period end is exclusive")
        #expect(try rows(at: 1_999_999) == Int64(pairs.count))
        let rows = try store.count("call_policy")
        #expect(rows == Int(try store.database.scalar("SELECT count(*) FROM calls_in_period")?.int64 ?? -1))
    }
}

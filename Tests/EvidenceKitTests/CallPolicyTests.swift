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

    /// A log naming more distinct tools than the cache holds: answers stay right when it is emptied.
    @Test func answersSurviveTheCacheBeingEmptied() {
        let timeline = PolicyTimeline(versions: [
            .init(id: 1, server: "db", name: "*", validFrom: 0, validTo: 50),
            .init(id: 2, server: "db", name: "tool-3", validFrom: 10, validTo: nil),
        ], period: Period(label: "test", start: 0, end: 100), cacheLimit: 2)
        for round in 0..<3 {
            for k in 0..<7 {
                let name = "tool-\(k)"
                #expect(timeline.versionID(server: "db", name: name, at: 5) == 1, "round \(round), \(name)")
                #expect(timeline.versionID(server: "db", name: name, at: 20) == (k == 3 ? 2 : 1), "round \(round), \(name)")
                #expect(timeline.versionID(server: "db", name: name, at: 60) == (k == 3 ? 2 : nil), "round \(round), \(name)")
                #expect(timeline.versionID(server: "other", name: name, at: 20) == nil, "round \(round), \(name)")
            }
        }
    }

    /// Overlapping versions, a server wildcard with gaps, versions that start before or end after the
    /// period, calls on every boundary and outside the period, an unparseable version, and servers and
    /// names with dots that give two different pairs the same `tool`.
    typealias Version = (server: String?, name: String?, from: Int64, to: Int64?)

    /// A store holding `versions` (ids from 1, in order; a nil server is an unparseable version) and
    /// calls on and around every boundary of them and at `extra`, for each pair, each stored with the
    /// version the audit load's `PolicyTimeline` gives it, as `Ingestor` does.
    static func makeStore(_ path: String, period: Period, versions: [Version], extra: [Int64],
                          pairs: [(server: String, name: String)]) throws -> EvidenceStore {
        let store = try EvidenceStore(creatingAt: path)
        try store.setMeta("period_start", String(period.start))
        try store.setMeta("period_end", String(period.end))
        for (index, version) in versions.enumerated() {
            try store.database.prepare("""
                INSERT INTO policy_versions (id, path, tool, tool_server, tool_name, commit_sha, valid_from, valid_to, content_sha256, content, valid)
                VALUES (?, ?, NULL, ?, ?, 'c0ffee', ?, ?, 'x', '', ?)
                """).run([.integer(Int64(index + 1)), .text("policies/\(index + 1).yaml"),
                          version.server.map(SQLValue.text) ?? .null, version.name.map(SQLValue.text) ?? .null,
                          .integer(version.from), version.to.map(SQLValue.integer) ?? .null, .integer(version.server == nil ? 0 : 1)])
        }
        try BoundaryCalls.insert(into: store.database, intervals: versions.map { (from: $0.from, to: $0.to) }, extra: extra, pairs: pairs)
        let timeline = PolicyTimeline(versions: versions.enumerated().compactMap { index, version in
            guard let server = version.server, let name = version.name else { return nil }
            return PolicyTimeline.Version(id: Int64(index + 1), server: server, name: name, validFrom: version.from, validTo: version.to)
        }, period: period)
        let update = try store.database.prepare("UPDATE call_rows SET policy_version_id = ? WHERE id = ?")
        for row in try store.database.query("SELECT id, tool_server, tool_name, ts FROM call_rows").rows {
            let version = timeline.versionID(server: row[1].string ?? "", name: row[2].string ?? "", at: row[3].int64 ?? 0)
            try update.run([version.map(SQLValue.integer) ?? .null, row[0]])
        }
        try store.finishLoad()
        return store
    }

    /// Overlapping versions, a server wildcard with gaps, versions that start before or end after the
    /// period, calls on every boundary and outside the period, an unparseable version, and servers and
    /// names with dots that give two different pairs the same `tool`.
    @Test func edgeCasesMatchThePerCallRule() throws {
        let folder = try TestFolder.make("call-policy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let start: Int64 = 1_000_000, end: Int64 = 2_000_000
        // Ids 1... in this order.
        let versions: [Version] = [
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
        let pairs: [(server: String, name: String)] = [("db", "query"), ("db", "export"), ("db", "write"), ("a", "b.c"), ("a.b", "c"), ("x.y.z", "w"), ("nopolicy", "tool")]
        let store = try Self.makeStore(folder.appendingPathComponent("store.sqlite").path, period: Period(label: "test", start: start, end: end),
                                       versions: versions, extra: [0, 999_999, 1_999_999, 2_000_000, 3_000_000], pairs: pairs)

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

    /// Random histories (overlaps, shared starts, open, empty and inverted intervals, wildcards,
    /// dotted names, unparseable versions), 40 of them from a fixed seed, each compared with the
    /// per-call SQL on calls at every boundary. Few servers, names and instants, so versions of the
    /// same pair often start together and the tie-break by id is exercised.
    @Test func randomHistoriesMatchThePerCallRule() throws {
        let folder = try TestFolder.make("call-policy-random")
        defer { try? FileManager.default.removeItem(at: folder) }
        var random = SplitMix64(state: 0xCA11_9011C)
        let servers = ["db", "a", "a.b"], names = ["query", "export", "*", "b.c", "c"]
        let pairs = servers.flatMap { server in names.map { (server: server, name: $0) } }
        let times: [Int64] = [0, 100, 200, 300, 400, 500, 600]
        for round in 0..<40 {
            let versions: [Version] = (0..<(2 + random.below(10))).map { _ in
                let from = random.pick(times)
                let to: Int64? = random.chance(30) ? nil : from + random.pick([-100, 0, 100, 200, 400])
                return random.chance(10) ? (nil, nil, from, to)
                    : (random.pick(["db", "db", "a", "a.b"]), random.pick(["query", "query", "*", "b.c", "c"]), from, to)
            }
            let store = try Self.makeStore(folder.appendingPathComponent("store-\(round).sqlite").path,
                                           period: Period(label: "test", start: 100, end: 500), versions: versions, extra: times, pairs: pairs)
            try Self.expectReference(store.database)
        }
    }
}

@testable import EvidenceKit

/// Calls for the tests that compare a table or check built by spans with its per-call rule: one call
/// per (server, name) pair at every instant where an interval starts or ends, a millisecond either
/// side of it, and at the `extra` instants. Lines are numbered in time, then pair order.
enum BoundaryCalls {
    static func insert(into database: Database, intervals: [(from: Int64, to: Int64?)], extra: [Int64],
                       pairs: [(server: String, name: String)]) throws {
        var times = extra
        for interval in intervals {
            times += [interval.from - 1, interval.from, interval.from + 1] + (interval.to.map { [$0 - 1, $0, $0 + 1] } ?? [])
        }
        let insert = try database.prepare("""
            INSERT INTO call_rows (file_id, line, ts, time, session_id, user_id, agent_id, tool_server, tool_name, tool,
                                   dlp_result, policy_decision, latency_ms, data_classification, correlation_id)
            VALUES (1, ?, ?, 't', 's', 'u', 'a', ?, ?, ?, 'clean', 'allow', 1, 'internal', 'c')
            """)
        var line: Int64 = 0
        for ts in Set(times).sorted() {
            for (server, name) in pairs {
                line += 1
                try insert.run([.integer(line), .integer(ts), .text(server), .text(name), .text(server + "." + name)])
            }
        }
    }
}

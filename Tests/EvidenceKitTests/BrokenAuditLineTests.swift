import Foundation
import Testing
@testable import EvidenceKit

/// Fifty-two kinds of broken audit line, each between two good ones: every one is reported at its own
/// line, none crashes, and every good record around it is still loaded.
struct BrokenAuditLineTests {
    static let good = MiniOrg.call("2026-07-01T09:00:00Z")

    static func replacing(_ old: String, _ new: String) -> String {
        good.replacingOccurrences(of: old, with: new)
    }

    static func removing(_ key: String) -> String {
        // Drops `"key":value,` from the flat record; values in the template hold no commas.
        var text = good
        guard let range = text.range(of: "\"\(key)\":") else { return text }
        let rest = text[range.upperBound...]
        if let comma = rest.firstIndex(of: ",") {
            text.removeSubrange(range.lowerBound...comma)
        } else {
            // The last field: take the comma before it instead, so no trailing comma is left.
            text.removeSubrange(text.index(before: range.lowerBound)..<text.index(before: text.endIndex))
        }
        return text
    }

    /// (what is broken, the line, the field the error must name or nil)
    static let cases: [(String, String, String?)] = [
        ("empty line", "", nil),
        ("whitespace only", "   ", nil),
        ("truncated object", String(good.prefix(40)), nil),
        ("missing closing brace", String(good.dropLast()), nil),
        ("trailing comma", String(good.dropLast()) + ",}", nil),
        ("two objects", good + good, nil),
        ("array at top level", "[" + good + "]", nil),
        ("string at top level", "\"hello\"", nil),
        ("number at top level", "42", nil),
        ("null at top level", "null", nil),
        ("single quotes", good.replacingOccurrences(of: "\"", with: "'"), nil),
        ("unquoted key", replacing("\"session_id\":", "session_id:"), nil),
        ("comment", good + " // note", nil),
        ("NaN number", replacing("\"latency_ms\":12", "\"latency_ms\":NaN"), nil),
        ("leading zero number", replacing("\"latency_ms\":12", "\"latency_ms\":012"), nil),
        ("plus sign number", replacing("\"latency_ms\":12", "\"latency_ms\":+12"), nil),
        ("invalid escape", replacing("\"s1\"", "\"s\\x1\""), nil),
        ("lone surrogate escape", replacing("\"s1\"", "\"\\ud800\""), nil),
        ("raw control character", replacing("\"s1\"", "\"s\u{01}1\""), nil),
        ("NUL byte", replacing("\"s1\"", "\"s\u{00}1\""), nil),
        ("byte order mark", "\u{FEFF}" + good, nil),
        ("duplicate key", String(good.dropLast()) + ",\"user_id\":\"u9\"}", nil),
        ("deep nesting", String(good.dropLast()) + ",\"x\":" + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "}", nil),
        ("missing timestamp", removing("timestamp"), "timestamp"),
        ("missing session_id", removing("session_id"), "session_id"),
        ("missing user_id", removing("user_id"), "user_id"),
        ("missing agent_id", removing("agent_id"), "agent_id"),
        ("missing tool_server", removing("tool_server"), "tool_server"),
        ("missing tool_name", removing("tool_name"), "tool_name"),
        ("missing arguments_hash", removing("arguments_hash"), "arguments_hash"),
        ("missing response_hash", removing("response_hash"), "response_hash"),
        ("missing dlp_result", removing("dlp_result"), "dlp_result"),
        ("missing policy_decision", removing("policy_decision"), "policy_decision"),
        ("missing latency_ms", removing("latency_ms"), "latency_ms"),
        ("missing data_classification", removing("data_classification"), "data_classification"),
        ("missing correlation_id", removing("correlation_id"), "correlation_id"),
        ("timestamp without zone", replacing("2026-07-01T09:00:00Z", "2026-07-01T09:00:00"), "timestamp"),
        ("timestamp out of range", replacing("2026-07-01T09:00:00Z", "2026-02-30T09:00:00Z"), "timestamp"),
        ("timestamp as number", replacing("\"2026-07-01T09:00:00Z\"", "1782896400"), "timestamp"),
        ("user_id as number", replacing("\"user_id\":\"u1\"", "\"user_id\":1"), "user_id"),
        ("latency as string", replacing("\"latency_ms\":12", "\"latency_ms\":\"12\""), "latency_ms"),
        ("negative latency", replacing("\"latency_ms\":12", "\"latency_ms\":-1"), "latency_ms"),
        ("unknown decision", replacing("\"allow\"", "\"maybe\""), "policy_decision"),
        ("unknown dlp result", replacing("\"clean\"", "\"dirty\""), "dlp_result"),
        ("unknown classification", replacing("\"internal\"", "\"secret\""), "data_classification"),
        ("empty tool_server", replacing("\"tool_server\":\"db\"", "\"tool_server\":\"\""), "tool_server"),
        ("seq as string", String(good.dropLast()) + ",\"seq\":\"7\"}", "seq"),
        ("negative seq", String(good.dropLast()) + ",\"seq\":-3}", "seq"),
        ("fractional seq", String(good.dropLast()) + ",\"seq\":1.5}", "seq"),
        ("prev_hash as object", String(good.dropLast()) + ",\"prev_hash\":{\"a\":1}}", "prev_hash"),
        ("NUL escape in tool_name", replacing("\"tool_name\":\"query\"", "\"tool_name\":\"query\\u0000drop_all\""), "tool_name"),
        ("NUL escape in an optional field", String(good.dropLast()) + ",\"environment\":\"prod\\u0000\"}", "environment"),
    ]

    @Test func fiftyTwoKindsOfBrokenLineAreEachReported() throws {
        #expect(Self.cases.count == 52)
        var lines: [String] = []
        var expected: [(line: Int, field: String?, name: String)] = []
        for (name, broken, field) in Self.cases {
            lines.append(Self.good)
            lines.append(broken)
            expected.append((lines.count, field, name))
        }
        lines.append(Self.good)
        let org = try MiniOrg(auditLines: lines)
        defer { org.remove() }
        let (summary, store) = try org.ingest()

        #expect(try store.count("calls") == Self.cases.count + 1)
        let errors = try store.database.query("SELECT line, field, message FROM input_errors WHERE input = 'audit' ORDER BY line").rows
        #expect(errors.count == Self.cases.count)
        for (row, want) in zip(errors, expected) {
            #expect(row[0] == .integer(Int64(want.line)), "\(want.name)")
            #expect(row[1].string == want.field, "\(want.name): \(row[2])")
            #expect(!(row[2].string ?? "").isEmpty, "\(want.name)")
        }
        let audit = try #require(summary.files.first { $0.input == "audit" })
        #expect(audit.recordsRead == lines.count)
        #expect(audit.recordsRejected == Self.cases.count)
    }

    @Test func aLineAboveTheLimitIsReportedAndTheNextLineStillLoads() throws {
        let huge = String(Self.good.dropLast()) + ",\"pad\":\"" + String(repeating: "x", count: 17 << 20) + "\"}"
        let org = try MiniOrg(auditLines: [Self.good, huge, Self.good])
        defer { org.remove() }
        let (summary, store) = try org.ingest()
        #expect(try store.count("calls") == 2)
        #expect(summary.errors.count == 1)
        #expect(summary.errors.first?.line == 2)
        #expect(summary.errors.first?.message.contains("exceeds") == true)
    }

}

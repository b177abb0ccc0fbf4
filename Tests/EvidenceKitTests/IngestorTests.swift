import Foundation
import Testing
@testable import EvidenceKit

struct IngestorTests {
    @Test func loadsEveryValidRecordAndLocatesEveryBadOne() throws {
        var lines = try MiniOrg.chained([
            MiniOrg.call("2026-07-01T09:00:00.000Z"),
            MiniOrg.call("2026-07-01T10:00:00.000Z", user: "u4", extra: ",\"client_version\":\"1.2\""),
            MiniOrg.call("2026-07-02T09:00:00.000Z", decision: "deny"),
        ])
        lines.insert("{\"timestamp\":\"2026-07-01T09:30:00Z\",", at: 1)  // truncated JSON, line 2
        lines.append(MiniOrg.call("2026-07-03T09:00:00Z").replacingOccurrences(of: "\"latency_ms\":12", with: "\"latency_ms\":\"12\""))
        let org = try MiniOrg(auditLines: lines)
        defer { org.remove() }
        let (summary, store) = try org.ingest()

        #expect(try store.count("calls") == 3)
        #expect(summary.errorCount == 2)
        #expect(summary.errors.map(\.description) == [
            "audit/gateway.jsonl:2: malformed JSON at column 37: expected '\"' to open the key after the value of key \"timestamp\", found end of line",
            "audit/gateway.jsonl:5: field 'latency_ms': expected a number, found a string",
        ])
        #expect(summary.errors.map { "\($0.file):\($0.line):\($0.field ?? "-")" } == ["audit/gateway.jsonl:2:-", "audit/gateway.jsonl:5:latency_ms"])
        let audit = try #require(summary.files.first { $0.input == "audit" })
        #expect(audit.recordsRead == 5)
        #expect(audit.recordsRejected == 2)
        let fileData = try Data(contentsOf: org.root.appendingPathComponent("audit/gateway.jsonl"))
        #expect(audit.sha256 == (try SHA256.hex(of: fileData)))
        #expect(audit.bytes == Int64(fileData.count))

        // The extra field is kept, sorted, as JSON.
        #expect(try store.database.scalar("SELECT extra FROM calls WHERE line = 3") == .text("{\"client_version\":\"1.2\"}"))
        #expect(try store.database.scalar("SELECT tool FROM calls WHERE line = 1") == .text("db.query"))
        #expect(try store.database.scalar("SELECT count(*) FROM calls WHERE response_hash IS NULL") == .integer(1))
    }

    @Test func hashChainFlagsTheRecordAfterAnEdit() throws {
        var lines = try MiniOrg.chained((0..<5).map { MiniOrg.call("2026-07-01T0\($0):00:00Z") })
        lines[2] = lines[2].replacingOccurrences(of: "\"user_id\":\"u1\"", with: "\"user_id\":\"u2\"")  // tampered after chaining
        let org = try MiniOrg(auditLines: lines)
        defer { org.remove() }
        let (_, store) = try org.ingest()
        let rows = try store.database.query("SELECT line, chain_ok FROM calls ORDER BY line").rows
        #expect(rows.map { $0[1] } == [.integer(1), .integer(1), .integer(1), .integer(0), .integer(1)])
        let expected = "sha256:" + (try SHA256.hex(of: Data(lines[2].utf8)))
        #expect(try store.database.scalar("SELECT chain_expected FROM calls WHERE line = 4") == .text(expected))
    }

    @Test func tablesMatchTheApprovalDirectoryAndPolicyInputs() throws {
        let org = try MiniOrg(auditLines: [MiniOrg.call("2026-07-01T09:00:00Z")])
        defer { org.remove() }
        let (summary, store) = try org.ingest()
        #expect(summary.errorCount == 0, "\(summary.errors)")
        #expect(try store.count("tool_events") == 5)
        #expect(try store.count("tools") == 2)
        #expect(try store.count("approvals") == 2)
        #expect(try store.count("people") == 4)
        #expect(try store.count("person_roles") == 5)
        #expect(try store.count("policy_commits") == 2)
        #expect(try store.count("policy_versions") == 2)
        #expect(try store.count("policy_reviews") == 1)
        #expect(try store.database.scalar("SELECT name FROM people WHERE user_id = 'u1'") == .text("Lee \"Jay\" Park"))
        #expect(try store.database.scalar("SELECT valid_to FROM approvals WHERE tool = 'slack.post'") == .integer(Timestamp.parse("2026-08-01T00:00:00Z")!))
        #expect(try store.database.scalar("SELECT valid_to FROM approvals WHERE tool = 'db.query'") == .integer(Timestamp.parse("2027-01-01T00:00:00Z")!))
        // The second policy version replaces the first at its commit time.
        let versions = try store.database.query("SELECT valid_from, valid_to, group_concat(role) FROM policy_versions JOIN policy_version_roles ON version_id = id GROUP BY id ORDER BY valid_from").rows
        let change = Timestamp.parse("2026-08-01T12:00:00Z")!
        #expect(versions == [
            [.integer(Timestamp.parse("2026-06-01T00:00:00Z")!), .integer(change), .text("engineer,security")],
            [.integer(change), .null, .text("security")],
        ])
        #expect(try store.database.scalar("SELECT pr_number || ' ' || reason FROM policy_commits WHERE in_period = 1") == .text("7 least privilege"))
    }
}

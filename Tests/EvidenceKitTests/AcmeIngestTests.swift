import Foundation
import Testing
@testable import EvidenceKit

/// `validate` on examples/acme reports exactly the planted malformed inputs and loads everything else.
struct AcmeIngestTests {
    @Test func reportsExactlyThePlantedMalformedInputs() throws {
        let acme = try AcmeRun.get()
        #expect(acme.summary.errors.map { "\($0.file):\($0.line):\($0.field ?? "-")" } == [
            "audit/gateway-2026-07.jsonl:469:-",
            "audit/gateway-2026-08.jsonl:375:latency_ms",
            "audit/gateway-2026-08.jsonl:1089:timestamp",
            "audit/gateway-2026-09.jsonl.gz:1197:policy_decision",
            "approvals.jsonl:63:event",
            "directory.csv:184:status",
        ])
    }

    @Test func rowCountsEqualTheValidInputRecords() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let audit = acme.summary.files.filter { $0.input == "audit" }
        // 1577 + 1531 + 1435 lines (PLANTED.md), 4 of them rejected.
        #expect(audit.map(\.recordsRead) == [1577, 1531, 1435])
        #expect(try store.count("calls") == 4543 - 4)
        #expect(try store.count("tool_events") == 83 - 1)
        #expect(try store.count("people") == 300 - 1)
        #expect(try store.count("policy_reviews") == 14)
        #expect(try store.count("policy_commits") == 17)
        for file in acme.summary.files where file.input != "policies" {
            let data = try Data(contentsOf: URL(fileURLWithPath: acme.config.baseDirectory).appendingPathComponent(file.path))
            #expect(file.bytes == Int64(data.count), "\(file.path)")
            #expect(file.sha256 == (try SHA256.hex(of: data)), "\(file.path)")
        }
        // Every record is either loaded or rejected: nothing in between.
        let loaded = try store.count("calls") + store.count("tool_events") + store.count("people") + store.count("policy_reviews")
        let read = acme.summary.files.filter { $0.input != "policies" }.reduce(0) { $0 + $1.recordsRead }
        #expect(loaded + acme.summary.errorCount == read)
    }

    /// The policy history is parsed before the audit logs (their calls need its versions) but stored
    /// after the other inputs, as it always was: `input_files` and `input_errors` keep their order.
    @Test func policiesAreStoredLastThoughParsedFirst() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let inputs = try store.database.query("SELECT input FROM input_files ORDER BY id").rows.map { $0[0].string ?? "" }
        #expect(inputs == ["audit", "audit", "audit", "approvals", "directory", "reviews", "policies"])
        let errorInputs = try store.database.query("SELECT input FROM input_errors ORDER BY id").rows.map { $0[0].string ?? "" }
        #expect(errorInputs == errorInputs.sorted { (inputs.firstIndex(of: $0) ?? 0) < (inputs.firstIndex(of: $1) ?? 0) })
        #expect(Set(errorInputs).count >= 2, "acme has rejected records in several inputs")
        #expect(acme.summary.indexSeconds > 0)
    }

    /// The policy repository's hash is a SHA-256 like every other input's, of the policy file versions
    /// read in order, and its size is theirs; the branch head is recorded on its own.
    @Test func thePolicyRepositoryHashIsOfTheVersionsRead() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let row = try #require(try store.database.query("SELECT bytes, sha256 FROM input_files WHERE input = 'policies'").rows.first)
        let contents = try store.database.query("SELECT content FROM policy_versions ORDER BY id").rows.map { Data(($0[0].string ?? "").utf8) }
        #expect(contents.count == 23)
        // Recomputed as ManifestInput.sha256 tells an auditor to, from the store.
        let lines = try store.database.query("SELECT commit_sha || ' ' || path || ' ' || content_sha256 FROM policy_versions ORDER BY id")
            .rows.map { ($0[0].string ?? "") + "\n" }.joined()
        #expect(row[1].string == (try SHA256.hex(of: Data(lines.utf8))))
        #expect(row[0].int64 == Int64(contents.reduce(0) { $0 + $1.count }))
        #expect(acme.summary.policyHead?.count == 40)
        #expect(row[1].string != acme.summary.policyHead)
    }
}

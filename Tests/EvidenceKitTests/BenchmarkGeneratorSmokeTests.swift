import Foundation
import Testing
@testable import EvidenceKit

/// The benchmark generator (`Benchmarks/generate.py`) at 1,000 records: its output is a valid
/// organisation that ingest reads with exactly the counts the generator reports in counts.json, and
/// the checks find exactly the violations it planted. The benchmark itself never runs in tests.
@Suite(.enabled(if: ExternalTool.path("python3") != nil, "python3 is not on PATH, so the benchmark generator cannot run"))
struct BenchmarkGeneratorSmokeTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The part of counts.json the test compares with.
    struct Counts: Decodable {
        struct AuditFile: Decodable {
            var path: String
            var lines: Int
        }

        var audit_lines: Int
        var audit_files: [AuditFile]
        var calls_valid: Int
        var rejected: [String: Int]
        var rejected_total: Int
        var people: Int
        var expected_exceptions: [String: Int]
    }

    @Test func generatedOrganisationIngestsWithTheReportedCounts() throws {
        let python3 = try #require(ExternalTool.path("python3"))
        let work = try TestFolder.make("bench-smoke")
        defer { try? FileManager.default.removeItem(at: work) }
        let org = work.appendingPathComponent("org")
        // The generator also builds policy-repo/ with examples/acme/build-policy-repo.sh.
        try ExternalTool.run(python3, [Self.packageRoot.appendingPathComponent("Benchmarks/generate.py").path,
                                          "--records", "1000", "--out", org.path])
        let counts = try JSONDecoder().decode(Counts.self, from: Data(contentsOf: org.appendingPathComponent("counts.json")))
        #expect(counts.audit_lines == 1000)
        #expect(counts.calls_valid + (counts.rejected["audit"] ?? -1) == 1000)

        let config = try EvidenceConfig.load(path: org.appendingPathComponent("evidence.yaml").path)
        let storePath = work.appendingPathComponent("evidence.sqlite").path
        let summary = try Ingestor(config: config).ingest(into: try EvidenceStore(creatingAt: storePath))

        let audit = summary.files.filter { $0.input == "audit" }
        #expect(audit.map(\.path) == counts.audit_files.map(\.path))
        #expect(audit.map(\.recordsRead) == counts.audit_files.map(\.lines))
        #expect(summary.tableCounts["calls"] == counts.calls_valid)
        #expect(summary.tableCounts["people"] == counts.people - (counts.rejected["directory"] ?? 0))
        for input in ["audit", "approvals", "directory"] {
            let rejected = summary.perInput.first { $0.input == input }?.rejected
            #expect(rejected == counts.rejected[input], "\(input)")
        }
        #expect(summary.errorCount == counts.rejected_total, "input errors: \(summary.errors.map(\.description))")

        let store = try EvidenceStore(readingAt: storePath)
        let runner = CheckRunner(store: store, periodLabel: config.period.label)
        let checks = try CheckDefinition.loadAll(folder: Self.packageRoot.appendingPathComponent("mappings/checks").path)
        for (id, expected) in counts.expected_exceptions.sorted(by: { $0.key < $1.key }) {
            let check = try #require(checks.first { $0.id == id }, "no check \(id)")
            let result = runner.run(check)
            #expect(result.status != .error, "\(id) errored: \(result.errorMessage ?? "")")
            #expect(result.exceptionCount == expected, "\(id): \(result.exceptionCount) exceptions, \(expected) planted")
        }
    }
}

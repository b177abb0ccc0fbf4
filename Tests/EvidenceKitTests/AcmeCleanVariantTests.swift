import Foundation
import Testing
@testable import EvidenceKit

/// The clean variant of the Acme example (`examples/acme/generate.py --clean OUTDIR`): the same
/// organisation and distributions with no planted violation. Every check, control and observation
/// alike, must test a non-empty population and find nothing, and ingest must reject no record —
/// so a check that flags compliant data shows up here.
@Suite(.enabled(if: ExternalTool.path("python3") != nil, "python3 is not on PATH, so the clean Acme variant cannot be generated"))
struct AcmeCleanVariantTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyCheckFindsNothingInTheCleanVariant() throws {
        let python3 = try #require(ExternalTool.path("python3"))
        let work = try TestFolder.make("acme-clean")
        defer { try? FileManager.default.removeItem(at: work) }
        let example = work.appendingPathComponent("acme")

        try ExternalTool.run(python3, [Self.packageRoot.appendingPathComponent("examples/acme/generate.py").path, "--clean", example.path])
        try ExternalTool.run("/bin/sh", [example.appendingPathComponent("build-policy-repo.sh").path, example.appendingPathComponent("policy-repo").path])

        let config = try EvidenceConfig.load(path: example.appendingPathComponent("evidence.yaml").path)
        let storePath = work.appendingPathComponent("evidence.sqlite").path
        let summary = try Ingestor(config: config).ingest(into: try EvidenceStore(creatingAt: storePath))
        #expect(summary.errorCount == 0, "input errors: \(summary.errors.map(\.description))")
        #expect(Set(summary.files.map(\.input)) == ["audit", "approvals", "directory", "policies", "reviews"])

        let store = try EvidenceStore(readingAt: storePath)
        let runner = CheckRunner(store: store, periodLabel: config.period.label)
        let checks = try CheckDefinition.loadAll(folder: Self.packageRoot.appendingPathComponent("mappings/checks").path)
        #expect(Set(checks.map(\.kind)) == Set(CheckDefinition.Kind.allCases))
        for check in checks {
            let result = runner.run(check)
            #expect(result.status != .error, "\(check.id) errored: \(result.errorMessage ?? "")")
            #expect(result.exceptionCount == 0, "\(check.id) (\(check.kind.rawValue)) flagged \(result.exceptionCount): \(Self.describe(result))")
            #expect(result.populationCount > 0, "\(check.id) tested nothing, so finding nothing proves nothing")
        }
    }

    /// The first exception rows as `column=value` lists, for the failure message.
    static func describe(_ result: CheckResult) -> String {
        result.firstExceptions.prefix(5).map { row in
            zip(result.exceptionColumns, row).map { "\($0)=\($1.description)" }.joined(separator: " ")
        }.joined(separator: " | ")
    }
}

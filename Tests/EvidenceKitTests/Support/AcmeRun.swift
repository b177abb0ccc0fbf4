import Foundation
@testable import EvidenceKit

/// The example organisation ingested once per test process and shared, read-only, by the tests
/// that assert what the checks find in it.
enum AcmeRun {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Loaded: Sendable {
        let storePath: String
        let summary: IngestSummary
        let config: EvidenceConfig
    }

    /// Copies examples/acme's inputs and config into a new `TestFolder` (removed with the process's
    /// test root) and builds its policy repository there; returns the path of the copy's `evidence.yaml`.
    static func freshCopy() throws -> String {
        let work = try TestFolder.make("acme")
        let example = packageRoot.appendingPathComponent("examples/acme")
        for name in ["audit", "approvals.jsonl", "directory.csv", "pr-reviews.jsonl", "evidence.yaml"] {
            try FileManager.default.copyItem(at: example.appendingPathComponent(name), to: work.appendingPathComponent(name))
        }
        try ExternalTool.run("/bin/sh", [example.appendingPathComponent("build-policy-repo.sh").path, work.appendingPathComponent("policy-repo").path])
        return work.appendingPathComponent("evidence.yaml").path
    }

    /// Builds the policy repository into a temporary copy of examples/acme and ingests it.
    static let loaded: Result<Loaded, Error> = Result {
        let configPath = try freshCopy()
        let work = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        let config = try EvidenceConfig.load(path: configPath)
        let storePath = work.appendingPathComponent("evidence.sqlite").path
        let store = try EvidenceStore(creatingAt: storePath)
        let summary = try Ingestor(config: config).ingest(into: store)
        return Loaded(storePath: storePath, summary: summary, config: config)
    }

    static func get() throws -> Loaded { try loaded.get() }

    /// The check `mappings/checks/<id>.yaml` as shipped, for tests that run or compare one check.
    static func shippedCheck(_ id: String) throws -> CheckDefinition {
        try CheckDefinition.load(path: packageRoot.appendingPathComponent("mappings/checks/\(id).yaml").path, display: "checks/\(id).yaml")
    }
}

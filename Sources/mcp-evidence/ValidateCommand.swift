import EvidenceKit
import Foundation

/// `mcp-evidence validate`: read every input and report what was loaded and what was rejected.
enum ValidateCommand: Command {
    static let spec = CommandSpec(
        name: "validate",
        abstract: "Read every input, print counts per input and every rejected record.",
        discussion: "Exits with 1 when any record was rejected, so CI can gate on input quality before a build.",
        positionals: [],
        options: [
            .init(name: "config", valueName: "path", help: "The configuration file.", defaultValue: "evidence.yaml"),
            .init(name: "period", valueName: "period", help: "Override the period: 2026-Q3, 2026-07, 2026 or 2026-07-01..2026-09-30.", defaultValue: nil),
            .init(name: "quiet", valueName: nil, help: "Print no progress.", defaultValue: nil),
        ])

    static func run(_ arguments: ParsedArguments) throws -> ExitCode {
        Console.quiet = arguments.flag("quiet")
        let config = try RunSetup.loadConfig(arguments, spec: spec)
        let scratch = try ScratchFolder.create()
        defer { scratch.remove() }
        let store = try EvidenceStore(creatingAt: scratch.url.appendingPathComponent("evidence.sqlite").path)
        var ingestor = Ingestor(config: config)
        ingestor.progress = Console.progress
        let summary = try ingestor.ingest(into: store)
        print(IngestReport.render(summary, config: config), terminator: "")
        return summary.errorCount == 0 ? .success : .failure
    }
}

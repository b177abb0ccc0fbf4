import EvidenceKit
import Foundation

/// `mcp-evidence build`: ingest, check and write the sealed evidence bundle.
enum BuildCommand: Command {
    static let spec = CommandSpec(
        name: "build",
        abstract: "Build the evidence bundle for one audit period.",
        discussion: nil,
        positionals: [],
        options: [
            .init(name: "config", valueName: "path", help: "The configuration file.", defaultValue: "evidence.yaml"),
            .init(name: "period", valueName: "period", help: "Override the period: 2026-Q3, 2026-07, 2026 or 2026-07-01..2026-09-30.", defaultValue: nil),
            .init(name: "out", valueName: "dir", help: "Write the bundle under this folder instead of the config's output.", defaultValue: nil),
            .init(name: "key", valueName: "pem", help: "Sign with this Ed25519 private key instead of the config's signing.key.", defaultValue: nil),
            .init(name: "as-of", valueName: "time", help: "Fix the bundle's generation time (RFC 3339); defaults to SOURCE_DATE_EPOCH, else now.", defaultValue: nil),
            .init(name: "strict", valueName: nil, help: "Fail (exit 1) when any input record is rejected.", defaultValue: nil),
            .init(name: "keep-db", valueName: nil, help: "Ship the evidence store as data/evidence.sqlite for re-performance.", defaultValue: nil),
            .init(name: "force", valueName: nil, help: "Replace an existing bundle of the same name.", defaultValue: nil),
            .init(name: "mappings", valueName: "dir", help: "Checks and frameworks folder (default: the shipped mappings/).", defaultValue: nil),
            .init(name: "fail-on-exceptions", valueName: nil, help: "Exit with 4 when any control has exceptions or errors (for CI gates).", defaultValue: nil),
            .init(name: "quiet", valueName: nil, help: "Print no progress.", defaultValue: nil),
        ])

    static func run(_ arguments: ParsedArguments) throws -> ExitCode {
        Console.quiet = arguments.flag("quiet")
        let config = try RunSetup.loadConfig(arguments, spec: spec)
        var options = EvidenceBuild.Options()
        options.outputFolder = arguments["out"]
        options.keyPath = arguments["key"]
        options.asOf = try RunSetup.asOf(arguments)
        options.strict = arguments.flag("strict")
        options.keepDatabase = arguments.flag("keep-db")
        options.force = arguments.flag("force")
        options.mappingsFolder = arguments["mappings"]
        let status = try build(config: config, options: options, failOnExceptions: arguments.flag("fail-on-exceptions"))
        return status
    }

    /// Runs a build and prints its account; shared with `demo`.
    static func build(config: EvidenceConfig, options: EvidenceBuild.Options, failOnExceptions: Bool = false) throws -> ExitCode {
        var build = EvidenceBuild(config: config, options: options)
        build.progress = Console.progress
        let outcome = try build.run()
        // MCP_EVIDENCE_TIMINGS=1 prints the stage times even with --quiet, for Benchmarks/run.sh.
        let timings = ProcessInfo.processInfo.environment["MCP_EVIDENCE_TIMINGS"] == "1"
        if timings || !Console.quiet {
            for (stage, seconds) in outcome.stageSeconds {
                FileHandle.standardError.write(Data("\(stage): \(String(format: "%.2f", seconds)) s\n".utf8))
                if stage == "ingest" {
                    // Part of the ingest, on a line of its own so Benchmarks/run.sh can tell the load from the indexes.
                    FileHandle.standardError.write(Data("indexes: \(String(format: "%.2f", outcome.summary.indexSeconds)) s (of the ingest)\n".utf8))
                }
            }
        }
        print(IngestReport.render(outcome.summary, config: config), terminator: "")
        print(ControlMatrix.render(outcome), terminator: "")
        print("")
        // stdout is buffered and stderr is not: flush first, so a warning never lands inside a table in a
        // CI log that captures both.
        fflush(nil)
        for warning in outcome.warnings { Console.warning(warning) }
        print("Bundle: \(outcome.bundle.path)")
        if let keyID = outcome.keyID {
            print("Signed with Ed25519 key \(keyID)")
            print("Verify: mcp-evidence verify '\(outcome.bundle.path)' --key '\(publicKeyPath(config: config, options: options))'")
        } else {
            Console.warning("the bundle is UNSIGNED: no signing key was configured (signing.key) or given (--key); its integrity can be checked with sha256sum but not its origin")
        }
        if failOnExceptions && outcome.controls.contains(where: { $0.status == .exceptions || $0.status == .error }) {
            return .exceptionsFound
        }
        return .success
    }

    /// Where keygen put the public half of the signing key (`PREFIX.pem` → `PREFIX.pub.pem`).
    static func publicKeyPath(config: EvidenceConfig, options: EvidenceBuild.Options) -> String {
        let privateKey = options.keyPath ?? config.signingKey?.absolute ?? "signer"
        return (privateKey.hasSuffix(".pem") ? String(privateKey.dropLast(4)) : privateKey) + ".pub.pem"
    }
}

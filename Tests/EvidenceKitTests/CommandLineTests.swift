import Foundation
import Testing
@testable import EvidenceKit

/// The `mcp-evidence` executable as a user and CI see it: exit codes, help, and error messages.
/// The executable is built next to the test bundle by `swift test`.
struct CommandLineTests {
    static let executable: URL? = {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent(), AcmeRun.packageRoot.appendingPathComponent(".build/debug")] {
            let url = candidate.appendingPathComponent("mcp-evidence")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in folder: URL? = nil) throws -> Run {
        guard let executable else { throw MiniOrgError(message: "the mcp-evidence executable is missing") }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["MCP_EVIDENCE_HOME"] = AcmeRun.packageRoot.path
        let output = try ExternalTool.capture(executable.path, arguments, in: folder, environment: environment)
        return Run(status: output.status, stdout: output.stdoutText, stderr: output.stderrText)
    }

    @Test(.enabled(if: executable != nil, "the mcp-evidence executable was not built next to the tests"))
    func helpAndUsageErrors() throws {
        let help = try Self.run(["build", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: mcp-evidence build"))
        #expect(help.stdout.contains("--as-of <time>"))
        let unknown = try Self.run(["build", "--colour"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown option '--colour'"))
        let missing = try Self.run(["verify"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing expected argument '<bundle>'"))
        let noCommand = try Self.run(["frobnicate"])
        #expect(noCommand.status == 2)
        // A bad --period is a usage error like a bad --as-of, whatever the config.
        let config = try AcmeRun.freshCopy()
        for command in ["build", "validate"] {
            let period = try Self.run([command, "--config", config, "--period", "2026-Q5"])
            #expect(period.status == 2, "\(command): \(period.stderr)")
            #expect(period.stderr.hasPrefix("Error: --period: period '2026-Q5' names quarter 5; quarters are Q1 to Q4\nUsage: mcp-evidence \(command) "))
        }
    }

    @Test(.enabled(if: executable != nil, "the mcp-evidence executable was not built next to the tests"))
    func validateReportsThePlantedErrorsAndExitsOne() throws {
        let config = try AcmeRun.freshCopy()
        let result = try Self.run(["validate", "--config", config, "--quiet"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Rejected input records: 6"))
        #expect(result.stdout.contains("audit/gateway-2026-08.jsonl:375: field 'latency_ms': expected a number, found a string"))
        #expect(result.stdout.contains("directory.csv:184: field 'status': 'suspended' is not one of active, terminated"))
    }

    @Test(.enabled(if: executable != nil, "the mcp-evidence executable was not built next to the tests"))
    func buildVerifyAndTamperExitCodes() throws {
        let config = try AcmeRun.freshCopy()
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent()
        let keygen = try Self.run(["keygen", "--out", folder.appendingPathComponent("keys/evidence").path])
        #expect(keygen.status == 0)
        #expect(try Self.run(["keygen", "--out", folder.appendingPathComponent("keys/evidence").path]).status == 1)

        let out = folder.appendingPathComponent("bundles").path
        let build = try Self.run(["build", "--config", config, "--out", out, "--as-of", "2026-10-01T00:00:00Z", "--quiet", "--fail-on-exceptions"])
        #expect(build.status == 4, "\(build.stderr)")
        #expect(build.stdout.contains("Signed with Ed25519 key sha256:"))
        // An observation check that listed events says so, as the report does, rather than EXCEPTIONS.
        let firstUse = try #require(build.stdout.split(separator: "\n").first { $0.hasPrefix("first-use-high-risk ") })
        #expect(firstUse.contains(" observations ") && !firstUse.contains("EXCEPTIONS"), "\(firstUse)")
        let bundle = out + "/acme-corp-2026-q3"
        let pub = folder.appendingPathComponent("keys/evidence.pub.pem").path
        let verified = try Self.run(["verify", bundle, "--key", pub])
        #expect(verified.status == 0, "\(verified.stdout)")

        let csv = URL(fileURLWithPath: bundle + "/controls.csv")
        var data = try Data(contentsOf: csv)
        data[data.count - 3] ^= 0x01
        try data.write(to: csv)
        let tampered = try Self.run(["verify", bundle, "--key", pub])
        #expect(tampered.status == 3)
        #expect(tampered.stdout.contains("controls.csv"))
    }

    @Test(.enabled(if: executable != nil, "the mcp-evidence executable was not built next to the tests"))
    func buildRefusesAKeyOthersCanRead() throws {
        let config = try AcmeRun.freshCopy()
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent()
        let prefix = folder.appendingPathComponent("keys/evidence").path
        #expect(try Self.run(["keygen", "--out", prefix]).status == 0)
        chmod(prefix + ".pem", 0o644)
        let build = try Self.run(["build", "--config", config, "--out", folder.appendingPathComponent("b").path, "--quiet"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("too open"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("b/acme-corp-2026-q3").path))
    }

    /// A CI timeout sends SIGTERM: the build must leave neither its unfinished bundle beside the finished
    /// ones nor its store in TMPDIR. A FIFO as the last audit file holds the build in its ingest, after
    /// both folders exist, for as long as the test needs.
    @Test(.enabled(if: executable != nil, "the mcp-evidence executable was not built next to the tests"))
    func aBuildStoppedBySIGTERMLeavesNothingHalfWritten() throws {
        let config = try AcmeRun.freshCopy()
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent()
        let temporary = folder.appendingPathComponent("tmp")
        let bundles = folder.appendingPathComponent("bundles")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        #expect(try Self.run(["keygen", "--out", folder.appendingPathComponent("keys/evidence").path]).status == 0)
        #expect(mkfifo(folder.appendingPathComponent("audit/zz-stalled.jsonl").path, 0o644) == 0)

        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["build", "--config", config, "--out", bundles.path, "--as-of", "2026-10-01T00:00:00Z", "--quiet"]
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary.path
        environment["NO_COLOR"] = "1"
        environment["MCP_EVIDENCE_HOME"] = AcmeRun.packageRoot.path
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        func entries(_ url: URL) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning,
            !(entries(bundles).contains { $0.hasPrefix(".acme-corp-2026-q3.tmp-") } && entries(temporary).contains { $0.hasPrefix("mcp-evidence-") })
        {
            usleep(20_000)
        }
        #expect(entries(bundles).contains { $0.hasPrefix(".acme-corp-2026-q3.tmp-") }, "the build never started its bundle")
        kill(process.processIdentifier, SIGTERM)
        // A build that ignores the signal fails the test instead of hanging it.
        let stopped = Date().addingTimeInterval(30)
        while process.isRunning, Date() < stopped { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + SIGTERM)
        #expect(stderr.contains("stopped by signal \(SIGTERM); nothing was left half-written"))
        #expect(entries(bundles) == [])
        #expect(entries(temporary).filter { $0.hasPrefix("mcp-evidence-") } == [])
    }
}

import EvidenceKit
import Foundation

/// `mcp-evidence demo`: build the bundled example organisation end to end.
enum DemoCommand: Command {
    static let spec = CommandSpec(
        name: "demo",
        abstract: "Build the example organisation (examples/acme) into a signed bundle under out/.",
        discussion: "Builds the example's policy repository with git and a demo signing key if they are missing, then runs build with a fixed --as-of so the result is reproducible.",
        positionals: [],
        options: [
            .init(name: "example", valueName: "dir", help: "The example folder.", defaultValue: "examples/acme"),
            .init(name: "out", valueName: "dir", help: "Folder the bundle is written under.", defaultValue: "out"),
            .init(name: "quiet", valueName: nil, help: "Print no progress.", defaultValue: nil),
        ])

    static func run(_ arguments: ParsedArguments) throws -> ExitCode {
        Console.quiet = arguments.flag("quiet")
        let example = arguments["example"] ?? "examples/acme"
        let configPath = example + "/evidence.yaml"
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw UsageError.invalid(spec, "no example at '\(configPath)'; run the demo from the repository root or pass --example")
        }
        let repo = example + "/policy-repo"
        if !FileManager.default.fileExists(atPath: repo) {
            Console.progress("demo: building the example policy repository at \(repo)")
            try runProcess("/bin/sh", [example + "/build-policy-repo.sh", repo])
        }
        let key = example + "/keys/evidence"
        if !FileManager.default.fileExists(atPath: key + ".pem") {
            Console.progress("demo: creating a demo signing key at \(key).pem")
            try FileManager.default.createDirectory(atPath: example + "/keys", withIntermediateDirectories: true)
            _ = try KeyFiles.generate(prefix: key)
        }
        let config = try EvidenceConfig.load(path: configPath)
        var options = EvidenceBuild.Options()
        options.outputFolder = arguments["out"]
        options.asOf = Timestamp.parse("2026-10-01T00:00:00Z")
        options.force = true
        return try BuildCommand.build(config: config, options: options)
    }

    private static func runProcess(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DemoError(message: "'\(([executable] + arguments).joined(separator: " "))' exited with status \(process.terminationStatus)")
        }
    }
}

struct DemoError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

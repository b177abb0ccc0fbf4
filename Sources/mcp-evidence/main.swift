import EvidenceKit
import Foundation

/// Exit statuses, as documented in the README.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case usage = 2
    case verificationFailed = 3
    case exceptionsFound = 4
}

nonisolated(unsafe) let commands: [Command.Type] = [BuildCommand.self, ValidateCommand.self, ControlsCommand.self, DemoCommand.self, KeygenCommand.self, VerifyCommand.self]

func topLevelHelp() -> String {
    var lines = [
        "OVERVIEW: Compliance evidence for AI-agent tool use through MCP gateways.",
        "",
        "USAGE: mcp-evidence <subcommand>",
        "",
        "OPTIONS:",
        "  --version               Show the version.",
        "  -h, --help              Show help information.",
        "",
        "SUBCOMMANDS:",
    ]
    for command in commands {
        let name = command.spec.name
        lines.append("  " + name + String(repeating: " ", count: max(1, 24 - name.count)) + command.spec.abstract)
    }
    lines += ["", "  See 'mcp-evidence help <subcommand>' for detailed help.", ""]
    return lines.joined(separator: "\n")
}

func run(_ arguments: [String]) -> Int32 {
    guard let first = arguments.first else {
        FileHandle.standardError.write(Data(topLevelHelp().utf8))
        return ExitCode.usage.rawValue
    }
    if first == "-h" || first == "--help" {
        print(topLevelHelp(), terminator: "")
        return ExitCode.success.rawValue
    }
    if first == "--version" {
        print("\(Generator.name) \(Generator.version) (\(LibraryVersions.all.joined(separator: ", ")))")
        return ExitCode.success.rawValue
    }
    if first == "help" {
        guard arguments.count > 1 else {
            print(topLevelHelp(), terminator: "")
            return ExitCode.success.rawValue
        }
        guard let command = commands.first(where: { $0.spec.name == arguments[1] }) else {
            FileHandle.standardError.write(Data("Error: unknown subcommand '\(arguments[1])'\n".utf8))
            return ExitCode.usage.rawValue
        }
        print(command.spec.help, terminator: "")
        return ExitCode.success.rawValue
    }
    guard let command = commands.first(where: { $0.spec.name == first }) else {
        FileHandle.standardError.write(Data("Error: unknown subcommand '\(first)'\n\n\(topLevelHelp())".utf8))
        return ExitCode.usage.rawValue
    }
    do {
        let parsed = try command.spec.parse(Array(arguments.dropFirst()))
        return try command.run(parsed).rawValue
    } catch let error as UsageError {
        if case .helpRequested = error {
            print(error.description, terminator: "")
            return ExitCode.success.rawValue
        }
        FileHandle.standardError.write(Data(error.description.utf8))
        return ExitCode.usage.rawValue
    } catch {
        Console.error("\(error)")
        return ExitCode.failure.rawValue
    }
}

/// Ctrl-C, a CI timeout (SIGTERM) or a closed terminal stop a build at any point; the folders it was
/// writing (the unfinished bundle beside the finished ones, the store in TMPDIR) are removed first, and the
/// exit status is the shell's 128 + the signal's number. Handled on a dispatch queue rather than in a C
/// signal handler, so removing folders is allowed; the main thread may be blocked in a read meanwhile.
func removeTemporaryFoldersOnSignals() -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM, SIGHUP].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            let left = TemporaryPaths.removeAll()
            if left.isEmpty {
                Console.error("stopped by signal \(number); nothing was left half-written")
            } else {
                Console.error("stopped by signal \(number); could not remove \(left.joined(separator: ", ")): delete it before using the output folder")
            }
            _exit(128 + number)
        }
        source.resume()
        return source
    }
}

let signalSources = removeTemporaryFoldersOnSignals()
exit(run(Array(CommandLine.arguments.dropFirst())))

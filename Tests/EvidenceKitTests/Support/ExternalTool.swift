import Foundation

/// Runs the command-line tools some tests need (python3, sh, git) and finds them on PATH.
enum ExternalTool {
    /// The first executable named `name` on PATH, if any.
    static func path(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool to completion; a non-zero exit throws with its standard error as the message.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let message = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(command: ([executable] + arguments).joined(separator: " "), status: process.terminationStatus,
                          message: String(decoding: message, as: UTF8.self))
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var message: String
        var description: String { "'\(command)' exited with status \(status): \(message)" }
    }
}

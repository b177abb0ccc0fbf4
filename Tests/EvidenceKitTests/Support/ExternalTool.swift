import Foundation

/// Runs the command-line tools some tests need (python3, sh, git, gzip, the built mcp-evidence) and
/// finds them on PATH. Every test that starts a process goes through `capture`.
enum ExternalTool {
    /// The first executable named `name` on PATH, if any.
    static func path(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What a finished process left.
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `executable` to completion and returns its status and both outputs. Standard error is
    /// read on another thread, so a child filling one pipe cannot block while the other is read.
    static func capture(_ executable: String, _ arguments: [String], in folder: URL? = nil,
                        environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stderr = ErrorBytes()
        let readingErrors = DispatchGroup()
        DispatchQueue.global().async(group: readingErrors) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        readingErrors.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr.data)
    }

    /// Runs a tool to completion; a non-zero exit throws with its standard error as the message.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in folder: URL? = nil) throws -> Output {
        let output = try capture(executable, arguments, in: folder)
        guard output.status == 0 else {
            throw Failure(command: ([executable] + arguments).joined(separator: " "), status: output.status, message: output.stderrText)
        }
        return output
    }

    /// Runs git in `repository` as a fixed author at a fixed date, with no user or system config, so
    /// fixture repositories get the same commits on every machine; returns its standard output.
    @discardableResult
    static func git(in repository: String, _ arguments: [String], date: String, home: URL) throws -> String {
        let output = try capture("/usr/bin/env", ["git", "-C", repository, "-c", "commit.gpgsign=false", "-c", "core.quotePath=false"] + arguments,
                                 environment: [
                                     "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                                     "GIT_AUTHOR_NAME": "Pat Author", "GIT_AUTHOR_EMAIL": "pat@example.com", "GIT_AUTHOR_DATE": date,
                                     "GIT_COMMITTER_NAME": "Pat Author", "GIT_COMMITTER_EMAIL": "pat@example.com", "GIT_COMMITTER_DATE": date,
                                     "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": home.path,
                                 ])
        guard output.status == 0 else { throw MiniOrgError(message: "git \(arguments) failed") }
        return output.stdoutText
    }

    /// `data` compressed by the system's gzip (no name or time stamp in the header), as real
    /// `.jsonl.gz` inputs are made; `best` is `gzip -9`.
    static func gzip(_ data: Data, best: Bool = false) throws -> Data {
        let folder = try TestFolder.make("gzip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain")
        try data.write(to: file)
        return try run("/usr/bin/env", ["gzip", "-c", "-n"] + (best ? ["-9"] : []) + [file.path]).stdout
    }

    /// Written by the reading thread before `wait()` returns, read only after it.
    private final class ErrorBytes: @unchecked Sendable { var data = Data() }

    struct Failure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var message: String
        var description: String { "'\(command)' exited with status \(status): \(message)" }
    }
}

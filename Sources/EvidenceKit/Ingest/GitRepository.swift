import Foundation

/// A local git repository, read (never written) through the `git` command.
///
/// Every run ignores the system and global git configuration and the caller's `GIT_*` variables,
/// disables replace refs, pagers, colour, signature checks and lazy fetches, and treats pathspecs
/// literally, so what is read depends on the repository's objects alone. The repository's own
/// `.git/config` is still read by git; the options that could change what read commands print are
/// overridden on the command line.
///
/// Only one thing is taken from the user's global and system git configuration: `safe.directory`,
/// and only after git has refused the repository for dubious ownership, so an explicit decision to
/// trust another user's checkout (common in CI containers) is honoured.
public struct GitRepository: Sendable {
    /// The repository path as the user gave it; shown in errors.
    public let path: String
    /// The absolute, symlink-resolved path git runs in.
    public let resolvedPath: String
    /// Whether the repository is a shallow clone, whose history stops before the first commit.
    public let isShallow: Bool
    /// The `git` executable found on `PATH`.
    let executable: String
    /// `safe.directory` values taken from the user's global and system configuration; empty unless needed.
    private let safeDirectories: [String]
    /// The environment every git run gets, built from scratch.
    private let environment: [String: String]

    /// Opens the repository at `path` and checks that it is the top folder of a git repository.
    ///
    /// - Parameter environment: where `PATH` (to find git) and, for `safe.directory`, `HOME` come from.
    /// - Throws: `GitError` when git is missing, the path does not exist, is not a repository,
    ///   or git refuses it for dubious ownership.
    public init(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard !path.isEmpty, !path.contains("\0") else {
            throw GitError(kind: .invalidArgument, repository: path, detail: "the repository path is empty or contains a NUL byte")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw GitError(kind: .repositoryNotFound, repository: path, detail: "does not exist")
        }
        guard isDirectory.boolValue else {
            throw GitError(kind: .repositoryNotFound, repository: path, detail: "is not a folder")
        }
        let resolved = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
        let searchPath = environment["PATH"] ?? "/usr/bin:/bin"
        guard let git = Self.findExecutable("git", searchPath: searchPath) else {
            throw GitError(kind: .gitNotFound, repository: path, detail: searchPath)
        }

        // Git must not walk up from a subfolder into an enclosing repository (say, the project that holds
        // the config file): the user named this folder, so this folder must be the repository.
        var env: [String: String] = [
            "PATH": searchPath,
            "LC_ALL": "C",
            "LANG": "C",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_NO_LAZY_FETCH": "1",
            "GIT_ATTR_NOSYSTEM": "1",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
        ]
        let parent = (resolved as NSString).deletingLastPathComponent
        if resolved != "/", !parent.isEmpty { env["GIT_CEILING_DIRECTORIES"] = parent }

        let probe = ["rev-parse", "--is-shallow-repository"]
        var trusted: [String] = []
        var output = try Self.launch(
            executable: git, arguments: Self.globalOptions(resolved, trusted) + probe,
            environment: env, input: nil, repository: path)
        if output.status != 0, output.stderr.contains("dubious ownership") {
            trusted = Self.userSafeDirectories(executable: git, environment: environment, repository: path)
            if !trusted.isEmpty {
                output = try Self.launch(
                    executable: git, arguments: Self.globalOptions(resolved, trusted) + probe,
                    environment: env, input: nil, repository: path)
            }
            if output.status != 0, output.stderr.contains("dubious ownership") {
                throw GitError(
                    kind: .dubiousOwnership, repository: path, arguments: probe, exitCode: output.status,
                    stderr: output.stderr, detail: resolved)
            }
        }
        guard output.status == 0, !output.killed else {
            throw GitError(kind: .notARepository, repository: path, arguments: probe, exitCode: output.status, stderr: output.stderr)
        }
        let answer = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard answer == "true" || answer == "false" else {
            throw GitError(kind: .malformedOutput, repository: path, arguments: probe, detail: "expected 'true' or 'false', got '\(answer.prefix(80))'")
        }

        self.path = path
        self.resolvedPath = resolved
        self.isShallow = answer == "true"
        self.executable = git
        self.safeDirectories = trusted
        self.environment = env
    }

    /// The full object id of the commit `branch` names.
    ///
    /// Tries `refs/heads/<branch>` first, then the remote-tracking `refs/remotes/<branch>` (so
    /// `origin/main` works in a fresh CI clone), then any revision git accepts (a tag, a commit id).
    /// - Throws: `GitError.Kind.branchNotFound` when none names a commit, `.invalidArgument` for a
    ///   name that is empty, starts with `-` or contains control characters.
    public func resolveCommit(branch: String) throws -> String {
        guard !branch.isEmpty, !branch.hasPrefix("-"), !branch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw GitError(kind: .invalidArgument, repository: path, detail: "branch name '\(branch)' is empty, starts with '-' or contains control characters")
        }
        let candidates = branch.hasPrefix("refs/") ? [branch] : ["refs/heads/\(branch)", "refs/remotes/\(branch)", branch]
        var lastError = ""
        for candidate in candidates {
            let arguments = ["rev-parse", "--verify", "--quiet", "--end-of-options", candidate + "^{commit}"]
            let output = try execute(arguments)
            guard output.status == 0, !output.killed else {
                if !output.stderr.isEmpty { lastError = output.stderr }
                continue
            }
            let id = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard Self.isObjectID(id) else {
                throw GitError(kind: .malformedOutput, repository: path, arguments: arguments, detail: "expected a commit id, got '\(id.prefix(80))'")
            }
            return id
        }
        throw GitError(kind: .branchNotFound, repository: path, stderr: lastError, detail: branch)
    }

    /// Runs git with `arguments` after the hardening options and returns its standard output.
    ///
    /// - Parameter input: bytes for git's standard input (fed from a file, so git never blocks on it).
    /// - Throws: `GitError.Kind.commandFailed` when git exits non-zero or is killed.
    func run(_ arguments: [String], input: Data? = nil) throws -> Data {
        let output = try execute(arguments, input: input)
        guard output.status == 0, !output.killed else {
            throw GitError(
                kind: .commandFailed, repository: path, arguments: arguments, exitCode: output.status,
                stderr: output.stderr, detail: output.killed ? "killed by signal \(output.status)" : "")
        }
        return output.stdout
    }

    /// Runs git and returns whatever it did, without judging the exit status.
    func execute(_ arguments: [String], input: Data? = nil) throws -> Output {
        try Self.launch(
            executable: executable, arguments: Self.globalOptions(resolvedPath, safeDirectories) + arguments,
            environment: environment, input: input, repository: path)
    }

    /// Whether `text` is a full object id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
    static func isObjectID<S: StringProtocol>(_ text: S) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64)
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// What one git run produced.
    struct Output {
        /// Exit status, or the signal number when `killed`.
        var status: Int32
        var killed: Bool
        var stdout: Data
        var stderr: String
    }

    /// Options placed before every subcommand: they override anything the repository's own config
    /// could set that would change what read commands print or make them run other programs.
    private static func globalOptions(_ repository: String, _ safeDirectories: [String]) -> [String] {
        var options = [
            "--no-pager", "--no-replace-objects", "--literal-pathspecs", "--no-optional-locks",
            "-c", "core.quotePath=off",
            "-c", "core.fsmonitor=false",
            "-c", "color.ui=never",
            "-c", "diff.renames=false",
            "-c", "diff.ignoreSubmodules=none",
            "-c", "i18n.logOutputEncoding=UTF-8",
            "-c", "log.showRoot=true",
            "-c", "log.showSignature=false",
            "-c", "log.follow=false",
            "-c", "trailer.separators=:",
        ]
        for directory in safeDirectories { options += ["-c", "safe.directory=\(directory)"] }
        return options + ["-C", repository]
    }

    /// The first executable file named `name` in the colon-separated `searchPath`.
    private static func findExecutable(_ name: String, searchPath: String) -> String? {
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) where directory.hasPrefix("/") {
            let candidate = directory + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }

    /// `safe.directory` values from the user's system and global git configuration, in git's own order
    /// (system first), so an empty entry still resets the list as it would for git itself.
    ///
    /// Only these two protected scopes are read: a repository cannot vouch for itself.
    private static func userSafeDirectories(executable: String, environment: [String: String], repository: String) -> [String] {
        var env = ["LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"]
        for key in ["PATH", "HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM"] {
            if let value = environment[key] { env[key] = value }
        }
        var scopes = ["--global"]
        if environment["GIT_CONFIG_NOSYSTEM"] == nil { scopes.insert("--system", at: 0) }
        var values: [String] = []
        for scope in scopes {
            let arguments = ["config", scope, "--includes", "--get-all", "safe.directory"]
            guard let output = try? launch(executable: executable, arguments: arguments, environment: env, input: nil, repository: repository),
                output.status == 0, !output.killed
            else { continue }
            values += String(decoding: output.stdout, as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        return values
    }

    /// Starts `executable`, feeds `input` from a temporary file, collects standard error in another,
    /// and drains standard output until git closes it: with only one pipe there is nothing to deadlock on.
    private static func launch(
        executable: String, arguments: [String], environment: [String: String], input: Data?, repository: String
    ) throws -> Output {
        func launchFailure(_ reason: String) -> GitError {
            GitError(kind: .launchFailed, repository: repository, arguments: arguments, stderr: reason, detail: executable)
        }
        // A pid-named folder, so that the files of a run killed while git ran are removed by the next run.
        let scratch: ScratchFolder
        do {
            scratch = try ScratchFolder.create(removingAbandoned: false)
        } catch {
            throw launchFailure("cannot create a temporary folder: \(error)")
        }
        defer { scratch.remove() }
        let errorPath = scratch.url.appendingPathComponent("stderr").path
        let inputPath = scratch.url.appendingPathComponent("stdin").path
        guard FileManager.default.createFile(atPath: errorPath, contents: nil, attributes: [.posixPermissions: 0o600]),
            let errorHandle = FileHandle(forWritingAtPath: errorPath)
        else { throw launchFailure("cannot create a temporary file at \(errorPath)") }
        defer { try? errorHandle.close() }
        var inputHandle: FileHandle?
        if let input {
            guard FileManager.default.createFile(atPath: inputPath, contents: input, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forReadingAtPath: inputPath)
            else { throw launchFailure("cannot create a temporary file at \(inputPath)") }
            inputHandle = handle
        }
        defer { try? inputHandle?.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = errorHandle
        process.standardInput = inputHandle ?? FileHandle.nullDevice
        // Not waitUntilExit(): on the main thread it polls the run loop every 50 ms, which added
        // about 50 ms to each of the history's git runs; the handler is called as soon as git exits.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw launchFailure("\(error)")
        }
        let data: Data
        do {
            data = try stdout.fileHandleForReading.readToEnd() ?? Data()
        } catch {
            exited.wait()
            throw launchFailure("reading git's output failed: \(error)")
        }
        exited.wait()
        try? stdout.fileHandleForReading.close()
        let errorText = (try? Data(contentsOf: URL(fileURLWithPath: errorPath))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Output(
            status: process.terminationStatus,
            killed: process.terminationReason == .uncaughtSignal,
            stdout: data,
            stderr: errorText.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

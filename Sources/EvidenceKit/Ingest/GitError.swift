import Foundation

/// A failure while reading the policy repository with the `git` command.
///
/// Carries what git was asked to do and what it answered, so the one-sentence `description`
/// tells the compliance engineer which repository, which argument and which git message.
public struct GitError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong; decides the wording of `description`.
    public enum Kind: String, Sendable, Hashable {
        /// No `git` executable on `PATH`.
        case gitNotFound
        /// The `git` executable exists but could not be started.
        case launchFailed
        /// A repository path, branch name or policy path given by the user is unusable.
        case invalidArgument
        /// The repository path does not exist or is not a folder.
        case repositoryNotFound
        /// The path exists but is not the top of a git repository.
        case notARepository
        /// git refuses to read a repository owned by another user.
        case dubiousOwnership
        /// The branch (or revision) does not name a commit.
        case branchNotFound
        /// git exited with a non-zero status or was killed.
        case commandFailed
        /// git's output did not have the expected shape.
        case malformedOutput
    }

    /// What went wrong.
    public let kind: Kind
    /// The repository path as the user gave it.
    public let repository: String
    /// The git arguments after the global hardening options, e.g. `["log", "--raw", …]`; empty when git did not run.
    public let arguments: [String]
    /// git's exit status (or the signal number when it was killed); nil when git did not run or exited with 0.
    public let exitCode: Int32?
    /// git's standard error, trimmed.
    public let stderr: String
    /// The offending value or extra detail: a branch name, a policy path, a parse problem.
    public let detail: String

    public init(
        kind: Kind, repository: String, arguments: [String] = [], exitCode: Int32? = nil,
        stderr: String = "", detail: String = ""
    ) {
        self.kind = kind
        self.repository = repository
        self.arguments = arguments
        self.exitCode = exitCode
        self.stderr = stderr
        self.detail = detail
    }

    public var description: String {
        let repo = "policy repository '\(repository)'"
        let gitSays = stderr.isEmpty ? "" : ": \(Self.oneLine(stderr))"
        let sentence: String
        switch kind {
        case .gitNotFound:
            sentence = "cannot read \(repo): no 'git' executable found on PATH '\(detail)'"
        case .launchFailed:
            sentence = "cannot read \(repo): starting '\(detail)' failed\(gitSays)"
        case .invalidArgument:
            sentence = "cannot read \(repo): \(detail)"
        case .repositoryNotFound:
            sentence = "\(repo) \(detail.isEmpty ? "does not exist" : detail)"
        case .notARepository:
            sentence = "\(repo) is not the top folder of a git repository\(gitSays)"
        case .dubiousOwnership:
            sentence = "git refuses to read \(repo) because it is owned by another user; run as its owner "
                + "or trust it with `git config --global --add safe.directory '\(detail)'`\(gitSays)"
        case .branchNotFound:
            sentence = "\(repo) has no branch '\(detail)'"
        case .commandFailed:
            let status = exitCode.map { " with exit code \($0)" } ?? ""
            let what = detail.isEmpty ? "" : " (\(detail))"
            sentence = "`git \(Self.command(arguments))` failed\(status)\(what) in \(repo)\(gitSays)"
        case .malformedOutput:
            sentence = "unexpected output from `git \(Self.command(arguments))` in \(repo): \(detail)"
        }
        return sentence.hasSuffix(".") ? sentence : sentence + "."
    }

    /// The subcommand and its options, without revisions and paths after `--`, kept short for a message.
    private static func command(_ arguments: [String]) -> String {
        let shown = arguments.prefix(while: { $0 != "--" && $0 != "--end-of-options" })
        return shown.joined(separator: " ")
    }

    /// git's multi-line messages (fatal + hint lines) folded into one line.
    private static func oneLine(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var joined = lines.joined(separator: "; ")
        while joined.hasSuffix(".") { joined.removeLast() }
        return joined
    }
}

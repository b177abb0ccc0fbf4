import Foundation

/// The history of the policy files on one branch of the policy repository (DESIGN.md input 4).
///
/// Holds every commit reachable from the branch head that changed something under the policy path,
/// of all time (the versions in force when a period starts come from commits before it), each with
/// its metadata, trailers, pull request number, the files it changed and the bytes of each policy file
/// it added or modified. Nothing is parsed as YAML here.
public struct PolicyHistory: Sendable {
    /// Policy files larger than this are not read; they are reported with a `problem` instead.
    public static let defaultMaximumFileSize = 1 << 20

    /// The repository path as given.
    public let repository: String
    /// The branch as given.
    public let branch: String
    /// The policy path, normalized: relative, `/`-separated, no `.` or empty components; "" is the whole repository.
    public let path: String
    /// The full commit id the branch pointed at when read.
    public let headCommit: String
    /// Whether the repository is a shallow clone, so older commits (and the versions they set) are absent.
    public let isShallow: Bool
    /// Commits that changed something under `path`, sorted by committer time, then parents before children.
    ///
    /// Includes commits made on side branches that were merged, and merge commits whose tree differs
    /// from their first parent's under `path`; `PolicyCommit.isMainline` tells them apart.
    public let commits: [PolicyCommit]

    /// Reads the history of `branch` under `path` in the repository at `repository`.
    ///
    /// - Parameters:
    ///   - branch: a local branch, else a remote-tracking branch (`origin/main`), else any revision.
    ///   - path: the policy folder relative to the repository root, e.g. `policies`.
    ///   - maximumFileSize: policy files larger than this many bytes are not read.
    ///   - environment: where `PATH` and, for `safe.directory` only, `HOME` come from.
    /// - Throws: `GitError` for an unusable repository or branch, a policy path that is absolute, contains
    ///   `..` or never held a file on the branch, or when git fails.
    public init(
        repository: String, branch: String, path: String,
        maximumFileSize: Int = PolicyHistory.defaultMaximumFileSize,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let policyPath = try Self.normalizedPolicyPath(path, repository: repository)
        let git = try GitRepository(path: repository, environment: environment)
        let head = try git.resolveCommit(branch: branch)

        let logArguments = [
            "log", "--full-history", "--topo-order", "--reverse", "--no-renames", "--diff-merges=first-parent",
            "--raw", "--no-abbrev", "-z", "--encoding=UTF-8", "--format=\(GitLogParser.format)",
            "--end-of-options", head, "--",
        ] + (policyPath.isEmpty ? [] : [policyPath])
        let records = try GitLogParser.parse(try git.run(logArguments)) { detail in
            GitError(kind: .malformedOutput, repository: repository, arguments: logArguments, detail: detail)
        }

        var mainline = Set<String>()
        var chain = GitOutputCursor(try git.run(["rev-list", "--first-parent", "--end-of-options", head]))
        while let line = chain.string(upTo: UInt8(ascii: "\n")) { mainline.insert(line) }

        var wanted: [String] = []
        for record in records {
            for change in record.changes where change.status != "D" {
                guard change.path == policyPath || policyPath.isEmpty || change.path.hasPrefix(policyPath + "/") else {
                    throw GitError(
                        kind: .malformedOutput, repository: repository, arguments: logArguments,
                        detail: "commit \(record.sha) lists '\(change.path)', which is outside '\(policyPath)'")
                }
                if Self.isRegularFile(change.newMode), PolicyFileChange.isPolicyFileName(change.path) {
                    wanted.append(change.newBlob)
                }
            }
        }
        let blobs = try git.readBlobs(wanted, maximumSize: maximumFileSize)

        var built: [(index: Int, commit: PolicyCommit)] = []
        for (index, record) in records.enumerated() where !record.changes.isEmpty {
            let files = record.changes.map { Self.fileChange($0, blobs: blobs, maximumSize: maximumFileSize) }
                .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            let commit = PolicyCommit(
                sha: record.sha, parents: record.parents,
                authorName: record.authorName, authorEmail: record.authorEmail, authorTime: record.authorTime,
                committerName: record.committerName, committerEmail: record.committerEmail,
                committerTime: record.committerTime, subject: record.subject, message: record.message,
                trailers: record.trailers, pullRequest: PolicyCommit.pullRequestNumber(subject: record.subject),
                isMainline: mainline.contains(record.sha), files: files)
            built.append((index, commit))
        }
        // An empty history means the path never held a file on this branch: almost surely a typo in the
        // config, which must not turn into a report that judges every call against no policy at all.
        guard !built.isEmpty else {
            throw GitError(
                kind: .invalidArgument, repository: repository,
                detail: "policy path '\(path)' has never held a file on branch '\(branch)'")
        }
        // git printed parents before children; that order breaks ties between equal committer times.
        built.sort { ($0.commit.committerTime, $0.index) < ($1.commit.committerTime, $1.index) }

        self.repository = repository
        self.branch = branch
        self.path = policyPath
        self.headCommit = head
        self.isShallow = git.isShallow
        self.commits = built.map(\.commit)
    }

    /// The commits whose committer time lies in `period` (UTC milliseconds, start inclusive, end exclusive).
    public func commits(committedIn period: Range<Int64>) -> [PolicyCommit] {
        commits.filter { period.contains($0.committerTime) }
    }

    /// `path` made canonical, or an error for an absolute path or one that climbs out with `..`.
    static func normalizedPolicyPath(_ path: String, repository: String) throws -> String {
        func invalid(_ reason: String) -> GitError {
            GitError(kind: .invalidArgument, repository: repository, detail: "policy path '\(path)' \(reason)")
        }
        guard !path.contains("\0") else { throw invalid("contains a NUL byte") }
        guard !path.hasPrefix("/") else { throw invalid("must be relative to the repository root, not absolute") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !components.contains("..") else { throw invalid("must not contain '..' components") }
        return components.joined(separator: "/")
    }

    private static func isRegularFile(_ mode: String) -> Bool {
        mode == "100644" || mode == "100755" || mode == "100664"
    }

    private static func fileChange(_ change: GitLogParser.Change, blobs: [String: GitRepository.Blob], maximumSize: Int) -> PolicyFileChange {
        if change.status == "D" {
            return PolicyFileChange(
                path: change.path, status: .deleted, mode: change.oldMode, blobSHA: change.oldBlob, content: nil, problem: nil)
        }
        let status: PolicyFileChange.Status = change.status == "A" ? .added : .modified
        var content: Data?
        var problem: String?
        switch change.newMode {
        case "120000":
            problem = "is a symbolic link; policy files must be regular files"
        case "160000":
            problem = "is a submodule; policy files must be regular files"
        case let mode where !isRegularFile(mode):
            problem = "has git file mode \(mode); policy files must be regular files"
        default:
            guard PolicyFileChange.isPolicyFileName(change.path) else { break }
            switch blobs[change.newBlob] {
            case .content(let data)?:
                content = data
            case .tooLarge(let size)?:
                problem = "is \(size) bytes, larger than the \(maximumSize)-byte limit for policy files"
            case .missing?, nil:
                problem = "has content (blob \(change.newBlob)) that is missing from the repository"
            }
        }
        return PolicyFileChange(
            path: change.path, status: status, mode: change.newMode, blobSHA: change.newBlob, content: content, problem: problem)
    }
}

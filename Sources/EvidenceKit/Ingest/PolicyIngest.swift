import Foundation

/// Loads the policy repository's history: commits with trailers and files, and every policy file
/// version landed on the branch's first-parent line, parsed and given its validity interval.
final class PolicyIngest {
    struct Result {
        var head: String
        /// Size and SHA-256 of the policy file versions read, in the order read.
        var bytes: Int64
        var sha256 = ""
        var read: Int
        var rejected: Int
        var commits: Int
    }

    fileprivate struct Version {
        var path: String
        var document: PolicyDocument?
        var commit: String
        var validFrom: Int64
        var validTo: Int64?
        var sha256: String
        var content: String
    }

    private let store: EvidenceStore
    private let errors: InputErrorLog
    private let source: EvidenceConfig.PolicySource
    private let period: Period

    init(store: EvidenceStore, errors: InputErrorLog, source: EvidenceConfig.PolicySource, period: Period) {
        self.store = store
        self.errors = errors
        self.source = source
        self.period = period
    }

    /// Reads the repository's history with git. A shallow clone is refused: its oldest commit would look
    /// like the day every policy was written, so calls before it would be judged against no policy and the
    /// change log would miss every earlier change. CI checkouts are shallow unless told otherwise.
    static func readHistory(_ source: EvidenceConfig.PolicySource, environment: [String: String] = ProcessInfo.processInfo.environment) throws(IngestError) -> PolicyHistory {
        let history: PolicyHistory
        do {
            history = try PolicyHistory(repository: source.repo.absolute, branch: source.branch, path: source.path, environment: environment)
        } catch {
            throw IngestError.unreadable(input: "policies", file: source.repo.display, reason: "\(error)")
        }
        guard !history.isShallow else {
            throw IngestError.unreadable(
                input: "policies", file: source.repo.display,
                reason: "it is a shallow clone, so the policy history before its oldest commit is missing; fetch all of it (git -C '\(source.repo.display)' fetch --unshallow, or fetch-depth: 0 in CI)")
        }
        return history
    }

    /// The history parsed into policy versions, before anything is stored: the audit load needs the
    /// versions (`timeline`) first, while the store keeps its order of inputs (policies last).
    struct Prepared {
        fileprivate var history: PolicyHistory
        fileprivate var versions: [Version]
        fileprivate var errors: [InputError]
        fileprivate var result: Result

        /// The parseable versions with the ids `store` gives them, for `PolicyTimeline`.
        var timelineVersions: [PolicyTimeline.Version] {
            versions.enumerated().compactMap { index, version in
                version.document.map {
                    PolicyTimeline.Version(id: Int64(index + 1), server: $0.toolServer, name: $0.toolName,
                                           validFrom: version.validFrom, validTo: version.validTo)
                }
            }
        }
    }

    /// Parses each policy version of `history` (from `readHistory`) landed on the first-parent line.
    func prepare(_ history: PolicyHistory) throws -> Prepared {
        var prepared = Prepared(history: history, versions: [], errors: [],
                                result: Result(head: history.headCommit, bytes: 0, read: 0, rejected: 0, commits: history.commits.count))
        var open: [String: Int] = [:]  // path -> index of its version in force
        // The input's SHA-256 identifies what was read: one line per policy file version, in the order read,
        // "<commit> <path> <SHA-256 of the content>\n", so it can be recomputed from policy_versions or from
        // git (see ManifestInput.sha256). It held the head's commit id, a SHA-1 under a SHA-256 label; the
        // head is recorded as policy_repo_head.
        let digest = try SHA256()
        for commit in history.commits where commit.isMainline {
            // A symbolic link or submodule is reported whatever its name: a link to a folder outside the
            // repository (or the policy path itself replaced by one) would otherwise drop policies silently.
            for change in commit.files where change.isPolicyFile || (change.status != .deleted && change.problem != nil) {
                if let index = open.removeValue(forKey: change.path) {
                    prepared.versions[index].validTo = commit.committerTime
                }
                guard change.status != .deleted else { continue }
                prepared.result.read += 1
                let display = "\(source.repo.display)/\(change.path)@\(commit.sha.prefix(12))"
                guard let content = change.content else {
                    prepared.result.rejected += 1
                    prepared.errors.append(InputError(input: "policies", file: display, line: 0,
                                                      message: change.problem ?? "the file's content could not be read"))
                    continue
                }
                prepared.result.bytes += Int64(content.count)
                var version = Version(path: change.path, document: nil, commit: commit.sha, validFrom: commit.committerTime,
                                      validTo: nil, sha256: try SHA256.hex(of: content), content: String(decoding: content, as: UTF8.self))
                digest.update(Data("\(commit.sha) \(change.path) \(version.sha256)\n".utf8))
                do {
                    version.document = try Self.parse(content, display: display)
                } catch {
                    prepared.result.rejected += 1
                    prepared.errors.append(error)
                }
                prepared.versions.append(version)
                open[change.path] = prepared.versions.count - 1
            }
        }
        prepared.result.sha256 = digest.finalize().hexString
        return prepared
    }

    /// Stores what `prepare` found: the commits, the rejected versions, then the versions with ids from 1.
    func store(_ prepared: Prepared) throws -> Result {
        try storeCommits(prepared.history.commits)
        for error in prepared.errors {
            try errors.record(error)
        }
        try storeVersions(prepared.versions)
        return prepared.result
    }

    static func parse(_ content: Data, display: String) throws(InputError) -> PolicyDocument {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(bytes: content, file: display)
        } catch {
            throw InputError(input: "policies", file: display, line: error.line, message: error.message)
        }
        return try PolicyDocument(document)
    }

    private func storeCommits(_ commits: [PolicyCommit]) throws {
        let insertCommit = try store.inserter("policy_commits", [
            "sha", "parents", "is_merge", "first_parent", "author_name", "author_email", "authored_at", "committer_name",
            "committer_email", "committed_at", "subject", "message", "pr_number", "reason", "in_period",
        ])
        let insertTrailer = try store.inserter("policy_commit_trailers", ["sha", "key", "value"])
        let insertFile = try store.inserter("policy_commit_files", ["sha", "path", "status"])
        for commit in commits {
            let reason = commit.reasons.first
            try insertCommit.run([
                .text(commit.sha), .text(commit.parents.joined(separator: " ")), .integer(commit.isMerge ? 1 : 0),
                .integer(commit.isMainline ? 1 : 0), .text(commit.authorName), .text(commit.authorEmail),
                .integer(commit.authorTime), .text(commit.committerName), .text(commit.committerEmail),
                .integer(commit.committerTime), .text(commit.subject), .text(commit.message),
                commit.pullRequest.map { .integer(Int64($0)) } ?? .null, reason.sqlValue,
                .integer(period.contains(commit.committerTime) ? 1 : 0),
            ])
            for trailer in commit.trailers {
                try insertTrailer.run([.text(commit.sha), .text(trailer.key), .text(trailer.value)])
            }
            for file in commit.files {
                try insertFile.run([.text(commit.sha), .text(file.path), .text(file.status.rawValue)])
            }
        }
    }

    private func storeVersions(_ versions: [Version]) throws {
        let insertVersion = try store.inserter("policy_versions", [
            "id", "path", "tool", "tool_server", "tool_name", "commit_sha", "valid_from", "valid_to", "review_next",
            "review_owner", "content_sha256", "content", "valid",
        ])
        let insertRole = try store.inserter("policy_version_roles", ["version_id", "role"])
        for (index, version) in versions.enumerated() {
            let document = version.document
            let id = Int64(index + 1)
            try insertVersion.run([
                .integer(id), .text(version.path), (document?.tool).sqlValue, (document?.toolServer).sqlValue,
                (document?.toolName).sqlValue, .text(version.commit), .integer(version.validFrom),
                version.validTo.sqlValue, (document?.nextReview).sqlValue, (document?.owner).sqlValue,
                .text(version.sha256), .text(version.content), .integer(document == nil ? 0 : 1),
            ])
            for role in document?.roles ?? [] {
                try insertRole.run([.integer(id), .text(role)])
            }
        }
    }
}

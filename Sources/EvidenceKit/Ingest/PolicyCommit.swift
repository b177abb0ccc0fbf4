/// One commit on the policy branch's history that changed something under the policy path.
///
/// The data is exposed as git records it; judging it (direct push, missing review) is left to checks.
public struct PolicyCommit: Sendable, Hashable {
    /// One `Key: value` trailer from the message's final paragraph, as git parses trailers
    /// (continuation lines unfolded).
    public struct Trailer: Sendable, Hashable {
        public let key: String
        public let value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The full commit id.
    public let sha: String
    /// Parent commit ids in order; the first is the branch the commit was made or merged on.
    public let parents: [String]
    public let authorName: String
    public let authorEmail: String
    /// Author time, UTC milliseconds since 1970.
    public let authorTime: Int64
    public let committerName: String
    public let committerEmail: String
    /// Committer time (when the commit was made or merged), UTC milliseconds since 1970.
    public let committerTime: Int64
    /// The subject: the message's first paragraph joined into one line, as git's `%s`.
    public let subject: String
    /// The whole message exactly as git's `%B` gives it (subject, body and trailers).
    public let message: String
    /// Trailers in message order; a key may repeat (two `Reviewed-by:` lines give two trailers).
    public let trailers: [Trailer]
    /// The pull request number from `Merge pull request #N from …` or a squash subject ending in `(#N)`.
    public let pullRequest: Int?
    /// Whether the commit lies on the branch's first-parent chain, i.e. it is how a change landed on
    /// the branch, rather than a commit made on a side branch that was merged later.
    public let isMainline: Bool
    /// Files changed under the policy path (relative to the first parent for a merge), sorted by path.
    public let files: [PolicyFileChange]

    public init(
        sha: String, parents: [String], authorName: String, authorEmail: String, authorTime: Int64,
        committerName: String, committerEmail: String, committerTime: Int64, subject: String, message: String,
        trailers: [Trailer], pullRequest: Int?, isMainline: Bool, files: [PolicyFileChange]
    ) {
        self.sha = sha
        self.parents = parents
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committerTime = committerTime
        self.subject = subject
        self.message = message
        self.trailers = trailers
        self.pullRequest = pullRequest
        self.isMainline = isMainline
        self.files = files
    }

    /// Whether the commit has more than one parent.
    public var isMerge: Bool { parents.count > 1 }

    /// Values of every trailer whose key equals `key`, ignoring ASCII letter case, in message order.
    public func trailerValues(_ key: String) -> [String] {
        let wanted = key.lowercased()
        return trailers.filter { $0.key.lowercased() == wanted }.map(\.value)
    }

    /// `Reviewed-by:` trailer values.
    public var reviewedBy: [String] { trailerValues("Reviewed-by") }
    /// `Approved-by:` trailer values.
    public var approvedBy: [String] { trailerValues("Approved-by") }
    /// `Reason:` trailer values.
    public var reasons: [String] { trailerValues("Reason") }

    /// The pull request number a subject names: `Merge pull request #N from …` (a forge's merge commit)
    /// or a trailing `(#N)` (a forge's squash merge). Nil when neither, or the number is not 1…999999999.
    public static func pullRequestNumber(subject: String) -> Int? {
        let mergePrefix = "Merge pull request #"
        if subject.hasPrefix(mergePrefix) {
            let digits = subject.dropFirst(mergePrefix.count).prefix(while: { $0.isASCII && $0.isNumber })
            let after = subject.dropFirst(mergePrefix.count + digits.count)
            if after.isEmpty || after.hasPrefix(" ") { return number(digits) }
            return nil
        }
        var trimmed = Substring(subject)
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        guard trimmed.hasSuffix(")") else { return nil }
        let inner = trimmed.dropLast()
        let digits = inner.reversed().prefix(while: { $0.isASCII && $0.isNumber })
        guard inner.dropLast(digits.count).hasSuffix("(#") else { return nil }
        return number(Substring(String(digits.reversed())))
    }

    private static func number(_ digits: Substring) -> Int? {
        guard (1...9).contains(digits.count), let value = Int(digits), value > 0 else { return nil }
        return value
    }
}

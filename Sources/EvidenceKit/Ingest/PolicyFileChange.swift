import Foundation

/// One file under the policy path that a commit added, modified or deleted.
///
/// For a merge commit the change is relative to its first parent, i.e. what the merge brought into
/// the branch. Content is delivered as bytes; parsing it is the policy loader's job.
public struct PolicyFileChange: Sendable, Hashable {
    /// How the commit changed the file, as git's raw diff letters. A type change (`T`, e.g. a regular
    /// file replaced by a symbolic link) is reported as `modified` with the new `mode`.
    public enum Status: String, Sendable, Hashable {
        case added = "A"
        case modified = "M"
        case deleted = "D"
    }

    /// The path relative to the repository root, `/`-separated, exactly as stored in git.
    public let path: String
    public let status: Status
    /// The git file mode in octal (`100644`, `100755`, `120000` symbolic link, `160000` submodule):
    /// the new mode, or for a deletion the mode the file had.
    public let mode: String
    /// The blob id: the new content's, or for a deletion the content that stopped being in force.
    public let blobSHA: String
    /// The file's bytes at this commit, for an added or modified regular policy file (`*.yaml`, `*.yml`)
    /// within the size limit; nil otherwise.
    public let content: Data?
    /// Why this file cannot be used as a policy file, when it cannot (for example "is a symbolic link;
    /// policy files must be regular files"); to be reported together with `path`. Nil for deletions
    /// and for files that are fine.
    public let problem: String?

    public init(path: String, status: Status, mode: String, blobSHA: String, content: Data?, problem: String?) {
        self.path = path
        self.status = status
        self.mode = mode
        self.blobSHA = blobSHA
        self.content = content
        self.problem = problem
    }

    /// Whether the name ends in `.yaml` or `.yml` (any letter case), i.e. the file is meant as a policy.
    public var isPolicyFile: Bool { Self.isPolicyFileName(path) }

    /// Whether `path` names a policy file by its extension.
    static func isPolicyFileName(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }
}

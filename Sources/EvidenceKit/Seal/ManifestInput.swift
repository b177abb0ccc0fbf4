/// One input file as recorded in MANIFEST.json: where it was read from, its size and hash as read, and how
/// many records it held and how many were rejected.
public struct ManifestInput: Sendable, Equatable, Hashable {
    /// The input's path as named in the configuration (relative to the config file's folder where possible).
    public var path: String
    /// The file's size in bytes as read (compressed size for `.gz` inputs). For the policy repository,
    /// the size of the policy file versions read from its history.
    public var bytes: Int
    /// Lowercase hex SHA-256 of the file's bytes as read. For the policy repository, of one line per policy
    /// file version read, `<commit> <path> <SHA-256 of its content>\n`, in the order read (mainline commits
    /// oldest first, files by path): `SELECT commit_sha || ' ' || path || ' ' || content_sha256 FROM
    /// policy_versions ORDER BY id` in the store. The commit its branch pointed at is `policy_repo_head`.
    public var sha256: String
    /// Records (lines, rows, commits) read from the file.
    public var recordsRead: Int
    /// Records rejected as invalid, each reported in `data/input-errors.csv`.
    public var recordsRejected: Int

    public init(path: String, bytes: Int, sha256: String, recordsRead: Int, recordsRejected: Int) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.recordsRead = recordsRead
        self.recordsRejected = recordsRejected
    }
}

/// What one ingestion read: per file counts and hashes, the rejected records, and table sizes.
public struct IngestSummary: Sendable {
    /// One input file as read.
    public struct File: Sendable, Equatable {
        public var input: String
        public var path: String
        public var bytes: Int64
        public var sha256: String
        public var recordsRead: Int
        public var recordsRejected: Int
    }

    public var files: [File] = []
    /// The first rejected records (all of them are in the store's `input_errors`).
    public var errors: [InputError] = []
    /// Total rejected records, which may exceed `errors.count`.
    public var errorCount = 0
    /// Row counts of the store's main tables after the load.
    public var tableCounts: [String: Int] = [:]
    /// The policy branch's HEAD commit.
    public var policyHead: String?
    /// `inputs.audit` globs that matched no file while others did (when none match, the run stops):
    /// a month's logs missing from the folder would otherwise pass unnoticed.
    public var unmatchedAuditPatterns: [String] = []
    /// Seconds spent after the load building the indexes and statistics (part of the ingest stage).
    public var indexSeconds = 0.0

    /// Records read and rejected, summed per input kind, in a fixed order.
    public var perInput: [(input: String, files: Int, read: Int, rejected: Int)] {
        ["audit", "approvals", "directory", "policies", "reviews"].compactMap { input in
            let matching = files.filter { $0.input == input }
            guard !matching.isEmpty else { return nil }
            return (input, matching.count, matching.reduce(0) { $0 + $1.recordsRead }, matching.reduce(0) { $0 + $1.recordsRejected })
        }
    }
}

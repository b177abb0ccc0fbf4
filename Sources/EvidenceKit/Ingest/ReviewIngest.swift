/// Loads the optional PR review export into `policy_reviews`.
final class ReviewIngest {
    static let known = ["pr", "reviewer", "state", "submitted_at"]
    static let states: Set<String> = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]

    private let store: EvidenceStore
    private let errors: InputErrorLog

    init(store: EvidenceStore, errors: InputErrorLog) {
        self.store = store
        self.errors = errors
    }

    /// Reads the review export; returns (records read, records rejected).
    func ingest(path: String, display: String, fileID: Int64, hasher: SHA256) throws -> (read: Int, rejected: Int) {
        let insert = try store.inserter("policy_reviews", ["file_id", "line", "pr", "reviewer", "state", "submitted_at"])
        return try JSONLinesFile.read(path: path, display: display, input: "reviews", parser: JSONLineParser(),
                                      hasher: hasher, errors: errors) { record in
            let pr = try record.integer("pr", range: 1...Int64(Int32.max))
            let reviewer = try record.nonEmptyString("reviewer")
            let state = try record.oneOf("state", Self.states)
            let submitted = try record.timestamp("submitted_at")
            try insert.run([.integer(fileID), .integer(Int64(record.line)), .integer(pr), .text(reviewer), .text(state), .integer(submitted)])
        }
    }
}

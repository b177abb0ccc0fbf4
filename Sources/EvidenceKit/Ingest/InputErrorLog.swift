/// Collects rejected records into `input_errors` as they are found.
///
/// Errors go straight to the store rather than memory, so a hostile input with millions of bad
/// lines cannot exhaust memory; past `limit` the run stops, because evidence that broken is not
/// worth reporting on.
final class InputErrorLog {
    /// Rejected records tolerated before a run stops.
    static let defaultLimit = 1_000_000

    private let insert: Statement
    let limit: Int
    private(set) var count = 0

    init(store: EvidenceStore, limit: Int = InputErrorLog.defaultLimit) throws(SQLiteError) {
        insert = try store.inserter("input_errors", ["input", "file", "line", "field", "message"])
        self.limit = limit
    }

    func record(_ error: InputError) throws {
        count += 1
        guard count <= limit else { throw IngestError.tooManyInputErrors(limit: limit, last: error) }
        try insert.run([.text(error.input), .text(error.file), .integer(Int64(error.line)), error.field.sqlValue, .text(error.message)])
    }
}

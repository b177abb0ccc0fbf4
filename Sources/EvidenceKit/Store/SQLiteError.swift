/// A failed SQLite call, with SQLite's own message and the SQL that was running.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary or extended result code.
    public let code: Int32
    /// `sqlite3_errmsg` at the time of the failure.
    public let message: String
    /// The statement being prepared or run, when there was one.
    public let sql: String?

    public var description: String {
        guard let sql else { return "SQLite error \(code): \(message)." }
        let shown = sql.count > 200 ? String(sql.prefix(200)) + "…" : sql
        return "SQLite error \(code): \(message), in: \(shown.replacingOccurrences(of: "\n", with: " "))"
    }
}

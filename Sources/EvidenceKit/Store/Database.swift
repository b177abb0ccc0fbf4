internal import CSQLite
import Foundation

/// One SQLite connection. The `sqlite3*` handle is owned here and closed in `deinit`.
///
/// Not thread-safe: a connection is used by one task at a time (SQLite is built serialized on
/// Debian, but statements are not shared across threads here).
public final class Database {
    let handle: OpaquePointer
    /// The file this connection opened.
    public let path: String

    /// Runs once, before the first connection initialises SQLite. SQLITE_MISUSE means SQLite was
    /// already initialised by other code in the process: the statistics then stay on, which costs
    /// speed only, so that result is accepted.
    private static let configured: Int32 = csqlite_disable_memory_statistics()

    /// Opens (and with `readOnly == false`, creates) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        if Self.configured != SQLITE_OK && Self.configured != SQLITE_MISUSE {
            throw SQLiteError(code: Self.configured, message: "cannot configure SQLite (memory statistics)", sql: nil)
        }
        var db: OpaquePointer?
        let flags = readOnly
            ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "cannot open '\(path)': \(message)", sql: nil)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The connection's current error message.
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func check(_ rc: Int32, _ sql: String?) throws(SQLiteError) {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw SQLiteError(code: rc, message: lastMessage, sql: sql)
        }
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// Compiles `sql` once for repeated execution.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Compiles exactly one statement; anything after it is an error.
    public func prepareSingle(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql, single: true)
    }

    /// Runs `body` inside one transaction, committed when it returns and rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs a query and returns every row as text values (nil for NULL), with the column names.
    public func query(_ sql: String, _ arguments: [SQLValue] = []) throws(SQLiteError) -> (columns: [String], rows: [[SQLValue]]) {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [[SQLValue]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.value(at: $0) })
        }
        return (statement.columnNames, rows)
    }

    /// The first column of the first row, or nil when the query returns no row.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws(SQLiteError) -> SQLValue? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.value(at: 0)
    }

    /// Row id of the last insert on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

internal import CSQLite

/// A prepared statement, finalized in `deinit`. Bind, step, read, reset.
public final class Statement {
    let handle: OpaquePointer
    let database: Database
    /// The SQL this statement was compiled from.
    public let sql: String

    /// Compiles `sql`. With `single`, text after the first statement (other than whitespace and
    /// semicolons) is an error, so user-supplied check SQL cannot smuggle in a second statement.
    init(database: Database, sql: String, single: Bool = false) throws(SQLiteError) {
        var statement: OpaquePointer?
        var trailing = ""
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(database.handle, text, -1, &statement, &tail)
            if let tail { trailing = String(cString: tail) }
            return rc
        }
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(code: rc, message: rc == SQLITE_OK ? "the SQL holds no statement" : database.lastMessage, sql: sql)
        }
        if single && !trailing.allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            sqlite3_finalize(statement)
            throw SQLiteError(code: SQLITE_MISUSE, message: "only one SQL statement is allowed, found more after the first", sql: sql)
        }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// True when the statement cannot write to the database.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Result column names, in order.
    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: sqlite3_column_name(handle, Int32($0))) }
    }

    /// Binds values to parameters 1...n.
    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int) throws(SQLiteError) {
        let i = Int32(index)
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, i)
        case .integer(let v): rc = sqlite3_bind_int64(handle, i, v)
        case .real(let v): rc = sqlite3_bind_double(handle, i, v)
        case .text(var v):
            rc = v.withUTF8 { bindUTF8(UnsafeRawBufferPointer($0), at: i) }
        case .blob(let bytes):
            rc = bytes.withUnsafeBytes { csqlite_bind_blob_transient(handle, i, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count)) }
        }
        try database.check(rc, sql)
    }

    /// Binds UTF-8 bytes as text without building a String first (the ingest fast path).
    func bindText(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(SQLiteError) {
        try database.check(bindUTF8(bytes, at: Int32(index)), sql)
    }

    /// Binds UTF-8 text in place (SQLITE_STATIC): the bytes must stay valid and unchanged until the
    /// statement has been stepped and this binding replaced or cleared with `clearBindings()`.
    /// `count` must fit in Int32; `bytes` must not be nil (use any valid pointer for an empty string).
    @inline(__always)
    func bindTextNoCopy(_ bytes: UnsafePointer<UInt8>, count: Int, at index: Int32) throws(SQLiteError) {
        guard let length = Int32(exactly: count) else {
            throw SQLiteError(code: SQLITE_TOOBIG, message: "text of \(count) bytes is too long to bind", sql: sql)
        }
        let rc = bytes.withMemoryRebound(to: CChar.self, capacity: count) { csqlite_bind_text_static(handle, index, $0, length) }
        if rc != SQLITE_OK { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
    }

    /// Binds a BLOB, copied by SQLite (the ingest fast path's packed hashes).
    @inline(__always)
    func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        let rc = csqlite_bind_blob_transient(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count))
        if rc != SQLITE_OK { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
    }

    /// Binds an integer without going through `SQLValue` (the ingest fast path).
    @inline(__always)
    func bindInt64(_ value: Int64, at index: Int32) throws(SQLiteError) {
        let rc = sqlite3_bind_int64(handle, index, value)
        if rc != SQLITE_OK { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
    }

    /// Binds a double without going through `SQLValue` (the ingest fast path).
    @inline(__always)
    func bindDouble(_ value: Double, at index: Int32) throws(SQLiteError) {
        let rc = sqlite3_bind_double(handle, index, value)
        if rc != SQLITE_OK { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
    }

    /// Binds NULL without going through `SQLValue` (the ingest fast path).
    @inline(__always)
    func bindNull(at index: Int32) throws(SQLiteError) {
        let rc = sqlite3_bind_null(handle, index)
        if rc != SQLITE_OK { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
    }

    /// Drops every binding, so no parameter still points at memory bound with `bindTextNoCopy`.
    func clearBindings() {
        // sqlite3_clear_bindings always returns SQLITE_OK.
        sqlite3_clear_bindings(handle)
    }

    private func bindUTF8(_ bytes: UnsafeRawBufferPointer, at index: Int32) -> Int32 {
        // An empty string must bind as '' (not NULL), so a zero-length value still needs a valid pointer.
        guard let base = bytes.baseAddress, bytes.count > 0 else { return csqlite_bind_text_transient(handle, index, "", 0) }
        return csqlite_bind_text_transient(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
    }

    /// Advances to the next row; false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: rc, message: database.lastMessage, sql: sql)
    }

    /// Resets the statement and clears its bindings for the next execution.
    public func reset() {
        // sqlite3_reset returns the error of the last step, which step() already threw.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Runs a statement that returns no rows with the values already bound, then resets it (keeping
    /// the bindings, which the next row overwrites): the bulk-insert fast path.
    func executeBound() throws(SQLiteError) {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
    }

    /// Binds `values`, runs the statement to completion and resets it.
    public func run(_ values: [SQLValue]) throws(SQLiteError) {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// Reads column `index` of the current row.
    public func value(at index: Int) -> SQLValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard let text = sqlite3_column_text(handle, i) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard let blob = sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default: return .null
        }
    }
}

import Foundation

/// The run's SQLite evidence store: created empty, bulk loaded by the ingesters in one transaction,
/// indexed after the load, then queried read-only by the checks.
public final class EvidenceStore {
    /// The underlying connection (read-write during ingest).
    public let database: Database

    /// Creates a new store at `path`, replacing any file there.
    public init(creatingAt path: String) throws(SQLiteError) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
        database = try Database(path: path)
        // The store is rebuilt from the inputs on every run, so durability across a crash buys nothing.
        // threads = 2: the index build after the load sorts with a helper thread (both cores).
        // temp_store = FILE: building an index on tens of millions of rows sorts more than fits the
        // memory bound, and SQLite's sorter spills to temporary files only when allowed to.
        // page_size = 64 KiB: the checks scan a million rows per pass, and bigger pages mean fewer page
        // changes and read() calls per pass (checks at 1M: 5.0 -> 4.1 s). cache_size = 16 MiB: the
        // index sorts after the load are faster with smaller sorted runs, which merge on both threads
        // (2.9 s with 32 MiB, 3.3 s with 64 MiB, 2.4 s with 16 MiB at 1M).
        try database.execute("PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE; PRAGMA cache_size = -16384; PRAGMA threads = 2;")
        try database.execute(Schema.tables)
        try database.execute(Schema.views)
        try setMeta("schema_version", String(Schema.version))
    }

    /// Opens an existing store without the right to change it, as the checks do.
    public init(readingAt path: String) throws(SQLiteError) {
        database = try Database(path: path, readOnly: true)
        // No mmap: mapped pages count as resident memory, and the 300 MB bound matters more than the
        // read() copies it would save.
        try database.execute("PRAGMA query_only = ON; PRAGMA temp_store = FILE; PRAGMA cache_size = -16384;")
    }

    /// Records a run-level fact (period bounds, organisation) that checks can read from `meta`.
    public func setMeta(_ key: String, _ value: String) throws(SQLiteError) {
        let statement = try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        try statement.run([.text(key), .text(value)])
    }

    /// Builds the indexes and statistics once the data is in.
    public func finishLoad() throws(SQLiteError) {
        try database.execute(Schema.indexes)
    }

    /// Prepares an INSERT of `columns` into `table`, to be run once per row.
    func inserter(_ table: String, _ columns: [String]) throws(SQLiteError) -> Statement {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return try database.prepare("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
    }

    /// Row count of `table`, for summaries and tests.
    public func count(_ table: String) throws(SQLiteError) -> Int {
        Int(try database.scalar("SELECT count(*) FROM \(table)")?.int64 ?? 0)
    }
}

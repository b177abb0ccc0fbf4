/// Validated audit rows on their way from the reader thread to the inserter, packed so that neither
/// thread builds a Swift `String` per value: every text value is a span of one byte buffer, and the
/// inserter binds the spans in place (SQLITE_STATIC) instead of copying them into SQLite.
///
/// Errors and file ends travel in the same batch as events, each placed before a given row, so the
/// inserter handles everything in the order the reader found it.
struct AuditBatch: Sendable {
    /// The text columns of `calls`, in the view's column order.
    enum Text: Int, CaseIterable {
        case time, sessionID, userID, agentID, server, tool, qualifiedTool, argumentsHash, responseHash, dlp, decision
        case classification, correlationID, eventID, policyID, decisionReason, environment, prevHash, chainExpected, extra
    }

    /// The non-text columns of one row.
    struct Row: Sendable {
        var fileID: Int64
        var line: Int64
        var timestamp: Int64
        var latency: Double
        var seq: Int64?
        var chainOK: Int64?
    }

    enum Event: Sendable {
        case error(InputError)
        case fileDone(AuditIngest.FileResult)
        case failed(any Error)
    }

    static let textCount = Text.allCases.count

    private(set) var rows: [Row] = []
    /// Per row, `textCount` pairs (start in `bytes`, length); a length of -1 is NULL.
    private(set) var spans: [Int] = []
    /// The text values of every row, back to back.
    private(set) var bytes: [UInt8] = []
    /// Each event with the number of rows that precede it.
    private(set) var events: [(beforeRow: Int, event: Event)] = []

    init(rowCapacity: Int = 0, byteCapacity: Int = 0) {
        rows.reserveCapacity(rowCapacity)
        spans.reserveCapacity(rowCapacity * Self.textCount)
        bytes.reserveCapacity(byteCapacity)
    }

    /// Rows plus events.
    var itemCount: Int { rows.count + events.count }

    mutating func append(_ event: Event) {
        events.append((rows.count, event))
    }

    // MARK: Building a row

    /// Copies `text` to the buffer and returns where it starts (for spans into it).
    mutating func appendBytes(_ text: UnsafeRawBufferPointer) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: text.bindMemory(to: UInt8.self))
        return start
    }

    mutating func appendBytes(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { appendBytes(UnsafeRawBufferPointer($0)) }
    }

    mutating func appendByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    var byteCount: Int { bytes.count }

    /// Adds the next text span of the row being built; spans go in `Text` order, then `finishRow`.
    mutating func appendSpan(start: Int, count: Int) {
        spans.append(start)
        spans.append(count)
    }

    mutating func appendNullSpan() {
        spans.append(0)
        spans.append(-1)
    }

    /// Adds `text` as the next span (NULL when nil).
    mutating func appendText(_ text: String?) {
        guard let text else { return appendNullSpan() }
        let start = appendBytes(text)
        appendSpan(start: start, count: bytes.count - start)
    }

    mutating func finishRow(_ row: Row) {
        rows.append(row)
    }
}

extension AuditBatch {
    /// Inserts rows `range`, numbered from `nextID` (advanced past them), with `rows` and `details`
    /// (prepared with `AuditRow.rowColumns` and `AuditRow.detailColumns`), binding text in place;
    /// `policies` gives each row's governing policy version.
    func insertRows(_ range: Range<Int>, firstID nextID: inout Int64, rows insertRow: Statement, details insertDetails: Statement,
                    policies: PolicyTimeline) throws(SQLiteError) {
        guard !range.isEmpty else { return }
        try bytes.withUnsafeBufferPointer { (buffer) throws(SQLiteError) in
            // The bindings point into `bytes`, which lives only as long as this batch.
            defer {
                insertRow.clearBindings()
                insertDetails.clearBindings()
            }
            // A non-nil pointer for empty text, which must bind as '' and not NULL.
            var empty: UInt8 = 0
            try withUnsafePointer(to: &empty) { (emptyPointer) throws(SQLiteError) in
                let base = buffer.baseAddress ?? emptyPointer
                var digestStorage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                try withUnsafeMutableBytes(of: &digestStorage) { (digestBuffer) throws(SQLiteError) in
                try spans.withUnsafeBufferPointer { (spans) throws(SQLiteError) in
                    for r in range {
                        let row = rows[r]
                        let first = 2 * r * Self.textCount
                        /// Where the column's text starts in `bytes`, and its length (-1 for NULL).
                        func span(_ column: Text) -> (start: Int, count: Int) {
                            (spans[first + 2 * column.rawValue], spans[first + 2 * column.rawValue + 1])
                        }
                        func text(_ column: Text, _ statement: Statement, _ index: Int32) throws(SQLiteError) {
                            let (start, count) = span(column)
                            if count < 0 {
                                try statement.bindNull(at: index)
                            } else {
                                try statement.bindTextNoCopy(base + start, count: count, at: index)
                            }
                        }
                        func bytes(_ column: Text) -> UnsafeRawBufferPointer {
                            let (start, count) = span(column)
                            return UnsafeRawBufferPointer(start: base + start, count: max(count, 0))
                        }
                        func digest(_ column: Text, _ index: Int32) throws(SQLiteError) {
                            let (start, count) = span(column)
                            if count == DigestColumn.textLength,
                               DigestColumn.pack(UnsafeRawBufferPointer(start: base + start, count: count), into: digestBuffer) {
                                try insertDetails.bindBlob(UnsafeRawBufferPointer(digestBuffer), at: index)
                            } else {
                                try text(column, insertDetails, index)
                            }
                        }
                        let id = nextID
                        try insertRow.bindInt64(id, at: 1)
                        try insertRow.bindInt64(row.fileID, at: 2)
                        try insertRow.bindInt64(row.line, at: 3)
                        try insertRow.bindInt64(row.timestamp, at: 4)
                        try text(.time, insertRow, 5)
                        try text(.sessionID, insertRow, 6)
                        try text(.userID, insertRow, 7)
                        try text(.agentID, insertRow, 8)
                        try text(.server, insertRow, 9)
                        try text(.tool, insertRow, 10)
                        try text(.qualifiedTool, insertRow, 11)
                        try text(.dlp, insertRow, 12)
                        try text(.decision, insertRow, 13)
                        try insertRow.bindDouble(row.latency, at: 14)
                        try text(.classification, insertRow, 15)
                        try text(.correlationID, insertRow, 16)
                        if let seq = row.seq { try insertRow.bindInt64(seq, at: 17) } else { try insertRow.bindNull(at: 17) }
                        if let ok = row.chainOK { try insertRow.bindInt64(ok, at: 18) } else { try insertRow.bindNull(at: 18) }
                        if let version = policies.versionID(server: bytes(.server), name: bytes(.tool), at: row.timestamp) {
                            try insertRow.bindInt64(version, at: 19)
                        } else {
                            try insertRow.bindNull(at: 19)
                        }
                        try insertRow.executeBound()
                        try insertDetails.bindInt64(id, at: 1)
                        try digest(.argumentsHash, 2)
                        try digest(.responseHash, 3)
                        try text(.eventID, insertDetails, 4)
                        try text(.policyID, insertDetails, 5)
                        try text(.decisionReason, insertDetails, 6)
                        try text(.environment, insertDetails, 7)
                        try digest(.prevHash, 8)
                        try text(.chainExpected, insertDetails, 9)
                        try text(.extra, insertDetails, 10)
                        try insertDetails.executeBound()
                        nextID += 1
                    }
                }
                }
            }
        }
    }
}

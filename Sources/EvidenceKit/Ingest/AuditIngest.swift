import Foundation

/// Streams the gateway's audit JSON lines into `calls` on three threads: one reads, decompresses and
/// hashes each file (`LineReader`'s read-ahead); a reader thread hashes, parses, validates and
/// chain-checks every line; the calling thread inserts the rows into SQLite. A bounded queue between them keeps memory flat whatever the log size.
///
/// The chain is verified while reading rather than in SQL because it is defined over exact line
/// bytes, including lines that fail validation and so never reach `calls`.
final class AuditIngest {
    struct File: Sendable {
        var path: String
        var display: String
        var fileID: Int64
    }

    struct FileResult: Sendable {
        var file: File
        var bytes: Int64
        var sha256: String
        var read: Int
        var rejected: Int
    }

    private let insertRow: Statement
    private let insertDetails: Statement
    private let errors: InputErrorLog
    private let policies: PolicyTimeline
    private let fastPath: Bool
    /// Ids are assigned here, in reading order, so `calls.id` follows file and line order.
    private var nextID: Int64 = 1

    /// `policies` gives each call's `policy_version_id`. `fastPath: false` reads every line with the
    /// general parser; tests compare the two.
    init(store: EvidenceStore, errors: InputErrorLog, policies: PolicyTimeline, fastPath: Bool = true) throws(SQLiteError) {
        insertRow = try store.inserter("call_rows", AuditRow.rowColumns)
        insertDetails = try store.inserter("call_details", AuditRow.detailColumns)
        self.errors = errors
        self.policies = policies
        self.fastPath = fastPath
    }

    /// Reads every file in order (the chain may continue from one file to the next) and returns
    /// what was read from each; `onFile` is called as each file is finished.
    func ingest(_ files: [File], onFile: (FileResult) -> Void = { _ in }) throws -> [FileResult] {
        let queue = BoundedQueue<AuditBatch>(capacity: 8)
        let reader = AuditReader(files: files, queue: queue, fastPath: fastPath)
        let thread = Thread { reader.run() }
        thread.stackSize = 1 << 22
        thread.start()
        defer { queue.close() }  // unblocks the reader if inserting failed
        var results: [FileResult] = []
        while let batch = queue.pop() {
            var next = 0
            for (row, event) in batch.events {
                try batch.insertRows(next..<row, firstID: &nextID, rows: insertRow, details: insertDetails, policies: policies)
                next = row
                switch event {
                case .error(let error):
                    try errors.record(error)
                case .fileDone(let result):
                    results.append(result)
                    onFile(result)
                case .failed(let error):
                    throw error
                }
            }
            try batch.insertRows(next..<batch.rows.count, firstID: &nextID, rows: insertRow, details: insertDetails, policies: policies)
        }
        return results
    }
}

/// The reading half of `AuditIngest`, run on its own thread.
final class AuditReader: @unchecked Sendable {
    static let required: [String] = [
        "timestamp", "session_id", "user_id", "agent_id", "tool_server", "tool_name", "arguments_hash",
        "response_hash", "dlp_result", "policy_decision", "latency_ms", "data_classification", "correlation_id",
    ]
    static let optional: [String] = ["event_id", "policy_id", "decision_reason", "environment", "seq", "prev_hash"]
    static let known = required + optional
    static let decisions: Set<String> = ["allow", "deny"]
    static let dlpResults: Set<String> = ["clean", "masked", "blocked", "flagged"]
    static let classifications: Set<String> = ["public", "internal", "confidential", "restricted"]
    static let batchSize = 1024
    /// A batch is also sent once its text passes this size, so a run of huge lines cannot pile up.
    static let batchBytes = 4 << 20

    /// What the previous line says about the chain for the next one.
    enum ChainState {
        /// At a file's first line: `prev_hash` may be null or the previous file's last line hash.
        case fileStart
        /// After a hashed line, whose `sha256:` hash is in `previousHash`.
        case hashed
        /// After a line too long to hash: the next comparison is skipped.
        case unknown
    }

    private let files: [AuditIngest.File]
    private let queue: BoundedQueue<AuditBatch>
    private let fastPath: Bool
    private let parser = JSONLineParser()
    let scanner = AuditLineScanner()
    var batch: AuditBatch
    /// `sha256:` + 64 hex digits of the current and the previous line, swapped after each line.
    private var currentHash: UnsafeMutablePointer<UInt8>
    private(set) var previousHash: UnsafeMutablePointer<UInt8>
    /// The current line's 32-byte digest before it is written out as hex.
    private let digest: UnsafeMutablePointer<UInt8>
    static let hashTextLength = 71

    init(files: [AuditIngest.File], queue: BoundedQueue<AuditBatch>, fastPath: Bool = true) {
        self.files = files
        self.queue = queue
        self.fastPath = fastPath
        batch = Self.newBatch()
        currentHash = .allocate(capacity: Self.hashTextLength)
        previousHash = .allocate(capacity: Self.hashTextLength)
        digest = .allocate(capacity: 32)
        digest.initialize(repeating: 0, count: 32)
        for buffer in [currentHash, previousHash] {
            buffer.initialize(repeating: 0, count: Self.hashTextLength)
            for (k, byte) in "sha256:".utf8.enumerated() { buffer[k] = byte }
        }
    }

    deinit {
        currentHash.deallocate()
        previousHash.deallocate()
        digest.deallocate()
    }

    private static func newBatch() -> AuditBatch {
        AuditBatch(rowCapacity: batchSize, byteCapacity: 640 * batchSize)
    }

    private func emit(_ event: AuditBatch.Event) {
        batch.append(event)
        flushIfFull()
    }

    private func flushIfFull() {
        if batch.itemCount >= Self.batchSize || batch.byteCount >= Self.batchBytes { flush() }
    }

    private func flush() {
        guard batch.itemCount > 0 else { return }
        queue.push(batch)
        batch = Self.newBatch()
    }

    static func hashText(_ pointer: UnsafeMutablePointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(start: pointer, count: hashTextLength), as: UTF8.self)
    }

    func run() {
        do {
            let lineHasher = try SHA256()
            var previousFileLastHash: String?
            for file in files {
                let fileHasher = try SHA256()
                var chain = ChainState.fileStart
                let counts = try JSONLinesFile.forEachLine(
                    path: file.path, display: file.display, input: "audit", hasher: fileHasher, readAhead: true,
                    reject: { self.emit(.error($0)) },
                    onOversized: { _ in
                        // The line's bytes were not kept, so the chain cannot be checked across it; the next
                        // record's comparison is skipped rather than reported as a false mismatch.
                        chain = .unknown
                    }) { bytes, number in
                    lineHasher.reset()
                    lineHasher.update(bytes)
                    lineHasher.finalize(into: digest)
                    Self.writeHex(digest, into: currentHash + 7)
                    defer {
                        swap(&currentHash, &previousHash)
                        chain = .hashed
                    }
                    if fastPath, packFast(bytes, number: number, file: file, chain: chain, previousFile: previousFileLastHash) {
                        flushIfFull()
                        return
                    }
                    let expected: String?? = switch chain {
                    case .fileStart: .some(nil)
                    case .hashed: .some(Self.hashText(previousHash))
                    case .unknown: .none
                    }
                    try decode(bytes, line: number, file: file, expectedPrevious: expected, previousFile: previousFileLastHash)
                        .pack(into: &batch)
                    flushIfFull()
                }
                previousFileLastHash = chain == .hashed ? Self.hashText(previousHash) : nil
                emit(.fileDone(AuditIngest.FileResult(file: file, bytes: fileHasher.byteCount, sha256: fileHasher.finalize().hexString,
                                                      read: counts.read, rejected: counts.rejected)))
            }
        } catch {
            emit(.failed(error))
        }
        flush()
        queue.close()
    }

    private static func writeHex(_ digest: UnsafeMutablePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        for k in 0..<32 {
            let byte = digest[k]
            output[2 * k] = table[Int(byte >> 4)]
            output[2 * k + 1] = table[Int(byte & 0x0F)]
        }
    }

    /// Validates one line. `expectedPrevious` is `.some(nil)` on a file's first line, `.some(hash)`
    /// after a hashed line, and `.none` after a line too long to hash.
    private func decode(_ bytes: UnsafeRawBufferPointer, line: Int, file: AuditIngest.File,
                        expectedPrevious: String??, previousFile: String?) throws(InputError) -> AuditRow {
        let record = try JSONLinesFile.parse(bytes, parser: parser, input: "audit", display: file.display, line: line)
        var row = AuditRow(
            fileID: file.fileID, line: line, timestamp: try record.timestamp("timestamp"),
            sessionID: try record.string("session_id"), userID: try record.string("user_id"), agentID: try record.string("agent_id"),
            server: try record.nonEmptyString("tool_server"), tool: try record.nonEmptyString("tool_name"),
            argumentsHash: try record.string("arguments_hash"), responseHash: try record.nullableString("response_hash"),
            dlp: try record.oneOf("dlp_result", Self.dlpResults), decision: try record.oneOf("policy_decision", Self.decisions),
            latency: try record.number("latency_ms"), classification: try record.oneOf("data_classification", Self.classifications),
            correlationID: try record.string("correlation_id"), eventID: try record.optionalString("event_id"),
            policyID: try record.optionalString("policy_id"), decisionReason: try record.optionalString("decision_reason"),
            environment: try record.optionalString("environment"), seq: try record.optionalInteger("seq", range: 0...Int64.max),
            prevHash: try record.optionalString("prev_hash"), chainOK: nil, chainExpected: nil,
            extra: record.extras(excluding: Self.known))
        guard row.latency >= 0 else { throw record.error("latency_ms", "must not be negative, found \(row.latency)") }
        guard record["prev_hash"] != nil else { return row }
        let ok: Bool
        switch expectedPrevious {
        case .some(.none):
            ok = row.prevHash == nil || row.prevHash == previousFile
            if !ok { row.chainExpected = previousFile.map { "null or \($0)" } ?? "null" }
        case .some(.some(let expected)):
            ok = row.prevHash == expected
            if !ok { row.chainExpected = expected }
        case .none:
            ok = true  // the previous line was too long to hash; it is reported on its own
        }
        row.chainOK = ok ? 1 : 0
        return row
    }
}

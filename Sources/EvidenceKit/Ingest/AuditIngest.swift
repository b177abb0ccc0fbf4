import Foundation

/// Streams the gateway's audit JSON lines into `calls`, validating every field, hashing each file
/// as it is read, and verifying the `seq`/`prev_hash` chain line by line.
///
/// The chain is verified here rather than in SQL because it is defined over exact line bytes,
/// including lines that fail validation and so never reach `calls`.
final class AuditIngest {
    static let required: [String] = [
        "timestamp", "session_id", "user_id", "agent_id", "tool_server", "tool_name", "arguments_hash",
        "response_hash", "dlp_result", "policy_decision", "latency_ms", "data_classification", "correlation_id",
    ]
    static let optional: [String] = ["event_id", "policy_id", "decision_reason", "environment", "seq", "prev_hash"]
    static let known = Set(required + optional)
    static let decisions: Set<String> = ["allow", "deny"]
    static let dlpResults: Set<String> = ["clean", "masked", "blocked", "flagged"]
    static let classifications: Set<String> = ["public", "internal", "confidential", "restricted"]

    private let insert: Statement
    private let errors: InputErrorLog
    private let parser = JSONLineParser()
    /// The hash of the last line of the previous file: a file's first record may chain to it.
    private var previousFileLastHash: String?

    init(store: EvidenceStore, errors: InputErrorLog) throws(SQLiteError) {
        insert = try store.inserter("calls", [
            "file_id", "line", "ts", "time", "session_id", "user_id", "agent_id", "tool_server", "tool_name", "tool",
            "arguments_hash", "response_hash", "dlp_result", "policy_decision", "latency_ms", "data_classification",
            "correlation_id", "event_id", "policy_id", "decision_reason", "environment", "seq", "prev_hash",
            "chain_ok", "chain_expected", "extra",
        ])
        self.errors = errors
    }

    /// Reads one audit file, returning (records read, records rejected).
    func ingest(path: String, display: String, fileID: Int64, hasher: SHA256) throws -> (read: Int, rejected: Int) {
        var previousLineHash: String?
        var isFirstLine = true
        let counts = try JSONLinesFile.forEachLine(path: path, display: display, input: "audit", hasher: hasher, errors: errors,
                                                   onOversized: { _ in
            // The line's bytes were not kept, so the chain cannot be checked across it; the next
            // record's comparison is skipped rather than reported as a false mismatch.
            previousLineHash = nil
            isFirstLine = false
        }) { bytes, number in
            let lineHash = "sha256:" + (try SHA256.hex(of: bytes))
            defer {
                previousLineHash = lineHash
                isFirstLine = false
            }
            try insertRecord(bytes, line: number, display: display, fileID: fileID,
                             expectedPrevious: previousLineHash, isFirstLine: isFirstLine)
        }
        previousFileLastHash = previousLineHash
        return counts
    }

    private func insertRecord(_ bytes: UnsafeRawBufferPointer, line: Int, display: String, fileID: Int64,
                              expectedPrevious: String?, isFirstLine: Bool) throws {
        let record = try JSONLinesFile.parse(bytes, parser: parser, input: "audit", display: display, line: line)
        let timestamp = try record.timestamp("timestamp")
        let sessionID = try record.string("session_id")
        let userID = try record.string("user_id")
        let agentID = try record.string("agent_id")
        let server = try record.nonEmptyString("tool_server")
        let tool = try record.nonEmptyString("tool_name")
        let argumentsHash = try record.string("arguments_hash")
        let responseHash = try record.nullableString("response_hash")
        let dlp = try record.oneOf("dlp_result", Self.dlpResults)
        let decision = try record.oneOf("policy_decision", Self.decisions)
        let latency = try record.number("latency_ms")
        guard latency >= 0 else { throw record.error("latency_ms", "must not be negative, found \(latency)") }
        let classification = try record.oneOf("data_classification", Self.classifications)
        let correlationID = try record.string("correlation_id")
        let seq = try record.optionalInteger("seq", range: 0...Int64.max)
        let prevHash = try record.optionalString("prev_hash")
        let hasChainField = record.fields["prev_hash"] != nil

        var chainOK: SQLValue = .null
        var chainExpected: SQLValue = .null
        if hasChainField {
            let ok: Bool
            if isFirstLine {
                ok = prevHash == nil || prevHash == previousFileLastHash
                if !ok { chainExpected = previousFileLastHash.map { .text("null or \($0)") } ?? .text("null") }
            } else if let expectedPrevious {
                ok = prevHash == expectedPrevious
                if !ok { chainExpected = .text(expectedPrevious) }
            } else {
                ok = true  // the previous line was too long to hash; reported on its own
            }
            chainOK = .integer(ok ? 1 : 0)
        }

        try insert.run([
            .integer(fileID), .integer(Int64(line)), .integer(timestamp), .text(Timestamp.format(timestamp)), .text(sessionID), .text(userID), .text(agentID),
            .text(server), .text(tool), .text(server + "." + tool), .text(argumentsHash), responseHash.sqlValue,
            .text(dlp), .text(decision), .real(latency), .text(classification), .text(correlationID),
            try record.optionalString("event_id").sqlValue, try record.optionalString("policy_id").sqlValue,
            try record.optionalString("decision_reason").sqlValue, try record.optionalString("environment").sqlValue,
            seq.sqlValue, prevHash.sqlValue, chainOK, chainExpected, record.extras(excluding: Self.known).sqlValue,
        ])
    }
}

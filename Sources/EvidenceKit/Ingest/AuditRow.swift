/// One validated audit record, ready to insert into `calls`.
struct AuditRow: Sendable {
    var fileID: Int64
    var line: Int
    var timestamp: Int64
    var sessionID: String
    var userID: String
    var agentID: String
    var server: String
    var tool: String
    var argumentsHash: String
    var responseHash: String?
    var dlp: String
    var decision: String
    var latency: Double
    var classification: String
    var correlationID: String
    var eventID: String?
    var policyID: String?
    var decisionReason: String?
    var environment: String?
    var seq: Int64?
    var prevHash: String?
    /// 1 when `prev_hash` matches the previous line, 0 when not, nil when the record has no chain field.
    var chainOK: Int64?
    var chainExpected: String?
    var extra: String?

    /// The columns of `call_rows`, in the order `AuditBatch.insertRows` binds them (`id` first).
    static let rowColumns = [
        "id", "file_id", "line", "ts", "time", "session_id", "user_id", "agent_id", "tool_server", "tool_name", "tool",
        "dlp_result", "policy_decision", "latency_ms", "data_classification", "correlation_id", "seq", "chain_ok",
        "policy_version_id",
    ]
    /// The columns of `call_details`, in the order `AuditBatch.insertRows` binds them (`call_id` first).
    static let detailColumns = [
        "call_id", "arguments_hash", "response_hash", "event_id", "policy_id", "decision_reason", "environment",
        "prev_hash", "chain_expected", "extra",
    ]

    /// Adds the row to `batch`, with the derived `time` and `tool` columns.
    func pack(into batch: inout AuditBatch) {
        batch.appendText(Timestamp.format(timestamp))
        batch.appendText(sessionID)
        batch.appendText(userID)
        batch.appendText(agentID)
        batch.appendText(server)
        batch.appendText(tool)
        let qualified = batch.appendBytes(server)
        batch.appendByte(UInt8(ascii: "."))
        _ = batch.appendBytes(tool)
        batch.appendSpan(start: qualified, count: batch.byteCount - qualified)
        batch.appendText(argumentsHash)
        batch.appendText(responseHash)
        batch.appendText(dlp)
        batch.appendText(decision)
        batch.appendText(classification)
        batch.appendText(correlationID)
        batch.appendText(eventID)
        batch.appendText(policyID)
        batch.appendText(decisionReason)
        batch.appendText(environment)
        batch.appendText(prevHash)
        batch.appendText(chainExpected)
        batch.appendText(extra)
        batch.finishRow(AuditBatch.Row(fileID: fileID, line: Int64(line), timestamp: timestamp, latency: latency, seq: seq, chainOK: chainOK))
    }
}

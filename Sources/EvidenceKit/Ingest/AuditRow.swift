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

    /// The columns of `call_rows`, in `bindRow` order (`id` first).
    static let rowColumns = [
        "id", "file_id", "line", "ts", "time", "session_id", "user_id", "agent_id", "tool_server", "tool_name", "tool",
        "dlp_result", "policy_decision", "latency_ms", "data_classification", "correlation_id", "seq", "chain_ok",
    ]
    /// The columns of `call_details`, in `bindDetails` order (`call_id` first).
    static let detailColumns = [
        "call_id", "arguments_hash", "response_hash", "event_id", "policy_id", "decision_reason", "environment",
        "prev_hash", "chain_expected", "extra",
    ]

    /// Binds the scanned half of the row to an insert prepared with `rowColumns`.
    func bindRow(id: Int64, to statement: Statement) throws(SQLiteError) {
        var index = 0
        func next(_ value: SQLValue) throws(SQLiteError) {
            index += 1
            try statement.bind(value, at: index)
        }
        try next(.integer(id)); try next(.integer(fileID)); try next(.integer(Int64(line))); try next(.integer(timestamp))
        try next(.text(Timestamp.format(timestamp))); try next(.text(sessionID)); try next(.text(userID)); try next(.text(agentID))
        try next(.text(server)); try next(.text(tool)); try next(.text(server + "." + tool))
        try next(.text(dlp)); try next(.text(decision)); try next(.real(latency))
        try next(.text(classification)); try next(.text(correlationID)); try next(seq.sqlValue); try next(chainOK.sqlValue)
    }

    /// Binds the detail half of the row to an insert prepared with `detailColumns`.
    func bindDetails(id: Int64, to statement: Statement) throws(SQLiteError) {
        var index = 0
        func next(_ value: SQLValue) throws(SQLiteError) {
            index += 1
            try statement.bind(value, at: index)
        }
        try next(.integer(id)); try next(.text(argumentsHash)); try next(responseHash.sqlValue); try next(eventID.sqlValue)
        try next(policyID.sqlValue); try next(decisionReason.sqlValue); try next(environment.sqlValue); try next(prevHash.sqlValue)
        try next(chainExpected.sqlValue); try next(extra.sqlValue)
    }
}

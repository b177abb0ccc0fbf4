/// Loads the approval history log into `tool_events`, then derives `tools` and `approvals`.
final class ApprovalIngest {
    static let common = ["timestamp", "event", "tool_server", "tool_name", "actor", "actor_role"]
    static let known = common + ["purpose", "owner", "data_classification", "risk_tier", "outcome", "ticket", "expires"]

    private let store: EvidenceStore
    private let errors: InputErrorLog
    private let parser = JSONLineParser()

    init(store: EvidenceStore, errors: InputErrorLog) {
        self.store = store
        self.errors = errors
    }

    /// Reads the approvals file; returns (records read, records rejected).
    func ingest(path: String, display: String, fileID: Int64, hasher: SHA256, periodEnd: Int64) throws -> (read: Int, rejected: Int) {
        let insert = try store.inserter("tool_events", [
            "file_id", "line", "ts", "event", "tool_server", "tool_name", "tool", "actor", "actor_role", "purpose",
            "owner", "data_classification", "risk_tier", "outcome", "ticket", "expires", "extra",
        ])
        var events: [ToolEvent] = []
        var rowIDs: [Int64] = []
        let counts = try JSONLinesFile.read(path: path, display: display, input: "approvals", parser: parser,
                                            hasher: hasher, errors: errors) { record in
            let event = try Self.decode(record)
            try insert.run([
                .integer(fileID), .integer(Int64(record.line)), .integer(event.timestamp), .text(event.event),
                .text(event.toolServer), .text(event.toolName), .text(event.tool), .text(event.actor), .text(event.actorRole),
                event.purpose.sqlValue, event.owner.sqlValue, event.dataClassification.sqlValue, event.riskTier.sqlValue,
                event.outcome.sqlValue, event.ticket.sqlValue, event.expires.sqlValue,
                record.extras(excluding: Self.known).sqlValue,
            ])
            events.append(event)
            rowIDs.append(store.database.lastInsertRowID)
        }
        try storeTimeline(ApprovalTimeline(events: events, statusAt: periodEnd - 1), eventRowIDs: rowIDs)
        return counts
    }

    static func decode(_ record: FieldReader) throws(InputError) -> ToolEvent {
        let kind = try record.oneOf("event", ToolEvent.kinds)
        var event = ToolEvent(
            line: record.line, timestamp: try record.timestamp("timestamp"), event: kind,
            toolServer: try record.nonEmptyString("tool_server"), toolName: try record.nonEmptyString("tool_name"),
            actor: try record.nonEmptyString("actor"), actorRole: try record.string("actor_role"))
        guard !event.toolServer.contains(".") else {
            throw record.error("tool_server", "'\(FieldReader.shorten(event.toolServer))' must not contain a dot (tools are named server.tool)")
        }
        switch kind {
        case "registered":
            event.purpose = try record.string("purpose")
            event.owner = try record.nonEmptyString("owner")
            event.dataClassification = try record.oneOf("data_classification", AuditReader.classifications)
            event.riskTier = try record.integer("risk_tier", range: 1...3)
        case "security_review":
            event.outcome = try record.oneOf("outcome", ["pass", "fail"])
            event.ticket = try record.optionalString("ticket")
        case "approved":
            event.riskTier = try record.integer("risk_tier", range: 1...3)
            event.expires = try record.optionalExpiry("expires")
            event.ticket = try record.optionalString("ticket")
        case "reviewed":
            event.outcome = try record.oneOf("outcome", ["pass", "fail"])
            event.expires = try record.optionalExpiry("expires")
            event.ticket = try record.optionalString("ticket")
        default:
            event.ticket = try record.optionalString("ticket")
        }
        return event
    }

    private func storeTimeline(_ timeline: ApprovalTimeline, eventRowIDs: [Int64]) throws {
        let insertTool = try store.inserter("tools", [
            "tool", "tool_server", "tool_name", "registered_at", "registered_by", "purpose", "owner",
            "data_classification", "risk_tier", "first_approved_at", "last_reviewed_at", "decommissioned_at", "status",
        ])
        for tool in timeline.tools.values.sorted(by: { $0.tool < $1.tool }) {
            try insertTool.run([
                .text(tool.tool), .text(tool.toolServer), .text(tool.toolName), tool.registeredAt.sqlValue,
                tool.registeredBy.sqlValue, tool.purpose.sqlValue, tool.owner.sqlValue, tool.dataClassification.sqlValue,
                tool.riskTier.sqlValue, tool.firstApprovedAt.sqlValue, tool.lastReviewedAt.sqlValue,
                tool.decommissionedAt.sqlValue, .text(tool.status),
            ])
        }
        let insertApproval = try store.inserter("approvals", [
            "tool", "event_id", "approved_at", "approved_by", "approver_role", "risk_tier", "ticket",
            "valid_from", "valid_to", "ended_by",
        ])
        for approval in timeline.approvals {
            try insertApproval.run([
                .text(approval.tool), .integer(eventRowIDs[approval.eventIndex]), .integer(approval.approvedAt),
                .text(approval.approvedBy), .text(approval.approverRole), approval.riskTier.sqlValue, approval.ticket.sqlValue,
                .integer(approval.validFrom), approval.validTo.sqlValue, approval.endedBy.sqlValue,
            ])
        }
    }
}

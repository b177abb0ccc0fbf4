/// Derives each tool's registration record and approval validity intervals from its lifecycle events.
///
/// Rules (documented in mappings/SCHEMA.md): an approval is valid from its timestamp until the
/// first of its `expires`, a revocation, a decommissioning, a failed periodic review, or a newer
/// approval (which supersedes it). A passing `reviewed` event while the approval is in force moves
/// the end to the review's new `expires`; a review after the approval ended does not revive it.
struct ApprovalTimeline {
    struct Approval: Equatable {
        var tool: String
        var eventIndex: Int
        var approvedAt: Int64
        var approvedBy: String
        var approverRole: String
        var riskTier: Int64?
        var ticket: String?
        var validFrom: Int64
        var validTo: Int64?
        var endedBy: String?

        func isInForce(at time: Int64) -> Bool {
            validFrom <= time && (validTo.map { time < $0 } ?? true)
        }
    }

    struct Tool: Equatable {
        var tool: String
        var toolServer: String
        var toolName: String
        var registeredAt: Int64?
        var registeredBy: String?
        var purpose: String?
        var owner: String?
        var dataClassification: String?
        var riskTier: Int64?
        var firstApprovedAt: Int64?
        var lastReviewedAt: Int64?
        var decommissionedAt: Int64?
        var status = "registered"
    }

    private(set) var tools: [String: Tool] = [:]
    private(set) var approvals: [Approval] = []

    /// Builds the timeline; `events` may be in any order and are replayed by (timestamp, line).
    /// `statusAt` is the moment tool status is reported for (the period end).
    init(events: [ToolEvent], statusAt: Int64) {
        let order = events.indices.sorted { (events[$0].timestamp, events[$0].line) < (events[$1].timestamp, events[$1].line) }
        var open: [String: Int] = [:]  // tool -> index into approvals of its latest approval
        for index in order {
            let event = events[index]
            var tool = tools[event.tool] ?? Tool(tool: event.tool, toolServer: event.toolServer, toolName: event.toolName)
            let current = open[event.tool].flatMap { approvals[$0].isInForce(at: event.timestamp) ? $0 : nil }
            switch event.event {
            case "registered":
                if tool.registeredAt == nil {
                    tool.registeredAt = event.timestamp
                    tool.registeredBy = event.actor
                }
                tool.purpose = event.purpose ?? tool.purpose
                tool.owner = event.owner ?? tool.owner
                tool.dataClassification = event.dataClassification ?? tool.dataClassification
                tool.riskTier = event.riskTier ?? tool.riskTier
            case "approved":
                if let current { end(current, at: event.timestamp, by: "superseded") }
                approvals.append(Approval(
                    tool: event.tool, eventIndex: index, approvedAt: event.timestamp, approvedBy: event.actor,
                    approverRole: event.actorRole, riskTier: event.riskTier, ticket: event.ticket,
                    validFrom: event.timestamp, validTo: event.expires.map { max($0, event.timestamp) },
                    endedBy: event.expires == nil ? nil : "expired"))
                open[event.tool] = approvals.count - 1
                tool.firstApprovedAt = tool.firstApprovedAt ?? event.timestamp
                if let tier = event.riskTier { tool.riskTier = tier }
            case "reviewed":
                tool.lastReviewedAt = event.timestamp
                if let current {
                    if event.outcome == "fail" {
                        end(current, at: event.timestamp, by: "review-failed")
                    } else if let expires = event.expires {
                        approvals[current].validTo = max(expires, event.timestamp)
                        approvals[current].endedBy = "expired"
                    }
                }
            case "revoked":
                if let current { end(current, at: event.timestamp, by: "revoked") }
            case "decommissioned":
                if let current { end(current, at: event.timestamp, by: "decommissioned") }
                tool.decommissionedAt = event.timestamp
            default:
                break  // security_review and rejected only matter to the checks, which read tool_events
            }
            tools[event.tool] = tool
        }
        for (name, var tool) in tools {
            tool.status = Self.status(of: tool, latest: open[name].map { approvals[$0] }, events: events, at: statusAt)
            tools[name] = tool
        }
    }

    private mutating func end(_ index: Int, at time: Int64, by reason: String) {
        approvals[index].validTo = time
        approvals[index].endedBy = reason
    }

    private static func status(of tool: Tool, latest: Approval?, events: [ToolEvent], at time: Int64) -> String {
        if let decommissioned = tool.decommissionedAt, decommissioned <= time { return "decommissioned" }
        if let latest, latest.validFrom <= time {
            if latest.isInForce(at: time) { return "approved" }
            return latest.endedBy == "expired" ? "expired" : (latest.endedBy ?? "expired")
        }
        let rejected = events.contains { $0.tool == tool.tool && $0.event == "rejected" && $0.timestamp <= time }
        return rejected ? "rejected" : "registered"
    }
}

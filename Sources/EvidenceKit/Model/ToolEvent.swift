/// One entry of the approval history log: a step in a tool's lifecycle.
public struct ToolEvent: Sendable, Equatable {
    /// The lifecycle events the approval history may hold.
    public static let kinds: Set<String> = ["registered", "security_review", "approved", "rejected", "reviewed", "revoked", "decommissioned"]

    public var line: Int
    public var timestamp: Int64
    public var event: String
    public var toolServer: String
    public var toolName: String
    public var actor: String
    public var actorRole: String
    public var purpose: String?
    public var owner: String?
    public var dataClassification: String?
    public var riskTier: Int64?
    public var outcome: String?
    public var ticket: String?
    /// Exclusive end of validity in UTC ms (a date-only `expires` means through that day).
    public var expires: Int64?

    /// `server.name`, the key tools are joined on.
    public var tool: String { toolServer + "." + toolName }
}

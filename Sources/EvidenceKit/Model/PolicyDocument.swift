/// One policy-as-code file: which tool it governs, who may call it, and when it is next reviewed.
public struct PolicyDocument: Sendable, Equatable {
    static let knownKeys: Set<String> = ["tool", "roles", "constraints", "dlp", "audit", "review"]

    /// As declared: `database.query`, or `payments.*` for every tool on a server.
    public var tool: String
    public var toolServer: String
    /// `*` for a server-wide policy.
    public var toolName: String
    public var roles: [String]
    /// `review.next_review` as UTC ms (midnight), when present.
    public var nextReview: Int64?
    public var owner: String?

    /// Decodes a parsed policy file; errors name the file, line and key.
    public init(_ document: YAMLDocument) throws(InputError) {
        let file = document.file
        func error(_ node: YAMLNode?, _ key: String?, _ message: String) -> InputError {
            InputError(input: "policies", file: file, line: node?.line ?? 0, field: key, message: message)
        }
        let root = document.root
        guard let entries = root.mapping else {
            throw error(root, nil, "a policy file must be a mapping with tool, roles and review, found \(root.kindDescription)")
        }
        for entry in entries {
            guard let key = entry.key.string, Self.knownKeys.contains(key) else {
                throw error(entry.key, entry.key.string, "unknown key; expected one of \(Self.knownKeys.sorted().joined(separator: ", "))")
            }
        }
        guard let toolNode = root["tool"] else { throw error(root, "tool", "required key is missing") }
        guard let tool = toolNode.string, let dot = tool.firstIndex(of: "."),
              dot != tool.startIndex, tool.index(after: dot) != tool.endIndex else {
            throw error(toolNode, "tool", "must be 'server.tool' or 'server.*', found \(toolNode.string.map { "'\(FieldReader.shorten($0))'" } ?? toolNode.kindDescription)")
        }
        self.tool = tool
        toolServer = String(tool[..<dot])
        toolName = String(tool[tool.index(after: dot)...])

        guard let rolesNode = root["roles"] else { throw error(root, "roles", "required key is missing") }
        guard let roleNodes = rolesNode.sequence else {
            throw error(rolesNode, "roles", "must be a list of role names, found \(rolesNode.kindDescription)")
        }
        var roles: [String] = []
        for node in roleNodes {
            guard let role = node.string, !role.isEmpty else {
                throw error(node, "roles", "each role must be a non-empty string, found \(node.kindDescription)")
            }
            roles.append(role)
        }
        self.roles = Array(Set(roles)).sorted()

        for key in ["constraints", "dlp", "audit"] {
            if let node = root[key], node.mapping == nil, !node.isNull {
                throw error(node, key, "must be a mapping, found \(node.kindDescription)")
            }
        }
        if let review = root["review"], !review.isNull {
            guard let reviewEntries = review.mapping else {
                throw error(review, "review", "must be a mapping with next_review and owner, found \(review.kindDescription)")
            }
            for entry in reviewEntries where !["next_review", "owner"].contains(entry.key.string ?? "") {
                throw error(entry.key, "review.\(entry.key.string ?? "?")", "unknown key; expected next_review or owner")
            }
            if let next = review["next_review"], !next.isNull {
                guard let text = next.string, let day = Timestamp.parseDate(text) else {
                    throw error(next, "review.next_review", "must be a date YYYY-MM-DD, found \(next.string.map { "'\(FieldReader.shorten($0))'" } ?? next.kindDescription)")
                }
                nextReview = day
            }
            if let owner = review["owner"], !owner.isNull {
                guard let text = owner.string else { throw error(owner, "review.owner", "must be a string, found \(owner.kindDescription)") }
                self.owner = text.isEmpty ? nil : text
            }
        }
    }
}

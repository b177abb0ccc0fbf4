import Foundation
@testable import EvidenceKit

/// A tiny organisation written to a temporary folder: config, audit log, approvals, directory,
/// PR reviews and a real git policy repository, for end-to-end ingest and build tests.
struct MiniOrg {
    let root: URL

    /// A valid audit record for `tool` at `time`, with fields overridable by `override`.
    static func call(_ time: String, user: String = "u1", server: String = "db", tool: String = "query",
                     decision: String = "allow", extra: String = "") -> String {
        let response = decision == "allow" ? "\"sha256:r\"" : "null"
        let reason = decision == "deny" ? ",\"decision_reason\":\"role\"" : ""
        return "{\"timestamp\":\"\(time)\",\"session_id\":\"s1\",\"user_id\":\"\(user)\",\"agent_id\":\"a1\",\"tool_server\":\"\(server)\",\"tool_name\":\"\(tool)\",\"arguments_hash\":\"sha256:a\",\"response_hash\":\(response),\"dlp_result\":\"clean\",\"policy_decision\":\"\(decision)\",\"latency_ms\":12,\"data_classification\":\"internal\",\"correlation_id\":\"c1\"\(reason)\(extra)}"
    }

    /// Chains `lines` with `seq` and `prev_hash` exactly as a gateway would.
    static func chained(_ records: [String], startSeq: Int = 1, previous: String? = nil) throws -> [String] {
        var out: [String] = []
        var prev = previous
        for (offset, record) in records.enumerated() {
            let prevField = prev.map { "\"\($0)\"" } ?? "null"
            let line = String(record.dropLast()) + ",\"seq\":\(startSeq + offset),\"prev_hash\":\(prevField)}"
            out.append(line)
            prev = "sha256:" + (try SHA256.hex(of: Data(line.utf8)))
        }
        return out
    }

    static let approvals = """
    {"timestamp":"2026-06-01T09:00:00Z","event":"registered","tool_server":"db","tool_name":"query","actor":"u2","actor_role":"engineer","purpose":"read","owner":"u2","data_classification":"internal","risk_tier":2}
    {"timestamp":"2026-06-02T09:00:00Z","event":"security_review","tool_server":"db","tool_name":"query","actor":"u3","actor_role":"security","outcome":"pass","ticket":"SEC-1"}
    {"timestamp":"2026-06-03T09:00:00Z","event":"approved","tool_server":"db","tool_name":"query","actor":"u3","actor_role":"security","risk_tier":2,"expires":"2026-12-31","ticket":"CHG-1"}
    {"timestamp":"2026-06-01T09:00:00Z","event":"registered","tool_server":"slack","tool_name":"post","actor":"u2","actor_role":"engineer","purpose":"chat","owner":"u2","data_classification":"internal","risk_tier":1}
    {"timestamp":"2026-06-01T10:00:00Z","event":"approved","tool_server":"slack","tool_name":"post","actor":"auto","actor_role":"system","risk_tier":1,"expires":"2026-08-01T00:00:00Z"}

    """

    static let directory = """
    user_id,name,roles,status,terminated_at
    u1,"Lee ""Jay"" Park",engineer;analyst,active,
    u2,"O'Brien, Pat",engineer,active,
    u3,Zoë Müller,security,active,
    u4,Ex Employee,engineer,terminated,2026-07-15T00:00:00Z

    """

    static let policy = """
    tool: db.query
    roles: [engineer, security]
    constraints: {max_rows: 100}
    review: {next_review: 2026-12-01, owner: u3}

    """

    /// Writes the organisation with `auditLines` as its single audit file.
    init(auditLines: [String], approvals: String = Self.approvals, directory: String = Self.directory) throws {
        root = try TestFolder.make("mini-org")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("audit"), withIntermediateDirectories: true)
        try Data((auditLines.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("audit/gateway.jsonl"))
        try Data(approvals.utf8).write(to: root.appendingPathComponent("approvals.jsonl"))
        try Data(directory.utf8).write(to: root.appendingPathComponent("directory.csv"))
        try Data("{\"pr\":7,\"reviewer\":\"u3\",\"state\":\"APPROVED\",\"submitted_at\":\"2026-07-10T09:00:00Z\"}\n".utf8)
            .write(to: root.appendingPathComponent("pr-reviews.jsonl"))
        try Data("""
        organization: Mini Org
        period: 2026-Q3
        frameworks: [soc2]
        inputs:
          audit: [audit/*.jsonl]
          approvals: approvals.jsonl
          directory: directory.csv
          policies: {repo: policy-repo, path: policies, branch: main}
          reviews: pr-reviews.jsonl
        output: out

        """.utf8).write(to: root.appendingPathComponent("evidence.yaml"))
        try buildPolicyRepo()
    }

    var configPath: String { root.appendingPathComponent("evidence.yaml").path }

    func remove() { try? FileManager.default.removeItem(at: root) }

    private func buildPolicyRepo() throws {
        let repo = root.appendingPathComponent("policy-repo")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try git(repo, ["init", "-q", "-b", "main"], date: "2026-06-01T00:00:00Z")
        try Data(Self.policy.utf8).write(to: repo.appendingPathComponent("policies/db.query.yaml"))
        try git(repo, ["add", "-A"], date: "2026-06-01T00:00:00Z")
        try git(repo, ["commit", "-q", "-m", "Initial policies"], date: "2026-06-01T00:00:00Z")
        try Data(Self.policy.replacingOccurrences(of: "[engineer, security]", with: "[security]").utf8)
            .write(to: repo.appendingPathComponent("policies/db.query.yaml"))
        try git(repo, ["commit", "-q", "-a", "-m", "Restrict db.query (#7)\n\nReason: least privilege\nReviewed-by: Zoë Müller <u3@example.com>"], date: "2026-08-01T12:00:00Z")
    }

    private func git(_ repo: URL, _ arguments: [String], date: String) throws {
        try ExternalTool.git(in: repo.path, arguments, date: date, home: root)
    }

    /// Loads the config and ingests everything into a new store in the org's folder.
    func ingest() throws -> (summary: IngestSummary, store: EvidenceStore) {
        let config = try EvidenceConfig.load(path: configPath)
        let store = try EvidenceStore(creatingAt: root.appendingPathComponent("evidence-\(UUID().uuidString).sqlite").path)
        let summary = try Ingestor(config: config).ingest(into: store)
        return (summary, store)
    }
}

struct MiniOrgError: Error { let message: String }

import Foundation

/// Reads every input named by a config into a new evidence store, in one transaction.
public struct Ingestor {
    public let config: EvidenceConfig
    /// Called with one line of progress per input file.
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Rejected records tolerated before ingestion stops; lowered by tests instead of writing a million bad lines.
    var inputErrorLimit = InputErrorLog.defaultLimit

    public init(config: EvidenceConfig) {
        self.config = config
    }

    /// Loads everything into `store` and returns what was read. Throws only for failures that make
    /// the whole run meaningless (unreadable file, missing repository, too many errors); rejected
    /// records are in the summary and in `input_errors`.
    /// Thresholds and approval rules go into the store so check SQL reads them instead of hard-coding them.
    private func storeParameters(_ store: EvidenceStore) throws {
        try store.setMeta("log_gap_hours", String(config.thresholds.logGapHours))
        try store.setMeta("max_session_hours", String(config.thresholds.maxSessionHours))
        try store.setMeta("review_days", String(config.thresholds.reviewDays))
        if let hours = config.workingHours {
            try store.setMeta("work_start_minute", String(hours.startMinute))
            try store.setMeta("work_end_minute", String(hours.endMinute))
            // SQLite's strftime('%w') numbers Sunday 0 … Saturday 6.
            try store.setMeta("work_days", "," + hours.days.map { String($0.rawValue % 7) }.joined(separator: ",") + ",")
            try store.setMeta("work_offset_minutes", String(hours.timezoneOffsetMinutes))
        }
        let insert = try store.inserter("approval_rules", ["risk_tier", "role"])
        for (tier, roles) in config.approvalRules.sorted(by: { $0.key < $1.key }) {
            for role in Set(roles).sorted() { try insert.run([.integer(Int64(tier)), .text(role)]) }
        }
    }

    public func ingest(into store: EvidenceStore) throws -> IngestSummary {
        let period = config.period
        try store.setMeta("organization", config.organization)
        try store.setMeta("period_label", period.label)
        try store.setMeta("period_start", String(period.start))
        try store.setMeta("period_end", String(period.end))
        try storeParameters(store)
        let auditFiles = config.inputs.auditFiles
        guard !auditFiles.isEmpty else {
            throw IngestError.noAuditFiles(patterns: config.inputs.audit.map(\.pattern))
        }
        var summary = IngestSummary()
        summary.unmatchedAuditPatterns = config.inputs.audit.filter { $0.isGlob && $0.files.isEmpty }.map(\.pattern)
        try store.database.transaction {
            let errors = try InputErrorLog(store: store, limit: inputErrorLimit)
            let files = try store.inserter("input_files", ["id", "input", "path", "bytes", "sha256", "records_read", "records_rejected"])
            var nextFileID: Int64 = 1
            func register(_ entry: IngestSummary.File, id: Int64) throws {
                try files.run([.integer(id), .text(entry.input), .text(entry.path), .integer(entry.bytes), .text(entry.sha256),
                               .integer(Int64(entry.recordsRead)), .integer(Int64(entry.recordsRejected))])
                summary.files.append(entry)
            }
            func report(_ input: String, _ path: String, read: Int, rejected: Int, since started: Date) {
                let rate = Int(Double(read) / max(Date().timeIntervalSince(started), 0.001))
                progress("\(input): \(path): \(read) records, \(rejected) rejected (\(rate) records/s)")
            }
            func load(_ input: String, _ file: EvidenceConfig.FilePath, _ body: (Int64, SHA256) throws -> (read: Int, rejected: Int)) throws {
                let started = Date()
                let hasher = try SHA256()
                let fileID = nextFileID
                nextFileID += 1
                let counts = try body(fileID, hasher)
                try register(IngestSummary.File(input: input, path: file.display, bytes: hasher.byteCount, sha256: hasher.finalize().hexString,
                                                recordsRead: counts.read, recordsRejected: counts.rejected), id: fileID)
                report(input, file.display, read: counts.read, rejected: counts.rejected, since: started)
            }

            // Each call is stored with the policy version governing it (`PolicyTimeline`), so the
            // history is read and parsed before the audit logs; it is stored last, as the other inputs'
            // order in `input_files` and `input_errors` has always been.
            let policies = PolicyIngest(store: store, errors: errors, source: config.inputs.policies, period: period)
            let preparedPolicies = try policies.prepare(PolicyIngest.readHistory(config.inputs.policies))
            let timeline = PolicyTimeline(versions: preparedPolicies.timelineVersions, period: period)
            let audit = try AuditIngest(store: store, errors: errors, policies: timeline)
            let auditInputs = auditFiles.map { file in
                defer { nextFileID += 1 }
                return AuditIngest.File(path: file.absolute, display: file.display, fileID: nextFileID)
            }
            var started = Date()
            let auditResults = try audit.ingest(auditInputs) { result in
                report("audit", result.file.display, read: result.read, rejected: result.rejected, since: started)
                started = Date()
            }
            for result in auditResults {
                try register(IngestSummary.File(input: "audit", path: result.file.display, bytes: result.bytes, sha256: result.sha256,
                                                recordsRead: result.read, recordsRejected: result.rejected), id: result.file.fileID)
            }
            let approvals = ApprovalIngest(store: store, errors: errors)
            try load("approvals", config.inputs.approvals) { id, hasher in
                try approvals.ingest(path: config.inputs.approvals.absolute, display: config.inputs.approvals.display,
                                     fileID: id, hasher: hasher, periodEnd: period.end)
            }
            let directory = DirectoryIngest(store: store, errors: errors)
            try load("directory", config.inputs.directory) { _, hasher in
                try directory.ingest(path: config.inputs.directory.absolute, display: config.inputs.directory.display, hasher: hasher)
            }
            if let reviews = config.inputs.reviews {
                let ingest = ReviewIngest(store: store, errors: errors)
                try load("reviews", reviews) { id, hasher in
                    try ingest.ingest(path: reviews.absolute, display: reviews.display, fileID: id, hasher: hasher)
                }
            }
            let result = try policies.store(preparedPolicies)
            summary.policyHead = result.head
            try store.setMeta("policy_repo_head", result.head)
            try register(IngestSummary.File(input: "policies", path: config.inputs.policies.repo.display, bytes: result.bytes,
                                            sha256: result.sha256, recordsRead: result.read, recordsRejected: result.rejected), id: nextFileID)
            progress("policies: \(config.inputs.policies.repo.display): \(result.read) policy file versions in \(result.commits) commits, \(result.rejected) rejected")
            summary.errorCount = errors.count
        }
        let indexing = Date()
        try store.finishLoad()
        summary.indexSeconds = Date().timeIntervalSince(indexing)
        progress("store: indexes and statistics built in \(String(format: "%.2f", summary.indexSeconds)) s")
        let rows = try store.database.query("SELECT input, file, line, field, message FROM input_errors ORDER BY id LIMIT 1000")
        summary.errors = rows.rows.map { row in
            InputError(input: row[0].string ?? "", file: row[1].string ?? "", line: Int(row[2].int64 ?? 0), field: row[3].string, message: row[4].string ?? "")
        }
        for table in ["calls", "tool_events", "tools", "approvals", "people", "person_roles", "policy_commits", "policy_versions", "policy_reviews", "input_errors"] {
            summary.tableCounts[table] = try store.count(table)
        }
        return summary
    }
}

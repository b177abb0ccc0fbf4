import Foundation

/// Builds the summary model: the data behind every view of the bundle (`data/summary.json`, the
/// auditor report, the board summary). Everything is sorted so the output is deterministic.
struct SummaryBuilder {
    let input: ReportInput
    /// Rows of `toolsSQL` and `policyChangesSQL`, queried once and shared with the CSVs.
    let toolRows: [[SQLValue]]
    let policyChangeRows: [[SQLValue]]

    init(input: ReportInput) throws {
        self.input = input
        toolRows = try input.store.database.query(Self.toolsSQL).rows
        policyChangeRows = try input.store.database.query(Self.policyChangesSQL).rows
    }

    static func time(_ ms: Int64?) -> TemplateValue { ms.map { .string(Timestamp.format($0)) } ?? .null }
    static func date(_ ms: Int64?) -> TemplateValue { ms.map { .string(Timestamp.formatDate($0)) } ?? .null }
    static func int(_ value: Int) -> TemplateValue { .int(Int64(value)) }
    static func text(_ value: String?) -> TemplateValue { value.map { .string($0) } ?? .null }

    static func cell(_ value: SQLValue) -> TemplateValue {
        switch value {
        case .null: .null
        case .integer(let number): .int(number)
        case .real(let number): .string(String(number))
        case .text(let text): .string(text)
        case .blob(let bytes): .string(bytes.hexString)
        }
    }

    static func statusLabel(_ status: CheckResult.Status, kind: CheckDefinition.Kind = .control) -> String {
        if kind == .observation { return status == .exceptions ? "observations" : status == .notTested ? "not tested" : status == .error ? "error" : "none" }
        return switch status {
        case .effective: "effective"
        case .exceptions: "exceptions"
        case .notTested: "not tested"
        case .error: "error"
        }
    }

    func build() throws -> TemplateValue {
        let config = input.config
        let period = config.period
        var model: [String: TemplateValue] = [
            "format_version": 1,
            "generator": .object(["name": .string(Generator.name), "version": .string(Generator.version)]),
            "organization": .string(config.organization),
            "period": .object([
                "label": .string(period.label), "first_day": .string(period.firstDay), "last_day": .string(period.lastDay),
                "start": Self.time(period.start), "end": Self.time(period.end),
            ]),
            "as_of": Self.time(input.asOf),
            "signing": .object([
                "signed": .bool(input.keyID != nil), "key_id": Self.text(input.keyID), "algorithm": .string("Ed25519"),
            ]),
            "thresholds": .object([
                "log_gap_hours": Self.int(config.thresholds.logGapHours),
                "max_session_hours": Self.int(config.thresholds.maxSessionHours),
                "review_days": Self.int(config.thresholds.reviewDays),
            ]),
            "approval_rules": .array(config.approvalRules.sorted { $0.key < $1.key }.map { tier, roles in
                .object(["tier": Self.int(tier), "roles": .string(roles.sorted().joined(separator: ", "))])
            }),
        ]
        model["inputs"] = .array(input.ingest.files.map { file in
            .object([
                "input": .string(file.input), "path": .string(file.path), "bytes": .int(file.bytes), "sha256": .string(file.sha256),
                "records_read": Self.int(file.recordsRead), "records_rejected": Self.int(file.recordsRejected),
            ])
        })
        model["input_errors"] = .object([
            "count": Self.int(input.ingest.errorCount),
            "first": .array(input.ingest.errors.prefix(50).map { error in
                .object(["input": .string(error.input), "file": .string(error.file), "line": Self.int(error.line),
                         "field": Self.text(error.field), "message": .string(error.message)])
            }),
            "truncated": .bool(input.ingest.errorCount > 50),
            "csv": "data/input-errors.csv",
        ])
        let totals = try totals()
        model["totals"] = totals.model
        model["frameworks"] = .array(frameworksModel())
        model["checks"] = .array(checksModel())
        model["tools"] = .array(try toolsModel())
        let tiers = tiersModel()
        model["tiers"] = .array(tiers)
        model["policy_changes"] = .array(try policyChangesModel())
        model["charts"] = try chartsModel(tiers: tiers)
        model["statements"] = .array(statementsModel(totals: totals))
        model["top_exceptions"] = .array(topExceptionsModel())
        model["status_counts"] = statusCounts(input.controls.map(\.status))
        model["check_counts"] = checkCounts()
        model["input_totals"] = inputTotals()
        model["sample_sizes"] = Self.sampleSizes()
        return .object(model)
    }

    // MARK: - Checks and controls

    private func controlsByCheck() -> [String: [String]] {
        var map: [String: [String]] = [:]
        for framework in input.frameworks {
            for control in framework.controls {
                for check in control.checks { map[check, default: []].append("\(framework.id) \(control.id)") }
            }
        }
        return map
    }

    private func checksModel() -> [TemplateValue] {
        let controls = controlsByCheck()
        let references = controlReferences()
        return input.checks.map { result in
            let check = result.check
            let folder = "checks/" + BundlePath.slug(check.id)
            return .object([
                "id": .string(check.id), "title": .string(check.title), "description": .string(check.description.trimmingCharacters(in: .whitespacesAndNewlines)),
                "kind": .string(check.kind.rawValue), "is_observation": .bool(check.kind == .observation),
                "frequency": .string(check.frequency.rawValue), "severity": .string(check.severity.rawValue),
                "status": .string(result.status.rawValue), "status_label": .string(Self.statusLabel(result.status, kind: check.kind)),
                "population": Self.int(result.populationCount), "exceptions": Self.int(result.exceptionCount),
                "population_sql": .string(check.population.trimmingCharacters(in: .whitespacesAndNewlines)),
                "exceptions_sql": .string(check.exceptions.trimmingCharacters(in: .whitespacesAndNewlines)),
                "exception_columns": .array(result.exceptionColumns.map { .string($0) }),
                "first_exceptions": .array(result.firstExceptions.map { row in .object(["cells": .array(row.map(Self.cell))]) }),
                "exceptions_shown": Self.int(result.firstExceptions.count),
                "exceptions_truncated": .bool(result.exceptionCount > result.firstExceptions.count),
                "exceptions_csv": .string(folder + "/exceptions.csv"),
                "sample_csv": .string(folder + "/sample.csv"),
                "sample": .object([
                    "seed": Self.text(result.sample?.seed), "size": Self.int(result.sample?.rowNumbers.count ?? 0),
                    "planned_size": Self.int(SampleSelection.size(for: check.frequency, severity: check.severity)),
                ]),
                "controls": .array((controls[check.id] ?? []).map { .string($0) }),
                "control_refs": .array(references[check.id] ?? []),
                "anchor": .string(Self.checkAnchor(check.id)), "href": .string("#" + Self.checkAnchor(check.id)),
                "error": Self.text(result.errorMessage),
                "source": .string(check.file),
            ])
        }
    }

    private func statusCounts(_ statuses: [CheckResult.Status]) -> TemplateValue {
        .object([
            "total": Self.int(statuses.count),
            "effective": Self.int(statuses.filter { $0 == .effective }.count),
            "exceptions": Self.int(statuses.filter { $0 == .exceptions }.count),
            "not_tested": Self.int(statuses.filter { $0 == .notTested }.count),
            "error": Self.int(statuses.filter { $0 == .error }.count),
        ])
    }

    private func frameworksModel() -> [TemplateValue] {
        input.frameworks.map { framework in
            let results = input.controls.filter { $0.frameworkID == framework.id }
            let chart = Chart.horizontalBars(
                title: "Exceptions per control, \(framework.name)",
                rows: results.map { ($0.control.id, $0.exceptionCount, $0.exceptionCount > 0 ? "bar-exception" : "bar-ok") })
            return .object([
                "id": .string(framework.id), "name": .string(framework.name), "version": .string(framework.version),
                "anchor": .string("framework-" + BundlePath.slug(framework.id)),
                "href": .string("#framework-" + BundlePath.slug(framework.id)),
                "source": Self.text(framework.source),
                "counts": statusCounts(results.map(\.status)),
                "chart": chart.model,
                "controls": .array(results.map { result in
                    .object([
                        "id": .string(result.control.id), "title": .string(result.control.title), "summary": .string(result.control.summary),
                        "status": .string(result.status.rawValue), "status_label": .string(Self.statusLabel(result.status)),
                        "checks": .array(result.control.checks.map { .string($0) }),
                        "check_refs": checkReferences(result.control.checks),
                        "anchor": .string(Self.controlAnchor(framework: framework.id, control: result.control.id)),
                        "population": Self.int(result.populationCount), "exceptions": Self.int(result.exceptionCount),
                        "observations": Self.int(result.observationCount),
                        "also": .array(result.control.also.sorted { $0.key < $1.key }.map {
                            .object(["scheme": .string($0.key), "id": .string($0.value)])
                        }),
                    ])
                }),
            ])
        }
    }

    // MARK: - Store queries

    struct Totals {
        var calls: Int, denied: Int, users: Int, sessions: Int, toolsCalled: Int, toolsApproved: Int
        var model: TemplateValue {
            .object([
                "calls": SummaryBuilder.int(calls), "denied": SummaryBuilder.int(denied), "users": SummaryBuilder.int(users),
                "sessions": SummaryBuilder.int(sessions), "tools_called": SummaryBuilder.int(toolsCalled),
                "tools_approved": SummaryBuilder.int(toolsApproved),
            ])
        }
    }

    /// Calls, denials and tools called, per tool, from the inventory rows (one pass of
    /// calls_tool_ts in toolsSQL) rather than three more passes over every call. A tool can have two
    /// inventory rows (the registered and the called spelling of a dotted server), so rows are
    /// counted once per tool.
    private func callsPerTool() -> [(tool: String, tier: Int64, calls: Int64, denied: Int64)] {
        var seen = Set<String>()
        return toolRows.compactMap { row in
            guard let tool = row[0].string, let calls = row[14].int64, calls > 0, seen.insert(tool).inserted else { return nil }
            return (tool, row[3].int64 ?? 0, calls, row[15].int64 ?? 0)
        }
    }

    private func totals() throws -> Totals {
        // Separate queries so each is answered from a covering index instead of a scan of the wide calls table.
        let database = input.store.database
        // INDEXED BY: left alone, the planner walks the time index and reads every row of the wide table.
        func distinct(_ column: String, index: String) throws -> Int64 {
            try database.scalar("""
                SELECT count(DISTINCT \(column)) FROM call_rows AS calls INDEXED BY \(index), period
                WHERE calls.ts >= period.start_ms AND calls.ts < period.end_ms
                """)?.int64 ?? 0
        }
        let users = try distinct("user_id", index: "calls_user_day")
        let sessions = try distinct("session_id", index: "calls_session")
        let perTool = callsPerTool()
        let approved = try input.store.database.scalar("""
            SELECT count(DISTINCT tool) FROM approvals, period WHERE valid_from < period.end_ms AND (valid_to IS NULL OR valid_to >= period.end_ms)
            """)
        return Totals(calls: Int(perTool.reduce(0) { $0 + $1.calls }), denied: Int(perTool.reduce(0) { $0 + $1.denied }), users: Int(users),
                      sessions: Int(sessions), toolsCalled: perTool.count, toolsApproved: Int(approved?.int64 ?? 0))
    }

    static let toolsSQL = """
        WITH called AS MATERIALIZED (
            SELECT calls.tool, count(*) AS calls, sum(calls.policy_decision = 'deny') AS denied
            FROM call_rows AS calls INDEXED BY calls_tool_ts, period
            WHERE calls.ts >= period.start_ms AND calls.ts < period.end_ms
            GROUP BY calls.tool
        ),
        all_tools AS (
            SELECT tool, tool_server, tool_name FROM tools
            UNION
            SELECT tool, substr(tool, 1, instr(tool, '.') - 1), substr(tool, instr(tool, '.') + 1) FROM called
        )
        SELECT a.tool, a.tool_server, a.tool_name, t.risk_tier, t.data_classification, coalesce(t.status, 'unregistered') AS status,
               t.owner, t.purpose, t.registered_at, t.first_approved_at,
               (SELECT ap.approved_by FROM approvals ap WHERE ap.tool = a.tool ORDER BY ap.approved_at DESC, ap.id DESC LIMIT 1) AS approved_by,
               (SELECT ap.valid_to FROM approvals ap WHERE ap.tool = a.tool ORDER BY ap.approved_at DESC, ap.id DESC LIMIT 1) AS approval_ends,
               t.last_reviewed_at,
               (SELECT max(max(ap.approved_at), coalesce(t.last_reviewed_at, 0)) FROM approvals ap WHERE ap.tool = a.tool) + p.review_window_ms AS next_review_due,
               coalesce(cc.calls, 0) AS calls, coalesce(cc.denied, 0) AS denied,
               (SELECT v.path FROM policy_versions v, period
                WHERE v.valid = 1 AND v.tool_server = a.tool_server AND (v.tool_name = a.tool_name OR v.tool_name = '*')
                  AND v.valid_from < period.end_ms AND (v.valid_to IS NULL OR v.valid_to >= period.end_ms)
                ORDER BY v.tool_name = '*', v.path LIMIT 1) AS policy
        FROM all_tools a LEFT JOIN tools t ON t.tool = a.tool LEFT JOIN called cc ON cc.tool = a.tool, params p
        ORDER BY a.tool
        """

    static let toolColumns = ["tool", "server", "name", "risk_tier", "data_classification", "status", "owner", "purpose", "registered_at",
                              "first_approved_at", "approved_by", "approval_ends", "last_reviewed_at", "next_review_due", "calls_in_period",
                              "denied_in_period", "policy_at_period_end"]

    private func toolsModel() throws -> [TemplateValue] {
        toolRows.map { row in
            .object([
                "tool": Self.cell(row[0]), "server": Self.cell(row[1]), "name": Self.cell(row[2]), "risk_tier": Self.cell(row[3]),
                "data_classification": Self.cell(row[4]), "status": Self.cell(row[5]), "owner": Self.cell(row[6]), "purpose": Self.cell(row[7]),
                "registered_at": Self.date(row[8].int64), "first_approved_at": Self.date(row[9].int64), "approved_by": Self.cell(row[10]),
                "approval_ends": Self.date(row[11].int64), "last_reviewed_at": Self.date(row[12].int64), "next_review_due": Self.date(row[13].int64),
                "calls": Self.cell(row[14]), "denied": Self.cell(row[15]), "policy": Self.cell(row[16]),
                // An approved tool whose next review fell due before the period ended.
                "review_overdue": .bool(row[5].string == "approved" && (row[13].int64 ?? Int64.max) < input.config.period.end),
            ])
        }
    }

    private func tiersModel() -> [TemplateValue] {
        var byTier: [Int64: (tools: Int64, calls: Int64)] = [:]
        for tool in callsPerTool() {
            byTier[tool.tier, default: (0, 0)].tools += 1
            byTier[tool.tier, default: (0, 0)].calls += tool.calls
        }
        return byTier.keys.sorted().map { tier in
            .object(["tier": .int(tier), "label": .string(tier == 0 ? "unregistered" : "tier \(tier)"),
                     "tools": .int(byTier[tier]?.tools ?? 0), "calls": .int(byTier[tier]?.calls ?? 0)])
        }
    }

    static let policyChangesSQL = """
        SELECT c.sha, c.committed_at, c.author_name, c.author_email, c.subject, c.pr_number, c.reason,
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM policy_commit_trailers
                 WHERE sha = c.sha AND lower(key) IN ('reviewed-by', 'approved-by') ORDER BY value)) AS trailer_reviewers,
               (SELECT group_concat(reviewer, '; ') FROM (SELECT DISTINCT reviewer FROM policy_reviews
                 WHERE pr = c.pr_number AND state = 'APPROVED' ORDER BY reviewer)) AS pr_reviewers,
               (SELECT group_concat(status || ' ' || path, '; ') FROM (SELECT status, path FROM policy_commit_files WHERE sha = c.sha ORDER BY path)) AS files,
               c.is_merge
        FROM policy_commits c
        WHERE c.in_period = 1 AND c.first_parent = 1
        ORDER BY c.committed_at, c.sha
        """

    private func policyChangesModel() throws -> [TemplateValue] {
        let flagged = Set(input.checks.first { $0.check.id == "policy-change-approved" }.map { result in
            result.firstExceptions.compactMap { $0.first?.string }
        } ?? [])
        return policyChangeRows.map { row in
            let sha = row[0].string ?? ""
            let reviewers = [row[7].string, row[8].string].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
            return .object([
                "commit": .string(String(sha.prefix(12))), "sha": .string(sha), "landed_at": Self.time(row[1].int64),
                "author": Self.cell(row[2]), "author_email": Self.cell(row[3]), "subject": Self.cell(row[4]),
                "pr": Self.cell(row[5]), "reason": Self.cell(row[6]), "reviewers": .string(reviewers),
                "files": Self.cell(row[9]), "is_merge": .bool(row[10].int64 == 1),
                "exception": .bool(flagged.contains(String(sha.prefix(12)))),
            ])
        }
    }

    // MARK: - Charts

    private func chartsModel(tiers tierModel: [TemplateValue]) throws -> TemplateValue {
        // Two range counts per day on the time index: grouping every call by day sorted them all, which
        // spills to disk at ten million calls. INDEXED BY keeps the planner off calls_user_day.
        let days = try input.store.database.query("""
            WITH RECURSIVE days(day_start) AS (
                SELECT start_ms FROM period
                UNION ALL SELECT day_start + 86400000 FROM days, period WHERE day_start + 86400000 < period.end_ms)
            SELECT day_start,
                   (SELECT count(*) FROM call_rows c INDEXED BY calls_ts
                    WHERE c.ts >= days.day_start AND c.ts < days.day_start + 86400000 AND c.policy_decision = 'allow'),
                   (SELECT count(*) FROM call_rows c INDEXED BY calls_ts
                    WHERE c.ts >= days.day_start AND c.ts < days.day_start + 86400000 AND c.policy_decision = 'deny')
            FROM days
            ORDER BY day_start
            """).rows
        var ticks: [Int: String] = [:]
        let columns = days.enumerated().map { index, row in
            let day = Timestamp.formatDate(row[0].int64 ?? 0)
            if day.hasSuffix("-01") || index == 0 { ticks[index] = day }
            let allowed = Int(row[1].int64 ?? 0), denied = Int(row[2].int64 ?? 0)
            return (label: day, segments: [
                (value: allowed, cssClass: "bar-allow", title: "\(day): \(allowed) allowed"),
                (value: denied, cssClass: "bar-deny", title: "\(day): \(denied) denied"),
            ])
        }
        let perDay = Chart.stackedColumns(title: "Tool calls per day (allowed and denied)", columns: columns, tickLabels: ticks,
                                          legend: [("bar-allow", "allowed"), ("bar-deny", "denied")])
        let tiers = tierModel.map { value -> (label: String, value: Int, cssClass: String) in
            let label = value.lookup("label").flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?"
            let calls = value.lookup("calls").flatMap { if case .int(let n) = $0 { Int(n) } else { nil } } ?? 0
            return (label, calls, "bar-" + BundlePath.slug(label))
        }
        let byTier = Chart.horizontalBars(title: "Tool calls by risk tier", rows: tiers)
        let checkRows = input.checks.filter { $0.check.kind == .control }.map { ($0.check.id, $0.exceptionCount, $0.exceptionCount > 0 ? "bar-exception" : "bar-ok") }
        // Room for the longest check id at the charts' 10.5 px label size, so no label runs off the left edge.
        let longestID = checkRows.map { $0.0.count }.max() ?? 0
        let byCheck = Chart.horizontalBars(title: "Exceptions per check", rows: checkRows,
                                           labelWidth: min(max(150, Double(longestID) * 6.2 + 16), 360))
        // Weekly trend for the board page: calls and exceptions per ISO week of the period.
        var weekly: [(label: String, segments: [(value: Int, cssClass: String, title: String)])] = []
        var weekTicks: [Int: String] = [:]
        for start in stride(from: 0, to: days.count, by: 7) {
            let slice = days[start..<min(start + 7, days.count)]
            let allowed = slice.reduce(0) { $0 + Int($1[1].int64 ?? 0) }
            let denied = slice.reduce(0) { $0 + Int($1[2].int64 ?? 0) }
            let label = Timestamp.formatDate(slice.first?[0].int64 ?? 0)
            if weekly.count % 4 == 0 { weekTicks[weekly.count] = label }
            weekly.append((label, [(allowed, "bar-allow", "week of \(label): \(allowed) allowed"), (denied, "bar-deny", "week of \(label): \(denied) denied")]))
        }
        let trend = Chart.stackedColumns(title: "Calls per week", columns: weekly, tickLabels: weekTicks,
                                         legend: [("bar-allow", "allowed"), ("bar-deny", "denied")], width: 640, height: 160)
        return .object(["calls_per_day": perDay.model, "calls_by_tier": byTier.model, "exceptions_per_check": byCheck.model,
                        "weekly_trend": trend.model])
    }
}

import Foundation

/// Builds the summary model: the data behind every view of the bundle (`data/summary.json`, the
/// auditor report, the board summary). Everything is sorted so the output is deterministic.
struct SummaryBuilder {
    let input: ReportInput
    var toolRows: [[SQLValue]] { input.facts.toolRows }
    var policyChangeRows: [[SQLValue]] { input.facts.policyChangeRows }

    init(input: ReportInput) {
        self.input = input
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
            "policy_repo_head": Self.text(input.ingest.policyHead),
            "overrides": .array(config.commandLineOverrides.sorted { $0.key < $1.key }.map { option, value in
                .object(["option": .string("--" + option), "value": .string(value)])
            }),
            // Dated before the period ended: the report covers part of the period at most.
            "interim": .bool(input.asOf < period.end),
            "signing": .object([
                "signed": .bool(input.keyID != nil), "key_id": Self.text(input.keyID), "algorithm": .string("Ed25519"),
            ]),
            "thresholds": .object([
                "log_gap_hours": Self.int(config.thresholds.logGapHours),
                "max_session_hours": Self.int(config.thresholds.maxSessionHours),
                "review_days": Self.int(config.thresholds.reviewDays),
            ]),
            // What off-hours-activity judges against; without it the check has no population.
            "working_hours": Self.workingHoursModel(config.workingHours),
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
        model["unmatched_audit_patterns"] = .array(input.ingest.unmatchedAuditPatterns.map { .string($0) })
        model["input_errors"] = .object([
            "count": Self.int(input.ingest.errorCount),
            "first": .array(input.ingest.errors.prefix(50).map { error in
                .object(["input": .string(error.input), "file": .string(error.file), "line": Self.int(error.line),
                         "field": Self.text(error.field), "message": .string(error.message)])
            }),
            "truncated": .bool(input.ingest.errorCount > 50),
            "csv": "data/input-errors.csv",
        ])
        let totals = totals()
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
                // The copy in the bundle (EvidenceBuild.writeDefinitions).
                "definition": .string("mappings/" + check.file),
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

    static func workingHoursModel(_ hours: EvidenceConfig.WorkingHours?) -> TemplateValue {
        guard let hours else { return .object(["configured": .bool(false)]) }
        func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        let offset = hours.timezoneOffsetMinutes
        return .object([
            "configured": .bool(true), "start": .string(clock(hours.startMinute)), "end": .string(clock(hours.endMinute)),
            "days": .string(hours.days.map(\.name).joined(separator: ", ")),
            "timezone_offset": .string((offset < 0 ? "-" : "+") + clock(abs(offset))),
        ])
    }

    // MARK: - Store queries

    struct Totals {
        var calls: Int, denied: Int, users: Int, sessions: Int, toolsCalled: Int, toolsApproved: Int
        var callsBeforePeriod: Int, callsAfterPeriod: Int
        var model: TemplateValue {
            .object([
                "calls": SummaryBuilder.int(calls), "denied": SummaryBuilder.int(denied), "users": SummaryBuilder.int(users),
                "sessions": SummaryBuilder.int(sessions), "tools_called": SummaryBuilder.int(toolsCalled),
                "tools_approved": SummaryBuilder.int(toolsApproved),
                "calls_before_period": SummaryBuilder.int(callsBeforePeriod), "calls_after_period": SummaryBuilder.int(callsAfterPeriod),
                "calls_outside_period": SummaryBuilder.int(callsBeforePeriod + callsAfterPeriod),
            ])
        }
    }

    private func totals() -> Totals {
        let facts = input.facts
        let perTool = facts.calledTools
        return Totals(calls: Int(perTool.reduce(0) { $0 + $1.calls }), denied: Int(perTool.reduce(0) { $0 + $1.denied }), users: facts.users,
                      sessions: facts.sessions, toolsCalled: perTool.count, toolsApproved: facts.toolsApproved,
                      callsBeforePeriod: facts.callsBeforePeriod, callsAfterPeriod: facts.callsAfterPeriod)
    }

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
        for tool in input.facts.calledTools {
            byTier[tool.tier, default: (0, 0)].tools += 1
            byTier[tool.tier, default: (0, 0)].calls += tool.calls
        }
        return byTier.keys.sorted().map { tier in
            .object(["tier": .int(tier), "label": .string(tier == 0 ? "unregistered" : "tier \(tier)"),
                     "tools": .int(byTier[tier]?.tools ?? 0), "calls": .int(byTier[tier]?.calls ?? 0)])
        }
    }


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
                "files": Self.cell(row[9]), "is_merge": .bool(row[10].int64 == 1), "merged_by": Self.cell(row[11]),
                "exception": .bool(flagged.contains(String(sha.prefix(12)))),
            ])
        }
    }

    // MARK: - Charts

    private func chartsModel(tiers tierModel: [TemplateValue]) throws -> TemplateValue {
        let days = input.facts.dailyCalls
        var ticks: [Int: String] = [:]
        let columns = days.enumerated().map { index, count in
            let day = Timestamp.formatDate(count.dayStart)
            if day.hasSuffix("-01") || index == 0 { ticks[index] = day }
            let allowed = Int(count.allowed), denied = Int(count.denied)
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
            let allowed = slice.reduce(0) { $0 + Int($1.allowed) }
            let denied = slice.reduce(0) { $0 + Int($1.denied) }
            let label = Timestamp.formatDate(slice.first?.dayStart ?? 0)
            if weekly.count % 4 == 0 { weekTicks[weekly.count] = label }
            weekly.append((label, [(allowed, "bar-allow", "week of \(label): \(allowed) allowed"), (denied, "bar-deny", "week of \(label): \(denied) denied")]))
        }
        let trend = Chart.stackedColumns(title: "Calls per week", columns: weekly, tickLabels: weekTicks,
                                         legend: [("bar-allow", "allowed"), ("bar-deny", "denied")], width: 640, height: 160)
        return .object(["calls_per_day": perDay.model, "calls_by_tier": byTier.model, "exceptions_per_check": byCheck.model,
                        "weekly_trend": trend.model])
    }
}

/// The board page's four statements and top exceptions, derived from the check results.
extension SummaryBuilder {
    struct Statement {
        var id: String
        var claim: String
        var checks: [String]
    }

    static let statements = [
        Statement(id: "approved", claim: "Every tool is approved",
                  checks: ["tool-approved-at-call", "approval-tier-rules", "security-review-before-approval", "periodic-tool-review"]),
        Statement(id: "logged", claim: "Every call is logged",
                  checks: ["audit-chain-intact", "log-continuity", "audit-record-complete", "session-limits"]),
        Statement(id: "enforced", claim: "Every policy is enforceable",
                  checks: ["policy-bound-at-call", "caller-role-allowed", "caller-known-and-active", "policy-change-approved", "policy-review-current", "policy-definitions-unique", "dlp-enforced"]),
        Statement(id: "provable", claim: "We can prove it",
                  checks: ["evidence-inputs-valid"]),
    ]

    private func result(_ id: String) -> CheckResult? { input.checks.first { $0.check.id == id } }
    private func exceptions(_ id: String) -> Int { result(id)?.exceptionCount ?? 0 }

    /// "1 silent period", "2 silent periods".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0 %" }
        let value = Double(part) * 100 / Double(whole)
        return value > 0 && value < 0.01 ? "< 0.01 %" : String(format: "%.2f %%", value)
    }

    func statementsModel(totals: Totals) -> [TemplateValue] {
        let records = input.ingest.files.reduce(0) { $0 + $1.recordsRead }
        return Self.statements.map { statement in
            let results = statement.checks.compactMap(result)
            let found = results.filter { $0.check.kind == .control }.reduce(0) { $0 + $1.exceptionCount }
            let broken = results.contains { $0.status == .error } || results.count < statement.checks.count
            var verdict = broken ? "not evidenced" : found > 0 ? "exceptions" : "holds"
            let figure: String
            switch statement.id {
            case "approved":
                figure = "\(exceptions("tool-approved-at-call")) of \(totals.calls) calls (\(Self.percent(exceptions("tool-approved-at-call"), of: totals.calls))) used a tool without an approval in force; "
                    + "\(Self.count(exceptions("approval-tier-rules"), "approval")) broke the tier or segregation rules; "
                    + "\(Self.count(exceptions("security-review-before-approval"), "tool")) lacked a passing security review or preceded use; "
                    + "\(Self.count(exceptions("periodic-tool-review"), "overdue tool review"))."
            case "logged":
                figure = "\(Self.count(exceptions("audit-chain-intact"), "hash-chain or sequence break")), "
                    + "\(Self.count(exceptions("log-continuity"), "silent period")) over \(input.config.thresholds.logGapHours) h, "
                    + "\(Self.count(exceptions("audit-record-complete"), "incomplete or unreadable audit record")) out of "
                    // Its population is the audit lines checked (rejected ones included), not the calls.
                    + "\(result("audit-record-complete")?.populationCount ?? 0) lines; "
                    + "\(Self.count(exceptions("session-limits"), "overlong or untraceable session"))."
            case "enforced":
                figure = "\(Self.count(exceptions("policy-bound-at-call"), "allowed call")) had no policy, "
                    + "\(exceptions("caller-role-allowed")) were made by a role the policy does not allow, "
                    + "\(exceptions("caller-known-and-active")) by unknown or terminated users; "
                    + "\(Self.count(exceptions("policy-change-approved"), "policy change")) skipped review; "
                    + "\(Self.count(exceptions("policy-review-current"), "overdue policy review")), "
                    + "\(Self.count(exceptions("policy-definitions-unique"), "duplicate policy file")), \(Self.count(exceptions("dlp-enforced"), "DLP failure"))."
            default:
                if input.keyID == nil { verdict = "not evidenced" }
                figure = (input.keyID.map { "The bundle is signed (Ed25519, key \($0.prefix(23))…); " } ?? "The bundle is NOT signed; ")
                    + "every input file is hashed in the manifest; \(input.ingest.errorCount) of \(records) input records were rejected and are listed."
            }
            return .object([
                "id": .string(statement.id), "claim": .string(statement.claim), "verdict": .string(verdict),
                "verdict_class": .string(BundlePath.slug(verdict)), "figure": .string(figure),
                "exceptions": Self.int(found), "checks": .array(statement.checks.map { .string($0) }),
            ])
        }
    }

    func topExceptionsModel() -> [TemplateValue] {
        let rank: [CheckDefinition.Severity: Int] = [.high: 0, .medium: 1, .low: 2]
        let ranked = input.checks
            .filter { $0.check.kind == .control && $0.exceptionCount > 0 }
            .sorted { (rank[$0.check.severity]!, -$0.exceptionCount, $0.check.id) < (rank[$1.check.severity]!, -$1.exceptionCount, $1.check.id) }
        return ranked.prefix(5).map { result in
            let reasonIndex = result.exceptionColumns.firstIndex(of: "reason")
            let example = reasonIndex.flatMap { index in result.firstExceptions.first.map { $0[index].description } } ?? ""
            return .object([
                "check": .string(result.check.id), "title": .string(result.check.title), "count": Self.int(result.exceptionCount),
                "severity": .string(result.check.severity.rawValue), "example": .string(example),
                "text": .string("\(result.exceptionCount) exception\(result.exceptionCount == 1 ? "" : "s") to “\(result.check.title)”"),
            ])
        }
    }
}

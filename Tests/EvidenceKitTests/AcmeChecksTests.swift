import Foundation
import Testing
@testable import EvidenceKit

/// Every planted violation in examples/acme (see PLANTED.md) is found by the check meant for it,
/// and by no unrelated check: the exact exception rows of every check are asserted.
struct AcmeChecksTests {
    static func results() throws -> [String: CheckResult] {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let runner = CheckRunner(store: store, periodLabel: acme.config.period.label)
        let checks = try CheckDefinition.loadAll(folder: AcmeRun.packageRoot.appendingPathComponent("mappings/checks").path)
        var out: [String: CheckResult] = [:]
        for check in checks { out[check.id] = runner.run(check) }
        return out
    }

    /// A row as "file:line" when it has those columns, else its first two columns; plus the reason.
    static func describe(_ result: CheckResult) -> [String] {
        let columns = result.exceptionColumns
        return result.firstExceptions.map { row in
            func value(_ name: String) -> String? { columns.firstIndex(of: name).map { row[$0].description } }
            let reason = value("reason") ?? ""
            if let file = value("file"), let line = value("line") { return "\(file):\(line) \(reason)" }
            return "\(row[0]) \(row.count > 2 ? row[1].description + " " : "")\(reason)"
        }
    }

    /// The exception rows each check must return on examples/acme, cross-checked against PLANTED.md.
    static let expected: [String: [String]] = [
        "approval-tier-rules": [
            "approvals.jsonl:52 tier 3 approved by sofia.romano@acme.example as team-lead; the rules allow only: security",
            "approvals.jsonl:57 approved by its own registrant brian.okafor@acme.example (segregation of duties)",
            "approvals.jsonl:61 tier 2 approved by auto as auto; the rules allow only: security, team-lead",
        ],
        "audit-chain-intact": [
            "audit/gateway-2026-07.jsonl:270 prev_hash does not match the previous line (expected sha256:478e16d59c9e816c50d948ab5d36a4ba98fe529f5f7514f26fbffc974e60a5bd, found sha256:7e70e39a29b4304075f245b3972cb2f7e56eff65227ae895784c57745a51501e)",
            "audit/gateway-2026-08.jsonl:730 prev_hash does not match the previous line (expected sha256:a04984b41f5741c14d6dc7b8c1ecb373d1fc2c9b3ab52bf62fd74592891298dd, found sha256:757e06069f3f6b4ae4df3388c0596f5f23b045a3b77a0a6cbe6ffe28737d0edb)",
            "audit/gateway-2026-08.jsonl:730 seq 2308 skips 1 (expected 2307): records are missing",
            "audit/gateway-2026-09.jsonl.gz:1270 seq 4378 repeats the previous record's seq",
        ],
        "audit-record-complete": [
            "audit/gateway-2026-07.jsonl:469 rejected at ingest: malformed JSON at column 388: unterminated string (value of key \"arguments_hash\"): no closing '\"' before end of line",
            "audit/gateway-2026-08.jsonl:375 rejected at ingest: field 'latency_ms': expected a number, found a string",
            "audit/gateway-2026-08.jsonl:1089 rejected at ingest: field 'timestamp': '21/08/2026 17:52:21' is not an RFC 3339 timestamp with a time zone (e.g. 2026-07-01T09:30:00.123Z)",
            "audit/gateway-2026-09.jsonl.gz:945 denied call without a decision_reason",
            "audit/gateway-2026-09.jsonl.gz:1197 rejected at ingest: field 'policy_decision': 'maybe' is not one of allow, deny",
        ],
        "call-volume-spike": [
            "nadia.petrova@acme.example 2026-08-19 96 calls on 2026-08-19, 10.7 times the user's median of 9",
        ],
        "caller-known-and-active": [
            "audit/gateway-2026-08.jsonl:336 user was terminated at 2026-08-07T21:00:00Z",
            "audit/gateway-2026-08.jsonl:338 user was terminated at 2026-08-07T21:00:00Z",
            "audit/gateway-2026-08.jsonl:341 user was terminated at 2026-08-07T21:00:00Z",
            "audit/gateway-2026-08.jsonl:1436 user is not in the directory",
        ],
        "caller-role-allowed": [
            "audit/gateway-2026-07.jsonl:1450 caller roles [finance] are not among the roles [data-analyst, engineer, product, security, sre, team-lead] of policies/github.yaml in force at the call",
            "audit/gateway-2026-08.jsonl:625 caller roles [support] are not among the roles [data-analyst, engineer, sre] of policies/database.query.yaml in force at the call",
        ],
        "dlp-enforced": [
            "audit/gateway-2026-09.jsonl.gz:797 DLP blocked the call but a response was recorded (response_hash present)",
        ],
        "evidence-inputs-valid": [
            "approvals.jsonl:63 'ownership_transferred' is not one of approved, decommissioned, registered, rejected, reviewed, revoked, security_review",
            "directory.csv:184 'suspended' is not one of active, terminated",
        ],
        "first-use-high-risk": [
            "audit/gateway-2026-09.jsonl.gz:917 first use of tier-3 tool payments.refund by this user (2 call(s) in the logs)",
        ],
        "log-continuity": [
            "2026-08-08T19:56:21Z 2026-08-10T09:29:10Z no audit records for 37.5 hours (threshold 24 hours)",
        ],
        "off-hours-activity": [
            "audit/gateway-2026-09.jsonl.gz:656 call at 03:02 on a Sunday (local time), outside working hours",
            "audit/gateway-2026-09.jsonl.gz:657 call at 03:04 on a Sunday (local time), outside working hours",
            "audit/gateway-2026-09.jsonl.gz:658 call at 03:11 on a Sunday (local time), outside working hours",
            "audit/gateway-2026-09.jsonl.gz:659 call at 03:19 on a Sunday (local time), outside working hours",
        ],
        "periodic-tool-review": [
            "database.explain 2026-09-21T10:20:00Z no calls in the period: candidate for decommissioning",
            "github.search_code 2026-04-20T10:00:00Z last approval or review more than 90 days before the period end",
        ],
        "policy-bound-at-call": [
            "audit/gateway-2026-09.jsonl.gz:1112 no parseable policy for slack.add_reaction or slack.* was in force",
        ],
        "policy-change-approved": [
            "907cb93285bf 2026-08-27T22:41:00Z pushed directly to the branch without a pull request; no approval by someone other than the author before it landed; no Reason trailer",
        ],
        "policy-definitions-unique": [],
        "policy-review-current": [
            "policies/jira.yaml jira.* review was due on 2026-09-15, before the period end",
            "policies/slack.export_history.yaml slack.export_history no review.owner",
        ],
        "security-review-before-approval": [
            "filesystem.write_file 2 tier 2 approval at 2026-07-08T13:00:00Z followed a failed security review (SEC-1177)",
            "slack.search 1 5 call(s) in the period before the tool's first approval at 2026-07-10T14:00:00Z, the first at 2026-07-06T10:31:15.620Z",
        ],
        "session-limits": [
            "audit/gateway-2026-07.jsonl:1100 session lasted 13.4 hours (maximum 12), 20 calls until 2026-07-22T21:06:33Z",
            "audit/gateway-2026-08.jsonl:510 correlation_id is empty",
        ],
        "tool-approved-at-call": [
            "audit/gateway-2026-07.jsonl:295 call before the tool's first approval at 2026-07-10T14:00:00Z",
            "audit/gateway-2026-07.jsonl:296 call before the tool's first approval at 2026-07-10T14:00:00Z",
            "audit/gateway-2026-07.jsonl:471 call before the tool's first approval at 2026-07-10T14:00:00Z",
            "audit/gateway-2026-07.jsonl:472 call before the tool's first approval at 2026-07-10T14:00:00Z",
            "audit/gateway-2026-07.jsonl:522 call before the tool's first approval at 2026-07-10T14:00:00Z",
            "audit/gateway-2026-08.jsonl:60 no approval in force: the last approval ended (decommissioned) at 2026-07-25T12:00:00Z",
            "audit/gateway-2026-08.jsonl:63 no approval in force: the last approval ended (decommissioned) at 2026-07-25T12:00:00Z",
            "audit/gateway-2026-08.jsonl:682 no approval in force: the last approval ended (expired) at 2026-08-15T00:00:00Z",
            "audit/gateway-2026-08.jsonl:988 no approval in force: the last approval ended (expired) at 2026-08-15T00:00:00Z",
            "audit/gateway-2026-08.jsonl:1136 no approval in force: the last approval ended (expired) at 2026-08-15T00:00:00Z",
            "audit/gateway-2026-08.jsonl:1279 no approval in force: the last approval ended (revoked) at 2026-08-20T10:00:00Z",
            "audit/gateway-2026-09.jsonl.gz:101 no approval in force: the last approval ended (expired) at 2026-08-15T00:00:00Z",
            "audit/gateway-2026-09.jsonl.gz:394 tool is not in the approval history (never registered or approved)",
            "audit/gateway-2026-09.jsonl.gz:396 tool is not in the approval history (never registered or approved)",
            "audit/gateway-2026-09.jsonl.gz:398 tool is not in the approval history (never registered or approved)",
        ],
    ]

    @Test func everyPlantedViolationIsFoundByItsCheckAndNoOther() throws {
        let results = try Self.results()
        #expect(Set(results.keys) == Set(Self.expected.keys))
        for (id, result) in results.sorted(by: { $0.key < $1.key }) {
            #expect(result.errorMessage == nil, "\(id): \(result.errorMessage ?? "")")
            #expect(Self.describe(result) == Self.expected[id] ?? [], "\(id)")
            #expect(result.exceptionCount == Self.expected[id]?.count, "\(id)")
            #expect(result.status == (result.exceptionCount > 0 ? .exceptions : .effective), "\(id)")
        }
    }

    @Test func theSampleIsStableAcrossRunsAndChangesWithThePeriod() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let check = try AcmeRun.shippedCheck("tool-approved-at-call")
        let first = CheckRunner(store: store, periodLabel: "2026-Q3").run(check)
        let second = CheckRunner(store: store, periodLabel: "2026-Q3").run(check)
        let otherPeriod = CheckRunner(store: store, periodLabel: "2026-Q4").run(check)
        #expect(first.sampleRows.count == 60)
        #expect(first.sampleRows == second.sampleRows)
        #expect(first.sample == second.sample)
        #expect(first.sample?.rowNumbers != otherPeriod.sample?.rowNumbers)
        #expect(first.sampleRows != otherPeriod.sampleRows)
        // The seed is re-computable with sha256sum: printf '%s' 2026-Q3tool-approved-at-call | sha256sum
        #expect(first.sample?.seed == (try SHA256.hex(of: Data("2026-Q3tool-approved-at-call".utf8))))
    }
}

import Foundation
import Testing
@testable import EvidenceKit

/// The report's totals, risk tiers and tool inventory are derived from one grouped pass over the
/// calls; each figure must equal the plain query an auditor would write against the store.
struct SummaryTotalsTests {
    @Test func acmeTotalsTiersAndToolCountsEqualPlainQueries() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let input = ReportInput(config: acme.config, ingest: acme.summary, checks: [], controls: [], frameworks: [],
                                asOf: 0, keyID: nil, facts: try StoreFacts(store: store))
        let builder = SummaryBuilder(input: input)
        let model = try builder.build()
        let database = store.database
        func scalar(_ sql: String) throws -> TemplateValue { .int(try database.scalar(sql)?.int64 ?? -1) }

        #expect(model.lookup("totals.calls") == (try scalar("SELECT count(*) FROM calls_in_period")))
        #expect(model.lookup("totals.denied") == (try scalar("SELECT count(*) FROM calls_in_period WHERE policy_decision = 'deny'")))
        #expect(model.lookup("totals.tools_called") == (try scalar("SELECT count(DISTINCT tool) FROM calls_in_period")))
        #expect(model.lookup("totals.users") == (try scalar("SELECT count(DISTINCT user_id) FROM calls_in_period")))
        #expect(model.lookup("totals.sessions") == (try scalar("SELECT count(DISTINCT session_id) FROM calls_in_period")))
        #expect(model.lookup("totals.denied") != .int(0), "acme has denials, so the deny count is exercised")
        #expect(model.lookup("working_hours") == .object([
            "configured": .bool(true), "start": .string("06:00"), "end": .string("22:00"),
            "days": .string("mon, tue, wed, thu, fri, sat, sun"), "timezone_offset": .string("+00:00"),
        ]))
        #expect(SummaryBuilder.workingHoursModel(EvidenceConfig.WorkingHours(startMinute: 510, endMinute: 1440, days: [.mon, .fri],
                                                                             timezoneOffsetMinutes: -330)).lookup("timezone_offset") == .string("-05:30"))
        // Every accepted audit record is either a call of the period or counted outside it.
        #expect(model.lookup("totals.calls_before_period") == (try scalar("SELECT count(*) FROM calls WHERE ts < (SELECT start_ms FROM period)")))
        #expect(model.lookup("totals.calls_after_period") == (try scalar("SELECT count(*) FROM calls WHERE ts >= (SELECT end_ms FROM period)")))
        #expect(model.lookup("totals.calls_outside_period")
            == (try scalar("SELECT (SELECT count(*) FROM calls) - (SELECT count(*) FROM calls_in_period)")))

        let tiers = try database.query("""
            SELECT coalesce(t.risk_tier, 0) AS tier, count(*), sum(c.calls)
            FROM (SELECT tool, count(*) AS calls FROM calls_in_period GROUP BY tool) c
            LEFT JOIN tools t ON t.tool = c.tool
            GROUP BY tier ORDER BY tier
            """).rows.map { row in
            TemplateValue.object(["tier": .int(row[0].int64 ?? -1), "label": .string(row[0].int64 == 0 ? "unregistered" : "tier \(row[0].int64 ?? -1)"),
                                  "tools": .int(row[1].int64 ?? -1), "calls": .int(row[2].int64 ?? -1)])
        }
        #expect(tiers.count >= 3, "acme calls unregistered tools and tools of several tiers")
        #expect(model.lookup("tiers") == .array(tiers))

        let perTool = try database.query("""
            SELECT tool, count(*), sum(policy_decision = 'deny') FROM calls_in_period GROUP BY tool ORDER BY tool
            """).rows
        let inventory = Dictionary(builder.toolRows.map { ($0[0].string ?? "", ($0[14], $0[15])) }, uniquingKeysWith: { first, _ in first })
        for row in perTool {
            let tool = try #require(row[0].string)
            #expect(inventory[tool]?.0 == row[1], "calls of \(tool)")
            #expect(inventory[tool]?.1 == row[2], "denied calls of \(tool)")
        }
        let uncalled = builder.toolRows.filter { row in !perTool.contains { $0[0] == row[0] } }
        #expect(!uncalled.isEmpty, "acme registers tools nobody called")
        #expect(uncalled.allSatisfy { $0[14] == .integer(0) && $0[15] == .integer(0) })
    }
}

extension SummaryTotalsTests {
    /// The board's "every call is logged" figure counts incomplete records against the lines that check
    /// examined (rejected ones included), not against the calls.
    @Test func theLoggedStatementCountsAgainstTheLinesChecked() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let results = try AcmeChecksTests.results()
        let input = ReportInput(config: acme.config, ingest: acme.summary, checks: results.values.sorted { $0.check.id < $1.check.id },
                                controls: [], frameworks: [], asOf: 0, keyID: nil, facts: try StoreFacts(store: store))
        let model = try SummaryBuilder(input: input).build()
        guard case .array(let statements)? = model.lookup("statements") else { Issue.record("no statements"); return }
        let logged = try #require(statements.first { $0.lookup("id") == .string("logged") })
        let complete = try #require(results["audit-record-complete"])
        #expect(complete.populationCount != (try store.count("calls")), "acme has rejected lines, so lines and calls differ")
        #expect(logged.lookup("figure") == .string(
            "4 hash-chain or sequence breaks, 1 silent period over 24 h, \(complete.exceptionCount) incomplete or unreadable audit records out of \(complete.populationCount) lines; "
            + "\(SummaryBuilder.count(try #require(results["session-limits"]).exceptionCount, "overlong or untraceable session"))."))
    }
}

import Foundation
import Testing
@testable import EvidenceKit

struct CheckRunnerTests {
    static func check(population: String, exceptions: String, id: String = "probe") -> CheckDefinition {
        CheckDefinition(id: id, title: "t", description: "d", kind: .control, frequency: .daily, severity: .medium,
                        population: population, exceptions: exceptions, file: "checks/\(id).yaml")
    }

    func runOnMiniOrg(_ check: CheckDefinition) throws -> CheckResult {
        let org = try MiniOrg(auditLines: [MiniOrg.call("2026-07-01T09:00:00Z"), MiniOrg.call("2026-07-02T09:00:00Z")])
        defer { org.remove() }
        _ = try org.ingest()
        let path = try FileManager.default.contentsOfDirectory(atPath: org.root.path).first { $0.hasSuffix(".sqlite") }!
        let store = try EvidenceStore(readingAt: org.root.appendingPathComponent(path).path)
        return CheckRunner(store: store, periodLabel: "2026-Q3").run(check)
    }

    /// The audit format lets only a denied call lack a response hash; an allowed one without it is an
    /// incomplete record, found by audit-record-complete (and a denied one without it is not).
    @Test func anAllowedCallWithoutAResponseHashIsIncomplete() throws {
        let lines = [
            MiniOrg.call("2026-07-01T09:00:00Z"),
            MiniOrg.call("2026-07-01T10:00:00Z").replacingOccurrences(of: "\"response_hash\":\"sha256:r\"", with: "\"response_hash\":null"),
            MiniOrg.call("2026-07-01T11:00:00Z", decision: "deny"),
            MiniOrg.call("2026-07-01T12:00:00Z").replacingOccurrences(of: "\"response_hash\":\"sha256:r\"", with: "\"response_hash\":\"\""),
        ]
        #expect(lines[1].contains("\"response_hash\":null") && lines[2].contains("\"response_hash\":null"))
        let org = try MiniOrg(auditLines: lines)
        defer { org.remove() }
        _ = try org.ingest()
        let path = try FileManager.default.contentsOfDirectory(atPath: org.root.path).first { $0.hasSuffix(".sqlite") }!
        let store = try EvidenceStore(readingAt: org.root.appendingPathComponent(path).path)
        let result = CheckRunner(store: store, periodLabel: "2026-Q3").run(try AcmeRun.shippedCheck("audit-record-complete"))
        #expect(result.errorMessage == nil)
        #expect(result.firstExceptions.map { "\($0[1]) \($0[5])" } == [
            "2 allowed call without a response_hash (only a denied call may have none)",
            "4 allowed call without a response_hash (only a denied call may have none)",
        ])
    }

    /// Two files naming the same tool at the same time make the policy ambiguous: both are listed,
    /// each naming the other; a file renamed in one commit is not a second definition.
    @Test func twoFilesDefiningOneToolAtOnceAreExceptions() throws {
        let org = try MiniOrg(auditLines: [MiniOrg.call("2026-07-01T09:00:00Z")])
        defer { org.remove() }
        let repo = org.root.appendingPathComponent("policy-repo")
        func commit(_ message: String, at date: String) throws {
            try ExternalTool.git(in: repo.path, ["add", "-A"], date: date, home: org.root)
            try ExternalTool.git(in: repo.path, ["commit", "-q", "-m", message], date: date, home: org.root)
        }
        // A second file for db.query from 2026-07-10 to 2026-07-20.
        try Data(MiniOrg.policy.utf8).write(to: repo.appendingPathComponent("policies/db.query-copy.yaml"))
        try commit("Copy the db.query policy", at: "2026-07-10T09:00:00Z")
        try FileManager.default.removeItem(at: repo.appendingPathComponent("policies/db.query-copy.yaml"))
        try commit("Remove the copy", at: "2026-07-20T09:00:00Z")
        // A rename: the old path ends where the new one starts.
        try FileManager.default.moveItem(at: repo.appendingPathComponent("policies/db.query.yaml"),
                                         to: repo.appendingPathComponent("policies/db-query.yaml"))
        try commit("Rename the db.query policy", at: "2026-09-01T09:00:00Z")
        _ = try org.ingest()
        let path = try FileManager.default.contentsOfDirectory(atPath: org.root.path).first { $0.hasSuffix(".sqlite") }!
        let store = try EvidenceStore(readingAt: org.root.appendingPathComponent(path).path)
        let result = CheckRunner(store: store, periodLabel: "2026-Q3").run(try AcmeRun.shippedCheck("policy-definitions-unique"))
        #expect(result.errorMessage == nil)
        #expect(result.populationCount == 4)
        #expect(result.firstExceptions.map { "\($0[0]) \($0[5])" }.map { $0.replacingOccurrences(of: #"commit [0-9a-f]{12}"#, with: "commit C", options: .regularExpression) } == [
            "policies/db.query.yaml defines db.query while policies/db.query-copy.yaml (commit C) also does, from 2026-07-10T09:00:00Z; calls are judged against the version that took effect later",
            "policies/db.query-copy.yaml defines db.query while policies/db.query.yaml (commit C) also does, from 2026-07-10T09:00:00Z; calls are judged against the version that took effect later",
        ])
    }

    @Test func aFailingQueryIsAnErrorNeverAPass() throws {
        let result = try runOnMiniOrg(Self.check(population: "SELECT * FROM calls", exceptions: "SELECT * FROM no_such_table"))
        #expect(result.status == .error)
        #expect(result.errorMessage?.contains("no such table: no_such_table") == true)
    }

    @Test func writingSQLIsRefused() throws {
        let result = try runOnMiniOrg(Self.check(population: "SELECT * FROM calls", exceptions: "DELETE FROM calls RETURNING 'x' AS reason"))
        #expect(result.status == .error)
        let count = try runOnMiniOrg(Self.check(population: "SELECT * FROM calls", exceptions: "SELECT 'x' AS reason WHERE 0"))
        #expect(count.populationCount == 2)
    }

    @Test func aSecondStatementIsRefused() throws {
        let result = try runOnMiniOrg(Self.check(population: "SELECT * FROM calls; DROP TABLE calls", exceptions: "SELECT 'x' AS reason WHERE 0"))
        #expect(result.status == .error)
        #expect(result.errorMessage?.contains("only one SQL statement") == true)
    }

    @Test func exceptionsNeedAReasonColumn() throws {
        let result = try runOnMiniOrg(Self.check(population: "SELECT * FROM calls", exceptions: "SELECT line FROM calls"))
        #expect(result.status == .error)
        #expect(result.errorMessage?.contains("'reason' column") == true)
    }

    @Test func statusFollowsPopulationAndExceptions() throws {
        let empty = try runOnMiniOrg(Self.check(population: "SELECT * FROM calls WHERE 0", exceptions: "SELECT 'x' AS reason WHERE 0"))
        #expect(empty.status == .notTested)
        let found = try runOnMiniOrg(Self.check(population: "SELECT line FROM calls ORDER BY line", exceptions: "SELECT line, 'late' AS reason FROM calls WHERE line = 2"))
        #expect(found.status == .exceptions)
        #expect(found.exceptionCount == 1)
        #expect(found.firstExceptions == [[.integer(2), .text("late")]])
        #expect(found.sampleRows == [[.integer(1)], [.integer(2)]])
    }

    /// The suite runs each check's two halves on different connections at once; what it returns and
    /// writes must be what running the check alone gives, and a check whose population fails keeps
    /// an exceptions file with the header alone, as when its exceptions are never run.
    @Test func theSuiteRunsHalvesApartAndGivesTheSameResults() throws {
        let org = try MiniOrg(auditLines: (1...9).map { MiniOrg.call("2026-07-0\($0)T09:00:00Z") })
        defer { org.remove() }
        _ = try org.ingest()
        let name = try FileManager.default.contentsOfDirectory(atPath: org.root.path).first { $0.hasSuffix(".sqlite") }!
        let storePath = org.root.appendingPathComponent(name).path
        let checks = [
            Self.check(population: "SELECT line FROM calls ORDER BY line", exceptions: "SELECT line, 'odd' AS reason FROM calls WHERE line % 2 = 1 ORDER BY line", id: "odd"),
            Self.check(population: "SELECT * FROM no_such_table", exceptions: "SELECT line, 'any' AS reason FROM calls ORDER BY line", id: "broken"),
            Self.check(population: "SELECT tool FROM tools ORDER BY tool", exceptions: "SELECT tool, 'x' AS reason FROM tools WHERE 0", id: "tools"),
        ]
        let writer = try BundleWriter(destination: org.root.appendingPathComponent("bundle"), force: false)
        var suite = CheckSuite(checks: checks)
        suite.parallelism = 2
        let results = try suite.run(storePath: storePath, periodLabel: "2026-Q3", writer: writer)
        let alone = try checks.map { CheckRunner(store: try EvidenceStore(readingAt: storePath), periodLabel: "2026-Q3").run($0) }
        #expect(results.map(\.check.id) == ["odd", "broken", "tools"])
        #expect(results.map(\.status) == [.exceptions, .error, .effective])
        #expect(results.map(\.status) == alone.map(\.status))
        #expect(results.map(\.populationCount) == [9, 0, alone[2].populationCount])
        #expect(results.map(\.exceptionCount) == [5, 0, 0])
        #expect(results.map(\.firstExceptions) == alone.map(\.firstExceptions))
        #expect(results.map(\.sampleRows) == alone.map(\.sampleRows))
        #expect(results[1].errorMessage == alone[1].errorMessage)
        func csv(_ check: String, _ file: String) throws -> String {
            try String(contentsOf: writer.temporaryFolder.appendingPathComponent("checks/\(check)/\(file)"), encoding: .utf8)
        }
        #expect(try csv("odd", "exceptions.csv") == "line,reason\r\n1,odd\r\n3,odd\r\n5,odd\r\n7,odd\r\n9,odd\r\n")
        #expect(try csv("broken", "exceptions.csv") == "reason\r\n")
        #expect(try csv("tools", "exceptions.csv") == "tool,reason\r\n")
        #expect(try csv("odd", "sample.csv").hasPrefix("row_number,line\r\n"))
    }

    @Test func halvesThatReadTheCallsAreScheduledFirst() {
        let checks = [
            Self.check(population: "SELECT tool FROM tools", exceptions: "SELECT 'x' AS reason FROM approvals", id: "a"),
            Self.check(population: "SELECT * FROM calls_located", exceptions: "SELECT 'x' AS reason FROM tools", id: "b"),
            Self.check(population: "SELECT * FROM people", exceptions: "SELECT 'x' AS reason FROM call_rows JOIN call_policy USING (id)", id: "c"),
        ]
        let order = CheckSuite.workOrder(checks).map { "\(checks[$0.check].id).\($0.half)" }
        #expect(order == ["b.population", "c.exceptions", "a.population", "a.exceptions", "b.exceptions", "c.population"])
    }

    @Test func sampleSizesFollowFrequencyAndSeverity() {
        #expect(SampleSelection.size(for: .multipleTimesPerDay, severity: .high) == 60)
        #expect(SampleSelection.size(for: .daily, severity: .low) == 20)
        #expect(SampleSelection.size(for: .weekly, severity: .medium) == 10)
        #expect(SampleSelection.size(for: .quarterly, severity: .high) == 2)
        #expect(SampleSelection.size(for: .annual, severity: .high) == 1)
    }

    /// The documented method, re-performed independently in Python:
    /// seed = int.from_bytes(sha256(b"2026-Q3c")[:8], "big"); keys = splitmix64(seed + i * golden);
    /// the 5 smallest keys among rows 1...1000 are rows [103, 215, 691, 713, 858].
    @Test func sampleMatchesTheDocumentedMethod() throws {
        let sample = try SampleSelection(period: "2026-Q3", checkID: "c", populationCount: 1000, size: 5)
        #expect(sample.rowNumbers == [103, 215, 691, 713, 858])
    }

    @Test func samplesAreDistinctInRangeAndSeeded() throws {
        for population in [0, 1, 5, 60, 61, 1000, 100_000] {
            let sample = try SampleSelection(period: "2026-Q3", checkID: "c", populationCount: population, size: 60)
            #expect(sample.rowNumbers.count == min(60, population))
            #expect(Set(sample.rowNumbers).count == sample.rowNumbers.count)
            #expect(sample.rowNumbers.allSatisfy { (1...max(population, 1)).contains($0) })
            #expect(sample.rowNumbers == sample.rowNumbers.sorted())
        }
        let a = try SampleSelection(period: "2026-Q3", checkID: "c", populationCount: 1000, size: 25)
        let b = try SampleSelection(period: "2026-Q3", checkID: "d", populationCount: 1000, size: 25)
        #expect(a.rowNumbers != b.rowNumbers)
    }
}

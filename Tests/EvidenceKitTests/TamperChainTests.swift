import Foundation
import Testing
@testable import EvidenceKit

/// Tampering with a hash-chained audit log after it was written, each kind found by the
/// `audit-chain-intact` check (run through `CheckRunner` on a real ingest) at the exact line where the
/// chain breaks, with the exact reason. The chain is plain SHA-256 over each line, so what it can show
/// is where a line no longer follows the one before it: an edit shows on the line after the edited one.
struct TamperChainTests {
    static func check() throws -> CheckDefinition {
        try AcmeRun.shippedCheck("audit-chain-intact")
    }

    /// Six chained calls (seq 1...6), an hour apart.
    static func chain(startSeq: Int = 1, previous: String? = nil, day: Int = 1) throws -> [String] {
        try MiniOrg.chained((0..<6).map { MiniOrg.call(String(format: "2026-07-%02dT%02d:00:00Z", day, 9 + $0)) },
                            startSeq: startSeq, previous: previous)
    }

    static func hash(_ line: String) throws -> String {
        "sha256:" + (try SHA256.hex(of: Data(line.utf8)))
    }

    /// Ingests `files` (name under audit/ and lines) and returns the check's exception rows as
    /// "file:line reason", its population size and the ingest's input errors.
    static func run(_ files: [(name: String, lines: [String])]) throws -> (exceptions: [String], population: Int, inputErrors: [String]) {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.delete("audit/gateway.jsonl")
        for file in files {
            try workspace.write(file.lines.joined(separator: "\n") + "\n", to: "audit/" + file.name)
        }
        let storePath = workspace.root.appendingPathComponent("evidence.sqlite").path
        let config = try EvidenceConfig.load(path: workspace.org.configPath)
        do {
            let store = try EvidenceStore(creatingAt: storePath)
            _ = try Ingestor(config: config).ingest(into: store)
        }
        let store = try EvidenceStore(readingAt: storePath)
        let result = CheckRunner(store: store, periodLabel: config.period.label).run(try check())
        #expect(result.errorMessage == nil)
        return (AcmeChecksTests.describe(result), result.populationCount, try HostileWorkspace.inputErrors(store))
    }

    static func mismatch(_ expected: String, _ found: String) -> String {
        "prev_hash does not match the previous line (expected \(expected), found \(found))"
    }

    @Test func anUntouchedChainHasNoExceptions() throws {
        let first = try Self.chain()
        let second = try Self.chain(startSeq: 7, previous: try Self.hash(first[5]), day: 2)
        let restarted = try Self.chain(day: 3)  // a new file may start a new chain
        let outcome = try Self.run([("a.jsonl", first), ("b.jsonl", second), ("c.jsonl", restarted)])
        #expect(outcome.exceptions == [])
        #expect(outcome.population == 18)
        #expect(outcome.inputErrors == [])
    }

    @Test func aDeletedRecordShowsWhereItWas() throws {
        var lines = try Self.chain()
        let deleted = lines.remove(at: 2)
        let outcome = try Self.run([("gateway.jsonl", lines)])
        #expect(outcome.exceptions == [
            "audit/gateway.jsonl:3 " + Self.mismatch(try Self.hash(lines[1]), try Self.hash(deleted)),
            "audit/gateway.jsonl:3 seq 4 skips 1 (expected 3): records are missing",
        ])
    }

    @Test func aDeletedFirstRecordShowsOnTheNewFirstLine() throws {
        var lines = try Self.chain()
        let deleted = lines.removeFirst()
        let outcome = try Self.run([("gateway.jsonl", lines)])
        #expect(outcome.exceptions == ["audit/gateway.jsonl:1 " + Self.mismatch("null", try Self.hash(deleted))])
    }

    @Test func anEditedRecordShowsOnTheLineAfterIt() throws {
        var lines = try Self.chain()
        let original = lines[2]
        lines[2] = lines[2].replacingOccurrences(of: "\"user_id\":\"u1\"", with: "\"user_id\":\"u2\"")
        let outcome = try Self.run([("gateway.jsonl", lines)])
        #expect(outcome.exceptions == ["audit/gateway.jsonl:4 " + Self.mismatch(try Self.hash(lines[2]), try Self.hash(original))])
    }

    /// The last line of a file has no successor in it; when the next file continues the chain, its
    /// first line shows the edit.
    @Test func anEditedLastRecordShowsInTheNextFile() throws {
        var first = try Self.chain()
        let second = try Self.chain(startSeq: 7, previous: try Self.hash(first[5]), day: 2)
        let original = first[5]
        first[5] = first[5].replacingOccurrences(of: "\"policy_decision\":\"allow\"", with: "\"policy_decision\":\"deny\"")
        let outcome = try Self.run([("a.jsonl", first), ("b.jsonl", second)])
        #expect(outcome.exceptions == ["audit/b.jsonl:1 " + Self.mismatch("null or " + (try Self.hash(first[5])), try Self.hash(original))])
    }

    @Test func reorderedRecordsShowAtEveryLineOutOfPlace() throws {
        var lines = try Self.chain()
        lines.swapAt(2, 3)  // now seq 1, 2, 4, 3, 5, 6
        let outcome = try Self.run([("gateway.jsonl", lines)])
        let hashes = try lines.map(Self.hash)
        #expect(outcome.exceptions == [
            // seq 4 follows seq 2: its prev_hash names the record now below it.
            "audit/gateway.jsonl:3 " + Self.mismatch(hashes[1], hashes[3]),
            "audit/gateway.jsonl:3 seq 4 skips 1 (expected 3): records are missing",
            "audit/gateway.jsonl:4 " + Self.mismatch(hashes[2], hashes[1]),
            "audit/gateway.jsonl:4 seq 3 goes back (expected 5)",
            "audit/gateway.jsonl:5 " + Self.mismatch(hashes[3], hashes[2]),
            "audit/gateway.jsonl:5 seq 5 skips 1 (expected 4): records are missing",
        ])
    }

    /// A forger who chains the inserted record to the one before it passes that line; the genuine record
    /// after it still names its real predecessor and repeats its seq.
    @Test func anInsertedChainedRecordShowsOnTheGenuineLineAfterIt() throws {
        var lines = try Self.chain()
        let forged = try MiniOrg.chained([MiniOrg.call("2026-07-01T11:30:00Z", user: "u4")], startSeq: 4, previous: try Self.hash(lines[2]))[0]
        lines.insert(forged, at: 3)
        let outcome = try Self.run([("gateway.jsonl", lines)])
        #expect(outcome.exceptions == [
            "audit/gateway.jsonl:5 " + Self.mismatch(try Self.hash(forged), try Self.hash(lines[2])),
            "audit/gateway.jsonl:5 seq 4 repeats the previous record's seq",
        ])
    }

    /// An inserted record without chain fields is counted by its line: the next record's seq lags one behind.
    @Test func anInsertedUnchainedRecordShowsOnTheLineAfterIt() throws {
        var lines = try Self.chain()
        let forged = MiniOrg.call("2026-07-01T11:30:00Z", user: "u4")
        lines.insert(forged, at: 3)
        let outcome = try Self.run([("gateway.jsonl", lines)])
        #expect(outcome.exceptions == [
            "audit/gateway.jsonl:5 " + Self.mismatch(try Self.hash(forged), try Self.hash(lines[2])),
            "audit/gateway.jsonl:5 seq 4 goes back (expected 5)",
        ])
    }

    /// A chain that starts again mid-file (the counter reset and prev_hash null, as after a log was cut
    /// and continued) shows where it restarts, and only there.
    @Test func aChainRestartingMidFileShowsWhereItRestarts() throws {
        let head = Array(try Self.chain().prefix(3))
        let restart = try Self.chain(day: 2)
        let outcome = try Self.run([("gateway.jsonl", head + restart)])
        #expect(outcome.exceptions == [
            "audit/gateway.jsonl:4 " + Self.mismatch(try Self.hash(head[2]), "null"),
            "audit/gateway.jsonl:4 seq 1 goes back (expected 4)",
        ])
    }

    /// A line rejected at ingest still counts in the chain (its exact bytes are hashed and its seq is
    /// its line), so it is an input error but not a tampering exception.
    @Test func aRejectedLineInsideTheChainIsNotTampering() throws {
        var records = (0..<5).map { MiniOrg.call(String(format: "2026-07-01T%02d:00:00Z", 9 + $0)) }
        records[2] = records[2].replacingOccurrences(of: "\"latency_ms\":12", with: "\"latency_ms\":\"12\"")
        let lines = try MiniOrg.chained(records)
        let outcome = try Self.run([("gateway.jsonl", lines)])
        #expect(outcome.exceptions == [])
        #expect(outcome.inputErrors == ["audit/gateway.jsonl:3: field 'latency_ms': expected a number, found a string"])
        #expect(outcome.population == 4)
    }
}

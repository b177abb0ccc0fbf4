import Foundation
import Testing
@testable import EvidenceKit

/// The audit ingest's fast path (`AuditLineScanner`, `AuditReader.packFast`) must store exactly what
/// the general parser stores and leave every error to it: each file here is ingested twice, with and
/// without the fast path, and the two `calls` and `input_errors` tables must be identical.
struct AuditFastPathTests {
    static let times = ["2026-07-01T09:00:00.123Z", "2026-07-01T10:00:00Z", "2026-07-01t11:00:00.5z", "2026-07-01T12:00:00.123456+02:00"]

    /// A full record with `seq` and `prev_hash`; `prev` is the JSON text of the hash (or `null`).
    static func record(_ index: Int, prev: String) -> String {
        "{\"seq\":\(index),\"prev_hash\":\(prev),\"event_id\":\"evt_\(index)\",\"timestamp\":\"\(times[index % times.count])\","
            + "\"session_id\":\"ses_1\",\"correlation_id\":\"c-\(index)\",\"user_id\":\"u\(index % 3)@acme.example\","
            + "\"agent_id\":\"claude-code\",\"tool_server\":\"jira\",\"tool_name\":\"search\",\"arguments_hash\":\"sha256:ab\","
            + "\"response_hash\":\"sha256:cd\",\"data_classification\":\"internal\",\"dlp_result\":\"clean\","
            + "\"policy_decision\":\"allow\",\"policy_id\":\"jira.*\",\"latency_ms\":\(index * 7),\"environment\":\"production\"}"
    }

    /// Changes to a good record, each either taken by the fast path or left to the general parser:
    /// the first occurrence of a text replaced, or with `=field` that field's value.
    static let edits: [(String, String)] = [
        ("", ""),
        ("{\"seq\"", " {  \"seq\" "), ("\"production\"}", "\"production\" }\t"), (":\"jira\",", " : \"jira\" ,"),
        ("\"production\"}", "\"production\"}\r"),
        ("\"ses_1\"", "\"ses\\u00e9\""), ("\"ses_1\"", "\"a\\/b\\n\""), ("\"ses_1\"", "\"zoë €𝄞\""), ("\"ses_1\"", "\"\u{7F}\""),
        ("\"ses_1\"", "\"\""), ("\"jira\",\"tool_name\"", "\"\",\"tool_name\""), ("\"search\"", "\"\""),
        ("\"environment\"", "\"x\":1,\"environment\""), ("\"environment\"", "\"nested\":{\"a\":[1,2,{\"b\":null}]},\"environment\""),
        ("\"environment\"", "\"flag\":true,\"environment\""), ("\"environment\":\"production\"", "\"environment\":null"),
        ("\"environment\":\"production\"", "\"environment\":5"), ("\"environment\":\"production\"", "\"environment\":false"),
        ("\"policy_id\":\"jira.*\",", ""), ("=event_id", "null"), ("=event_id", "\"\""),
        ("\"environment\"", "\"decision_reason\":\"role é\",\"environment\""), ("=user_id", "\"\\u0041\""),
        ("=prev_hash", "null"), ("=prev_hash", "\"\""), ("=tool_name", "\"ünïcode\""),
        ("\"response_hash\":\"sha256:cd\"", "\"response_hash\":null"), ("\"response_hash\":\"sha256:cd\",", ""),
        ("\"response_hash\":\"sha256:cd\"", "\"response_hash\":7"), ("\"session_id\":\"ses_1\"", "\"session_id\":null"),
        ("\"session_id\":\"ses_1\"", "\"session_id\":1"), ("\"session_id\":\"ses_1\",", ""),
        ("=latency_ms", "1.5"), ("=latency_ms", "-0"),
        ("=latency_ms", "0"), ("=latency_ms", "1E-2"),
        ("=latency_ms", "12345678901234567"), ("=latency_ms", "1e400"),
        ("=latency_ms", "-1"), ("=latency_ms", "\"12\""),
        ("=latency_ms", "012"), ("=latency_ms", "1."),
        ("=latency_ms", "0.1e+1"), ("=latency_ms", "null"),
        ("=seq", "0"), ("=seq", "-0"), ("=seq", "1.0"),
        ("=seq", "9223372036854775807"), ("=seq", "9223372036854775808"),
        ("=seq", "123456789012345678"), ("=seq", "-3"),
        ("=seq", "null"), ("=seq", "\"5\""),
        ("=timestamp", "\"2026-07-01T09:00:00.999Z\""),
        ("=timestamp", "\"2026-07-01 09:00:00Z\""),
        ("=timestamp", "\"9999-12-31T23:59:59.999Z\""),
        ("=timestamp", "\"0001-01-01T00:00:00.000+01:00\""),
        ("\"allow\"", "\"deny\""), ("\"allow\"", "\"ALLOW\""), ("\"allow\"", "\"allow \""), ("\"clean\"", "\"flagged\""),
        ("\"clean\"", "\"dirty\""), ("\"internal\"", "\"restricted\""), ("\"internal\"", "\"secret\""),
        ("\"user_id\"", "\"user\\u005fid\""), ("\"agent_id\":\"claude-code\"", "\"agent_id\":\"a\",\"agent_id\":\"b\""),
        ("\"seq\"", "\"seq\",\"seq\":1,\"z\""), ("\"production\"}", "\"production\",}"), ("\"production\"}", "\"production\""),
        ("\"production\"}", "\"production\"}}"), ("\"production\"}", "\"production\"} x"), ("{", "\u{FEFF}{"),
        ("{\"seq\"", "{\"\":1,\"seq\""), ("{\"seq\"", "{\"zeta\":\"z é\",\"alpha\":-1.5e3,\"al\":null,\"b\":true,\"a_\":false,\"seq\""),
        ("{\"seq\"", "{\"client_version\":\"1.2\",\"seq\""), ("{\"seq\"", "{\"x\":1,\"y\":2,\"x\":3,\"seq\""),
        ("{\"seq\"", "{\"x\\u0041\":1,\"seq\""), ("{\"seq\"", "{\"x\":\"a\\\"b\",\"seq\""),
        ("{\"seq\"", "{" + (0..<16).map { "\"k\(15 - $0)\":\($0)," }.joined() + "\"seq\""),
        ("{\"seq\"", "{" + (0..<17).map { "\"k\($0)\":\($0)," }.joined() + "\"seq\""), ("\"tool_name\"", "\"flag\":tru,\"tool_name\""), ("\"production\"}", "\"production\",\"é\":\"x\"}"),
    ]

    static func hash(_ line: [UInt8]) throws -> String {
        "\"sha256:" + (try SHA256.hex(of: Data(line))) + "\""
    }

    /// One file of chained records, each with one edit, plus a few records whose chain is broken.
    static func editedFile(previousFileLast: String? = nil) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var prev = previousFileLast ?? "null"
        for (index, edit) in edits.enumerated() {
            var text = record(index + 1, prev: prev)
            if edit.0.hasPrefix("=") {
                let pattern = "\"\(edit.0.dropFirst())\":(\"[^\"]*\"|[^,}\"]*)"
                guard let range = text.range(of: pattern, options: .regularExpression) else {
                    Issue.record("no field \(edit.0)")
                    continue
                }
                text.replaceSubrange(range, with: "\"\(edit.0.dropFirst())\":" + edit.1)
            } else if !edit.0.isEmpty, let range = text.range(of: edit.0) {
                text.replaceSubrange(range, with: edit.1)
            }
            lines.append(Array(text.utf8))
            prev = try hash(lines[lines.count - 1])
        }
        for wrong in ["null", "\"sha256:00\"", "7", "\"sha256:\u{212A}\""] {
            lines.append(Array(record(lines.count + 1, prev: wrong).utf8))
        }
        return lines
    }

    /// Random byte edits of good chained records, from a fixed seed.
    static func fuzzedFile(count: Int) throws -> [[UInt8]] {
        var random = SplitMix64(state: 0x5EED_0F_A5)
        func next(_ bound: Int) -> Int { random.below(bound) }
        let interesting: [UInt8] = Array(" \"\\,:{}[]0-.eEn9a\t".utf8) + [0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xFF, 0x00, 0x1F, 0x7F]
        var lines: [[UInt8]] = []
        var prev = "null"
        for index in 0..<count {
            var line = Array(record(index + 1, prev: prev).utf8)
            for _ in 0...next(3) {
                let at = next(line.count)
                switch next(3) {
                case 0: line[at] = interesting[next(interesting.count)]
                case 1: line.insert(interesting[next(interesting.count)], at: at)
                default: line.remove(at: at)
                }
            }
            line.removeAll { $0 == 0x0A }
            lines.append(line)
            prev = try hash(line)
        }
        return lines
    }

    /// Ingests `files` with or without the fast path and returns both tables in full.
    static func ingest(_ files: [Data], fastPath: Bool, in folder: URL) throws -> (calls: [[SQLValue]], errors: [[SQLValue]]) {
        var inputs: [AuditIngest.File] = []
        for (index, data) in files.enumerated() {
            let path = folder.appendingPathComponent("audit-\(index).jsonl").path
            try data.write(to: URL(fileURLWithPath: path))
            inputs.append(AuditIngest.File(path: path, display: "audit-\(index).jsonl", fileID: Int64(index + 1)))
        }
        let store = try EvidenceStore(creatingAt: folder.appendingPathComponent("evidence-\(fastPath).sqlite").path)
        try store.database.execute("BEGIN")
        let errors = try InputErrorLog(store: store)
        _ = try AuditIngest(store: store, errors: errors, policies: .none, fastPath: fastPath).ingest(inputs)
        try store.database.execute("COMMIT")
        // typeof and quote tell NULL from '' and 0 from 0.0, which SQLValue equality alone would not.
        let columns = (AuditRow.rowColumns.dropFirst() + AuditRow.detailColumns.dropFirst()).map { "typeof(\($0)), quote(\($0)), \($0)" }.joined(separator: ", ")
        let calls = try store.database.query("SELECT id, \(columns) FROM calls ORDER BY id").rows
        let inputErrors = try store.database.query("SELECT id, input, file, line, field, message FROM input_errors ORDER BY id").rows
        return (calls, inputErrors)
    }

    static func file(_ lines: [[UInt8]]) -> Data {
        var data = Data()
        for line in lines {
            data.append(contentsOf: line)
            data.append(0x0A)
        }
        return data
    }

    static func expectSameWithAndWithoutFastPath(_ files: [Data]) throws {
        let folder = try TestFolder.make("audit-fast")
        defer { try? FileManager.default.removeItem(at: folder) }
        func ingest(fastPath: Bool) throws -> (calls: [[SQLValue]], errors: [[SQLValue]]) {
            try Self.ingest(files, fastPath: fastPath, in: folder)
        }
        let fast: (calls: [[SQLValue]], errors: [[SQLValue]])
        let general: (calls: [[SQLValue]], errors: [[SQLValue]])
        do {
            fast = try ingest(fastPath: true)
        } catch {
            // A file that stops the run (corrupt gzip) must stop it the same way on both paths.
            var generalError = "no error"
            do { _ = try ingest(fastPath: false) } catch let other { generalError = "\(other)" }
            #expect("\(error)" == generalError)
            return
        }
        general = try ingest(fastPath: false)
        #expect(fast.calls.count == general.calls.count)
        for (a, b) in zip(fast.calls, general.calls) where a != b {
            Issue.record("row \(a.first?.description ?? "?") differs:\n fast:    \(a)\n general: \(b)")
        }
        #expect(fast.errors == general.errors)
    }

    @Test func scannerFieldsAreTheKnownKeysInOrder() {
        #expect(AuditLineScanner.keys == AuditReader.known)
    }

    @Test func theFastPathTakesTheUsualLineAndLeavesTheRest() {
        let scanner = AuditLineScanner()
        func scans(_ text: String) -> Bool {
            var text = text
            return text.withUTF8 { scanner.scan(UnsafeRawBufferPointer($0)) }
        }
        let good = Self.record(1, prev: "null")
        #expect(scans(good))
        #expect(scans(good.replacingOccurrences(of: "ses_1", with: "zoë")))
        #expect(!scans(good.replacingOccurrences(of: "ses_1", with: "a\\nb")))
        #expect(scans(good.replacingOccurrences(of: "\"production\"", with: "\"production\",\"x\":1")))
        #expect(!scans(good.replacingOccurrences(of: "\"production\"", with: "\"production\",\"x\":1,\"x\":2")))
        #expect(!scans(good.replacingOccurrences(of: "\"production\"", with: "\"production\",\"x\":[1]")))
        #expect(!scans(good.replacingOccurrences(of: "\"production\"", with: "\"production\",\"seq\":1")))
        #expect(!scans(good.replacingOccurrences(of: "\"production\"}", with: "\"production\",}")))
    }

    @Test func editedRecordsAreStoredAndRejectedExactlyAsByTheGeneralParser() throws {
        let first = try Self.editedFile()
        let second = try Self.editedFile(previousFileLast: try Self.hash(first[first.count - 1]))
        let unchained = try Self.editedFile(previousFileLast: "\"sha256:ff\"")
        try Self.expectSameWithAndWithoutFastPath([Self.file(first), Self.file(second), Self.file(unchained), Data()])
    }

    @Test func fuzzedRecordsAreStoredAndRejectedExactlyAsByTheGeneralParser() throws {
        try Self.expectSameWithAndWithoutFastPath([Self.file(try Self.fuzzedFile(count: 3000))])
    }

    @Test func theHostileCorpusIsStoredAndRejectedExactlyAsByTheGeneralParser() throws {
        let folder = AcmeRun.packageRoot.appendingPathComponent("Tests/Fixtures/hostile/audit")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 10)
        for name in names {
            try Self.expectSameWithAndWithoutFastPath([try Data(contentsOf: folder.appendingPathComponent(name))])
        }
    }
}

import Foundation
import Testing
@testable import EvidenceKit

/// One file of the hostile corpus put in place of an input, and what ingesting it must give.
struct HostileCase: Sendable, CustomTestStringConvertible {
    /// The corpus file, relative to `Tests/Fixtures/hostile`.
    var fixture: String
    /// Where it goes in the workspace (replacing the good input there).
    var target: String
    /// The input's name in `IngestSummary.files`.
    var input: String
    /// The table its valid records load into, and their `line` values there.
    var table: String
    var loadedLines: [Int]
    /// Records counted for the file and how many of them were rejected.
    var read: Int
    var rejected: Int
    /// Every input error of the run, exactly as `InputError.description` words it.
    var errors: [String]

    var testDescription: String { fixture }
}

/// The committed hostile corpus (`Tests/Fixtures/hostile`, see its README.md), one case per file:
/// nothing crashes, every bad record is named by file and line, every good record around it is
/// loaded, and `--strict` turns the run into a failure that leaves no bundle behind.
struct HostileCorpusTests {
    static let rfc3339 = "is not an RFC 3339 timestamp with a time zone (e.g. 2026-07-01T09:30:00.123Z)"

    static func stamp(_ line: Int, _ value: String) -> String {
        "audit/timestamps.jsonl:\(line): field 'timestamp': '\(value)' \(rfc3339)"
    }

    static let cases: [HostileCase] = [
        HostileCase(
            fixture: "audit/malformed-json.jsonl", target: "audit/malformed-json.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 3, 5, 8], read: 8, rejected: 4, errors: [
                "audit/malformed-json.jsonl:2: malformed JSON at column 81: expected a value for key \"agent_id\", found end of line",
                "audit/malformed-json.jsonl:4: malformed JSON at column 1: expected '{' to open a JSON object, found 'not'",
                "audit/malformed-json.jsonl:6: malformed JSON at column 37: expected ',' or '}' after the value of key \"timestamp\", found '\"'",
                "audit/malformed-json.jsonl:7: malformed JSON at column 1: expected '{' to open a JSON object, found '}'",
            ]),
        HostileCase(
            fixture: "audit/truncated-last-line.jsonl", target: "audit/truncated-last-line.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 2, 3], read: 4, rejected: 1, errors: [
                "audit/truncated-last-line.jsonl:4: malformed JSON at column 117: unterminated string (value of key \"tool_name\"): no closing '\"' before end of line",
                "audit/truncated-last-line.jsonl:4: the last line has no final newline; the file may have been truncated",
            ]),
        HostileCase(
            fixture: "audit/crlf.jsonl", target: "audit/crlf.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 2, 6], read: 6, rejected: 3, errors: [
                "audit/crlf.jsonl:3: malformed JSON at column 1: expected '{' to open a JSON object, found an empty line",
                "audit/crlf.jsonl:4: malformed JSON at column 14: expected a value for key \"timestamp\", found end of line",
                "audit/crlf.jsonl:5: malformed JSON at column 299: unexpected '{' after the end of the JSON object",
            ]),
        HostileCase(
            fixture: "audit/bom.jsonl", target: "audit/bom.jsonl", input: "audit", table: "calls",
            loadedLines: [2, 4], read: 4, rejected: 2, errors: [
                "audit/bom.jsonl:1: malformed JSON at column 1: byte order mark (U+FEFF) at the start of the line is not allowed",
                "audit/bom.jsonl:3: malformed JSON at column 1: byte order mark (U+FEFF) at the start of the line is not allowed",
            ]),
        HostileCase(
            fixture: "audit/invalid-utf8.jsonl", target: "audit/invalid-utf8.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 7], read: 7, rejected: 5, errors: [
                "audit/invalid-utf8.jsonl:2: malformed JSON at column 52: invalid UTF-8 in string (value of key \"session_id\"): byte 0xFF never appears in UTF-8",
                "audit/invalid-utf8.jsonl:3: malformed JSON at column 67: invalid UTF-8 in string (value of key \"user_id\"): overlong encoding (lead byte 0xC0)",
                "audit/invalid-utf8.jsonl:4: malformed JSON at column 83: invalid UTF-8 in string (value of key \"agent_id\"): UTF-16 surrogate encoded in UTF-8 (starting with 0xED 0xA0)",
                "audit/invalid-utf8.jsonl:5: malformed JSON at column 295: invalid UTF-8 in string (value of key \"correlation_id\"): truncated sequence starting with 0xE2",
                "audit/invalid-utf8.jsonl:6: malformed JSON at column 300: invalid UTF-8 in string: byte 0xFE never appears in UTF-8",
            ]),
        HostileCase(
            fixture: "audit/nul-bytes.jsonl", target: "audit/nul-bytes.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 5, 7], read: 7, rejected: 4, errors: [
                "audit/nul-bytes.jsonl:2: malformed JSON at column 52: unescaped control character 0x00 in string (value of key \"session_id\") (use an escape such as \\n or \\u00XX)",
                "audit/nul-bytes.jsonl:3: malformed JSON at column 1: expected '{' to open a JSON object, found byte 0x00",
                "audit/nul-bytes.jsonl:4: malformed JSON at column 298: unexpected byte 0x00 after the end of the JSON object",
                "audit/nul-bytes.jsonl:6: malformed JSON at column 64: expected ':' after key \"user_id\", found byte 0x00",
            ]),
        HostileCase(
            fixture: "audit/type-confusion.jsonl", target: "audit/type-confusion.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 12], read: 12, rejected: 10, errors: [
                "audit/type-confusion.jsonl:2: field 'user_id': expected a string, found a number",
                "audit/type-confusion.jsonl:3: field 'timestamp': expected a string, found a number",
                "audit/type-confusion.jsonl:4: field 'tool_name': expected a string, found a boolean",
                "audit/type-confusion.jsonl:5: field 'response_hash': expected a string or null, found a number",
                "audit/type-confusion.jsonl:6: field 'latency_ms': expected a number, found a string",
                "audit/type-confusion.jsonl:7: field 'seq': expected a whole number, found a string",
                "audit/type-confusion.jsonl:8: field 'session_id': expected a string, found an object",
                "audit/type-confusion.jsonl:9: field 'agent_id': expected a string, found an array",
                "audit/type-confusion.jsonl:10: field 'policy_decision': expected a string, found null",
                "audit/type-confusion.jsonl:11: field 'latency_ms': number 1e400 is out of range",
            ]),
        HostileCase(
            fixture: "audit/duplicate-keys.jsonl", target: "audit/duplicate-keys.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 6, 8], read: 8, rejected: 5, errors: [
                "audit/duplicate-keys.jsonl:2: malformed JSON at column 298: duplicate key \"user_id\" (each key may appear only once)",
                "audit/duplicate-keys.jsonl:3: malformed JSON at column 298: duplicate key \"user_id\" (each key may appear only once)",
                "audit/duplicate-keys.jsonl:4: malformed JSON at column 298: duplicate key \"user_id\" (each key may appear only once)",
                "audit/duplicate-keys.jsonl:5: malformed JSON at column 304: duplicate key \"x\" (each key may appear only once)",
                "audit/duplicate-keys.jsonl:7: malformed JSON at column 305: duplicate key \"\u{E9}\" (each key may appear only once)",
            ]),
        HostileCase(
            fixture: "audit/timestamps.jsonl", target: "audit/timestamps.jsonl", input: "audit", table: "calls",
            loadedLines: [1, 14, 15], read: 17, rejected: 14, errors: [
                stamp(2, "2026-07-01T09:02:00"), stamp(3, "2026-07-01 09:03:00Z"), stamp(4, "2026-13-01T09:04:00Z"),
                stamp(5, "2026-02-30T09:05:00Z"), stamp(6, "2026-07-01T24:00:00Z"), stamp(7, "2026-06-30T23:59:60Z"),
                stamp(8, "2026-07-01T09:08:00+24:00"), stamp(9, "0000-01-01T00:00:00Z"), stamp(10, "10000-01-01T00:00:00Z"),
                stamp(11, "2026-07-01"), stamp(12, "1782896400000"), stamp(13, ""),
                stamp(16, "9999-12-31T23:59:59.999-00:01"), stamp(17, "2026-07-01T09:17:00.Z"),
            ]),
        // The workspace's own audit/gateway.jsonl (one good line) stays beside the empty file.
        HostileCase(
            fixture: "audit/empty.jsonl", target: "audit/empty.jsonl", input: "audit", table: "calls",
            loadedLines: [1], read: 0, rejected: 0, errors: [
                "audit/empty.jsonl: the file is empty; it holds no records",
            ]),
        HostileCase(
            fixture: "approvals/type-confusion.jsonl", target: "approvals.jsonl", input: "approvals", table: "tool_events",
            loadedLines: [1, 5, 10, 11, 12], read: 12, rejected: 7, errors: [
                "approvals.jsonl:2: field 'risk_tier': expected a whole number, found a string",
                "approvals.jsonl:3: field 'risk_tier': expected a whole number in 1...3, found 2.5",
                "approvals.jsonl:4: field 'risk_tier': expected a whole number in 1...3, found 4",
                "approvals.jsonl:6: field 'expires': expected a string or null, found a number",
                "approvals.jsonl:7: field 'event': expected a string, found a number",
                "approvals.jsonl:8: field 'timestamp': '2026-06-03T09:00:00' \(rfc3339)",
                "approvals.jsonl:9: field 'tool_server': 'db.x' must not contain a dot (tools are named server.tool)",
            ]),
        HostileCase(
            fixture: "approvals/empty.jsonl", target: "approvals.jsonl", input: "approvals", table: "tool_events",
            loadedLines: [], read: 0, rejected: 0, errors: [
                "approvals.jsonl: the file is empty; it holds no records",
            ]),
        HostileCase(
            fixture: "reviews/type-confusion.jsonl", target: "pr-reviews.jsonl", input: "reviews", table: "policy_reviews",
            loadedLines: [1, 8], read: 8, rejected: 6, errors: [
                "pr-reviews.jsonl:2: field 'pr': expected a whole number, found a string",
                "pr-reviews.jsonl:3: field 'pr': expected a whole number in 1...2147483647, found 0",
                "pr-reviews.jsonl:4: field 'pr': expected a whole number in 1...2147483647, found 7.5",
                "pr-reviews.jsonl:5: field 'state': 'approved' is not one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING",
                "pr-reviews.jsonl:6: field 'reviewer': expected a string, found a number",
                "pr-reviews.jsonl:7: field 'submitted_at': '2026-07-10T09:00:00' \(rfc3339)",
            ]),
        HostileCase(
            fixture: "directory/unbalanced-quotes.csv", target: "directory.csv", input: "directory", table: "people",
            loadedLines: [2, 4, 5, 8, 10], read: 9, rejected: 4, errors: [
                "directory.csv:3: the quoted field starting on this line is never closed (unbalanced quotes); reading resumed on the next line",
                "directory.csv:6: a double quote appears inside an unquoted field (quote the whole field and double the inner quote)",
                "directory.csv:7: text follows the closing quote of a quoted field",
                "directory.csv:9: the quoted field starting on this line is never closed (unbalanced quotes); reading resumed on the next line",
            ]),
        HostileCase(
            fixture: "directory/invalid-utf8.csv", target: "directory.csv", input: "directory", table: "people",
            loadedLines: [2, 4], read: 4, rejected: 2, errors: [
                "directory.csv:3: the field is not valid UTF-8",
                "directory.csv:5: the field is not valid UTF-8",
            ]),
        HostileCase(
            fixture: "directory/empty.csv", target: "directory.csv", input: "directory", table: "people",
            loadedLines: [], read: 0, rejected: 0, errors: [
                "directory.csv: the file holds no header; expected user_id,name,roles,status,terminated_at",
            ]),
    ]

    /// Installs `hostile` in a fresh workspace; an audit fixture replaces the workspace's own audit
    /// file, except the empty one, which is shown beside a good file.
    static func workspace(for hostile: HostileCase) throws -> HostileWorkspace {
        let workspace = try HostileWorkspace()
        if hostile.input == "audit" && hostile.fixture != "audit/empty.jsonl" {
            try workspace.delete("audit/gateway.jsonl")
        }
        try workspace.install(hostile.fixture, as: hostile.target)
        return workspace
    }

    @Test(arguments: cases)
    func eachBadRecordIsNamedAndEveryGoodOneLoads(_ hostile: HostileCase) throws {
        let workspace = try Self.workspace(for: hostile)
        defer { workspace.remove() }
        let (summary, store) = try workspace.ingest()

        #expect(try HostileWorkspace.inputErrors(store) == hostile.errors)
        let lines = try store.database.query("SELECT line FROM \(hostile.table) ORDER BY line").rows.map { Int($0[0].int64 ?? -1) }
        #expect(lines == hostile.loadedLines)
        let file = try #require(summary.files.first { $0.path == hostile.target })
        #expect(file.recordsRead == hostile.read)
        #expect(file.recordsRejected == hostile.rejected)
        // Count equality: every record read is either loaded or rejected (the empty audit file's
        // workspace also holds the good gateway.jsonl).
        let otherFiles = summary.files.filter { $0.input == hostile.input && $0.path != hostile.target }
        #expect(file.recordsRead - file.recordsRejected + otherFiles.reduce(0) { $0 + $1.recordsRead - $1.recordsRejected } == lines.count)
        // The file is hashed as stored, whatever its content.
        let bytes = try HostileWorkspace.fixture(hostile.fixture)
        #expect(file.sha256 == (try SHA256.hex(of: bytes)))
        #expect(file.bytes == Int64(bytes.count))
        // Nothing else in the workspace was disturbed.
        #expect(summary.errorCount == hostile.errors.count)
        #expect(summary.files.filter { $0.path != hostile.target }.allSatisfy { $0.recordsRejected == 0 })
    }

    @Test(arguments: cases)
    func strictTurnsTheCaseIntoAFailureWithNoBundle(_ hostile: HostileCase) throws {
        let workspace = try Self.workspace(for: hostile)
        defer { workspace.remove() }
        let (error, leftovers) = workspace.strictBuild()
        guard case .strictInputErrors(let count, let first)? = error as? BuildError else {
            Issue.record("expected BuildError.strictInputErrors, got \(String(describing: error))")
            return
        }
        #expect(count == hostile.errors.count)
        #expect(first.map { hostile.errors.contains($0.description) } == true)
        #expect(error.map { "\($0)" }?.hasSuffix("no bundle was written.") == true)
        #expect(leftovers == [])
    }

    /// What loads around the hostile lines is stored exactly as written, not as a parser guessed.
    @Test func recordsBesideHostileLinesKeepTheirExactValues() throws {
        func load(_ fixture: String) throws -> EvidenceStore {
            let workspace = try HostileWorkspace()
            defer { workspace.remove() }
            try workspace.delete("audit/gateway.jsonl")
            try workspace.install(fixture, as: "audit/x.jsonl")
            return try workspace.ingest().store
        }
        let nul = try load("audit/nul-bytes.jsonl")
        #expect(try nul.database.scalar("SELECT extra FROM calls WHERE line = 5") == .text("{\"note\":\"a\\u0000b\"}"))
        let types = try load("audit/type-confusion.jsonl")
        #expect(try types.database.scalar("SELECT extra FROM calls WHERE line = 12")
            == .text("{\"labels\":[1,\"two\",null],\"ok\":true,\"retries\":\"3\"}"))
        let duplicates = try load("audit/duplicate-keys.jsonl")
        #expect(try duplicates.database.scalar("SELECT extra FROM calls WHERE line = 6") == .text("{\"meta\":{\"a\":1,\"a\":2}}"))
        let utf8 = try load("audit/invalid-utf8.jsonl")
        #expect(try utf8.database.scalar("SELECT user_id FROM calls WHERE line = 7") == .text("zo\u{EB}"))
        #expect(try utf8.database.scalar("SELECT extra FROM calls WHERE line = 7") == .text("{\"note\":\"\u{65E5}\u{672C} \u{1F600}\"}"))
        let times = try load("audit/timestamps.jsonl")
        let stored = try times.database.query("SELECT ts FROM calls ORDER BY line").rows.map { $0[0].int64 }
        #expect(stored == [
            Timestamp.parse("2026-07-01T09:01:00Z"), Timestamp.parse("2026-07-01T09:14:00.123Z"), Timestamp.parse("2026-07-01T09:15:00Z"),
        ])
    }

    /// CRLF and a byte order mark are how spreadsheet tools write CSV: accepted, not rejected.
    @Test func aDirectoryWithByteOrderMarkAndCRLFLoadsCleanly() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.install("directory/bom-crlf.csv", as: "directory.csv")
        let (summary, store) = try workspace.ingest()
        #expect(summary.errorCount == 0, "\(summary.errors)")
        #expect(try store.database.query("SELECT user_id, name, line FROM people ORDER BY line").rows == [
            [.text("u1"), .text("Lee \"Jay\" Park"), .integer(2)], [.text("u2"), .text("O'Brien, Pat"), .integer(3)],
            [.text("u3"), .text("Zo\u{EB} M\u{FC}ller"), .integer(4)], [.text("u4"), .text("Ex Employee"), .integer(5)],
        ])
    }

    /// Ten-megabyte lines (under the 16 MiB line limit) are read whole: a malformed one and one whose
    /// value is not allowed are rejected with a short message, a valid one loads, and so do their neighbours.
    @Test func tenMegabyteLinesAreJudgedLikeAnyOther() throws {
        let tenMB = String(repeating: "x", count: 10_000_000)
        let good = { (minute: Int) in MiniOrg.call(String(format: "2026-07-01T09:%02d:00Z", minute)) }
        let lines = [
            good(1),
            "{\"timestamp\":\"" + tenMB,                                                   // 2: one unterminated 10 MB string
            good(3),
            good(4).replacingOccurrences(of: "\"clean\"", with: "\"\(tenMB)\""),          // 4: 10 MB where an enum belongs
            MiniOrg.call("2026-07-01T09:05:00Z", extra: ",\"blob\":\"\(tenMB)\""),         // 5: a valid 10 MB record
            good(6),
        ]
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.write(lines.joined(separator: "\n") + "\n", to: "audit/gateway.jsonl")
        let (summary, store) = try workspace.ingest()
        let errors = try HostileWorkspace.inputErrors(store)
        #expect(errors == [
            "audit/gateway.jsonl:2: malformed JSON at column 14: unterminated string (value of key \"timestamp\"): no closing '\"' before end of line",
            "audit/gateway.jsonl:4: field 'dlp_result': '\(String(repeating: "x", count: 80))\u{2026}' is not one of blocked, clean, flagged, masked",
        ])
        let loaded = try store.database.query("SELECT line FROM calls ORDER BY line").rows.map { $0[0] }
        #expect(loaded == [1, 3, 5, 6].map { .integer($0) })
        let extra = try store.database.scalar("SELECT length(extra) FROM calls WHERE line = 5")
        #expect(extra == .integer(Int64(tenMB.utf8.count + 11)))
        #expect(summary.files.first { $0.input == "audit" }?.recordsRead == 6)

        let (error, leftovers) = workspace.strictBuild()
        #expect((error as? BuildError).map { "\($0)" }?.hasPrefix("--strict: 2 input records were rejected, the first at audit/gateway.jsonl:2: malformed JSON") == true)
        #expect(leftovers == [])
    }

    /// A file name with spaces, an en dash and non-Latin letters is named exactly in every error, for
    /// the audit log, the directory and a policy file.
    @Test func fileNamesWithSpacesAndUnicodeAreNamedExactly() throws {
        let audit = "audit/gateway 2026-07 Zo\u{EB} \u{65E5}\u{672C}.jsonl"
        let directory = "people \u{2013} Zo\u{EB}.csv"
        let policy = "policies/Zo\u{EB} \u{2013} policy.yaml"
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.delete("audit/gateway.jsonl")
        try workspace.install("names/gateway 2026-07 Zo\u{EB} \u{65E5}\u{672C}.jsonl", as: audit)
        try workspace.write(MiniOrg.directory + "u5,Bad Status,engineer,gone,\n", to: directory)
        try workspace.writeConfig(directory: directory)
        try workspace.commitPolicies([policy: try HostileWorkspace.fixture("names/Zo\u{EB} \u{2013} policy.yaml")], message: "Add export policy")
        let head = try workspace.headPrefix()

        let (summary, store) = try workspace.ingest()
        #expect(try HostileWorkspace.inputErrors(store) == [
            "\(audit):2: malformed JSON at column 2: expected '\"' to open a key or '}' after '{', found 'bad'",
            "\(directory):6: field 'status': 'gone' is not one of active, terminated",
            "policy-repo/\(policy)@\(head):2: field 'roles': must be a list of role names, found a string",
        ])
        #expect(try store.count("calls") == 2)
        #expect(try store.count("people") == 4)
        #expect(try store.database.scalar("SELECT count(*) FROM policy_versions WHERE valid = 1") == .integer(2))
        #expect(Set(summary.files.map(\.path)).isSuperset(of: [audit, directory]))

        let (error, leftovers) = workspace.strictBuild()
        #expect((error as? BuildError).map { "\($0)" } == "--strict: 3 input records were rejected, the first at \(audit):2: malformed JSON at column 2: expected '\"' to open a key or '}' after '{', found 'bad'; no bundle was written.")
        #expect(leftovers == [])
    }

    /// Inputs that make the whole run meaningless stop it with one clear error naming the input,
    /// with or without --strict, and leave no bundle.
    enum WholeInput: String, CaseIterable, Sendable {
        case truncatedGzip, corruptGzip, missingRepository, repositoryNotGit, missingBranch
    }

    @Test(arguments: WholeInput.allCases)
    func wholeInputFailuresStopTheRunWithOneClearError(_ failure: WholeInput) throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let root = workspace.root.path
        let expected: String
        switch failure {
        case .truncatedGzip:
            try workspace.install("audit/truncated.jsonl.gz", as: "audit/gateway-09.jsonl.gz")
            try workspace.writeConfig(audit: ["audit/*.jsonl", "audit/*.jsonl.gz"])
            expected = "Cannot read the audit input 'audit/gateway-09.jsonl.gz': The gzip stream ends early in '\(root)/audit/gateway-09.jsonl.gz' at byte 158: the file is truncated."
        case .corruptGzip:
            try workspace.install("audit/corrupt-crc.jsonl.gz", as: "audit/gateway-09.jsonl.gz")
            try workspace.writeConfig(audit: ["audit/*.jsonl", "audit/*.jsonl.gz"])
            expected = "Cannot read the audit input 'audit/gateway-09.jsonl.gz': Corrupt gzip data in '\(root)/audit/gateway-09.jsonl.gz' at byte 234: incorrect data check."
        case .missingRepository:
            try workspace.writeConfig(repo: "no-such-repo")
            expected = "\(root)/evidence.yaml:8: key 'inputs.policies.repo' names 'no-such-repo', which does not exist (looked for \(root)/no-such-repo)"
        case .repositoryNotGit:
            try FileManager.default.createDirectory(atPath: root + "/plain", withIntermediateDirectories: true)
            try workspace.writeConfig(repo: "plain")
            expected = "Cannot read the policies input 'plain': policy repository '\(root)/plain' is not the top folder of a git repository: fatal: not a git repository (or any of the parent directories): .git."
        case .missingBranch:
            try workspace.writeConfig(branch: "release")
            expected = "Cannot read the policies input 'policy-repo': policy repository '\(workspace.repoPath)' has no branch 'release'."
        }
        #expect(throws: (any Error).self) { _ = try workspace.ingest() }
        do {
            _ = try workspace.ingest()
        } catch {
            #expect("\(error)" == expected)
        }
        let (error, leftovers) = workspace.strictBuild()
        #expect(error.map { "\($0)" } == expected)
        #expect(leftovers == [])
    }

    /// The mcp-evidence binary SwiftPM built beside the test bundle, when there is one.
    static let executable: String? = {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent()].map { $0.appendingPathComponent("mcp-evidence").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// What the issue asks of the command line: `build --strict` on hostile input exits with status 1,
    /// says why on stderr, and writes no bundle; without --strict the same input builds.
    @Test(.enabled(if: executable != nil, "needs the mcp-evidence binary built beside the tests"))
    func strictExitsWithStatusOneOnTheCommandLine() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.install("audit/malformed-json.jsonl", as: "audit/gateway.jsonl")
        func build(_ extra: [String]) throws -> (status: Int32, stderr: String) {
            let output = try ExternalTool.capture(try #require(Self.executable),
                                                  ["build", "--config", workspace.org.configPath, "--out", workspace.root.appendingPathComponent("cli-out").path,
                                                   "--as-of", "2026-10-01T00:00:00Z", "--quiet"] + extra,
                                                  in: AcmeRun.packageRoot)
            return (output.status, output.stderrText)
        }
        let strict = try build(["--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("--strict: 4 input records were rejected, the first at audit/gateway.jsonl:2: malformed JSON"), "\(strict.stderr)")
        let out = workspace.root.appendingPathComponent("cli-out").path
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []) == [])
        let lenient = try build([])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["mini-org-2026-q3"])
    }
}

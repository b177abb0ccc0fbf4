import Foundation
import Testing
@testable import EvidenceKit

/// The resource limits that keep hostile input from exhausting memory: a line above 16 MiB is skipped
/// and reported without being buffered, YAML above 1 MiB is refused before it is parsed, and more than
/// 1,000,000 rejected records stop the run.
struct HostileResourceLimitTests {
    static let lineLimit = 16 << 20

    @Test func aLineAboveSixteenMebibytesInApprovalsIsReportedAndTheRestLoads() throws {
        let approvals = MiniOrg.approvals.split(separator: "\n").map(String.init)
        let huge = String(approvals[0].dropLast()) + ",\"pad\":\"" + String(repeating: "p", count: Self.lineLimit) + "\"}"
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.write((Array(approvals[0...1]) + [huge] + Array(approvals[2...])).joined(separator: "\n") + "\n", to: "approvals.jsonl")
        let (summary, store) = try workspace.ingest()
        #expect(try HostileWorkspace.inputErrors(store) == [
            "approvals.jsonl:3: line of \(huge.utf8.count) bytes exceeds the \(Self.lineLimit)-byte limit",
        ])
        #expect(try store.database.query("SELECT line FROM tool_events ORDER BY line").rows.map { $0[0] } == [1, 2, 4, 5, 6].map { .integer($0) })
        let file = try #require(summary.files.first { $0.input == "approvals" })
        #expect((file.recordsRead, file.recordsRejected) == (6, 1))

        let (error, leftovers) = workspace.strictBuild()
        #expect((error as? BuildError).map { "\($0)" } == "--strict: 1 input record was rejected, the first at approvals.jsonl:3: line of \(huge.utf8.count) bytes exceeds the \(Self.lineLimit)-byte limit; no bundle was written.")
        #expect(leftovers == [])
    }

    /// A gzip member that inflates to one 64 MiB line (a decompression bomb of about 64 KB) is skipped
    /// as it streams: the reader's line buffer never grows past the limit.
    @Test func aCompressedLineBombIsSkippedWithoutBufferingIt() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let bombLength = 64 << 20
        var plain = Data((MiniOrg.call("2026-07-01T09:00:00Z") + "\n").utf8)
        plain.append(Data(repeating: UInt8(ascii: "A"), count: bombLength))
        plain.append(Data(("\n" + MiniOrg.call("2026-07-01T09:02:00Z") + "\n").utf8))
        let compressed = try Self.gzip(plain)
        #expect(compressed.count < 1 << 20)
        try workspace.write(compressed, to: "audit/bomb.jsonl.gz")
        try workspace.writeConfig(audit: ["audit/*.jsonl.gz"])

        let (_, store) = try workspace.ingest()
        #expect(try HostileWorkspace.inputErrors(store) == ["audit/bomb.jsonl.gz:2: line of \(bombLength) bytes exceeds the \(Self.lineLimit)-byte limit"])
        #expect(try store.count("calls") == 2)

        let reader = try LineReader(path: workspace.root.appendingPathComponent("audit/bomb.jsonl.gz").path)
        var delivered = 0
        try reader.forEachLine(onOversizedLine: { _, _ in }) { _, _ in delivered += 1 }
        #expect(delivered == 2)
        #expect(reader.isGzip)
        #expect(reader.carryCapacity <= reader.maxLineLength)
    }

    static func gzip(_ data: Data) throws -> Data {
        try ExternalTool.gzip(data, best: true)
    }

    // MARK: YAML above 1 MiB

    @Test func yamlDocumentsAreLimitedToOneMebibyteByDefault() throws {
        #expect(YAMLDocument.Limits.default.maxBytes == 1 << 20)
        let exactly = String(repeating: "# padding line of a comment, no content\n", count: (1 << 20) / 41) + "a: b\n"
        let atLimit = exactly + String(repeating: "#", count: (1 << 20) - exactly.utf8.count - 1) + "\n"
        #expect(atLimit.utf8.count == 1 << 20)
        #expect(try YAMLDocument(text: atLimit, file: "ok.yaml").root["a"]?.string == "b")
        #expect(throws: YAMLError(kind: .tooLarge, file: "big.yaml",
                                  message: "the YAML text is 1048577 bytes, more than the limit of 1048576 bytes")) {
            _ = try YAMLDocument(text: atLimit + "#", file: "big.yaml")
        }
    }

    @Test func aConfigFileAboveOneMebibyteIsRefusedBeforeParsing() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let config = try String(contentsOf: URL(fileURLWithPath: workspace.org.configPath), encoding: .utf8)
        try workspace.write(config + "# " + String(repeating: "x", count: 1 << 20) + "\n", to: "evidence.yaml")
        #expect(throws: (any Error).self) { _ = try EvidenceConfig.load(path: workspace.org.configPath) }
        do {
            _ = try EvidenceConfig.load(path: workspace.org.configPath)
        } catch {
            #expect("\(error)".hasSuffix("evidence.yaml: the file is larger than the limit of 1048576 bytes"), "\(error)")
        }
    }

    @Test func aCheckFileAboveOneMebibyteIsRefused() throws {
        let folder = try TestFolder.make("checks")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big.yaml").path
        try Data(("id: big\n# " + String(repeating: "x", count: 1 << 20) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MappingError.self) { _ = try CheckDefinition.load(path: path, display: "checks/big.yaml") }
        do {
            _ = try CheckDefinition.load(path: path, display: "checks/big.yaml")
        } catch {
            #expect("\(error)".contains("checks/big.yaml") && "\(error)".contains("larger than the limit of 1048576 bytes"), "\(error)")
        }
    }

    /// A policy file above 1 MiB is never read out of git: it is reported and the other versions load.
    @Test func aPolicyFileAboveOneMebibyteIsReportedNotRead() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let huge = "tool: db.huge\nroles: [engineer]\n# " + String(repeating: "x", count: 1 << 20) + "\n"
        try workspace.commitPolicies(["policies/huge.yaml": Data(huge.utf8)], message: "Add a huge policy")
        let at = "@" + (try workspace.headPrefix())
        let (_, store) = try workspace.ingest()
        #expect(try HostileWorkspace.inputErrors(store) == [
            "policy-repo/policies/huge.yaml\(at): is \(huge.utf8.count) bytes, larger than the 1048576-byte limit for policy files",
        ])
        #expect(try store.database.scalar("SELECT count(*) FROM policy_versions WHERE valid = 1") == .integer(2))
        #expect(try store.database.scalar("SELECT max(length(content)) FROM policy_versions") != .integer(Int64(huge.utf8.count)))

        let (error, leftovers) = workspace.strictBuild()
        #expect(error is BuildError)
        #expect(leftovers == [])
    }

    // MARK: more than 1,000,000 input errors

    @Test func theDefaultErrorLimitIsOneMillion() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        #expect(InputErrorLog.defaultLimit == 1_000_000)
        let store = try EvidenceStore(creatingAt: workspace.root.appendingPathComponent("limit.sqlite").path)
        #expect(try InputErrorLog(store: store).limit == 1_000_000)
        #expect(Ingestor(config: try EvidenceConfig.load(path: workspace.org.configPath)).inputErrorLimit == 1_000_000)
    }

    @Test func theErrorLogStopsAtItsLimitAndStoresNoMore() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let store = try EvidenceStore(creatingAt: workspace.root.appendingPathComponent("limit.sqlite").path)
        let log = try InputErrorLog(store: store, limit: 3)
        let errors = (1...4).map { InputError(input: "audit", file: "audit/a.jsonl", line: $0, message: "bad") }
        for error in errors.prefix(3) { try log.record(error) }
        do {
            try log.record(errors[3])
            Issue.record("the fourth error must stop the run")
        } catch {
            #expect("\(error)" == "Stopped after more than 3 rejected input records (the last at audit/a.jsonl:4: bad); the inputs are too broken to report on.")
        }
        #expect(try store.count("input_errors") == 3)
    }

    /// Through the whole ingest, with the audit reader thread far ahead of the inserter: the run stops
    /// at the limit with a clear error instead of hanging or reading on.
    @Test(.timeLimit(.minutes(1)))
    func ingestStopsAtTheErrorLimitWithAClearError() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        try workspace.write(String(repeating: "{\n", count: 50_000), to: "audit/gateway.jsonl")
        let config = try EvidenceConfig.load(path: workspace.org.configPath)
        var ingestor = Ingestor(config: config)
        ingestor.inputErrorLimit = 100
        let store = try EvidenceStore(creatingAt: workspace.root.appendingPathComponent("limit.sqlite").path)
        do {
            _ = try ingestor.ingest(into: store)
            Issue.record("ingest must stop at the error limit")
        } catch let error as IngestError {
            #expect("\(error)" == "Stopped after more than 100 rejected input records (the last at audit/gateway.jsonl:101: malformed JSON at column 2: expected '\"' to open a key or '}' after '{', found end of line); the inputs are too broken to report on.")
        }
    }
}

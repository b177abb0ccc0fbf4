import Foundation
import Testing
@testable import EvidenceKit

/// The store keeps `sha256:<hex>` hashes as raw bytes (`DigestColumn`); the `calls` view must give
/// back every hash exactly as the gateway wrote it, in whatever form.
struct DigestColumnTests {
    static let canonical = "sha256:" + String(repeating: "0123456789abcdef", count: 4)

    static func pack(_ text: String) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: DigestColumn.byteCount)
        let packed = Array(text.utf8).withUnsafeBytes { input in
            output.withUnsafeMutableBytes { DigestColumn.pack(input, into: $0) }
        }
        return packed ? output : nil
    }

    @Test func onlyTheCanonicalFormIsPacked() {
        #expect(Self.pack(Self.canonical) == [UInt8](repeating: 0, count: 4).flatMap { _ in [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef] as [UInt8] })
        #expect(Self.pack(Self.canonical.uppercased()) == nil)
        #expect(Self.pack("sha256:" + String(repeating: "0123456789ABCDEF", count: 4)) == nil, "uppercase hex would come back lowercased")
        #expect(Self.pack(Self.canonical + "0") == nil)
        #expect(Self.pack(String(Self.canonical.dropLast())) == nil)
        #expect(Self.pack("sha512:" + String(repeating: "0123456789abcdef", count: 4)) == nil)
        #expect(Self.pack("sha256:" + String(repeating: "g123456789abcdef", count: 4)) == nil)
        #expect(Self.pack("") == nil)
    }

    @Test func theCallsViewGivesBackEveryHashAsWritten() throws {
        let hashes: [String?] = [
            Self.canonical, "SHA256:" + String(repeating: "ab", count: 32), "sha256:" + String(repeating: "AB", count: 32),
            "sha256:ab", "", "md5:0cc175b9c0f1b6a831c399e269772661", "sha256:" + String(repeating: "ab", count: 31) + "zz", nil,
        ]
        var lines: [String] = []
        for (index, hash) in hashes.enumerated() {
            let json = hash.map { "\"\($0)\"" } ?? "null"
            lines.append("{\"prev_hash\":\(index == 0 ? "null" : json),\"timestamp\":\"2026-07-01T09:00:0\(index).000Z\",\"session_id\":\"s\","
                + "\"user_id\":\"u\",\"agent_id\":\"a\",\"tool_server\":\"jira\",\"tool_name\":\"search\",\"arguments_hash\":\"\(hash ?? "")\","
                + "\"response_hash\":\(json),\"data_classification\":\"internal\",\"dlp_result\":\"clean\",\"policy_decision\":\"allow\","
                + "\"latency_ms\":1,\"correlation_id\":\"c\"}")
        }
        let folder = try TestFolder.make("digest")
        defer { try? FileManager.default.removeItem(at: folder) }
        for fastPath in [true, false] {
            let path = folder.appendingPathComponent("audit.jsonl").path
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            let store = try EvidenceStore(creatingAt: folder.appendingPathComponent("evidence-\(fastPath).sqlite").path)
            try store.database.execute("BEGIN")
            _ = try AuditIngest(store: store, errors: try InputErrorLog(store: store), policies: .none, fastPath: fastPath)
                .ingest([AuditIngest.File(path: path, display: "audit.jsonl", fileID: 1)])
            try store.database.execute("COMMIT")

            let rows = try store.database.query("SELECT arguments_hash, response_hash, prev_hash FROM calls ORDER BY id").rows
            #expect(rows.count == hashes.count)
            for (index, row) in rows.enumerated() {
                #expect(row[0] == .text(hashes[index] ?? ""), "arguments_hash of line \(index + 1), fast path \(fastPath)")
                #expect(row[1] == (hashes[index].map { .text($0) } ?? .null), "response_hash of line \(index + 1)")
                #expect(row[2] == (index == 0 ? .null : hashes[index].map { .text($0) } ?? .null), "prev_hash of line \(index + 1)")
            }
            let stored = try store.database.query("SELECT typeof(arguments_hash), length(arguments_hash) FROM call_details ORDER BY call_id").rows
            #expect(stored[0] == [.text("blob"), .integer(32)], "the canonical form is stored as 32 bytes")
            #expect(stored.dropFirst().allSatisfy { $0[0] == .text("text") }, "every other form is stored as the text it was")
        }
    }
}

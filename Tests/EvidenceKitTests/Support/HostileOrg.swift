import Foundation
@testable import EvidenceKit

/// A small organisation whose audit log is written by an attacker: tool names and user ids that try
/// markup injection, spreadsheet formula injection, bidirectional spoofing and sheer size.
enum HostileOrg {
    static let script = "<script>alert(1)</script>"
    static let imageBreakout = "\"><img src=x onerror=alert(1)>"
    static let hyperlink = "=HYPERLINK(\"http://x\",\"y\")"
    static let dde = "+cmd|' /C calc'!A0"
    static let at = "@SUM(1+1)*cmd|' /C calc'!A0"
    static let minus = "-2+3+cmd|' /C calc'!A0"
    /// U+202E RIGHT-TO-LEFT OVERRIDE: "invoice" followed by "fdp.exe", which a bidi-naive view shows as "invoiceexe.pdf".
    static let rightToLeft = "invoice\u{202E}fdp.exe"
    /// Ten kilobytes without a space, to test wrapping, clamping and one-page printing.
    static let huge = String(repeating: "W", count: 10 * 1024)
    /// Dots and slashes, to show data never reaches file or folder names.
    static let pathy = "../../etc/passwd"

    static let toolNames = [script, imageBreakout, hyperlink, dde, at, minus, rightToLeft, huge, pathy]
    static let userIDs = [script, imageBreakout, hyperlink, dde, rightToLeft, pathy]

    /// `text` as the inside of a JSON string literal, escaped by Foundation rather than by hand.
    static func jsonInner(_ text: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// One call per hostile tool name (by a normal user) and per hostile user id (to a normal tool).
    static func auditLines() throws -> [String] {
        var lines: [String] = []
        for (index, tool) in toolNames.enumerated() {
            lines.append(MiniOrg.call(String(format: "2026-07-%02dT09:00:00Z", index + 1), user: "u1", tool: try jsonInner(tool)))
        }
        for (index, user) in userIDs.enumerated() {
            lines.append(MiniOrg.call(String(format: "2026-08-%02dT09:00:00Z", index + 1), user: try jsonInner(user)))
        }
        return lines
    }

    /// Writes the organisation and builds an unsigned bundle of it as of the period end into `out`.
    static func build(out: String, org: MiniOrg) throws -> URL {
        var options = EvidenceBuild.Options()
        options.outputFolder = out
        options.asOf = Timestamp.parse("2026-10-01T00:00:00Z")
        options.templatesFolder = AcmeRun.packageRoot.appendingPathComponent("templates").path
        options.mappingsFolder = AcmeRun.packageRoot.appendingPathComponent("mappings").path
        return try EvidenceBuild(config: try EvidenceConfig.load(path: org.configPath), options: options).run().bundle
    }
}

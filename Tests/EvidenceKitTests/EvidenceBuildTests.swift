import Foundation
import Testing
@testable import EvidenceKit

struct EvidenceBuildTests {
    static func files(under folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            out[String(url.path.dropFirst(folder.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    func makeOrg() throws -> (MiniOrg, KeyFiles) {
        let lines = try MiniOrg.chained([MiniOrg.call("2026-07-01T09:00:00Z"), MiniOrg.call("2026-07-02T09:00:00Z")]) + ["{broken"]
        let org = try MiniOrg(auditLines: lines)
        let keys = try KeyFiles.generate(prefix: org.root.appendingPathComponent("keys/evidence").path)
        return (org, keys)
    }

    @Test func buildsASignedBundleThatVerifiesAndIsByteIdenticalAcrossRuns() throws {
        let (org, keys) = try makeOrg()
        defer { org.remove() }
        let config = try EvidenceConfig.load(path: org.configPath)
        var options = EvidenceBuild.Options()
        options.keyPath = keys.privateKeyPath
        options.asOf = Timestamp.parse("2026-10-01T00:00:00Z")
        options.outputFolder = org.root.appendingPathComponent("out1").path
        let first = try EvidenceBuild(config: config, options: options).run()
        options.outputFolder = org.root.appendingPathComponent("out2").path
        let second = try EvidenceBuild(config: config, options: options).run()

        #expect(first.bundle.lastPathComponent == "mini-org-2026-q3")
        #expect(first.keyID == keys.keyID)
        let one = try Self.files(under: first.bundle)
        let two = try Self.files(under: second.bundle)
        #expect(one.keys.filter { !$0.hasPrefix("checks/") && !$0.hasPrefix("mappings/") }.sorted() == [
            "MANIFEST.json", "MANIFEST.sig", "SHA256SUMS", "SHA256SUMS.sig", "VERIFY.txt", "board-summary.html", "changes/policy-changes.csv",
            "config/evidence.yaml", "controls.csv", "data/input-errors.csv", "data/inputs.csv", "data/summary.json", "index.html",
            "inventory/tools.csv", "signer.pub.pem",
        ])
        let checkFiles = one.keys.filter { $0.hasPrefix("checks/") }
        #expect(checkFiles.count == 2 * first.checks.count)
        #expect(first.checks.allSatisfy { one["checks/\($0.check.id)/exceptions.csv"] != nil && one["checks/\($0.check.id)/sample.csv"] != nil })
        // What ran, byte for byte: the config, every check definition and every framework reported on.
        #expect(one["config/evidence.yaml"] == (try Data(contentsOf: URL(fileURLWithPath: org.configPath))))
        let mappings = AcmeRun.packageRoot.appendingPathComponent("mappings")
        let expectedMappings = first.checks.map { "mappings/checks/\($0.check.id).yaml" } + first.frameworks.map { "mappings/\($0.id).yaml" }
        #expect(Set(one.keys.filter { $0.hasPrefix("mappings/") }) == Set(expectedMappings))
        for path in expectedMappings {
            #expect(one[path] == (try Data(contentsOf: mappings.appendingPathComponent(String(path.dropFirst("mappings/".count))))), "\(path)")
        }
        #expect(String(decoding: try #require(one["index.html"]), as: UTF8.self)
            .contains("defined in <a class=\"path\" href=\"mappings/checks/tool-approved-at-call.yaml\">mappings/checks/tool-approved-at-call.yaml</a>"))
        #expect(one == two)

        let verification = BundleVerifier.verify(bundle: first.bundle, trustedKey: try VerifyingKey.load(path: keys.publicKeyPath))
        #expect(verification.problems == [])
        let errors = String(decoding: try #require(one["data/input-errors.csv"]), as: UTF8.self)
        #expect(errors.contains("audit,audit/gateway.jsonl,3,,\"malformed JSON at column 2"))
        let manifest = String(decoding: try #require(one["MANIFEST.json"]), as: UTF8.self)
        #expect(manifest.contains("\"as_of\" : \"2026-10-01T00:00:00.000Z\""))
        #expect(first.warnings == [], "dated at the period's end, the bundle is not interim")
        #expect(!String(decoding: try #require(one["index.html"]), as: UTF8.self).contains("interim:"))
        // No temporary folders are left beside the bundle.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: first.bundle.deletingLastPathComponent().path)
        #expect(siblings == ["mini-org-2026-q3"])
    }

    /// Records dated outside the period are accepted and kept, but no longer silently: the report
    /// and summary.json count them.
    @Test func auditRecordsOutsideThePeriodAreCountedInTheReport() throws {
        let lines = try MiniOrg.chained([
            MiniOrg.call("2026-06-30T23:59:59.999Z"), MiniOrg.call("2026-07-01T09:00:00Z"), MiniOrg.call("2026-07-02T09:00:00Z"),
            MiniOrg.call("2026-10-01T00:00:00Z"), MiniOrg.call("9999-12-31T23:59:59Z"),
        ])
        let org = try MiniOrg(auditLines: lines)
        defer { org.remove() }
        // A second audit pattern that matches nothing is reported, not ignored.
        let configText = try String(contentsOfFile: org.configPath, encoding: .utf8)
        #expect(configText.contains("audit: [audit/*.jsonl]"))
        try configText.replacingOccurrences(of: "audit: [audit/*.jsonl]", with: "audit: [audit/*.jsonl, archive/*.jsonl.gz]")
            .write(toFile: org.configPath, atomically: true, encoding: .utf8)
        var options = EvidenceBuild.Options()
        options.asOf = 1_790_000_000_000
        options.outputFolder = org.root.appendingPathComponent("out").path
        let outcome = try EvidenceBuild(config: try EvidenceConfig.load(path: org.configPath), options: options).run()
        let files = try Self.files(under: outcome.bundle)
        let summaryJSON = try #require(files["data/summary.json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: summaryJSON) as? [String: Any])
        let totals = try #require(summary["totals"] as? [String: Any])
        #expect(totals["calls"] as? Int == 2)
        #expect(totals["calls_before_period"] as? Int == 1)
        #expect(totals["calls_after_period"] as? Int == 2)
        #expect(totals["calls_outside_period"] as? Int == 3)
        let report = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        // Dated 2026-09-21, before the period ends: said on the console and in the report.
        #expect(outcome.warnings == ["the bundle is dated 2026-09-21T14:13:20.000Z, before the period ends at 2026-10-01T00:00:00.000Z: it is an interim report on an incomplete period"])
        #expect(summary["interim"] as? Bool == true)
        #expect(outcome.summary.unmatchedAuditPatterns == ["archive/*.jsonl.gz"])
        #expect(summary["unmatched_audit_patterns"] as? [String] == ["archive/*.jsonl.gz"])
        #expect(report.contains("<span>pattern <code>archive/*.jsonl.gz</code> </span>matched no file"))
        // This organisation sets no working hours, and the report says what that means.
        #expect((summary["working_hours"] as? [String: Any])?["configured"] as? Bool == false)
        #expect(report.contains("not configured: the check is not tested"))
        #expect(String(decoding: try #require(files["board-summary.html"]), as: UTF8.self).contains("interim: before the period ended"))
        #expect(report.contains("<strong>3</strong> accepted\n    audit records are dated outside the period (<span>1</span> before it,\n    <span>2</span> from its end on)"))
    }

    /// The bundle's copy of the config is the file as the build read it, and a setting given on the
    /// command line instead is stated beside it.
    @Test func theConfigCopyIsWhatWasReadAndOverridesAreStated() throws {
        let (org, keys) = try makeOrg()
        defer { org.remove() }
        let original = try Data(contentsOf: URL(fileURLWithPath: org.configPath))
        var config = try EvidenceConfig.load(path: org.configPath)
        config.period = try Period.parse("2026-08")
        config.commandLineOverrides["period"] = "2026-08"
        // Edited after the build read it: the bundle must still hold what was read.
        try Data("organization: Someone Else\n".utf8).write(to: URL(fileURLWithPath: org.configPath))
        var options = EvidenceBuild.Options()
        options.keyPath = keys.privateKeyPath
        options.asOf = Timestamp.parse("2026-10-01T00:00:00Z")
        options.outputFolder = org.root.appendingPathComponent("out").path
        let outcome = try EvidenceBuild(config: config, options: options).run()
        let files = try Self.files(under: outcome.bundle)
        #expect(files["config/evidence.yaml"] == original)
        let summaryJSON = try #require(files["data/summary.json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: summaryJSON) as? [String: Any])
        #expect(summary["overrides"] as? [[String: String]] == [["option": "--period", "value": "2026-08"]])
        let report = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        #expect(report.contains("Set on the command line in place of the file's setting:\n    <span><code><span>--period</span> <span>2026-08</span></code> </span>"))
    }

    @Test func strictModeWritesNoBundle() throws {
        let (org, keys) = try makeOrg()
        defer { org.remove() }
        var options = EvidenceBuild.Options()
        options.keyPath = keys.privateKeyPath
        options.strict = true
        options.outputFolder = org.root.appendingPathComponent("out").path
        #expect(throws: BuildError.self) {
            try EvidenceBuild(config: try EvidenceConfig.load(path: org.configPath), options: options).run()
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: options.outputFolder!)) ?? []
        #expect(left == [])
    }

    @Test func anExistingBundleIsNotReplacedWithoutForce() throws {
        let (org, keys) = try makeOrg()
        defer { org.remove() }
        let config = try EvidenceConfig.load(path: org.configPath)
        var options = EvidenceBuild.Options()
        options.keyPath = keys.privateKeyPath
        options.outputFolder = org.root.appendingPathComponent("out").path
        let built = try EvidenceBuild(config: config, options: options).run()
        let before = try Self.files(under: built.bundle)
        #expect(throws: (any Error).self) { try EvidenceBuild(config: config, options: options).run() }
        #expect(try Self.files(under: built.bundle) == before)
        options.force = true
        _ = try EvidenceBuild(config: config, options: options).run()
    }
}

extension EvidenceBuildTests {
    /// Organisation names without an ASCII letter or digit get distinct folder names, so one cannot
    /// replace the other's bundle.
    @Test func bundleNamesOfNonLatinOrganisationsDoNotCollide() throws {
        let (org, _) = try makeOrg()
        defer { org.remove() }
        var config = try EvidenceConfig.load(path: org.configPath)
        func name(_ organization: String) -> String {
            config.organization = organization
            return EvidenceBuild(config: config, options: EvidenceBuild.Options()).bundleName
        }
        let japanese = name("株式会社テスト"), greek = name("Ελληνική Εταιρεία")
        #expect(japanese != greek)
        #expect(japanese.hasPrefix("org-") && japanese.hasSuffix("-2026-q3") && japanese.count == "org-".count + 12 + "-2026-q3".count)
        #expect(name("株式会社テスト") == japanese, "the same name always gives the same folder")
        #expect(name("Acme Corp") == "acme-corp-2026-q3")
        #expect(name("Unnamed") == "unnamed-2026-q3")
    }
}

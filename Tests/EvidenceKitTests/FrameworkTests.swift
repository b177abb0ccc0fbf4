import Foundation
import Testing
@testable import EvidenceKit

/// The check ids of /work/notes/CHECKS.md (mappings/checks/<id>.yaml); every framework control must use
/// only these, and every one of them must be used by some control.
private let knownChecks: Set<String> = [
    "tool-approved-at-call", "caller-known-and-active", "caller-role-allowed", "policy-bound-at-call",
    "approval-tier-rules", "security-review-before-approval", "periodic-tool-review", "audit-record-complete",
    "audit-chain-intact", "log-continuity", "dlp-enforced", "policy-change-approved", "policy-review-current",
    "session-limits", "first-use-high-risk", "call-volume-spike", "off-hours-activity", "policy-definitions-unique",
]

/// The repository's `mappings/` folder, found from this file's location (Tests/EvidenceKitTests/).
private let mappingsFolder: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("mappings").path
}()

/// A throwaway mappings folder for framework files written by a test.
private final class MappingsFixture {
    let folder: String

    init() throws {
        folder = try TestFolder.make("mappings").path
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `text` as `name` and returns the error loading it gives.
    func error(_ text: String, name: String) throws -> FrameworkError? {
        let path = try write(text, to: name)
        do {
            let framework = try Framework.load(path: path)
            Issue.record("expected a framework error, loaded \(framework.id)")
        } catch {
            return error
        }
        return nil
    }
}

/// A valid one-control framework, for tests that break one thing.
private func minimal(id: String, checks: String = "[audit-chain-intact]") -> String {
    """
    id: \(id)
    name: Test framework
    version: "1"
    controls:
      - id: C1
        title: A control
        summary: What it asks.
        checks: \(checks)

    """
}

@Suite struct FrameworkTests {
    // MARK: The shipped mappings

    @Test func shippedFrameworksLoadAndReferOnlyToExistingChecks() throws {
        let frameworks = try Framework.loadAll(folder: mappingsFolder, ids: nil)
        #expect(frameworks.map(\.id) == ["eu-ai-act", "iso27001", "iso42001", "nist-800-53", "soc2"])
        for framework in frameworks {
            #expect(framework.validate(knownChecks: knownChecks) == [], "\(framework.id)")
            #expect(!framework.name.isEmpty && !framework.version.isEmpty && framework.source != nil)
            for control in framework.controls {
                #expect(!control.checks.isEmpty, "\(framework.id) \(control.id)")
                #expect(!control.summary.contains("\n"), "\(framework.id) \(control.id): one-line summary")
                #expect(control.line > 0)
            }
        }
    }

    @Test func everyCheckIsUsedBySomeControl() throws {
        let frameworks = try Framework.loadAll(folder: mappingsFolder, ids: nil)
        let used = Set(frameworks.flatMap { $0.controls.flatMap(\.checks) })
        #expect(knownChecks.subtracting(used).sorted() == [], "checks no control uses")
        #expect(used.subtracting(knownChecks).sorted() == [], "check ids that do not exist")
    }

    /// Once check definitions exist in mappings/checks/, the framework files must agree with them too.
    @Test func referencedChecksHaveDefinitionFilesOnceTheyExist() throws {
        let folder = mappingsFolder + "/checks"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let defined = Set(names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        guard !defined.isEmpty else { return }
        for framework in try Framework.loadAll(folder: mappingsFolder, ids: nil) {
            #expect(framework.validate(knownChecks: defined).map(\.description) == [], "\(framework.id)")
        }
    }

    @Test func shippedFrameworksHoldTheExpectedControls() throws {
        let frameworks = try Framework.loadAll(folder: mappingsFolder, ids: ["soc2", "iso27001", "nist-800-53", "eu-ai-act"])
        let byID = Dictionary(uniqueKeysWithValues: frameworks.map { ($0.id, $0) })
        let soc2 = try #require(byID["soc2"])
        for id in ["CC3.2", "CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC7.2", "CC7.3", "CC8.1", "CC9.2"] {
            #expect(soc2.controls.contains { $0.id == id }, "SOC 2 \(id)")
        }
        let cc61 = try #require(soc2.controls.first { $0.id == "CC6.1" })
        #expect(cc61.checks.starts(with: ["tool-approved-at-call", "caller-role-allowed", "policy-bound-at-call"]))

        // 2022 numbering leads; the 2013 controls the seed used (A.9.4, A.12.4, A.14.1) appear as cross references.
        let iso = try #require(byID["iso27001"])
        let also2013 = iso.controls.compactMap { $0.also["iso27001_2013"] }.joined(separator: ", ")
        for old in ["A.9.4.1", "A.12.4.1", "A.14.1.1"] { #expect(also2013.contains(old), "\(old)") }
        #expect(iso.controls.first { $0.id == "8.3" }?.also == ["iso27001_2013": "A.9.4.1"])
        #expect(iso.controls.first { $0.id == "8.15" }?.title == "Logging")

        let nist = try #require(byID["nist-800-53"])
        for id in ["AC-2", "AC-3", "AC-6", "AU-2", "AU-3", "AU-6", "AU-9", "AU-12", "CM-3", "CM-5", "RA-3"] {
            #expect(nist.controls.contains { $0.id == id }, "NIST \(id)")
        }
        let aiAct = try #require(byID["eu-ai-act"])
        #expect(aiAct.controls.map(\.id) == ["Art.9", "Art.12", "Art.14", "Art.19", "Art.26.5", "Art.26.6"])
        #expect(aiAct.controls.allSatisfy { $0.summary.contains("supporting evidence only") })
    }

    // MARK: Folder loading

    @Test func loadAllSortsByIDAndSkipsTheChecksFolder() throws {
        let fixture = try MappingsFixture()
        try fixture.write(minimal(id: "zeta"), to: "zeta.yaml")
        try fixture.write(minimal(id: "alpha"), to: "alpha.yaml")
        try fixture.write("not: a framework\n", to: "checks/tool-approved-at-call.yaml")
        try fixture.write("# notes\n", to: "README.md")
        #expect(try Framework.loadAll(folder: fixture.folder, ids: nil).map(\.id) == ["alpha", "zeta"])
        #expect(try Framework.loadAll(folder: fixture.folder, ids: ["zeta", "alpha", "zeta"]).map(\.id) == ["alpha", "zeta"])
        let framework = try #require(try Framework.loadAll(folder: fixture.folder, ids: ["alpha"]).first)
        #expect(framework.file == fixture.folder + "/alpha.yaml")
        #expect(framework.controls == [Framework.Control(id: "C1", title: "A control", summary: "What it asks.",
                                                         checks: ["audit-chain-intact"], also: [:], line: 5, checkLines: [8])])
    }

    @Test func unknownFrameworkIDNamesTheAvailableOnes() throws {
        let fixture = try MappingsFixture()
        try fixture.write(minimal(id: "soc2"), to: "soc2.yaml")
        try fixture.write(minimal(id: "iso27001"), to: "iso27001.yaml")
        do {
            _ = try Framework.loadAll(folder: fixture.folder, ids: ["soc2", "pci-dss"])
            Issue.record("expected an unknown framework error")
        } catch {
            #expect(error.kind == .unknownFramework)
            #expect(error.description == "\(fixture.folder): framework 'pci-dss' has no mapping file pci-dss.yaml; available frameworks: iso27001, soc2")
        }
        do {
            _ = try Framework.loadAll(folder: fixture.folder, ids: ["../secrets"])
            Issue.record("expected an invalid id error")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.description.contains("framework id '../secrets' may hold only letters"))
        }
    }

    @Test func missingFolderIsReported() {
        #expect(throws: FrameworkError.self) { try Framework.loadAll(folder: "/nonexistent/mappings-folder", ids: nil) }
    }

    // MARK: Validation errors, with exact locations

    @Test func unknownKeyIsLocatedAndSuggested() throws {
        let fixture = try MappingsFixture()
        let error = try #require(try fixture.error("""
            id: typo
            name: Test
            version: "1"
            controls:
              - id: C1
                title: T
                sumary: S
                checks: [audit-chain-intact]
            """, name: "typo.yaml"))
        #expect(error.kind == .unknownKey)
        #expect(error.key == "controls[C1].sumary")
        #expect(error.description == "\(fixture.folder)/typo.yaml:7: unknown key 'controls[C1].sumary'; did you mean 'controls[C1].summary'?")

        let top = try #require(try fixture.error(minimal(id: "top") + "owner: me\n", name: "top.yaml"))
        #expect(top.description == "\(fixture.folder)/top.yaml:9: unknown key 'owner'; expected one of id, name, version, source, controls")
    }

    @Test func duplicateControlNamesBothLines() throws {
        let fixture = try MappingsFixture()
        let error = try #require(try fixture.error("""
            id: dup
            name: Test
            version: "1"
            controls:
              - id: C1
                title: T
                summary: S
                checks: [audit-chain-intact]
              - id: C1
                title: T again
                summary: S again
                checks: [log-continuity]
            """, name: "dup.yaml"))
        #expect(error.kind == .duplicateControl)
        #expect(error.description == "\(fixture.folder)/dup.yaml:9: control id 'C1' is used twice (first at line 5)")
    }

    @Test func wrongTypesAreLocated() throws {
        let fixture = try MappingsFixture()
        let checks = try #require(try fixture.error(minimal(id: "scalar", checks: "audit-chain-intact"), name: "scalar.yaml"))
        #expect(checks.kind == .wrongType)
        #expect(checks.description == "\(fixture.folder)/scalar.yaml:8: key 'controls[C1].checks' must be a list of check ids, found a string")

        let controls = try #require(try fixture.error("""
            id: map
            name: Test
            version: "1"
            controls: {C1: [audit-chain-intact]}
            """, name: "map.yaml"))
        #expect(controls.description == "\(fixture.folder)/map.yaml:4: key 'controls' must be a list of controls, found a mapping")

        let also = try #require(try fixture.error(minimal(id: "also") + "    also: A.9.4.1\n", name: "also.yaml"))
        #expect(also.description == "\(fixture.folder)/also.yaml:9: key 'controls[C1].also' must be a mapping of cross references such as {iso27001_2013: A.9.4.1}, found a string")

        let item = try #require(try fixture.error(minimal(id: "item", checks: "[{id: x}]"), name: "item.yaml"))
        #expect(item.description == "\(fixture.folder)/item.yaml:8: check id in key 'controls[C1].checks' must be a string, found a mapping")

        let root = try #require(try fixture.error("- soc2\n", name: "list.yaml"))
        #expect(root.kind == .wrongType)
    }

    @Test func emptyChecksAndBadIDsAreRejected() throws {
        let fixture = try MappingsFixture()
        let empty = try #require(try fixture.error(minimal(id: "empty", checks: "[]"), name: "empty.yaml"))
        #expect(empty.kind == .invalidValue)
        #expect(empty.description == "\(fixture.folder)/empty.yaml:8: key 'controls[C1].checks' must list at least one check id")

        let control = try #require(try fixture.error(minimal(id: "space").replacingOccurrences(of: "id: C1", with: "id: C 1"), name: "space.yaml"))
        #expect(control.description == "\(fixture.folder)/space.yaml:5: control id 'C 1' in key 'controls[1].id' may hold only letters, digits, '.', '-' and '_' and may not start with '.'")

        let check = try #require(try fixture.error(minimal(id: "slash", checks: "[../etc]"), name: "slash.yaml"))
        #expect(check.key == "controls[C1].checks" && check.line == 8)

        let framework = try #require(try fixture.error(minimal(id: "soc/2"), name: "bad.yaml"))
        #expect(framework.description == "\(fixture.folder)/bad.yaml:1: framework id 'soc/2' in key 'id' may hold only letters, digits, '.', '-' and '_' and may not start with '.'")

        let mismatch = try #require(try fixture.error(minimal(id: "soc2"), name: "iso27001.yaml"))
        #expect(mismatch.description == "\(fixture.folder)/iso27001.yaml:1: framework id 'soc2' must match the file name iso27001.yaml")

        let twice = try #require(try fixture.error(minimal(id: "twice", checks: "[log-continuity, log-continuity]"), name: "twice.yaml"))
        #expect(twice.description == "\(fixture.folder)/twice.yaml:8: control 'C1' lists check 'log-continuity' twice")

        let missing = try #require(try fixture.error("id: nover\nname: Test\ncontrols: []\n", name: "nover.yaml"))
        #expect(missing.kind == .missingKey)
        #expect(missing.description == "\(fixture.folder)/nover.yaml:1: required key 'version' is missing")

        let noControls = try #require(try fixture.error("id: none\nname: Test\nversion: \"1\"\ncontrols: []\n", name: "none.yaml"))
        #expect(noControls.description == "\(fixture.folder)/none.yaml:4: key 'controls' must list at least one control")
    }

    @Test func yamlSyntaxErrorsKeepTheirLocation() throws {
        let fixture = try MappingsFixture()
        let error = try #require(try fixture.error("id: x\nname: [unclosed\n", name: "x.yaml"))
        #expect(error.kind == .syntax)
        #expect(error.description.hasPrefix("\(fixture.folder)/x.yaml:"))
    }

    @Test func validateLocatesUnknownCheckIDs() throws {
        let fixture = try MappingsFixture()
        let path = try fixture.write("""
            id: refs
            name: Test
            version: "1"
            source: here
            controls:
              - id: C1
                title: T
                summary: >-
                  Folded text
                  over two lines.
                checks:
                  - audit-chain-intact
                  - audit-chain-intakt
                also: {iso27001_2013: A.12.4.2, nist: AU-9}
              - id: C2
                title: T2
                summary: S2
                checks: [no-such-check]
            """, to: "refs.yaml")
        let framework = try Framework.load(path: path)
        #expect(framework.source == "here")
        #expect(framework.controls.first?.summary == "Folded text over two lines.")
        #expect(framework.controls.first?.also == ["iso27001_2013": "A.12.4.2", "nist": "AU-9"])
        let errors = framework.validate(knownChecks: knownChecks)
        #expect(errors.map(\.description) == [
            "\(path):13: control 'C1' refers to unknown check 'audit-chain-intakt'; did you mean 'audit-chain-intact'?",
            "\(path):18: control 'C2' refers to unknown check 'no-such-check'",
        ])
        #expect(errors.allSatisfy { $0.kind == .unknownCheck })
        #expect(errors.first?.key == "controls[C1].checks")
    }
}

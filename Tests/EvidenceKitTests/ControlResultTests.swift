import Foundation
import Testing
@testable import EvidenceKit

/// A control's status follows from its control checks; observation checks list events for a person to
/// judge and never make a control effective, nor fail it.
struct ControlResultTests {
    static func control(_ id: String, checks: [String]) -> Framework.Control {
        Framework.Control(id: id, title: id, summary: "", checks: checks)
    }

    @Test func statusesOnAcme() throws {
        var results = try AcmeChecksTests.results()
        // Every acme check finds its planted exceptions; a clean control check for the second control:
        var clean = try #require(results["dlp-enforced"])
        clean.status = .effective
        clean.exceptionCount = 0
        results["dlp-clean"] = clean
        let framework = Framework(id: "test", name: "Test", version: "1", controls: [
            Self.control("observations-only", checks: ["first-use-high-risk", "call-volume-spike"]),
            Self.control("clean-control", checks: ["dlp-clean", "call-volume-spike"]),
            Self.control("failing-control-with-observations", checks: ["tool-approved-at-call", "first-use-high-risk"]),
            Self.control("missing-check", checks: ["dlp-clean", "no-such-check"]),
        ])
        // The observation checks do list events on acme, so the first control is not empty-handed.
        let observed = results["first-use-high-risk"]!.exceptionCount + results["call-volume-spike"]!.exceptionCount
        #expect(observed > 0)

        let controls = ControlResult.evaluate(framework, results: results)
        #expect(controls.map(\.status) == [.notTested, .effective, .exceptions, .error])
        #expect(controls[0].populationCount == 0)
        #expect(controls[0].observationCount == observed)
        #expect(controls[1].populationCount == clean.populationCount)
        #expect(controls[2].exceptionCount == results["tool-approved-at-call"]!.exceptionCount)
        #expect(controls[2].observationCount == results["first-use-high-risk"]!.exceptionCount)
        #expect(controls[3].missingChecks == ["no-such-check"])
    }
}

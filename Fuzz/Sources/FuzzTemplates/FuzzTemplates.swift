import Foundation
@testable import EvidenceKit

// libFuzzer entry point for the template renderer; see HostileFuzzHarness.template.

/// The repository root, found from this file's place in it (Fuzz/Sources/FuzzTemplates/).
private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

private struct Setup {
    let scratch: URL
    let model: TemplateValue
    let templates: [String: Data]
}

/// Loaded once: the model the shipped templates render with, the templates, and a scratch folder
/// holding the stylesheet they include.
private let setup: Setup = {
    do {
        let scratch = try HostileFuzzHarness.scratchFolder()
        let shipped = repository.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: shipped.appendingPathComponent("style.css"), to: scratch.appendingPathComponent("style.css"))
        let model = try HostileFuzzHarness.model(
            json: try Data(contentsOf: repository.appendingPathComponent("Tests/Fixtures/hostile/fuzz/model.json")))
        var templates: [String: Data] = [:]
        for name in ["report.html", "board-summary.html"] {
            templates[name] = try Data(contentsOf: shipped.appendingPathComponent(name))
        }
        return Setup(scratch: scratch, model: model, templates: templates)
    } catch {
        fatalError("cannot set up the template fuzzer: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplates(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    HostileFuzzHarness.template(UnsafeRawBufferPointer(start: data, count: size), scratch: setup.scratch, model: setup.model,
                                templates: setup.templates)
    return 0
}

import Foundation
import Testing
@testable import EvidenceKit

/// Replays what the libFuzzer targets (Fuzz/, run by scripts/fuzz.sh) found: every input saved under
/// Tests/Fixtures/hostile/fuzz/jsonlines and .../templates goes through the same harness the fuzzer
/// ran, so a crash it found stays fixed. Also keeps the harness itself honest on known inputs.
struct HostileFuzzRegressionTests {
    static let fuzzFolder = HostileWorkspace.corpus.appendingPathComponent("fuzz")
    static let templatesFolder = AcmeRun.packageRoot.appendingPathComponent("templates")

    /// The saved inputs in `folder`, sorted; README files are not inputs.
    static func inputs(_ folder: String) throws -> [URL] {
        let url = fuzzFolder.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { url.appendingPathComponent($0) }
    }

    /// Every file of the hostile corpus, the inputs the JSON-lines fuzzer starts from.
    static func corpusFiles() throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: HostileWorkspace.corpus, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func model() throws -> TemplateValue {
        try HostileFuzzHarness.model(json: try Data(contentsOf: fuzzFolder.appendingPathComponent("model.json")))
    }

    static func shippedTemplates() throws -> [String: Data] {
        var templates: [String: Data] = [:]
        for name in ["report.html", "board-summary.html"] {
            templates[name] = try Data(contentsOf: templatesFolder.appendingPathComponent(name))
        }
        return templates
    }

    /// The template fuzzer's model (a trimmed Acme summary with a hostile organisation name) is a full
    /// model: both shipped templates render with it, so mutations start from a template that works.
    @Test func theFuzzModelRendersBothShippedTemplates() throws {
        let model = try Self.model()
        let renderer = TemplateRenderer(folder: Self.templatesFolder)
        for name in ["report.html", "board-summary.html"] {
            let html = String(decoding: try renderer.render(template: name, model: model), as: UTF8.self)
            #expect(html.contains("Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"Co\""), "\(name)")
            #expect(!html.contains("<script"), "\(name)")
        }
        // The odd-byte mode puts the fuzzer's text in every string and keeps the model's shape.
        let replaced = HostileFuzzHarness.replacingStrings(in: model, with: "</p><script>x</script>")
        #expect(replaced.lookup("organization") == .string("</p><script>x</script>"))
        #expect(replaced.lookup("checks.length") == model.lookup("checks.length"))
    }

    @Test func everyJSONLinesInputFuzzingSavedRunsCleanly() throws {
        let scratch = try HostileFuzzHarness.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = try EvidenceStore(creatingAt: ":memory:")
        let inputs = try Self.inputs("jsonlines") + Self.corpusFiles().filter { !$0.path.contains("/fuzz/") }
        #expect(inputs.count > 30)
        for input in inputs {
            let data = try Data(contentsOf: input)
            data.withUnsafeBytes { HostileFuzzHarness.jsonLines($0, scratch: scratch, store: store) }
        }
        // Every replay empties the store again, so the fuzzer's memory stays flat.
        #expect(try store.count("calls") == 0)
        #expect(try store.count("input_errors") == 0)
    }

    @Test func everyTemplateInputFuzzingSavedRunsCleanly() throws {
        let scratch = try HostileFuzzHarness.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: Self.templatesFolder.appendingPathComponent("style.css"), to: scratch.appendingPathComponent("style.css"))
        let model = try Self.model()
        let templates = try Self.shippedTemplates()
        var inputs = try Self.inputs("templates").map { try Data(contentsOf: $0) }
        // Both modes on known inputs: a shipped template as the template, and markup as the data.
        inputs.append(Data([0x30]) + (templates["board-summary.html"] ?? Data()))
        inputs.append(Data("1</td><script>alert(1)</script>\u{202E}\u{0}".utf8))
        for input in inputs {
            input.withUnsafeBytes { HostileFuzzHarness.template($0, scratch: scratch, model: model, templates: templates) }
        }
    }
}

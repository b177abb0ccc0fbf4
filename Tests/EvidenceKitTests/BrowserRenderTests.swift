import Foundation
import Testing
@testable import EvidenceKit

/// The Acme bundle's auditor report and board summary opened in a real browser: headless Chromium
/// from the Debian packages renders each page to PNG and to PDF with the network blocked.
///
/// "No network" is shown three ways: the HTML references nothing outside the bundle (checked on the
/// text, browser or not), the pages carry a Content-Security-Policy of `default-src 'none'`, and
/// Chromium's NetLog shows that the pages started no request at all. The last check is run once on a
/// page that does break the rules, so a detector that had stopped working could not pass silently.
@Suite(.enabled(if: HeadlessChromium.executable != nil,
                "Chromium is not installed; run scripts/browser-check.sh --install (CI does) to run the real-browser checks"),
       .serialized)
struct BrowserRenderTests {
    struct Page: Sendable {
        var name: String
        var html: String
        var png: Data
        var pdf: Data
        var logs: [String]
        var netLogs: [Data?]
    }

    struct Rendered: Sendable {
        var folder: URL
        var pages: [String: Page]
    }

    static let pageNames = ["index", "board-summary"]

    /// Builds the Acme bundle through EvidenceKit and renders both pages once for all tests.
    static let rendered: Result<Rendered, Error> = Result {
        guard let executable = HeadlessChromium.executable else { throw ChromiumError(message: "no chromium") }
        let configPath = try AcmeRun.freshCopy()
        let work = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        let keys = try KeyFiles.generate(prefix: work.appendingPathComponent("keys/evidence").path)
        var options = EvidenceBuild.Options()
        options.outputFolder = work.appendingPathComponent("out").path
        options.asOf = Timestamp.parse("2026-10-01T00:00:00Z")
        options.keyPath = keys.privateKeyPath
        options.templatesFolder = AcmeRun.packageRoot.appendingPathComponent("templates").path
        options.mappingsFolder = AcmeRun.packageRoot.appendingPathComponent("mappings").path
        let outcome = try EvidenceBuild(config: try EvidenceConfig.load(path: configPath), options: options).run()

        let folder = work.appendingPathComponent("browser")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let chromium = HeadlessChromium(executable: executable, work: folder)
        var pages: [String: Page] = [:]
        for name in pageNames {
            let html = outcome.bundle.appendingPathComponent("\(name).html")
            let png = folder.appendingPathComponent("\(name).png")
            let pdf = folder.appendingPathComponent("\(name).pdf")
            let shot = try chromium.screenshot(html, to: png)
            let print = try chromium.printPDF(html, to: pdf)
            pages[name] = Page(name: name, html: try String(contentsOf: html, encoding: .utf8),
                               png: try Data(contentsOf: png), pdf: try Data(contentsOf: pdf),
                               logs: [shot.log, print.log], netLogs: [shot.netLog, print.netLog])
        }
        return Rendered(folder: folder, pages: pages)
    }

    func page(_ name: String) throws -> Page {
        try #require(try Self.rendered.get().pages[name])
    }

    @Test(arguments: pageNames)
    func theHTMLReferencesNothingOutsideTheBundle(name: String) throws {
        let html = try page(name).html
        #expect(Self.externalReferences(in: html) == [])
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
    }

    @Test(arguments: pageNames)
    func chromiumStartsNoRequestForThePage(name: String) throws {
        let page = try page(name)
        for netLog in page.netLogs {
            let data = try #require(netLog, "Chromium wrote no NetLog for \(name).html")
            #expect(try HeadlessChromium.pageRequests(inNetLog: data) == [], "\(name).html")
        }
    }

    @Test(arguments: pageNames)
    func chromiumLogsNoConsoleMessage(name: String) throws {
        let page = try page(name)
        for log in page.logs {
            #expect(HeadlessChromium.consoleMessages(in: log) == [], "\(name).html")
        }
    }

    @Test func theBoardSummaryPrintsOnOneA4Page() throws {
        let pdf = try page("board-summary").pdf
        #expect(HeadlessChromium.pdfPageCount(pdf) == 1)
        // A4 is 595.28 × 841.89 pt; Chromium rounds it to whole CSS pixels.
        #expect(String(decoding: pdf, as: Unicode.ASCII.self).contains("/MediaBox [0 0 594.9"))
    }

    @Test func theReportPrintsAsManyA4PagesAndBothScreenshotsHaveContent() throws {
        let report = try page("index")
        let pages = HeadlessChromium.pdfPageCount(report.pdf)
        // A cover, contents, one section per part and one page per check: well over a dozen pages.
        #expect(pages > 20)
        for name in Self.pageNames {
            let png = try page(name).png
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            // A blank 1280×2000 page compresses to a few kilobytes; the rendered pages are far larger.
            #expect(png.count > 50_000, "\(name).png has \(png.count) bytes")
        }
    }

    /// Markup, formula and bidi attacks and a 10 KB tool name neither break out of the board summary
    /// nor push it onto a second sheet.
    @Test func theBoardSummaryOfHostileDataStillPrintsOnOnePage() throws {
        let folder = try Self.rendered.get().folder
        let org = try MiniOrg(auditLines: try HostileOrg.auditLines())
        defer { org.remove() }
        let bundle = try HostileOrg.build(out: org.root.appendingPathComponent("out").path, org: org)
        let chromium = HeadlessChromium(executable: try #require(HeadlessChromium.executable), work: folder)
        let pdf = folder.appendingPathComponent("hostile-board-summary.pdf")
        let run = try chromium.printPDF(bundle.appendingPathComponent("board-summary.html"), to: pdf)
        #expect(HeadlessChromium.pdfPageCount(try Data(contentsOf: pdf)) == 1)
        #expect(HeadlessChromium.consoleMessages(in: run.log) == [])
        #expect(try HeadlessChromium.pageRequests(inNetLog: try #require(run.netLog)) == [])
    }

    /// A page that fetches an image over the network and violates its own Content-Security-Policy is
    /// caught by both detectors, so their silence about the report means something.
    @Test func theDetectorsCatchAPageThatBreaksTheRules() throws {
        let folder = try Self.rendered.get().folder
        let chromium = HeadlessChromium(executable: try #require(HeadlessChromium.executable), work: folder)
        let page = folder.appendingPathComponent("rule-breaker.html")
        try Data("""
            <!DOCTYPE html><html><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src http:">
            <style>p { color: red }</style></head>
            <body><p>rule breaker</p><img src="http://rule-breaker.invalid/pixel.png" alt=""></body></html>
            """.utf8).write(to: page)
        let run = try chromium.screenshot(page, to: folder.appendingPathComponent("rule-breaker.png"))
        let requests = try HeadlessChromium.pageRequests(inNetLog: try #require(run.netLog))
        #expect(requests == ["http://rule-breaker.invalid/pixel.png"])
        #expect(HeadlessChromium.consoleMessages(in: run.log).count == 1)
        #expect(Self.externalReferences(in: String(decoding: try Data(contentsOf: page), as: UTF8.self))
            == ["src=http://rule-breaker.invalid/pixel.png"])
    }

    // MARK: - Static check

    /// Everything in the HTML that could make a browser fetch from outside the bundle: an element
    /// that loads a resource, a URL attribute with a scheme or a protocol-relative `//host`, and
    /// `url(` or `@import` inside a `<style>` element.
    static func externalReferences(in html: String) -> [String] {
        var found: [String] = []
        let range = NSRange(html.startIndex..., in: html)
        func matches(_ pattern: String) -> [[String]] {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [["bad pattern"]] }
            return regex.matches(in: html, range: range).map { match in
                (0..<match.numberOfRanges).map { index in
                    Range(match.range(at: index), in: html).map { String(html[$0]) } ?? ""
                }
            }
        }
        let urlAttributes = "src|href|action|formaction|poster|data|xlink:href|srcset|background|cite|manifest|ping|longdesc|usemap"
        for match in matches("\\s(\(urlAttributes))\\s*=\\s*\"([^\"]*)\"") {
            let value = match[2].trimmingCharacters(in: .whitespacesAndNewlines)
            let hasScheme = value.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) != nil
            if hasScheme || value.hasPrefix("//") || value.hasPrefix("\\\\") {
                found.append("\(match[1].lowercased())=\(value)")
            }
        }
        for match in matches("<(script|link|iframe|frame|object|embed|video|audio|source|track|base|image|use|portal)[\\s>/]") {
            found.append("<\(match[1].lowercased())>")
        }
        for match in matches("<style[^>]*>([\\s\\S]*?)</style>") where match[1].contains("url(") || match[1].contains("@import") {
            found.append("url( or @import in <style>")
        }
        return found
    }
}

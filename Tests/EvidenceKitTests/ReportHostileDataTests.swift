import CXML2
import Foundation
import Testing
@testable import EvidenceKit

/// The whole bundle built from an audit log whose tool names and user ids are attacks (``HostileOrg``):
/// markup injection, formula injection, a right-to-left override, a 10 KB name and a path.
///
/// Decisions the tests pin down:
/// - HTML: every value is text escaped by libxml2's serialiser, so re-parsing the pages finds no
///   element or event handler that came from data, and the attack strings read back as plain text.
/// - The right-to-left override is data and is kept, in the CSV files and in the HTML text, so what
///   the auditor sees is what the log says. It cannot be used to spoof the report around it: every
///   value sits in an element the stylesheet isolates (`unicode-bidi: isolate` on td, dd, code…), so
///   it reorders only the characters of its own value.
/// - CSV: a cell that would start with `=`, `+`, `-`, `@` or a tab starts with `'` instead.
/// - No file or folder name in the bundle comes from data (tool names are never used in paths;
///   check ids are slugged).
struct ReportHostileDataTests {
    struct Built: Sendable {
        var first: URL
        var second: URL
    }

    /// The hostile organisation built twice with the same as-of time, into two folders.
    static let built: Result<Built, Error> = Result {
        let org = try MiniOrg(auditLines: try HostileOrg.auditLines())
        let first = try HostileOrg.build(out: org.root.appendingPathComponent("out1").path, org: org)
        let second = try HostileOrg.build(out: org.root.appendingPathComponent("out2").path, org: org)
        return Built(first: first, second: second)
    }

    static func file(_ path: String) throws -> Data {
        try Data(contentsOf: try built.get().first.appendingPathComponent(path))
    }

    static let pages = ["index.html", "board-summary.html"]

    @Test(arguments: pages)
    func reparsedPagesHoldNoElementOrHandlerFromData(page: String) throws {
        let tree = try HTMLTree(try Self.file(page))
        for name in ["script", "img", "iframe", "object", "embed", "svg:image", "image", "link", "base", "meta-refresh"] {
            #expect(tree.elementCounts[name, default: 0] == 0, "<\(name)> in \(page)")
        }
        #expect(tree.eventHandlerAttributes == [], "\(page)")
        let raw = String(decoding: try Self.file(page), as: UTF8.self)
        #expect(!raw.localizedCaseInsensitiveContains("<script"))
        #expect(!raw.localizedCaseInsensitiveContains("<img"))
        #expect(!raw.contains("onerror=alert(1)>"))
    }

    /// Runs without a browser: the static half of BrowserRenderTests' network check, on pages whose
    /// data is full of URLs and markup.
    @Test(arguments: pages)
    func pagesReferenceNothingOutsideTheBundle(page: String) throws {
        let html = String(decoding: try Self.file(page), as: UTF8.self)
        #expect(BrowserRenderTests.externalReferences(in: html) == [])
    }

    @Test func theAttackStringsReadBackAsPlainTextInTheReport() throws {
        let raw = String(decoding: try Self.file("index.html"), as: UTF8.self)
        let text = try HTMLTree(try Self.file("index.html")).text
        for value in HostileOrg.toolNames + HostileOrg.userIDs {
            #expect(text.contains(value), "\(value.prefix(40)) is missing from the report's text")
        }
        #expect(raw.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(raw.contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"))
        // The 10 KB name is shown whole in the inventory; the stylesheet wraps it (overflow-wrap: anywhere).
        #expect(raw.contains("db." + HostileOrg.huge))
    }

    @Test func theBoardSummaryStaysReadable() throws {
        let raw = String(decoding: try Self.file("board-summary.html"), as: UTF8.self)
        #expect(raw.contains("UNSIGNED BUNDLE"))
        // Long examples are clamped by the stylesheet so the page still prints on one sheet
        // (checked in a real browser by BrowserRenderTests).
        #expect(raw.contains("class=\"example clamp2\""))
    }

    @Test func csvCellsNeverStartAFormula() throws {
        let files = try EvidenceBuildTests.files(under: try Self.built.get().first).filter { $0.key.hasSuffix(".csv") }
        #expect(files.keys.contains("inventory/tools.csv"))
        #expect(files.keys.contains { $0.hasPrefix("checks/") && $0.hasSuffix("/exceptions.csv") })
        #expect(files.keys.contains { $0.hasPrefix("checks/") && $0.hasSuffix("/sample.csv") })
        var guarded: Set<String> = []
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            var reader = CSVReader(data: data, file: path)
            for record in try reader.readAll() {
                for cell in record.fields {
                    guard let first = cell.unicodeScalars.first else { continue }
                    if first == "-" {
                        #expect(Double(cell) != nil, "\(path):\(record.line): '\(cell.prefix(40))' starts with '-' and is not a number")
                    } else {
                        #expect(!["=", "+", "@", "\t", "\r"].contains(first), "\(path):\(record.line): '\(cell.prefix(40))'")
                    }
                    if first == "'" { guarded.insert(String(cell.dropFirst())) }
                }
            }
        }
        // The attacks are still there, whole, behind the quote.
        for attack in [HostileOrg.hyperlink, HostileOrg.dde, HostileOrg.at, HostileOrg.minus] {
            #expect(guarded.contains(attack), "\(attack) is not in any CSV as a guarded cell")
        }
        let tools = String(decoding: try #require(files["inventory/tools.csv"]), as: UTF8.self)
        #expect(tools.contains("'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")"))
    }

    @Test func theRightToLeftOverrideIsKeptAsDataAndIsolatedOnScreen() throws {
        let files = try EvidenceBuildTests.files(under: try Self.built.get().first)
        let csvWithOverride = files.filter { $0.key.hasSuffix(".csv") && String(decoding: $0.value, as: UTF8.self).contains(HostileOrg.rightToLeft) }
        #expect(csvWithOverride.keys.contains("inventory/tools.csv"))
        let tree = try HTMLTree(try Self.file("index.html"))
        #expect(tree.textOfElements(named: "td").contains { $0.contains(HostileOrg.rightToLeft) })
        #expect(tree.styleText.contains("td, th, dd, code, .value { unicode-bidi: isolate; }"))
    }

    @Test func noFileOrFolderNameComesFromData() throws {
        let bundle = try Self.built.get().first
        let paths = try EvidenceBuildTests.files(under: bundle).keys.sorted()
        for path in paths {
            for component in path.split(separator: "/", omittingEmptySubsequences: false) {
                #expect(component.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]*$", options: .regularExpression) != nil, "\(path)")
                #expect(!component.contains(".."), "\(path)")
            }
        }
        let checkFolders = Set(paths.filter { $0.hasPrefix("checks/") }.map { $0.split(separator: "/")[1] })
        let checks = try CheckSuite.load(mappings: AcmeRun.packageRoot.appendingPathComponent("mappings").path).checks
        #expect(checkFolders == Set(checks.map { Substring(BundlePath.slug($0.id)) }))
    }

    @Test func twoBuildsWithTheSameAsOfAreByteIdentical() throws {
        let built = try Self.built.get()
        let first = try EvidenceBuildTests.files(under: built.first)
        let second = try EvidenceBuildTests.files(under: built.second)
        #expect(first.keys.sorted() == second.keys.sorted())
        for page in Self.pages {
            #expect(first[page] != nil && first[page] == second[page], "\(page) differs between builds")
        }
        #expect(first == second)
    }
}

/// An HTML document re-parsed with libxml2's HTML parser (recovering, as a browser would), for
/// asking what elements, attributes and text it really holds.
final class HTMLTree {
    private let document: htmlDocPtr

    init(_ data: Data) throws {
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue)
        let parsed = data.withUnsafeBytes { raw -> htmlDocPtr? in
            guard let base = raw.baseAddress else { return nil }
            return htmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), "page.html", "UTF-8", options)
        }
        guard let parsed else { throw ChromiumError(message: "libxml2 could not parse the page") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func content(_ node: xmlNodePtr) -> String {
        node.pointee.content.map { String(cString: $0) } ?? ""
    }

    /// Calls `visit` for every node below the document, depth first.
    private func walk(_ visit: (xmlNodePtr) -> Void) {
        var stack: [xmlNodePtr] = []
        var child = document.pointee.children
        while let node = child { stack.append(node); child = node.pointee.next }
        stack.reverse()
        while let node = stack.popLast() {
            visit(node)
            var children: [xmlNodePtr] = []
            var next = node.pointee.children
            while let current = next { children.append(current); next = current.pointee.next }
            stack.append(contentsOf: children.reversed())
        }
    }

    /// Elements by lowercased name; a `<meta http-equiv=refresh>` counts as `meta-refresh`.
    var elementCounts: [String: Int] {
        var counts: [String: Int] = [:]
        walk { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return }
            var name = Self.name(node).lowercased()
            if name == "meta", attributes(of: node).contains(where: { $0.0 == "http-equiv" && $0.1.lowercased() == "refresh" }) {
                name = "meta-refresh"
            }
            counts[name, default: 0] += 1
        }
        return counts
    }

    /// Every `on*` attribute, as `element@attribute`.
    var eventHandlerAttributes: [String] {
        var found: [String] = []
        walk { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return }
            for (name, _) in attributes(of: node) where name.lowercased().hasPrefix("on") {
                found.append("\(Self.name(node))@\(name)")
            }
        }
        return found
    }

    /// All text outside `<style>`, concatenated.
    var text: String {
        var out = ""
        walk { node in
            if node.pointee.type == XML_TEXT_NODE, let parent = node.pointee.parent, Self.name(parent) != "style" {
                out += Self.content(node)
            }
        }
        return out
    }

    /// The text of the `<style>` elements.
    var styleText: String {
        var out = ""
        walk { node in
            if (node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE),
               let parent = node.pointee.parent, Self.name(parent) == "style" {
                out += Self.content(node)
            }
        }
        return out
    }

    /// The text inside each element called `name`.
    func textOfElements(named name: String) -> [String] {
        var out: [String] = []
        walk { node in
            guard node.pointee.type == XML_ELEMENT_NODE, Self.name(node) == name else { return }
            var text = ""
            var stack = [node]
            while let current = stack.popLast() {
                if current.pointee.type == XML_TEXT_NODE { text += Self.content(current) }
                var children: [xmlNodePtr] = []
                var child = current.pointee.children
                while let next = child { children.append(next); child = next.pointee.next }
                stack.append(contentsOf: children.reversed())
            }
            out.append(text)
        }
        return out
    }

    private func attributes(of node: xmlNodePtr) -> [(String, String)] {
        var out: [(String, String)] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            var child = current.pointee.children
            while let text = child { value += Self.content(text); child = text.pointee.next }
            out.append((name, value))
        }
        return out
    }
}

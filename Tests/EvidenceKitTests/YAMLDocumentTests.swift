import Foundation
import Testing
@testable import EvidenceKit

@Suite struct YAMLDocumentTests {
    private func parse(_ text: String, limits: YAMLDocument.Limits = .default) throws(YAMLError) -> YAMLNode {
        try YAMLDocument(text: text, file: "test.yaml", limits: limits).root
    }

    private func expectError(_ text: String, limits: YAMLDocument.Limits = .default) -> YAMLError? {
        do {
            _ = try parse(text, limits: limits)
            Issue.record("expected a YAML error for: \(text.prefix(60))")
            return nil
        } catch {
            return error
        }
    }

    @Test func mappingKeepsOrderPositionsAndStyles() throws {
        let root = try parse("""
            zeta: 1
            alpha: "123"
            mid:
              - a
              - 'b'
            """)
        let entries = try #require(root.mapping)
        #expect(entries.map { $0.key.string } == ["zeta", "alpha", "mid"])
        #expect(root.mark == YAMLNode.Mark(line: 1, column: 1))
        #expect(root["zeta"]?.int == 1)
        #expect(root["zeta"]?.mark == YAMLNode.Mark(line: 1, column: 7))
        #expect(root["alpha"]?.string == "123")
        #expect(root["alpha"]?.int == nil, "a quoted number stays a string")
        #expect(root["alpha"]?.scalar?.style == .doubleQuoted)
        #expect(root["alpha"]?.line == 2)
        let list = try #require(root["mid"])
        #expect(list.sequence?.count == 2)
        #expect(list.line == 4 && list.column == 3)
        #expect(list[0]?.string == "a" && list[0]?.scalar?.style == .plain)
        #expect(list[1]?.scalar?.style == .singleQuoted)
        #expect(list[1]?.mark == YAMLNode.Mark(line: 5, column: 5))
        #expect(list[2] == nil)
        #expect(root["missing"] == nil)
    }

    @Test func typedAccessorsFollowTheSmallRuleSet() throws {
        let root = try parse("""
            t: true
            f: false
            yes_: yes
            cap: True
            quoted: "true"
            n1: ~
            n2: null
            n3:
            n4: NULL
            neg: -42
            plus: +7
            hex: 0x1F
            big: 99999999999999999999
            tagged: !!str 5
            tint: !!int "6"
            block: |
              line one
              line two
            """)
        #expect(root["t"]?.bool == true)
        #expect(root["f"]?.bool == false)
        #expect(root["yes_"]?.bool == nil)
        #expect(root["cap"]?.bool == nil)
        #expect(root["quoted"]?.bool == nil)
        #expect(root["quoted"]?.string == "true")
        #expect(root["n1"]?.isNull == true && root["n1"]?.string == nil)
        #expect(root["n2"]?.isNull == true)
        #expect(root["n3"]?.isNull == true)
        #expect(root["n4"]?.isNull == false && root["n4"]?.string == "NULL")
        #expect(root["neg"]?.int == -42)
        #expect(root["plus"]?.int == 7)
        #expect(root["hex"]?.int == nil)
        #expect(root["big"]?.int == nil)
        #expect(root["tagged"]?.int == nil && root["tagged"]?.string == "5")
        #expect(root["tagged"]?.scalar?.tag == "tag:yaml.org,2002:str")
        #expect(root["tint"]?.int == 6)
        #expect(root["block"]?.string == "line one\nline two", "clip chomping; the text ends without a newline")
        #expect(root["block"]?.scalar?.style == .literal)
        #expect(root["t"]?.kindDescription == "a boolean")
        #expect(root["neg"]?.kindDescription == "a number")
        #expect(root["n1"]?.kindDescription == "null")
        #expect(root.kindDescription == "a mapping")
    }

    @Test func flowCollectionsAndUnicode() throws {
        let root = try parse("rules: {1: [auto, team-lead], 2: [security]}\nname: \"Zürich \\u00e9\"\n")
        #expect(root["rules"]?.mapping?.first?.key.int == 1)
        #expect(root["rules"]?["2"]?[0]?.string == "security")
        #expect(root["name"]?.string == "Zürich é")
    }

    @Test func aliasesAreExpanded() throws {
        let root = try parse("""
            base: &b {x: 1, y: [2, 3]}
            copy: *b
            """)
        #expect(root["copy"]?["y"]?[1]?.int == 3)
        #expect(root["copy"]?.hasSameContent(as: try #require(root["base"])) == true)
    }

    @Test func billionLaughsIsRejected() throws {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for level in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            let refs = Array(repeating: "*\(previous)", count: 10).joined(separator: ", ")
            text += "\(level): &\(level) [\(refs)]\n"
            previous = level
        }
        let error = try #require(expectError(text))
        #expect(error.kind == .tooManyNodes)
        #expect(error.file == "test.yaml")
        #expect(error.line > 1)
        #expect(error.description.contains("alias bomb"))
    }

    @Test func smallAliasReuseStaysWithinLimits() throws {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect(throws: Never.self) { try parse(text, limits: .init(maxNodes: 16)) }
        let error = try #require(expectError(text, limits: .init(maxNodes: 10)))
        #expect(error.kind == .tooManyNodes)
    }

    @Test func undefinedAndSelfReferencingAliasesAreErrors() throws {
        let undefined = try #require(expectError("a: *nope\n"))
        #expect(undefined.kind == .undefinedAlias("nope"))
        #expect(undefined.line == 1)
        let recursive = try #require(expectError("a: &loop [1, *loop]\n"))
        #expect(recursive.kind == .undefinedAlias("loop"))
    }

    @Test func duplicateKeysNameTheLine() throws {
        let error = try #require(expectError("""
            organization: Acme
            period: 2026-Q3
            organization: Other
            """))
        #expect(error.kind == .duplicateKey("organization"))
        #expect(error.line == 3)
        #expect(error.description == "test.yaml:3:1: mapping key 'organization' appears twice (first at line 1)")

        let nested = try #require(expectError("inputs:\n  audit: a\n  audit: b\n"))
        #expect(nested.line == 3)
        #expect(try #require(expectError("{a: 1, a: 2}")).kind == .duplicateKey("a"))
        #expect(try #require(expectError("? [a, b]\n: 1\n? [a, b]\n: 2\n")).line == 3)
    }

    @Test func tabsAndMalformedTextReportLibyamlsLocation() throws {
        let tab = try #require(expectError("inputs:\n\taudit: x\n"))
        #expect(tab.kind == .syntax)
        #expect(tab.line == 2)
        #expect(tab.description.hasPrefix("test.yaml:2:"))
        #expect(tab.message.contains("a tab"))

        let unclosed = try #require(expectError("a: [1, 2\nb: 3\n"))
        #expect(unclosed.kind == .syntax)
        #expect(unclosed.line >= 2)

        let badIndent = try #require(expectError("a:\n  b: 1\n c: 2\n"))
        #expect(badIndent.kind == .syntax && badIndent.line == 3)

        let quote = try #require(expectError("a: \"open\nb: 2\n"))
        #expect(quote.kind == .syntax)
    }

    @Test func invalidUTF8IsASyntaxErrorWithLine() throws {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xFF, 0xFE, 0x41] + Array("\n".utf8)
        #expect {
            try YAMLDocument(bytes: bytes, file: "bad.yaml")
        } throws: { error in
            guard let error = error as? YAMLError else { return false }
            return error.kind == .syntax && error.line == 2 && error.description.hasPrefix("bad.yaml:2:")
        }
    }

    @Test func multipleDocumentsAreRejected() throws {
        let error = try #require(expectError("a: 1\n---\nb: 2\n"))
        #expect(error.kind == .multipleDocuments)
        #expect(error.line == 2)
        #expect(try parse("---\na: 1\n...\n")["a"]?.int == 1)
    }

    @Test func emptyDocumentsAreNull() throws {
        #expect(try parse("").isNull)
        #expect(try parse("# only a comment\n").isNull)
        #expect(try parse("---\n").isNull)
        #expect(try parse("").mark == YAMLNode.Mark(line: 1, column: 1))
    }

    @Test func sizeAndDepthLimits() throws {
        let big = String(repeating: "a", count: 2000)
        #expect(try #require(expectError(big, limits: .init(maxBytes: 1000))).kind == .tooLarge)
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let error = try #require(expectError(deep))
        #expect(error.kind == .tooDeep)
        #expect(error.line == 1)
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
        let aliasDeep = "a: &a " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
            + "\nb: " + String(repeating: "[", count: 150) + "*a" + String(repeating: "]", count: 150) + "\n"
        #expect(try #require(expectError(aliasDeep)).kind == .tooDeep)
    }

    @Test func readsFilesAndReportsUnreadableOnes() throws {
        let folder = try TestFolder.make("yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("doc.yaml")
        try Data("key: value\n".utf8).write(to: file)
        let document = try YAMLDocument(contentsOfFile: file.path, displayName: "doc.yaml")
        #expect(document.root["key"]?.string == "value")
        #expect(document.file == "doc.yaml")

        #expect {
            try YAMLDocument(contentsOfFile: folder.appendingPathComponent("nope.yaml").path, displayName: "nope.yaml")
        } throws: { error in
            (error as? YAMLError)?.kind == .unreadable && "\(error)".hasPrefix("nope.yaml: cannot read the file")
        }
        try Data(repeating: UInt8(ascii: "a"), count: 2048).write(to: file)
        #expect {
            try YAMLDocument(contentsOfFile: file.path, limits: .init(maxBytes: 1024))
        } throws: { error in
            (error as? YAMLError)?.kind == .tooLarge
        }
    }
}

import Foundation
import Testing
@testable import EvidenceKit

@Test func csvWriterQuotesOnlyWhenNeeded() {
    #expect(CSVWriter.encodeRow(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", " lead", "trail ", "", "日本"])
        == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\" lead\",\"trail \",,日本\r\n")
}

@Test func csvWriterGuardsFormulaInjection() {
    let cases: [(String, String)] = [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("-2+3", "'-2+3"),
        ("\r=1", "\"'\r=1\""),
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("=1,2", "\"'=1,2\""),
        ("a=b", "a=b"),
        ("'already", "'already"),
    ]
    for (value, encoded) in cases {
        #expect(CSVWriter.encodeRow([.text(value)]) == encoded + "\r\n", "value \(value.debugDescription)")
    }
}

@Test func csvWriterLeavesNumbersUnprefixed() {
    let row: [CSVWriter.Cell] = [.integer(-5), .integer(0), 42, .decimal(-2.5), .decimal(0.1), .text("-5"), .decimal(-.infinity)]
    #expect(CSVWriter.encodeRow(row) == "-5,0,42,-2.5,0.1,'-5,'-inf\r\n")
}

@Test func csvWriterKeepsALoneEmptyFieldVisible() throws {
    let data = CSVWriter.data(rows: [["only"], [""], ["", ""]])
    #expect(String(decoding: data, as: UTF8.self) == "only\r\n\"\"\r\n,\r\n")
    var reader = CSVReader(data: data, file: "t.csv")
    #expect(try reader.readAll().map(\.fields) == [["only"], [""], ["", ""]])
}

@Test func csvWriterWritesFilesDeterministically() throws {
    let folder = try TestFolder.make("csvwriter")
    defer { try? FileManager.default.removeItem(at: folder) }
    var rows: [[CSVWriter.Cell]] = [["check_id", "call_id", "reason", "count"]]
    for index in 0..<5000 {
        rows.append([.text("C-\(index % 7)"), .text("call-\(index)"), .text("denied, \"no approval\"\nat \(index)"), .integer(Int64(index))])
    }
    var outputs: [Data] = []
    for name in ["first.csv", "second.csv"] {
        let path = folder.appendingPathComponent(name).path
        let writer = try CSVWriter(path: path)
        for row in rows { try writer.writeRow(row) }
        try writer.close()
        #expect(writer.rowCount == rows.count)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(writer.byteCount == Int64(written.count))
        outputs.append(written)
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0] == CSVWriter.data(rows: rows))
    var reader = CSVReader(data: outputs[0], file: "first.csv")
    let records = try reader.readAll()
    #expect(records.count == rows.count)
    #expect(records[3].fields == ["C-2", "call-2", "denied, \"no approval\"\nat 2", "2"])
    #expect(records[3].line == 6)
}

@Test func csvWriterReportsUnwritableFilesAndUseAfterClose() throws {
    let folder = try TestFolder.make("csvwriter")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("missing/sub/x.csv").path
    #expect(throws: CSVWriterError(path: path, operation: "create", reason: "No such file or directory")) {
        _ = try CSVWriter(path: path)
    }
    let writer = try CSVWriter(path: folder.appendingPathComponent("ok.csv").path)
    try writer.close()
    #expect(throws: CSVWriterError.self) { try writer.writeRow(["late"]) }
}

@Test func csvWriterAndReaderRoundTripARandomCorpus() throws {
    var generator = SplitMix64(state: 0x5EED)
    let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "\t", "=", "+", "-", "@", "'", ";", "é", "日", "🙂", "\u{FEFF}", "\u{200B}"]
    var rows: [[String]] = []
    for _ in 0..<2000 {
        let columns = Int(generator.next() % 6) + 1
        rows.append((0..<columns).map { _ in
            let length = Int(generator.next() % 12)
            return (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
        })
    }
    let data = CSVWriter.data(rows: rows.map { $0.map(CSVWriter.Cell.text) })
    var reader = CSVReader(data: data, file: "corpus.csv")
    let records = try reader.readAll()
    #expect(records.count == rows.count)
    let starters: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]
    var guarded = 0
    for (record, row) in zip(records, rows) {
        // The reader sees what a spreadsheet would: guarded cells keep their leading quote.
        let expected = row.map { value in
            guard value.first.map({ starters.contains($0) }) == true else { return value }
            guarded += 1
            return "'" + value
        }
        #expect(record.fields == expected)
    }
    #expect(guarded > 100)
    #expect(CSVWriter.data(rows: rows.map { $0.map(CSVWriter.Cell.text) }) == data)
}

@Test func csvWriterQuotesALeadingByteOrderMarkSoItSurvivesReading() throws {
    let data = CSVWriter.data(rows: [["\u{FEFF}id", "x"]])
    var reader = CSVReader(data: data, file: "t.csv")
    #expect(try reader.readAll().map(\.fields) == [["\u{FEFF}id", "x"]])
}

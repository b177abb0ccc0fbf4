import Foundation
import Testing
@testable import EvidenceKit

fileprivate func parse(_ text: String) throws -> [CSVReader.Record] {
    var reader = CSVReader(data: Data(text.utf8), file: "directory.csv")
    return try reader.readAll()
}

fileprivate func record(_ line: Int, _ fields: String...) -> CSVReader.Record {
    CSVReader.Record(fields: fields, line: line)
}

@Test func csvReadsPlainRecordsWithLineNumbers() throws {
    let records = try parse("user_id,name,roles,status,terminated_at\nu1,Ada,admin;dev,active,\nu2,Bob,,terminated,2026-08-01T00:00:00Z\n")
    #expect(records == [
        record(1, "user_id", "name", "roles", "status", "terminated_at"),
        record(2, "u1", "Ada", "admin;dev", "active", ""),
        record(3, "u2", "Bob", "", "terminated", "2026-08-01T00:00:00Z"),
    ])
}

@Test func csvQuotedFieldsHoldCommasQuotesAndLineBreaks() throws {
    let text = "id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,\"crlf\r\ninside\"\r\n5,\"\"\r\n6,end"
    let records = try parse(text)
    #expect(records == [
        record(1, "id", "note"),
        record(2, "1", "a, b"),
        record(3, "2", "say \"hi\""),
        record(4, "3", "two\nlines"),
        record(6, "4", "crlf\r\ninside"),
        record(8, "5", ""),
        record(9, "6", "end"),
    ])
}

@Test func csvStripsALeadingByteOrderMarkOnly() throws {
    let records = try parse("\u{FEFF}user_id,name\nu1,\u{FEFF}x\n")
    #expect(records == [record(1, "user_id", "name"), record(2, "u1", "\u{FEFF}x")])
}

@Test func csvSkipsEmptyLinesAndKeepsEmptyFields() throws {
    let records = try parse("\n\r\na,b\n\n,\n\"\"\n,,\r\n\r\n")
    #expect(records == [record(3, "a", "b"), record(5, "", ""), record(6, ""), record(7, "", "", "")])
    #expect(try parse("").isEmpty)
    #expect(try parse("\u{FEFF}").isEmpty)
}

@Test func csvKeepsUnicodeAndSpacesAsWritten() throws {
    let records = try parse(" padded , Zoë,日本語,\"🙂,x\"\n")
    #expect(records == [record(1, " padded ", " Zoë", "日本語", "🙂,x")])
}

@Test func csvUnclosedQuoteNamesTheLineWhereItStarted() throws {
    var reader = CSVReader(data: Data("a,b\nc,\"open\nstill\nopen\n".utf8), file: "directory.csv")
    #expect(try reader.next() == record(1, "a", "b"))
    #expect(throws: CSVReaderError(file: "directory.csv", line: 2, column: 2, kind: .unterminatedQuote)) {
        try reader.next()
    }
    // Reading resumes on the line after the unbalanced quote, so no later line is swallowed.
    #expect(try reader.next() == record(3, "still"))
    #expect(try reader.next() == record(4, "open"))
    #expect(try reader.next() == nil)
}

@Test func csvStrayQuotesAreErrorsAndReadingResumesOnTheNextLine() throws {
    var reader = CSVReader(data: Data("a,b\"c,d\n\"x\"y,z\nok,1\nr\rs\nlast\n".utf8), file: "dir.csv")
    let expectedErrors = [
        CSVReaderError(file: "dir.csv", line: 1, column: 2, kind: .strayQuote),
        CSVReaderError(file: "dir.csv", line: 2, column: 1, kind: .textAfterClosingQuote),
    ]
    for expected in expectedErrors {
        #expect(throws: expected) { try reader.next() }
    }
    #expect(try reader.next() == record(3, "ok", "1"))
    #expect(throws: CSVReaderError(file: "dir.csv", line: 4, column: 1, kind: .bareCarriageReturn)) {
        try reader.next()
    }
    #expect(try reader.next() == record(5, "last"))
    #expect(try reader.next() == nil)
    #expect(expectedErrors[0].description
        == "dir.csv:1: column 2: a double quote appears inside an unquoted field (quote the whole field and double the inner quote).")
}

@Test func csvInvalidUTF8IsReportedWithItsLineAndColumn() throws {
    var bytes = Array("name,role\n".utf8)
    bytes += Array("ok,\"multi\nline\",".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    bytes += Array("after,1\n".utf8)
    var reader = CSVReader(bytes: bytes, file: "directory.csv")
    #expect(try reader.next() == record(1, "name", "role"))
    #expect(throws: CSVReaderError(file: "directory.csv", line: 3, column: 3, kind: .invalidUTF8)) {
        try reader.next()
    }
    #expect(try reader.next() == record(4, "after", "1"))
}

import Foundation
import Testing
@testable import EvidenceKit

/// What a reader delivered, collected for comparison.
fileprivate struct Collected: Equatable {
    var lines: [[UInt8]] = []
    var numbers: [Int] = []
    var oversized: [(number: Int, length: Int)] = []
    var raw: [UInt8] = []

    static func == (a: Collected, b: Collected) -> Bool {
        a.lines == b.lines && a.numbers == b.numbers && a.raw == b.raw
            && a.oversized.map(\.number) == b.oversized.map(\.number)
            && a.oversized.map(\.length) == b.oversized.map(\.length)
    }
}

fileprivate func collect(_ reader: LineReader) throws -> Collected {
    var result = Collected()
    // With read-ahead, onRawBytes runs on the reading thread while the handlers run on this one, so
    // it collects into a variable of its own.
    var raw: [UInt8] = []
    try reader.forEachLine(onRawBytes: { raw.append(contentsOf: $0) },
                           onOversizedLine: { result.oversized.append((number: $0, length: $1)) }) { line, number in
        result.lines.append([UInt8](line))
        result.numbers.append(number)
    }
    result.raw = raw
    return result
}

fileprivate func write(_ bytes: [UInt8], named name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

fileprivate func lines(_ texts: String...) -> [[UInt8]] {
    texts.map { Array($0.utf8) }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func linesAreSplitOnLineFeedsWithOneTrailingCarriageReturnStripped(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write(Array("alpha\nbeta\r\ngamma\r\r\n\n\r\nlast\n".utf8), named: "a.jsonl", in: folder)
    let reader = try LineReader(path: path, readAhead: readAhead)
    let result = try collect(reader)
    #expect(result.lines == lines("alpha", "beta", "gamma\r", "", "", "last"))
    #expect(result.numbers == [1, 2, 3, 4, 5, 6])
    #expect(reader.lineCount == 6)
    #expect(reader.lastLineHadNoNewline == false)
    #expect(reader.isGzip == false)
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func finalLineWithoutNewlineIsDeliveredAndFlagged(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    for chunkSize in [2, 3, 1 << 20] {
        let path = try write(Array("one\ntwo\r\nthree".utf8), named: "b.jsonl", in: folder)
        let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: chunkSize, readAhead: readAhead)
        let result = try collect(reader)
        #expect(result.lines == lines("one", "two", "three"))
        #expect(result.numbers == [1, 2, 3])
        #expect(reader.lastLineHadNoNewline)
    }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func emptyFileDeliversNoLines(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write([], named: "empty.jsonl", in: folder)
    let reader = try LineReader(path: path, readAhead: readAhead)
    let result = try collect(reader)
    #expect(result.lines.isEmpty)
    #expect(result.raw.isEmpty)
    #expect(reader.bytesRead == 0)
    #expect(reader.lineCount == 0)
    #expect(reader.lastLineHadNoNewline == false)
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func nulBytesInsideALineArriveIntact(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let bytes: [UInt8] = [0x61, 0x00, 0x62, 0x00, 0x0A, 0x00, 0x0A]
    let path = try write(bytes, named: "nul.jsonl", in: folder)
    let result = try collect(try LineReader(path: path, readAhead: readAhead))
    #expect(result.lines == [[0x61, 0x00, 0x62, 0x00], [0x00]])
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func linesSpanningChunkBoundariesMatchAWholeFileSplit(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = SplitMix64(state: 7)
    var bytes: [UInt8] = []
    var expected: [[UInt8]] = []
    for _ in 0..<300 {
        let length = Int(generator.next() % 40)
        let line = (0..<length).map { _ in UInt8(ascii: "a") + UInt8(generator.next() % 26) }
        expected.append(line)
        bytes += line
        bytes += generator.next() % 3 == 0 ? [0x0D, 0x0A] : [0x0A]
    }
    let path = try write(bytes, named: "c.jsonl", in: folder)
    for chunkSize in [2, 3, 5, 7, 16, 64, 1000, 1 << 20] {
        let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: chunkSize, readAhead: readAhead)
        let result = try collect(reader)
        #expect(result.lines == expected, "chunk size \(chunkSize)")
        #expect(result.numbers == Array(1...300))
        #expect(result.raw == bytes)
        #expect(reader.bytesRead == Int64(bytes.count))
    }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func rawBytesHookHashesTheFileAsStored(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let bytes = Array((0..<5000).map { "{\"n\":\($0)}\n" }.joined().utf8)
    let path = try write(bytes, named: "d.jsonl", in: folder)
    let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: 4096, readAhead: readAhead)
    let hasher = try SHA256()
    var count = 0
    try reader.forEachLine(onRawBytes: { hasher.update($0) }, onOversizedLine: { _, _ in }) { _, _ in count += 1 }
    #expect(count == 5000)
    #expect(hasher.finalize().hexString == (try SHA256.hex(of: Data(bytes))))
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func aTwentyMegabyteLineIsReportedAndItsNeighboursStillArrive(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let longLength = 20_000_000
    var bytes = Array("before\n".utf8)
    bytes += [UInt8](repeating: UInt8(ascii: "x"), count: longLength)
    bytes += Array("\nafter\n".utf8)
    let path = try write(bytes, named: "long.jsonl", in: folder)
    let reader = try LineReader(path: path, readAhead: readAhead)
    let result = try collect(reader)
    #expect(result.lines == lines("before", "after"))
    #expect(result.numbers == [1, 3])
    #expect(result.oversized.map(\.number) == [2])
    #expect(result.oversized.map(\.length) == [longLength])
    #expect(reader.oversizedLineCount == 1)
    #expect(reader.maxLineLength == 16 << 20)
    #expect(reader.carryCapacity <= reader.maxLineLength)
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func oversizedLinesAreSkippedAtEveryPosition(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    // Limit 8: exactly 8 bytes passes, 9 does not, a CR counts, and an oversized last line has no newline.
    let text = "12345678\n123456789\nok\n1234567\r\n12345678\r\n" + String(repeating: "y", count: 50) + "\nz\n" + String(repeating: "w", count: 30)
    let path = try write(Array(text.utf8), named: "e.jsonl", in: folder)
    for chunkSize in [2, 3, 4, 9, 10, 1 << 20] {
        let reader = try LineReader(path: path, maxLineLength: 8, chunkSize: chunkSize, readAhead: readAhead)
        let result = try collect(reader)
        #expect(result.lines == lines("12345678", "ok", "1234567", "z"), "chunk size \(chunkSize)")
        #expect(result.numbers == [1, 3, 4, 7])
        #expect(result.oversized.map(\.number) == [2, 5, 6, 8])
        #expect(result.oversized.map(\.length) == [9, 9, 50, 30])
        #expect(reader.lastLineHadNoNewline)
        #expect(reader.carryCapacity <= 8)
    }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func errorsFromTheLineHandlerStopReading(readAhead: Bool) throws {
    struct Stop: Error {}
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write(Array("a\nb\nc\n".utf8), named: "f.jsonl", in: folder)
    let reader = try LineReader(path: path, readAhead: readAhead)
    var seen: [Int] = []
    #expect(throws: Stop.self) {
        try reader.forEachLine(onOversizedLine: { _, _ in }) { _, number in
            seen.append(number)
            if number == 2 { throw Stop() }
        }
    }
    #expect(seen == [1, 2])
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func readingTwiceStartsAgainFromTheTop(readAhead: Bool) throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write(Array("a\nb".utf8), named: "g.jsonl", in: folder)
    let reader = try LineReader(path: path, readAhead: readAhead)
    let first = try collect(reader)
    let second = try collect(reader)
    #expect(first == second)
    #expect(second.lines == lines("a", "b"))
    #expect(reader.bytesRead == 3)
}

@Test func missingFilesAndFoldersAreClearErrors() throws {
    let folder = try TestFolder.make("linereader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("missing.jsonl").path
    do {
        _ = try LineReader(path: missing)
        Issue.record("opening a missing file succeeded")
    } catch {
        #expect(error.reason == .cannotOpen("No such file or directory"))
        #expect(error.description == "Cannot open '\(missing)': No such file or directory.")
    }
    do {
        _ = try LineReader(path: folder.path)
        Issue.record("opening a folder succeeded")
    } catch {
        #expect(error.reason == .cannotOpen("it is a directory"))
        #expect(error.description.contains(folder.path))
    }
}

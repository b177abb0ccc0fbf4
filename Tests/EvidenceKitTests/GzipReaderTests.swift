import Foundation
import Testing
@testable import EvidenceKit

/// Compresses `bytes` with the system's `gzip` command, as real `.jsonl.gz` inputs are made.
fileprivate func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    [UInt8](try ExternalTool.gzip(Data(bytes)))
}

fileprivate func write(_ bytes: [UInt8], named name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

fileprivate func readLines(_ path: String, chunkSize: Int = 1 << 20, readAhead: Bool) throws -> (lines: [[UInt8]], reader: LineReader, raw: [UInt8]) {
    let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: chunkSize, readAhead: readAhead)
    var lines: [[UInt8]] = []
    var raw: [UInt8] = []
    try reader.forEachLine(onRawBytes: { raw.append(contentsOf: $0) },
                           onOversizedLine: { number, _ in Issue.record("line \(number) reported oversized") }) { line, _ in
        lines.append([UInt8](line))
    }
    return (lines, reader, raw)
}

fileprivate func sampleCorpus(lines count: Int) -> [UInt8] {
    var text = ""
    for index in 0..<count {
        text += "{\"seq\":\(index),\"tool_name\":\"query\",\"note\":\"\(String(repeating: "ab", count: index % 37))\"}"
        text += index % 5 == 0 ? "\r\n" : "\n"
    }
    text += "{\"last\":true}"
    return Array(text.utf8)
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func gzipFileGivesTheSameLinesAsThePlainFile(readAhead: Bool) throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plain = sampleCorpus(lines: 20_000)
    let compressed = try gzip(plain)
    let plainPath = try write(plain, named: "calls.jsonl", in: folder)
    // Detection is by content: the compressed file deliberately has no .gz extension.
    let gzipPath = try write(compressed, named: "calls-compressed.jsonl", in: folder)
    for chunkSize in [7, 4096, 1 << 20] {
        let expected = try readLines(plainPath, chunkSize: chunkSize, readAhead: readAhead)
        let actual = try readLines(gzipPath, chunkSize: chunkSize, readAhead: readAhead)
        #expect(actual.lines == expected.lines, "chunk size \(chunkSize)")
        #expect(actual.lines.count == 20_001)
        #expect(actual.reader.isGzip)
        #expect(actual.reader.lastLineHadNoNewline)
        #expect(actual.reader.bytesRead == Int64(compressed.count))
        #expect(actual.reader.decodedBytes == Int64(plain.count))
        #expect(actual.raw == compressed)
    }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func gzipRawBytesHashIsTheHashOfTheCompressedFile(readAhead: Bool) throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let compressed = try gzip(sampleCorpus(lines: 3000))
    let path = try write(compressed, named: "calls.jsonl.gz", in: folder)
    let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: 1000, readAhead: readAhead)
    let hasher = try SHA256()
    try reader.forEachLine(onRawBytes: { hasher.update($0) }, onOversizedLine: { _, _ in }) { _, _ in }
    #expect(hasher.finalize().hexString == (try SHA256.hex(of: Data(compressed))))
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func concatenatedGzipMembersReadAsOneFile(readAhead: Bool) throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = Array("a1\na2\n".utf8)
    let second = Array("b1\nb2".utf8)
    let third = Array("\nc1\n".utf8)
    let joined = try gzip(first) + gzip(second) + gzip(third)
    let path = try write(joined, named: "multi.jsonl.gz", in: folder)
    for chunkSize in [2, 5, 1 << 20] {
        let result = try readLines(path, chunkSize: chunkSize, readAhead: readAhead)
        #expect(result.lines == ["a1", "a2", "b1", "b2", "c1"].map { Array($0.utf8) }, "chunk size \(chunkSize)")
        #expect(result.reader.lastLineHadNoNewline == false)
    }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func truncatedGzipIsReportedAsEndingEarly(readAhead: Bool) throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let compressed = try gzip(sampleCorpus(lines: 2000))
    for cut in [2, 10, compressed.count / 2, compressed.count - 1] {
        let path = try write(Array(compressed.prefix(cut)), named: "cut.jsonl.gz", in: folder)
        do {
            _ = try readLines(path, chunkSize: 512, readAhead: readAhead)
            Issue.record("a gzip file cut to \(cut) bytes was accepted")
        } catch let error as LineReaderError {
            #expect(error.reason == .gzipTruncated)
            #expect(error.offset == Int64(cut))
            #expect(error.description == "The gzip stream ends early in '\(path)' at byte \(cut): the file is truncated.")
        }
    }
}

/// Run with and without read-ahead: both must deliver exactly the same.
@Test(arguments: [false, true]) func corruptGzipCarriesZlibsMessage(readAhead: Bool) throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let compressed = try gzip(sampleCorpus(lines: 200))
    // The CRC-32 sits in the 8-byte trailer; damaging it fails the integrity check at the very end.
    var badChecksum = compressed
    badChecksum[badChecksum.count - 8] ^= 0xFF
    // Byte 2 is the compression method; only 8 (deflate) exists.
    var badMethod = compressed
    badMethod[2] = 9
    // Bytes after a member must start another member.
    let trailingGarbage = compressed + Array("not gzip".utf8)
    let cases: [([UInt8], String)] = [
        (badChecksum, "incorrect data check"),
        (badMethod, "unknown compression method"),
        (trailingGarbage, "incorrect header check"),
    ]
    for (bytes, message) in cases {
        let path = try write(bytes, named: "bad.jsonl.gz", in: folder)
        do {
            _ = try readLines(path, readAhead: readAhead)
            Issue.record("corrupt gzip accepted; expected \(message)")
        } catch let error as LineReaderError {
            #expect(error.reason == .gzipCorrupt(message))
            #expect(error.description.hasPrefix("Corrupt gzip data in '\(path)' at byte "))
        }
    }
}

@Test func gzipReaderDecompressesByteByByte() throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plain = sampleCorpus(lines: 300)
    let compressed = try gzip(plain) + gzip(plain)
    let reader = try GzipReader(path: "memory.gz", outputCapacity: 1024)
    var output: [UInt8] = []
    for index in compressed.indices {
        try [compressed[index]].withUnsafeBytes { byte in
            try reader.decompress(byte) { output.append(contentsOf: $0) }
        }
    }
    try reader.finish()
    #expect(output == plain + plain)
    #expect(reader.memberCount == 2)
    #expect(reader.consumedBytes == Int64(compressed.count))
    #expect(reader.producedBytes == Int64(plain.count * 2))
}

@Test func gzipReaderWithNoInputIsTruncated() throws {
    let reader = try GzipReader(path: "empty.gz")
    #expect(throws: LineReaderError(path: "empty.gz", offset: 0, reason: .gzipTruncated)) {
        try reader.finish()
    }
}

@Test func damageMidStreamGivesTheSameLinesAndErrorWithAndWithoutReadAhead() throws {
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let compressed = try gzip(sampleCorpus(lines: 40_000))
    // Scrambled bytes in the middle of the deflate data, and a file cut in half.
    var scrambled = compressed
    for offset in (compressed.count / 2)..<(compressed.count / 2 + 64) { scrambled[offset] ^= 0x5A }
    let halved = Array(compressed.prefix(compressed.count / 2))
    for (name, bytes) in [("scrambled", scrambled), ("halved", halved)] {
        let path = try write(bytes, named: "\(name).jsonl.gz", in: folder)
        var outcomes: [(lines: [[UInt8]], error: LineReaderError?)] = []
        for readAhead in [false, true] {
            // Small chunks, so the read-ahead thread has many buffers in flight when the damage is met.
            let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: 4096, readAhead: readAhead)
            var lines: [[UInt8]] = []
            do {
                try reader.forEachLine(onOversizedLine: { _, _ in }) { line, _ in lines.append([UInt8](line)) }
                outcomes.append((lines, nil))
            } catch let error as LineReaderError {
                outcomes.append((lines, error))
            }
        }
        #expect(outcomes[0].error != nil, "\(name)")
        #expect(outcomes[0].lines.count > 1000, "\(name)")
        #expect(outcomes[1].error == outcomes[0].error, "\(name)")
        #expect(outcomes[1].lines == outcomes[0].lines, "\(name)")
        if name == "halved" {
            #expect(outcomes[0].lines.count < 40_000)
            #expect(outcomes[0].error?.reason == .gzipTruncated)
        }
    }
}

@Test func aHandlerErrorStopsTheReadAheadThreadAndTheReaderCanReadAgain() throws {
    struct Stop: Error {}
    let folder = try TestFolder.make("gzipreader")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plain = sampleCorpus(lines: 50_000)
    for bytes in [plain, try gzip(plain)] {
        let path = try write(bytes, named: "stop.jsonl", in: folder)
        // 1 KiB chunks: the read-ahead thread is blocked on a full pipe when the handler throws.
        let reader = try LineReader(path: path, maxLineLength: 1 << 20, chunkSize: 1024, readAhead: true)
        var seen = 0
        #expect(throws: Stop.self) {
            try reader.forEachLine(onOversizedLine: { _, _ in }) { _, number in
                seen = number
                if number == 10 { throw Stop() }
            }
        }
        #expect(seen == 10)
        let again = try readLines(path, chunkSize: 1024, readAhead: true)
        #expect(again.lines.count == 50_001)
        #expect(again.raw == bytes)
    }
}

import Foundation

/// Reads a file line by line in large chunks, plain or gzip-compressed, hashing it on the way.
///
/// Gzip is detected from the content (the magic bytes `1f 8b`), not the file name. Each line is handed
/// over without its `\n` and without one trailing `\r`, as a buffer that is only valid during the call;
/// lines are delivered straight from the read buffer where possible, so the per-line path allocates nothing.
/// Every byte read from disk (compressed bytes for gzip: the file as stored) goes to an optional hook
/// so the caller can hash the file while it is read once.
///
/// A line longer than `maxLineLength` is never buffered beyond that limit: it is skipped, reported with
/// its number and length, and reading continues with the next line.
///
///     let reader = try LineReader(path: "audit/2026-07.jsonl.gz")
///     try reader.forEachLine(onRawBytes: { hasher.update($0) },
///                            onOversizedLine: { number, length in ... }) { line, number in ... }
public final class LineReader {
    /// A line handler: the line's bytes (valid only during the call) and its 1-based line number.
    public typealias LineHandler = (_ line: UnsafeRawBufferPointer, _ number: Int) throws -> Void
    /// Called for a line that exceeds the limit: its 1-based line number and its full length in bytes.
    public typealias OversizedLineHandler = (_ number: Int, _ length: Int) throws -> Void

    /// The file as given, named in errors.
    public let path: String
    /// The longest line delivered, in bytes before the `\n` (counting a trailing `\r`).
    public let maxLineLength: Int
    /// Bytes read from disk so far (compressed bytes for gzip).
    public private(set) var bytesRead: Int64 = 0
    /// Bytes of line data so far: equal to `bytesRead` for a plain file, the decompressed size for gzip.
    public private(set) var decodedBytes: Int64 = 0
    /// Whether the content was recognised as gzip; known once reading has started.
    public private(set) var isGzip = false
    /// Lines seen so far, delivered or oversized.
    public private(set) var lineCount = 0
    /// Lines skipped for exceeding `maxLineLength`.
    public private(set) var oversizedLineCount = 0
    /// Whether the last line ended without a `\n`: a possibly truncated final record.
    public private(set) var lastLineHadNoNewline = false

    private let chunkSize: Int
    private let readAhead: Bool
    private let descriptor: Int32
    private var started = false
    // A line that spans read chunks is gathered here; it never grows past maxLineLength.
    private var carry: UnsafeMutableRawPointer?
    private(set) var carryCapacity = 0
    private var carryCount = 0
    // Inside a line already known to be too long: its bytes are counted, not kept.
    private var skipping = false
    private var skippedLength = 0

    /// Opens `path` for reading; lines longer than `maxLineLength` bytes (default 16 MiB) are skipped and reported.
    ///
    /// With `readAhead`, a second thread reads, hashes (`onRawBytes`) and decompresses the file while
    /// the caller's thread handles its lines: worth it for audit logs, whose line handling keeps one
    /// core busy on its own. Lines, numbers, errors and their order are the same either way, but
    /// `onRawBytes` then runs on that thread, at the same time as the line handlers: it must not
    /// touch what they touch. Everything it did is visible once `forEachLine` returns.
    public convenience init(path: String, maxLineLength: Int = 16 << 20, readAhead: Bool = false) throws(LineReaderError) {
        try self.init(path: path, maxLineLength: maxLineLength, chunkSize: 1 << 20, readAhead: readAhead)
    }

    /// Opens `path`, reading `chunkSize` bytes at a time; small chunks let tests cross chunk boundaries.
    init(path: String, maxLineLength: Int, chunkSize: Int, readAhead: Bool = false) throws(LineReaderError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LineReaderError(path: path, offset: 0, reason: .cannotOpen(LineReader.systemMessage()))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let message = LineReader.systemMessage()
            close(descriptor)
            throw LineReaderError(path: path, offset: 0, reason: .cannotOpen(message))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw LineReaderError(path: path, offset: 0, reason: .cannotOpen("it is a directory"))
        }
        self.path = path
        self.maxLineLength = max(maxLineLength, 0)
        self.chunkSize = max(chunkSize, 2)
        self.readAhead = readAhead
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
        carry?.deallocate()
    }

    /// Reads the whole file, calling `body` for each line in order.
    ///
    /// - Parameters:
    ///   - onRawBytes: receives every byte read from disk, in order, before its lines are delivered.
    ///   - onOversizedLine: receives each line that is longer than `maxLineLength`; it is not passed to `body`.
    ///   - body: receives each line without its line ending, and its 1-based number.
    /// - Throws: `LineReaderError` when the file cannot be read or its gzip data is damaged, or whatever a handler throws.
    ///   Calling it again reads the file again from the start (regular files only).
    public func forEachLine(onRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
                            onOversizedLine: OversizedLineHandler,
                            _ body: LineHandler) throws {
        try rewind()
        if readAhead {
            try forEachLineReadingAhead(onRawBytes: onRawBytes, onOversizedLine: onOversizedLine, body)
        } else {
            try decode(onRawBytes: onRawBytes) { try consume($0, onOversizedLine, body) }
            try finishLastLine(onOversizedLine, body)
        }
    }

    /// Reads the whole file, handing every byte read to `onRawBytes` and the decoded bytes to `sink`.
    /// Touches only the reading half of the state (`bytesRead`, `isGzip`), so it may run on another
    /// thread than `consume`.
    private func decode(onRawBytes: ((UnsafeRawBufferPointer) -> Void)?, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: MemoryLayout<UInt64>.alignment)
        defer { buffer.deallocate() }

        // The first two bytes decide gzip or plain, so gather at least that many before looking.
        var filled = 0
        while filled < 2 {
            let count = try readSome(into: buffer + filled, count: chunkSize - filled)
            if count == 0 { break }
            filled += count
        }
        isGzip = filled >= 2 && buffer.load(as: UInt8.self) == 0x1f && buffer.load(fromByteOffset: 1, as: UInt8.self) == 0x8b
        let gzip = isGzip ? try GzipReader(path: path, outputCapacity: chunkSize) : nil

        var count = filled
        while count > 0 {
            let chunk = UnsafeRawBufferPointer(start: buffer, count: count)
            onRawBytes?(chunk)
            if let gzip {
                try gzip.decompress(chunk, into: sink)
            } else {
                try sink(chunk)
            }
            count = try readSome(into: buffer, count: chunkSize)
        }
        try gzip?.finish()
    }

    /// `forEachLine` with `decode` on a thread of its own, handing decoded bytes over through a
    /// `ChunkPipe`. A read or gzip error reaches the caller after every line decoded before it, as
    /// it does without read-ahead; if a handler throws, the reading thread is stopped and joined.
    private func forEachLineReadingAhead(onRawBytes: ((UnsafeRawBufferPointer) -> Void)?,
                                         onOversizedLine: OversizedLineHandler, _ body: LineHandler) throws {
        let pipe = ChunkPipe(bufferSize: chunkSize)
        // The reading thread is the only user of onRawBytes and of the reading half of self until it
        // is joined below, so handing them over unchecked is safe.
        let reading = UncheckedReading(reader: self, onRawBytes: onRawBytes)
        let decoder = BackgroundResult(name: "line reader") {
            defer { pipe.finish() }
            try reading.reader.decode(onRawBytes: reading.onRawBytes) { try pipe.write($0) }
        }
        defer {
            pipe.cancel()
            decoder.wait()
        }
        while let chunk = pipe.next() {
            try consume(chunk.bytes, onOversizedLine, body)
            pipe.recycle(chunk)
        }
        try decoder.value()
        try finishLastLine(onOversizedLine, body)
    }

    private struct UncheckedReading: @unchecked Sendable {
        let reader: LineReader
        let onRawBytes: ((UnsafeRawBufferPointer) -> Void)?
    }

    private func rewind() throws(LineReaderError) {
        if started, lseek(descriptor, 0, SEEK_SET) != 0 {
            throw LineReaderError(path: path, offset: 0, reason: .readFailed("cannot rewind: \(LineReader.systemMessage())"))
        }
        started = true
        bytesRead = 0
        decodedBytes = 0
        isGzip = false
        lineCount = 0
        oversizedLineCount = 0
        lastLineHadNoNewline = false
        carryCount = 0
        skipping = false
        skippedLength = 0
    }

    private func readSome(into target: UnsafeMutableRawPointer, count: Int) throws(LineReaderError) -> Int {
        while true {
            let result = read(descriptor, target, count)
            if result >= 0 {
                bytesRead += Int64(result)
                return result
            }
            if errno == EINTR { continue }
            throw LineReaderError(path: path, offset: bytesRead, reason: .readFailed(LineReader.systemMessage()))
        }
    }

    /// Splits decoded bytes into lines, carrying an unfinished last line over to the next call.
    private func consume(_ data: UnsafeRawBufferPointer, _ onOversizedLine: OversizedLineHandler, _ body: LineHandler) throws {
        guard let base = data.baseAddress, data.count > 0 else { return }
        decodedBytes += Int64(data.count)
        var start = 0
        while start < data.count {
            guard let newline = memchr(base + start, 0x0A, data.count - start) else {
                append(base + start, count: data.count - start)
                return
            }
            let end = base.distance(to: UnsafeRawPointer(newline))
            let pieceCount = end - start
            lineCount += 1
            if skipping {
                try reportOversized(length: skippedLength + pieceCount, onOversizedLine)
            } else if carryCount == 0 {
                if pieceCount > maxLineLength {
                    try reportOversized(length: pieceCount, onOversizedLine)
                } else {
                    try deliver(base + start, count: pieceCount, body)
                }
            } else if carryCount + pieceCount > maxLineLength {
                try reportOversized(length: carryCount + pieceCount, onOversizedLine)
            } else {
                let total = carryCount + pieceCount
                append(base + start, count: pieceCount)
                carryCount = 0
                if let carry {
                    try deliver(UnsafeRawPointer(carry), count: total, body)
                }
            }
            start = end + 1
        }
    }

    /// Delivers whatever follows the last newline once the file has ended.
    private func finishLastLine(_ onOversizedLine: OversizedLineHandler, _ body: LineHandler) throws {
        if skipping {
            lineCount += 1
            lastLineHadNoNewline = true
            try reportOversized(length: skippedLength, onOversizedLine)
        } else if carryCount > 0, let carry {
            lineCount += 1
            lastLineHadNoNewline = true
            let count = carryCount
            carryCount = 0
            try deliver(UnsafeRawPointer(carry), count: count, body)
        }
    }

    private func deliver(_ start: UnsafeRawPointer, count: Int, _ body: LineHandler) throws {
        var length = count
        if length > 0, start.load(fromByteOffset: length - 1, as: UInt8.self) == 0x0D { length -= 1 }
        try body(UnsafeRawBufferPointer(start: start, count: length), lineCount)
    }

    private func reportOversized(length: Int, _ onOversizedLine: OversizedLineHandler) throws {
        skipping = false
        skippedLength = 0
        carryCount = 0
        oversizedLineCount += 1
        try onOversizedLine(lineCount, length)
    }

    /// Adds part of an unfinished line to the carry buffer, or switches to skipping once it is too long.
    private func append(_ bytes: UnsafeRawPointer, count: Int) {
        if skipping {
            skippedLength += count
            return
        }
        let needed = carryCount + count
        if needed > maxLineLength {
            skipping = true
            skippedLength = needed
            carryCount = 0
            return
        }
        if needed > carryCapacity { growCarry(to: needed) }
        guard let carry else { return }
        (carry + carryCount).copyMemory(from: bytes, byteCount: count)
        carryCount = needed
    }

    private func growCarry(to needed: Int) {
        var capacity = max(carryCapacity, min(64 << 10, maxLineLength))
        while capacity < needed { capacity = min(capacity * 2, maxLineLength) }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: MemoryLayout<UInt64>.alignment)
        if let carry {
            grown.copyMemory(from: carry, byteCount: carryCount)
            carry.deallocate()
        }
        carry = grown
        carryCapacity = capacity
    }

    private static func systemMessage() -> String {
        String(cString: strerror(errno))
    }
}

import Foundation

/// Writes the bundle's CSV files: RFC 4180, UTF-8, CRLF line endings, safe to open in a spreadsheet.
///
/// A field is quoted when it holds a comma, a double quote, CR or LF, starts or ends with a space, or
/// starts with a byte order mark; inner quotes are doubled. A text cell that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return is prefixed with `'` so spreadsheets show it instead of evaluating it
/// (OWASP CSV injection guidance).
/// Numbers written as `.integer` or `.decimal` cells are never prefixed, so `-5` stays a number.
///
/// Rows are buffered and written to the file in large pieces; call `close()` to flush. For small
/// in-memory tables use `CSVWriter.data(rows:)`.
public final class CSVWriter {
    /// One cell of a row.
    public enum Cell: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        /// Free text: quoted as needed and guarded against formula injection.
        case text(String)
        /// An integer, written in plain decimal digits.
        case integer(Int64)
        /// A floating-point number in Swift's shortest round-trip form; non-finite values are written as guarded text.
        case decimal(Double)

        public init(stringLiteral value: String) { self = .text(value) }
        public init(integerLiteral value: Int64) { self = .integer(value) }
    }

    /// The file being written.
    public let path: String
    /// Rows written so far, header included.
    public private(set) var rowCount = 0
    /// Bytes written so far, including those still buffered.
    public private(set) var byteCount: Int64 = 0

    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 16

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws(CSVWriterError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CSVWriterError(path: path, operation: "create", reason: CSVWriter.systemMessage())
        }
        self.path = path
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.flushThreshold * 2)
    }

    deinit {
        // close() is where data is flushed and errors reported; this only avoids leaking the descriptor.
        if descriptor >= 0 { Foundation.close(descriptor) }
    }

    /// Appends one row of cells.
    public func writeRow(_ cells: [Cell]) throws(CSVWriterError) {
        guard descriptor >= 0 else {
            throw CSVWriterError(path: path, operation: "write", reason: "the writer is already closed")
        }
        let before = buffer.count
        Self.encode(cells, into: &buffer)
        byteCount += Int64(buffer.count - before)
        rowCount += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends one row of text cells, such as the header.
    public func writeRow(_ fields: [String]) throws(CSVWriterError) {
        try writeRow(fields.map(Cell.text))
    }

    /// Writes what is buffered and closes the file; the writer cannot be used afterwards.
    public func close() throws(CSVWriterError) {
        guard descriptor >= 0 else { return }
        try flush()
        let descriptor = self.descriptor
        self.descriptor = -1
        if Foundation.close(descriptor) != 0 {
            throw CSVWriterError(path: path, operation: "close", reason: CSVWriter.systemMessage())
        }
    }

    private func flush() throws(CSVWriterError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return write(descriptor, base + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw CSVWriterError(path: path, operation: "write", reason: CSVWriter.systemMessage())
            }
            if written == 0 {
                throw CSVWriterError(path: path, operation: "write", reason: "the system accepted no bytes")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A whole CSV table in memory, one row per element.
    public static func data(rows: [[Cell]]) -> Data {
        var bytes: [UInt8] = []
        for row in rows { encode(row, into: &bytes) }
        return Data(bytes)
    }

    /// One encoded row, CRLF included.
    public static func encodeRow(_ cells: [Cell]) -> String {
        var bytes: [UInt8] = []
        encode(cells, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one encoded row, CRLF included, to `bytes`.
    public static func encode(_ cells: [Cell], into bytes: inout [UInt8]) {
        let start = bytes.count
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(comma) }
            encode(cell, into: &bytes)
        }
        // A lone empty field would otherwise be an empty line, which readers skip.
        if cells.count == 1, bytes.count == start {
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")])
        }
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    private static func encode(_ cell: Cell, into bytes: inout [UInt8]) {
        switch cell {
        case .text(let text):
            encodeText(text, into: &bytes)
        case .integer(let value):
            bytes.append(contentsOf: String(value).utf8)
        case .decimal(let value):
            if value.isFinite {
                bytes.append(contentsOf: value.description.utf8)
            } else {
                encodeText(value.description, into: &bytes)
            }
        }
    }

    private static func encodeText(_ text: String, into bytes: inout [UInt8]) {
        let utf8 = text.utf8
        let first = utf8.first
        let guarded = first.map { formulaStarters.contains($0) } ?? false
        // A leading byte order mark is quoted so a reader cannot take it for the file's own BOM.
        let needsQuotes = first == space || utf8.last == space || utf8.starts(with: byteOrderMark)
            || utf8.contains { $0 == comma || $0 == quote || $0 == carriageReturn || $0 == lineFeed }
        if needsQuotes { bytes.append(quote) }
        if guarded { bytes.append(UInt8(ascii: "'")) }
        for byte in utf8 {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        if needsQuotes { bytes.append(quote) }
    }

    private static let formulaStarters: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let space = UInt8(ascii: " ")
    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")

    private static func systemMessage() -> String {
        String(cString: strerror(errno))
    }
}

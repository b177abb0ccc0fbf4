import Foundation

/// An RFC 4180 CSV reader over a whole file's bytes, yielding records with the physical line they start on.
///
/// Quoted fields may hold commas, doubled quotes and line breaks (kept as written, CRLF included), so a
/// record can span several physical lines. Records end with LF or CRLF; a UTF-8 byte order mark at the
/// start is skipped; empty lines carry no record and are skipped. Header handling is the caller's.
///
/// A malformed record throws a `CSVReaderError` from `next()`; the reader has then moved past it to the
/// next line, so the caller can record the error and go on. A quote that is never closed, or whose closing
/// quote is found on a later line with text after it, is taken to be unbalanced: reading resumes on the
/// line after the one where it opened, so one stray quote cannot swallow the records that follow it.
public struct CSVReader: Sendable {
    /// One CSV record: its fields in order and the 1-based physical line where it starts.
    public struct Record: Sendable, Hashable {
        /// The field values, unquoted.
        public var fields: [String]
        /// The physical line the record starts on.
        public var line: Int

        public init(fields: [String], line: Int) {
            self.fields = fields
            self.line = line
        }
    }

    /// The file as named in errors.
    public let file: String
    private let bytes: [UInt8]
    private var position: Int
    private var line = 1

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Reads CSV from `data`; `file` names the source in errors.
    public init(data: Data, file: String) {
        self.init(bytes: [UInt8](data), file: file)
    }

    /// Reads CSV from `bytes`; `file` names the source in errors.
    public init(bytes: [UInt8], file: String) {
        self.file = file
        self.bytes = bytes
        self.position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Reads every record, stopping at the first malformed one.
    public mutating func readAll() throws(CSVReaderError) -> [Record] {
        var records: [Record] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// The next record, or nil at the end of the data.
    public mutating func next() throws(CSVReaderError) -> Record? {
        skipEmptyLines()
        guard position < bytes.count else { return nil }
        let recordLine = line
        var fields: [String] = []
        // Invalid UTF-8 does not break the structure, so the record is read to its end before reporting.
        var firstInvalid: CSVReaderError?
        var value: [UInt8] = []
        while true {
            let column = fields.count + 1
            let fieldLine = line
            value.removeAll(keepingCapacity: true)
            if position < bytes.count && bytes[position] == Self.quote {
                try readQuoted(into: &value, column: column)
            } else {
                try readUnquoted(into: &value, column: column)
            }
            if let text = String(validating: value, as: UTF8.self) {
                fields.append(text)
            } else {
                fields.append("")
                if firstInvalid == nil {
                    firstInvalid = CSVReaderError(file: file, line: fieldLine, column: column, kind: .invalidUTF8)
                }
            }
            // readQuoted/readUnquoted stop only at a comma, a record end, or the end of the data.
            if position < bytes.count && bytes[position] == Self.comma {
                position += 1
                continue
            }
            endRecord()
            break
        }
        if let firstInvalid { throw firstInvalid }
        return Record(fields: fields, line: recordLine)
    }

    private mutating func skipEmptyLines() {
        while position < bytes.count {
            if bytes[position] == Self.lineFeed {
                position += 1
                line += 1
            } else if bytes[position] == Self.carriageReturn && isRecordEnd(at: position + 1) {
                endRecordAfterCarriageReturn()
            } else {
                return
            }
        }
    }

    /// Whether `index` is a line feed or the end of the data: what must follow a carriage return.
    private func isRecordEnd(at index: Int) -> Bool {
        index >= bytes.count || bytes[index] == Self.lineFeed
    }

    /// Steps over the LF, CRLF or lone final CR that ends a record.
    private mutating func endRecord() {
        guard position < bytes.count else { return }
        if bytes[position] == Self.carriageReturn {
            endRecordAfterCarriageReturn()
        } else {
            position += 1
            line += 1
        }
    }

    private mutating func endRecordAfterCarriageReturn() {
        position += 1
        if position < bytes.count {
            position += 1
            line += 1
        }
    }

    private mutating func readUnquoted(into value: inout [UInt8], column: Int) throws(CSVReaderError) {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.comma || byte == Self.lineFeed { break }
            if byte == Self.carriageReturn {
                if isRecordEnd(at: position + 1) { break }
                throw failure(.bareCarriageReturn, line: line, column: column)
            }
            if byte == Self.quote {
                throw failure(.strayQuote, line: line, column: column)
            }
            position += 1
        }
        value.append(contentsOf: bytes[start..<position])
    }

    private mutating func readQuoted(into value: inout [UInt8], column: Int) throws(CSVReaderError) {
        let startLine = line
        let opening = position
        position += 1
        while true {
            guard position < bytes.count else {
                resume(afterLineOf: opening, line: startLine)
                throw CSVReaderError(file: file, line: startLine, column: column, kind: .unterminatedQuote)
            }
            let byte = bytes[position]
            position += 1
            if byte == Self.quote {
                if position < bytes.count && bytes[position] == Self.quote {
                    value.append(Self.quote)
                    position += 1
                    continue
                }
                break
            }
            if byte == Self.lineFeed { line += 1 }
            value.append(byte)
        }
        guard position < bytes.count else { return }
        let next = bytes[position]
        if next == Self.comma || next == Self.lineFeed { return }
        if next == Self.carriageReturn && isRecordEnd(at: position + 1) { return }
        if line > startLine {
            // The "closing" quote is more likely the opening quote of a later field: the one that opened
            // this field was unbalanced.
            resume(afterLineOf: opening, line: startLine)
            throw CSVReaderError(file: file, line: startLine, column: column, kind: .unterminatedQuote)
        }
        throw failure(.textAfterClosingQuote, line: line, column: column)
    }

    /// Moves to the start of the physical line after the one holding `index` (line `lineOfIndex`).
    private mutating func resume(afterLineOf index: Int, line lineOfIndex: Int) {
        position = index
        while position < bytes.count && bytes[position] != Self.lineFeed { position += 1 }
        line = lineOfIndex
        if position < bytes.count {
            position += 1
            line += 1
        }
    }

    /// Builds an error and moves past the rest of the physical line, so reading can resume at the next one.
    private mutating func failure(_ kind: CSVReaderError.Kind, line errorLine: Int, column: Int) -> CSVReaderError {
        while position < bytes.count && bytes[position] != Self.lineFeed { position += 1 }
        if position < bytes.count {
            position += 1
            line += 1
        }
        return CSVReaderError(file: file, line: errorLine, column: column, kind: kind)
    }
}

/// The read loop shared by the line-oriented inputs: every line is counted, hashed with the file,
/// handed to `body`, and whatever `body` rejects (by throwing an `InputError`) is logged, so each
/// line ends up either loaded or in `input_errors`. `readAhead` reads, hashes and decompresses the
/// file on a second thread (see `LineReader`).
enum JSONLinesFile {
    static func forEachLine(path: String, display: String, input: String, hasher: SHA256, readAhead: Bool = false,
                            reject record: (InputError) throws -> Void,
                            onOversized: (Int) -> Void = { _ in },
                            _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws -> (read: Int, rejected: Int) {
        let reader: LineReader
        do {
            reader = try LineReader(path: path, readAhead: readAhead)
        } catch {
            throw IngestError.unreadable(input: input, file: display, reason: error.description)
        }
        var read = 0
        var rejected = 0
        func reject(_ error: InputError) throws {
            rejected += 1
            try record(error)
        }
        do {
            try reader.forEachLine(onRawBytes: { hasher.update($0) }, onOversizedLine: { number, length in
                read += 1
                onOversized(number)
                try reject(InputError(input: input, file: display, line: number,
                                      message: "line of \(length) bytes exceeds the \(reader.maxLineLength)-byte limit"))
            }) { bytes, number in
                read += 1
                do {
                    try body(bytes, number)
                } catch let error as InputError {
                    try reject(error)
                }
            }
        } catch let error as LineReaderError {
            throw IngestError.unreadable(input: input, file: display, reason: error.description)
        }
        if reader.lineCount == 0 {
            // An empty log is how a deleted one looks; it holds no record to reject, so it is reported on its own.
            try record(InputError(input: input, file: display, line: 0, message: "the file is empty; it holds no records"))
        }
        if reader.lastLineHadNoNewline {
            // Still loaded, but a missing final newline is how a truncated copy looks, so the auditor is told.
            try record(InputError(input: input, file: display, line: reader.lineCount,
                                  message: "the last line has no final newline; the file may have been truncated"))
        }
        return (read, rejected)
    }

    /// Reads a JSON-lines input record by record, parsing each line into a `FieldReader`.
    static func read(path: String, display: String, input: String, parser: JSONLineParser, hasher: SHA256,
                     errors: InputErrorLog, _ body: (FieldReader) throws -> Void) throws -> (read: Int, rejected: Int) {
        try forEachLine(path: path, display: display, input: input, hasher: hasher, reject: errors.record) { bytes, number in
            try body(try parse(bytes, parser: parser, input: input, display: display, line: number))
        }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, parser: JSONLineParser, input: String, display: String, line: Int) throws(InputError) -> FieldReader {
        do {
            return FieldReader(try parser.parseObject(bytes), input: input, file: display, line: line)
        } catch {
            throw InputError(input: input, file: display, line: line, message: "malformed JSON at \(error)")
        }
    }
}

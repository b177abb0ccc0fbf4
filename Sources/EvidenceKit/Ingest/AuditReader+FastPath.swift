import Foundation

/// The fast path of `AuditReader`: a line of the usual shape goes from its bytes to the batch
/// without a `String` per value. Whatever this path is unsure about (any failed check below) it
/// leaves to `decode`, so every error, and every row that needs the general parser, comes out
/// exactly as before; for the lines it takes, it stores the same values `decode` would.
extension AuditReader {
    private typealias Field = AuditLineScanner.Field

    private static let requiredStrings: UInt32 = [
        Field.timestamp, .sessionID, .userID, .agentID, .server, .tool, .argumentsHash, .dlp, .decision, .classification, .correlationID,
    ].reduce(0) { $0 | $1.bit }
    private static let optionalStrings: UInt32 = [Field.eventID, .policyID, .decisionReason, .environment, .prevHash].reduce(0) { $0 | $1.bit }

    /// Validates and packs one line; false (with nothing added) when `decode` must handle it.
    func packFast(_ line: UnsafeRawBufferPointer, number: Int, file: AuditIngest.File, chain: ChainState, previousFile: String?) -> Bool {
        let s = scanner
        guard s.scan(line) else { return false }
        // The scanner's masks and the batch are read and changed through locals: every access to a
        // class's stored property costs a dynamic exclusivity check, a tenth of this thread's time
        // when made some thirty times per line.
        let (present, strings, numbers, nulls) = (s.present, s.strings, s.numbers, s.nulls)
        guard strings & Self.requiredStrings == Self.requiredStrings,
              (strings | nulls) & Field.responseHash.bit != 0,
              numbers & Field.latency.bit != 0,
              numbers & Self.optionalStrings == 0,
              strings & Field.seq.bit == 0
        else { return false }
        func bytes(_ field: Field) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: line[s.span(field)]) }

        let timestamp = bytes(.timestamp)
        guard let ms = Timestamp.parse(timestamp), !s.span(.server).isEmpty, !s.span(.tool).isEmpty,
              Self.isOne(of: ["clean", "masked", "blocked", "flagged"], bytes(.dlp)),
              Self.isOne(of: ["allow", "deny"], bytes(.decision)),
              Self.isOne(of: ["public", "internal", "confidential", "restricted"], bytes(.classification)),
              let latency = Self.double(bytes(.latency)), latency.isFinite, latency >= 0
        else { return false }
        var seq: Int64?
        if numbers & Field.seq.bit != 0 {
            guard let value = Self.smallNonNegativeInteger(bytes(.seq)) else { return false }
            seq = value
        }

        var chainOK: Int64?
        var chainExpected: String?
        if present & Field.prevHash.bit != 0 {
            let prevHash: UnsafeRawBufferPointer? = strings & Field.prevHash.bit != 0 ? bytes(.prevHash) : nil
            // Byte equality is String equality here only for ASCII; anything else is left to `decode`.
            func equals(_ expected: UnsafeRawBufferPointer) -> Bool? {
                guard let prevHash else { return false }
                if prevHash.elementsEqual(expected) { return true }
                return prevHash.contains { $0 >= 0x80 } ? nil : false
            }
            let ok: Bool
            switch chain {
            case .fileStart:
                if prevHash == nil {
                    ok = true
                } else if var previousFile {
                    guard let same = previousFile.withUTF8({ equals(UnsafeRawBufferPointer($0)) }) else { return false }
                    ok = same
                } else {
                    ok = false
                }
                if !ok { chainExpected = previousFile.map { "null or \($0)" } ?? "null" }
            case .hashed:
                guard let same = equals(UnsafeRawBufferPointer(start: previousHash, count: Self.hashTextLength)) else { return false }
                ok = same
                if !ok { chainExpected = Self.hashText(previousHash) }
            case .unknown:
                ok = true  // the previous line was too long to hash; it is reported on its own
            }
            chainOK = ok ? 1 : 0
        }

        // Every check passed: copy the line once and point the row's text columns into the copy.
        var batch = AuditBatch()
        swap(&batch, &self.batch)
        defer { swap(&batch, &self.batch) }
        let lineStart = batch.appendBytes(line)
        func text(_ field: Field) {
            let span = s.span(field)
            batch.appendSpan(start: lineStart + span.lowerBound, count: span.count)
        }
        func optionalText(_ field: Field) {
            if strings & field.bit != 0 { text(field) } else { batch.appendNullSpan() }
        }
        // `time` is the timestamp reformatted as UTC milliseconds, which is the text itself when it
        // already has that form (then parsing and formatting give back the same bytes).
        if timestamp.count == 24, timestamp[10] == UInt8(ascii: "T"), timestamp[19] == UInt8(ascii: "."), timestamp[23] == UInt8(ascii: "Z") {
            text(.timestamp)
        } else {
            batch.appendText(Timestamp.format(ms))
        }
        text(.sessionID)
        text(.userID)
        text(.agentID)
        text(.server)
        text(.tool)
        let qualified = batch.appendBytes(bytes(.server))
        batch.appendByte(UInt8(ascii: "."))
        _ = batch.appendBytes(bytes(.tool))
        batch.appendSpan(start: qualified, count: batch.byteCount - qualified)
        text(.argumentsHash)
        optionalText(.responseHash)
        text(.dlp)
        text(.decision)
        text(.classification)
        text(.correlationID)
        optionalText(.eventID)
        optionalText(.policyID)
        optionalText(.decisionReason)
        optionalText(.environment)
        optionalText(.prevHash)
        batch.appendText(chainExpected)
        s.writeExtras(from: line, into: &batch)
        batch.finishRow(AuditBatch.Row(fileID: file.fileID, line: Int64(number), timestamp: ms, latency: latency, seq: seq, chainOK: chainOK))
        return true
    }

    private static func isOne(of allowed: [StaticString], _ value: UnsafeRawBufferPointer) -> Bool {
        guard let base = value.baseAddress else { return false }
        for candidate in allowed where candidate.utf8CodeUnitCount == value.count {
            if memcmp(candidate.utf8Start, base, value.count) == 0 { return true }
        }
        return false
    }

    /// The number's value as `Double(String)` reads it: short integers directly (exact below 2^53),
    /// anything else through that initializer itself.
    private static func double(_ literal: UnsafeRawBufferPointer) -> Double? {
        if literal.count <= 15, let value = smallNonNegativeInteger(literal) { return Double(value) }
        return Double(String(decoding: literal, as: UTF8.self))
    }

    /// A literal of at most 18 digits (so it cannot overflow), or nil for anything else.
    private static func smallNonNegativeInteger(_ literal: UnsafeRawBufferPointer) -> Int64? {
        guard literal.count > 0, literal.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in literal {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}

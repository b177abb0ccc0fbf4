import Foundation

/// Reads git's NUL- and newline-delimited output front to back, finding delimiters with `memchr`.
struct GitOutputCursor {
    /// The whole output; offsets are relative to its first byte.
    let data: Data
    /// The next unread byte.
    private(set) var offset: Int = 0

    init(_ data: Data) {
        // A fresh copy guarantees zero-based, contiguous storage even if `data` is a slice.
        self.data = data.startIndex == 0 ? data : Data(data)
    }

    var isAtEnd: Bool { offset >= data.count }

    /// The next byte without consuming it, or nil at the end.
    var peek: UInt8? { isAtEnd ? nil : data[offset] }

    /// Consumes one byte.
    mutating func skip() { if !isAtEnd { offset += 1 } }

    /// The bytes up to (not including) the next `delimiter`, consuming both; nil when no delimiter remains.
    mutating func next(upTo delimiter: UInt8) -> Data? {
        guard !isAtEnd else { return nil }
        let start = offset
        let found: Int? = data.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress else { return nil }
            guard let hit = memchr(base + start, Int32(delimiter), raw.count - start) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        guard let end = found else { return nil }
        offset = end + 1
        return data.subdata(in: start..<end)
    }

    /// The next field up to `delimiter`, decoded as UTF-8 (invalid bytes become U+FFFD).
    mutating func string(upTo delimiter: UInt8) -> String? {
        next(upTo: delimiter).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Everything not yet read, consuming it.
    mutating func rest() -> Data {
        let start = min(offset, data.count)
        offset = data.count
        return data.subdata(in: start..<data.count)
    }

    /// Consumes exactly `count` bytes; nil when fewer remain.
    mutating func take(_ count: Int) -> Data? {
        guard count >= 0, count <= data.count - offset else { return nil }
        let start = offset
        offset += count
        return data.subdata(in: start..<offset)
    }
}

/// RFC 3339 timestamps and ISO 8601 calendar dates as Int64 milliseconds since 1970-01-01T00:00:00Z.
///
/// Accepted timestamps: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `T`/`t` and `Z`/`z` in either
/// case, a fraction of any length (digits beyond milliseconds are truncated, not rounded) and offsets up
/// to ±23:59. Rejected: a missing zone, out-of-range fields (month 13, April 31, February 29 outside
/// leap years, hour 24, minute 60) and second 60: leap seconds are refused rather than clamped, because
/// audit producers on smeared or POSIX clocks never write them, so one is more likely a corrupt record
/// than a real event. Results must lie in years 0001–9999 UTC after the offset is applied, so every
/// parsed value formats back to a timestamp this parser accepts.
///
/// Calendar arithmetic is Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar);
/// parsing works on raw bytes without Foundation formatters or allocation.
public enum Timestamp {
    /// Milliseconds per day.
    public static let msPerDay: Int64 = 86_400_000
    /// 0001-01-01T00:00:00.000Z, the earliest accepted instant.
    public static let minMs: Int64 = -62_135_596_800_000
    /// 9999-12-31T23:59:59.999Z, the latest accepted instant.
    public static let maxMs: Int64 = 253_402_300_799_999

    /// Parses an RFC 3339 timestamp held as UTF-8 bytes; nil if it is not one (see the type's rules).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count >= 20 else { return nil }
        guard let year = number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
              let day = number(bytes, 8, 2),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
              let minute = number(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
              let second = number(bytes, 17, 2)
        else { return nil }
        guard year >= 1, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }

        var index = 19
        var millis = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let first = index
            var scale = 100
            while index < count, let digit = digit(bytes[index]) {
                millis += digit * scale
                scale /= 10
                index += 1
            }
            guard index > first else { return nil }
        }

        guard index < count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard count - index >= 6, let offsetHour = number(bytes, index + 1, 2),
                  bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = number(bytes, index + 4, 2),
                  offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetMinutes = offsetHour * 60 + offsetMinute
            if bytes[index] == UInt8(ascii: "-") { offsetMinutes = -offsetMinutes }
            index += 6
        default:
            return nil
        }
        guard index == count else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        let result = days * msPerDay + secondsOfDay * 1000 + Int64(millis)
        guard result >= minMs, result <= maxMs else { return nil }
        return result
    }

    /// Parses an RFC 3339 timestamp; nil if it is not one.
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Formats milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`, always with milliseconds and `Z`.
    ///
    /// Values outside ``minMs``...``maxMs`` still format (with a longer or signed year) but will not parse back.
    public static func format(_ ms: Int64) -> String {
        var days = ms / msPerDay
        var msOfDay = ms % msPerDay
        if msOfDay < 0 {
            msOfDay += msPerDay
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        let time = Int(msOfDay)
        guard year >= 0, year <= 9999 else {
            return "\(formatYear(year))-\(pad(month, 2))-\(pad(day, 2))T\(pad(time / 3_600_000, 2)):"
                + "\(pad(time / 60_000 % 60, 2)):\(pad(time / 1000 % 60, 2)).\(pad(time % 1000, 3))Z"
        }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            write(Int(year), digits: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            write(month, digits: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            write(day, digits: 2, into: buffer, at: 8)
            buffer[10] = UInt8(ascii: "T")
            write(time / 3_600_000, digits: 2, into: buffer, at: 11)
            buffer[13] = UInt8(ascii: ":")
            write(time / 60_000 % 60, digits: 2, into: buffer, at: 14)
            buffer[16] = UInt8(ascii: ":")
            write(time / 1000 % 60, digits: 2, into: buffer, at: 17)
            buffer[19] = UInt8(ascii: ".")
            write(time % 1000, digits: 3, into: buffer, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses a calendar date `YYYY-MM-DD` (years 0001–9999) held as UTF-8 bytes to midnight UTC that day.
    public static func parseDate(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == 10, let year = number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"), let day = number(bytes, 8, 2),
              year >= 1, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * msPerDay
    }

    /// Parses a calendar date `YYYY-MM-DD` to midnight UTC that day; nil if it is not a valid date.
    public static func parseDate(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseDate(UnsafeRawBufferPointer($0)) }
    }

    /// Formats the UTC calendar day containing `ms` as `YYYY-MM-DD`.
    public static func formatDate(_ ms: Int64) -> String {
        String(format(ms).prefix { $0 != "T" })
    }

    // MARK: Calendar arithmetic

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Digits

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }

    /// A fixed-width unsigned decimal at `start`; the caller has checked the buffer is long enough.
    @inline(__always)
    private static func number(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ width: Int) -> Int? {
        var value = 0
        for index in start..<(start + width) {
            guard let digit = digit(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func write(_ value: Int, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        var value = value
        for index in stride(from: start + digits - 1, through: start, by: -1) {
            buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func formatYear(_ year: Int64) -> String {
        let text = String(year.magnitude)
        return (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}

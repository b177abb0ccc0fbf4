/// The audit period: whole UTC days from `start` (inclusive) to `end` (exclusive).
///
/// Written as a year (`2026`), a quarter (`2026-Q3`), a month (`2026-07`) or an inclusive range of days
/// (`2026-07-01..2026-09-30` on the command line, `{from: 2026-07-01, to: 2026-09-30}` in `evidence.yaml`).
public struct Period: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The canonical spelling: `2026`, `2026-Q3`, `2026-07` or `2026-07-01..2026-09-30`; `parse(label)` gives the period back.
    public var label: String
    /// Midnight UTC starting the first day, in milliseconds since the Unix epoch (inclusive).
    public var start: Int64
    /// Midnight UTC after the last day, in milliseconds since the Unix epoch (exclusive).
    public var end: Int64

    public init(label: String, start: Int64, end: Int64) {
        self.label = label
        self.start = start
        self.end = end
    }

    public var description: String { label }

    /// The first day, `YYYY-MM-DD`.
    public var firstDay: String { Timestamp.formatDate(start) }

    /// The last day (inclusive), `YYYY-MM-DD`.
    public var lastDay: String { Timestamp.formatDate(end - 1) }

    /// Whether an instant falls inside the period.
    public func contains(_ ms: Int64) -> Bool { ms >= start && ms < end }

    private static let forms = "a year (2026), a quarter (2026-Q3), a month (2026-07) or a range of days (2026-07-01..2026-09-30)"

    /// Parses any written form, as given to `--period` or as a scalar `period:` in `evidence.yaml`.
    ///
    /// Errors carry key `period` and no file or line; the config loader adds those.
    public static func parse(_ text: String) throws(ConfigError) -> Period {
        let trimmed = text.trimmingSpaces()
        if let separator = trimmed.firstRange(of: "..") {
            let from = String(trimmed[..<separator.lowerBound]), to = String(trimmed[separator.upperBound...])
            // With no date-shaped side at all (a path, say), this is not a range of days; otherwise days()
            // names the side at fault.
            func dateShaped(_ side: String) -> Bool {
                let bytes = Array(side.trimmingSpaces().utf8)
                return bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
                    && bytes.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }
            }
            guard dateShaped(from) || dateShaped(to) else { throw invalid(text, "is not \(forms)") }
            return try days(from: from, to: to)
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard let yearText = parts.first, let year = fixedDigits(yearText, 4), parts.count <= 2 else {
            throw invalid(text, "is not \(forms)")
        }
        guard year >= 1 else { throw invalid(text, "names year 0000; years are 0001 to 9999") }
        // Check SQL takes ts / 86400000 as the UTC day, which holds from the Unix epoch on; no audit log
        // of AI-agent tool calls predates it.
        guard year >= 1970 else { throw invalid(text, "starts before 1970; audit periods start on 1970-01-01 or later") }
        guard parts.count == 2 else { return span(label: String(yearText), year: year, month: 1, months: 12) }

        let rest = parts[1]
        if let first = rest.first, first == "Q" || first == "q" {
            guard let quarter = fixedDigits(rest.dropFirst(), 1) else { throw invalid(text, "is not \(forms)") }
            guard (1...4).contains(quarter) else { throw invalid(text, "names quarter \(quarter); quarters are Q1 to Q4") }
            return span(label: "\(yearText)-Q\(quarter)", year: year, month: quarter * 3 - 2, months: 3)
        }
        guard let month = fixedDigits(rest, 2) else { throw invalid(text, "is not \(forms)") }
        guard (1...12).contains(month) else { throw invalid(text, "names month \(rest); months are 01 to 12") }
        return span(label: "\(yearText)-\(rest)", year: year, month: month, months: 1)
    }

    /// An inclusive range of whole days, both `YYYY-MM-DD`; `from` may equal `to` (a one-day period).
    public static func days(from: String, to: String) throws(ConfigError) -> Period {
        let from = from.trimmingSpaces(), to = to.trimmingSpaces()
        guard let start = Timestamp.parseDate(from) else {
            throw ConfigError(kind: .invalidValue, key: "period.from",
                              message: "period start '\(from)' is not a calendar date YYYY-MM-DD")
        }
        guard let lastDay = Timestamp.parseDate(to) else {
            throw ConfigError(kind: .invalidValue, key: "period.to",
                              message: "period end '\(to)' is not a calendar date YYYY-MM-DD")
        }
        guard start >= 0 else {
            throw ConfigError(kind: .invalidValue, key: "period.from",
                              message: "period start \(from) is before 1970; audit periods start on 1970-01-01 or later")
        }
        guard start <= lastDay else {
            throw ConfigError(kind: .invalidValue, key: "period",
                              message: "period starts on \(from), after its last day \(to)")
        }
        return Period(label: "\(from)..\(to)", start: start, end: lastDay + Timestamp.msPerDay)
    }

    /// `months` whole months from the first of `month`, rolling into the next year as needed.
    private static func span(label: String, year: Int, month: Int, months: Int) -> Period {
        let endMonth = month + months
        let start = Timestamp.daysFromCivil(year: year, month: month, day: 1)
        let end = endMonth > 12
            ? Timestamp.daysFromCivil(year: year + 1, month: endMonth - 12, day: 1)
            : Timestamp.daysFromCivil(year: year, month: endMonth, day: 1)
        return Period(label: label, start: start * Timestamp.msPerDay, end: end * Timestamp.msPerDay)
    }

    private static func fixedDigits(_ text: Substring, _ width: Int) -> Int? {
        guard text.utf8.count == width,
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    private static func invalid(_ text: String, _ problem: String) -> ConfigError {
        ConfigError(kind: .invalidValue, key: "period", message: "period '\(text)' \(problem)")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs; Foundation-free so Model stays light.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

import Foundation
import Testing
@testable import EvidenceKit

@Suite struct TimestampTests {
    @Test func parsesTheDesignExamples() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.parse("2026-07-01T09:30:00.123Z") == 1_782_898_200_123)
        #expect(Timestamp.parse("2026-07-01T09:30:00.123456+02:00") == Timestamp.parse("2026-07-01T07:30:00.123Z"))
        #expect(Timestamp.format(Timestamp.parse("2026-07-01T09:30:00.123456+02:00") ?? 0) == "2026-07-01T07:30:00.123Z")
    }

    @Test func acceptsLowercaseSeparatorsAndAnyFractionLength() {
        let expected = Timestamp.parse("2026-07-01T09:30:00Z")
        #expect(Timestamp.parse("2026-07-01t09:30:00z") == expected)
        #expect(Timestamp.parse("2026-07-01T09:30:00.5Z") == expected.map { $0 + 500 })
        #expect(Timestamp.parse("2026-07-01T09:30:00.05Z") == expected.map { $0 + 50 })
        #expect(Timestamp.parse("2026-07-01T09:30:00.999999999999Z") == expected.map { $0 + 999 }, "truncated, not rounded")
        #expect(Timestamp.parse("2026-07-01T09:30:00-00:00") == expected)
    }

    @Test func offsetsCrossMidnightAndYearEnds() {
        #expect(Timestamp.format(Timestamp.parse("2026-07-01T01:00:00+05:30") ?? 0) == "2026-06-30T19:30:00.000Z")
        #expect(Timestamp.format(Timestamp.parse("2026-12-31T22:00:00-03:00") ?? 0) == "2027-01-01T01:00:00.000Z")
        #expect(Timestamp.format(Timestamp.parse("2024-03-01T00:30:00+01:00") ?? 0) == "2024-02-29T23:30:00.000Z")
        #expect(Timestamp.format(Timestamp.parse("2023-03-01T00:30:00+01:00") ?? 0) == "2023-02-28T23:30:00.000Z")
        #expect(Timestamp.parse("2026-07-01T00:00:00+23:59") != nil)
    }

    @Test func leapYears() {
        #expect(Timestamp.parse("2024-02-29T12:00:00Z") != nil)
        #expect(Timestamp.parse("2000-02-29T12:00:00Z") != nil, "divisible by 400")
        #expect(Timestamp.parse("1900-02-29T12:00:00Z") == nil, "divisible by 100 only")
        #expect(Timestamp.parse("2026-02-29T12:00:00Z") == nil)
        #expect(Timestamp.parseDate("2400-02-29") != nil)
        #expect(Timestamp.parseDate("2100-02-29") == nil)
    }

    @Test(arguments: [
        "2026-07-01T09:30:00",              // no zone
        "2026-07-01 09:30:00Z",             // space separator
        "2026-13-01T09:30:00Z",             // month 13
        "2026-00-01T09:30:00Z",             // month 0
        "2026-04-31T09:30:00Z",             // April 31
        "2026-07-00T09:30:00Z",             // day 0
        "2026-07-01T24:00:00Z",             // hour 24
        "2026-07-01T09:60:00Z",             // minute 60
        "2026-12-31T23:59:60Z",             // leap second: rejected by design
        "2026-07-01T09:30:00.Z",            // empty fraction
        "2026-07-01T09:30:00+2:00",         // short offset
        "2026-07-01T09:30:00+02",           // offset without minutes
        "2026-07-01T09:30:00+0200",         // offset without colon
        "2026-07-01T09:30:00+24:00",        // offset hour 24
        "2026-07-01T09:30:00+02:60",        // offset minute 60
        "2026-07-01T09:30:00Z ",            // trailing space
        "2026-07-01T09:30:00ZZ",            // trailing garbage
        "0000-01-01T00:00:00Z",             // year 0
        "0001-01-01T00:00:00+00:01",        // before year 1 once offset is applied
        "9999-12-31T23:59:59-00:01",        // after year 9999 once offset is applied
        "10000-01-01T00:00:00Z",            // five-digit year
        "2026-7-01T09:30:00Z",              // one-digit month
        "2026/07/01T09:30:00Z",             // wrong separators
        "+026-07-01T09:30:00Z",             // sign in the year
        "２０２６-07-01T09:30:00Z",           // non-ASCII digits
        "",
    ])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func yearRangeBoundaries() {
        #expect(Timestamp.parse("0001-01-01T00:00:00Z") == Timestamp.minMs)
        #expect(Timestamp.parse("9999-12-31T23:59:59.999Z") == Timestamp.maxMs)
        #expect(Timestamp.format(Timestamp.minMs) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Timestamp.maxMs) == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.format(-1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.format(Timestamp.minMs - 1) == "0000-12-31T23:59:59.999Z")
        // Out-of-range values still format without trapping.
        #expect(Timestamp.format(.min).hasPrefix("-"))
        #expect(Timestamp.format(.max).hasSuffix("Z"))
    }

    @Test func parsesRawBytesWithoutCopying() {
        let line = Array(#"{"timestamp":"2026-07-01T09:30:00.123Z"}"#.utf8)
        let value = line.withUnsafeBytes { Timestamp.parse(UnsafeRawBufferPointer(rebasing: $0[14..<38])) }
        #expect(value == 1_782_898_200_123)
    }

    @Test func datesParseToMidnightAndFormatBack() {
        #expect(Timestamp.parseDate("1970-01-02") == Timestamp.msPerDay)
        #expect(Timestamp.parseDate("2026-07-01") == Timestamp.parse("2026-07-01T00:00:00Z"))
        #expect(Timestamp.parseDate("2026-7-1") == nil)
        #expect(Timestamp.parseDate("2026-07-01T00:00:00Z") == nil)
        #expect(Timestamp.parseDate("2026-06-31") == nil)
        #expect(Timestamp.formatDate(Timestamp.parse("2026-07-01T23:59:59.999Z") ?? 0) == "2026-07-01")
        #expect(Timestamp.formatDate(-1) == "1969-12-31")
    }

    @Test func formatThenParseRoundTripsRandomInstants() {
        var generator = SplitMix64(state: 20_260_701)
        for _ in 0..<10_000 {
            let ms = Int64.random(in: Timestamp.minMs...Timestamp.maxMs, using: &generator)
            let text = Timestamp.format(ms)
            #expect(text.utf8.count == 24)
            #expect(Timestamp.parse(text) == ms, "\(ms) formatted as \(text)")
            #expect(Timestamp.parseDate(Timestamp.formatDate(ms)) == ms - ((ms % Timestamp.msPerDay) + Timestamp.msPerDay) % Timestamp.msPerDay)
        }
    }

    @Test func agreesWithFoundationsGregorianCalendar() throws {
        // Foundation switches to the Julian calendar before 1582, so compare from 1600 on.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SplitMix64(state: 42)
        let from = try #require(Timestamp.parse("1600-01-01T00:00:00Z"))
        for _ in 0..<2_000 {
            let ms = Int64.random(in: from...Timestamp.maxMs, using: &generator)
            let wholeSeconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
            let date = Date(timeIntervalSince1970: Double(wholeSeconds))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                                  parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
            #expect(Timestamp.format(ms).hasPrefix(expected))
        }
    }

    @Test func calendarArithmeticCountsEveryDayOnce() {
        var expected = Timestamp.daysFromCivil(year: 1, month: 1, day: 1)
        for year in 1...9999 {
            for month in 1...12 {
                for day in 1...Timestamp.daysInMonth(year: year, month: month) {
                    if Timestamp.daysFromCivil(year: year, month: month, day: day) != expected {
                        Issue.record("day count jumps at \(year)-\(month)-\(day)")
                        return
                    }
                    let civil = Timestamp.civilFromDays(expected)
                    if civil.year != Int64(year) || civil.month != month || civil.day != day {
                        Issue.record("civilFromDays(\(expected)) is \(civil), expected \(year)-\(month)-\(day)")
                        return
                    }
                    expected += 1
                }
            }
        }
        #expect(Timestamp.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
    }
}

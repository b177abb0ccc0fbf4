import Testing
@testable import EvidenceKit

@Suite struct PeriodTests {
    private func ms(_ date: String) -> Int64 { Timestamp.parseDate(date) ?? .min }

    private func expectInvalid(_ text: String, mentioning fragment: String) {
        do {
            let period = try Period.parse(text)
            Issue.record("'\(text)' parsed as \(period)")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func quarters() throws {
        let q3 = try Period.parse("2026-Q3")
        #expect(q3 == Period(label: "2026-Q3", start: ms("2026-07-01"), end: ms("2026-10-01")))
        #expect(q3.firstDay == "2026-07-01" && q3.lastDay == "2026-09-30")
        let q4 = try Period.parse("2026-q4")
        #expect(q4.label == "2026-Q4")
        #expect(q4.end == ms("2027-01-01"))
        #expect(try Period.parse("2026-Q1").start == ms("2026-01-01"))
    }

    @Test func months() throws {
        #expect(try Period.parse("2026-07") == Period(label: "2026-07", start: ms("2026-07-01"), end: ms("2026-08-01")))
        #expect(try Period.parse("2026-12").end == ms("2027-01-01"))
        let february = try Period.parse("2024-02")
        #expect(february.lastDay == "2024-02-29")
        #expect(try Period.parse("2026-02").lastDay == "2026-02-28")
    }

    @Test func years() throws {
        #expect(try Period.parse("2026") == Period(label: "2026", start: ms("2026-01-01"), end: ms("2027-01-01")))
        #expect(try Period.parse(" 2026 ").label == "2026")
        #expect(try Period.parse("9999").end == ms("9999-12-31") + Timestamp.msPerDay)
    }

    @Test func dayRanges() throws {
        let range = try Period.parse("2026-07-01..2026-09-30")
        #expect(range == Period(label: "2026-07-01..2026-09-30", start: ms("2026-07-01"), end: ms("2026-10-01")))
        #expect(try Period.days(from: "2026-07-01", to: "2026-09-30") == range)
        #expect(try Period.parse(range.label) == range)
        let oneDay = try Period.days(from: "2026-07-01", to: "2026-07-01")
        #expect(oneDay.end - oneDay.start == Timestamp.msPerDay)
    }

    @Test func containsIsHalfOpen() throws {
        let q3 = try Period.parse("2026-Q3")
        #expect(q3.contains(ms("2026-07-01")))
        #expect(q3.contains(ms("2026-10-01") - 1))
        #expect(!q3.contains(ms("2026-10-01")))
        #expect(!q3.contains(ms("2026-07-01") - 1))
        // An offset timestamp late on the last day in local time is already the next quarter in UTC.
        #expect(!q3.contains(Timestamp.parse("2026-09-30T23:30:00-01:00") ?? 0))
    }

    @Test func labelsParseBack() throws {
        for text in ["2026", "2026-Q2", "2026-11", "2026-01-15..2026-02-14"] {
            let period = try Period.parse(text)
            #expect(try Period.parse(period.label) == period)
            #expect(period.description == text)
        }
    }

    @Test func badFormsAreExplained() {
        expectInvalid("2026-Q5", mentioning: "quarter 5; quarters are Q1 to Q4")
        expectInvalid("2026-Q0", mentioning: "quarter 0")
        expectInvalid("2026-13", mentioning: "month 13; months are 01 to 12")
        expectInvalid("2026-00", mentioning: "month 00")
        expectInvalid("0000", mentioning: "year 0000")
        expectInvalid("1969-Q4", mentioning: "starts before 1970")
        expectInvalid("1969-12-31..1970-01-02", mentioning: "is before 1970")
        expectInvalid("2026-7", mentioning: "is not a year (2026), a quarter (2026-Q3)")
        expectInvalid("26-Q3", mentioning: "is not a year")
        expectInvalid("2026-Q", mentioning: "is not a year")
        expectInvalid("2026-H1", mentioning: "is not a year")
        expectInvalid("2026-07-01", mentioning: "is not a year")
        expectInvalid("", mentioning: "is not a year")
        expectInvalid("2026-09-30..2026-07-01", mentioning: "starts on 2026-09-30, after its last day 2026-07-01")
        expectInvalid("2026-02-30..2026-03-01", mentioning: "period start '2026-02-30' is not a calendar date")
        expectInvalid("2026-07-01..", mentioning: "period end '' is not a calendar date")
    }

    @Test func errorsCarryTheKeyButNoLocation() {
        #expect {
            try Period.parse("2026-Q5")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.key == "period" && error.file.isEmpty && error.line == 0
                && error.description == "period '2026-Q5' names quarter 5; quarters are Q1 to Q4"
        }
    }
}

import Foundation
import Testing
@testable import EvidenceKit

/// off-hours-activity finds the local weekday and minute by arithmetic and looks the day up in the
/// `work_day_mask` bit mask; it must flag exactly the calls that `strftime` and `work_days` say are
/// outside working hours, whatever the days, hours and time zone offset.
struct OffHoursTests {
    /// The rule written the plain way: strftime on every call and the days as text.
    static let plainRule = """
        SELECT c.file, c.line FROM calls_located c, params p
        WHERE p.work_start_minute IS NOT NULL
          AND (instr(p.work_days, ',' || strftime('%w', c.ts / 1000 + p.work_offset_minutes * 60, 'unixepoch') || ',') = 0
               OR CAST(strftime('%H', c.ts / 1000 + p.work_offset_minutes * 60, 'unixepoch') AS INTEGER) * 60
                  + CAST(strftime('%M', c.ts / 1000 + p.work_offset_minutes * 60, 'unixepoch') AS INTEGER)
                  NOT BETWEEN p.work_start_minute AND p.work_end_minute - 1)
        ORDER BY c.id
        """

    @Test(arguments: [
        (",1,2,3,4,5,", 0, 480, 1080),
        (",1,2,3,4,5,", -300, 540, 1020),
        (",0,6,", 330, 0, 1440),
        (",3,", -720, 600, 601),
        (",1,2,3,4,5,6,0,", 840, 360, 1320),
        (",", 0, 480, 1080),
    ])
    func acmeMatchesThePlainRule(days: String, offset: Int, start: Int, end: Int) throws {
        let folder = try TestFolder.make("off-hours")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("store.sqlite").path
        try FileManager.default.copyItem(atPath: try AcmeRun.get().storePath, toPath: copy)
        let database = try Database(path: copy)
        try database.execute("""
            UPDATE params SET work_days = '\(days)', work_offset_minutes = \(offset), work_start_minute = \(start), work_end_minute = \(end);
            """)
        try database.execute(Schema.workDayMask)
        let check = try AcmeRun.shippedCheck("off-hours-activity")
        let flagged = try database.query(check.exceptions).rows.map { [$0[0], $0[1]] }
        let plain = try database.query(Self.plainRule).rows
        #expect(flagged == plain)
        let calls = try database.scalar("SELECT count(*) FROM calls_located")?.int64 ?? 0
        if days == "," { #expect(flagged.count == Int(calls), "no working day: every call is flagged") }
        if days == ",0,6," && start == 0 && end == 1440 { #expect(flagged.count > 0 && flagged.count < Int(calls)) }
    }

    @Test func theStoreBuildsTheMaskFromTheConfiguredDays() throws {
        let store = try EvidenceStore(readingAt: try AcmeRun.get().storePath)
        // examples/acme works every day of the week.
        #expect(try store.database.scalar("SELECT work_days FROM params") == .text(",1,2,3,4,5,6,0,"))
        #expect(try store.database.scalar("SELECT work_day_mask FROM params") == .integer(127))
    }
}

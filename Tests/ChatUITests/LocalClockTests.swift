@testable import ChatUI
import Foundation
import Testing

/// Dates in words by arithmetic, and the system's zone through the C library: checked against
/// Foundation's formatting and time zones, which the UI no longer calls.
@Suite struct LocalClockTests {
    /// Noon on days spread over years, leap days and both sides of 1970 included.
    let days: [Date] = [-40_000, -1, 0, 59, 789, 11_016, 19_782, 20_417, 20_718, 21_000, 47_482].map {
        Date(timeIntervalSince1970: Double($0) * 86_400 + 43_200)
    }

    @Test func dayHeadingsAndFullDatesReadAsFoundationWritesThem() {
        let clock = LocalClock(timeZone: .utc)
        let utc = TimeZone(identifier: "UTC")!
        let heading = Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: utc).weekday(.wide).day().month(.wide)
        let full = Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: utc)
            .weekday(.abbreviated).day().month(.abbreviated).year().hour(.twoDigits(amPM: .omitted)).minute().second()
        for date in days {
            #expect(clock.dayHeading(of: date) == date.formatted(heading))
            let moment = date.addingTimeInterval(3_723)
            #expect(clock.full(moment) == moment.formatted(full))
        }
    }

    @Test func aFixedZoneShiftsTheDayAndTheHour() {
        let late = Date(timeIntervalSince1970: 20_417 * 86_400 + 23 * 3600 + 30 * 60)
        #expect(LocalClock(timeZone: .utc).hourMinute(of: late) == "23:30")
        let east = LocalClock(timeZone: .fixed(secondsFromGMT: 3600))
        #expect(east.hourMinute(of: late) == "00:30")
        #expect(east.day(of: late) == LocalClock(timeZone: .utc).day(of: late) + 1)
    }

    @Test func theSystemZoneHasTheOffsetsFoundationGivesIt() {
        // Winter and summer of one year, for zones with daylight saving.
        for date in days + [Date(timeIntervalSince1970: 1_790_000_000), Date(timeIntervalSince1970: 1_800_000_000)] {
            #expect(LocalZone.system.secondsFromGMT(at: date) == TimeZone.current.secondsFromGMT(for: date), "\(date)")
        }
    }
}

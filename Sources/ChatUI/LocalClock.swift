import ChatAPI
import Foundation

/// Day numbers, "HH:mm" and dates in words in one zone, by arithmetic on the zone's offset:
/// Calendar and FormatStyle per message per frame were most of a frame's cost, and they load
/// ICU (see `LocalZone`). Dates are written in English, day before month, as the rest of the UI.
struct LocalClock {
    let timeZone: LocalZone

    private func localSeconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(at: date)
    }

    /// Days since 1970-01-01 in the zone: equal for two dates on the same local day.
    func day(of date: Date) -> Int {
        let seconds = localSeconds(date)
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    func hourMinute(of date: Date) -> String {
        let seconds = secondOfDay(date)
        return Self.twoDigits(seconds / 3600) + ":" + Self.twoDigits(seconds % 3600 / 60)
    }

    /// "10:50:00".
    func hourMinuteSecond(of date: Date) -> String {
        hourMinute(of: date) + ":" + Self.twoDigits(secondOfDay(date) % 60)
    }

    private func secondOfDay(_ date: Date) -> Int {
        let seconds = localSeconds(date) % 86_400
        return seconds < 0 ? seconds + 86_400 : seconds
    }

    private static func twoDigits(_ value: Int) -> String { (value < 10 ? "0" : "") + String(value) }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                     "October", "November", "December"]
    /// From Monday; 1970-01-01, day 0, was a Thursday.
    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    private static func weekday(ofDay days: Int) -> String {
        let index = (days + 3) % 7
        return weekdays[index < 0 ? index + 7 : index]
    }

    /// A day line's words: "Tuesday 24 November".
    func dayHeading(of date: Date) -> String {
        let days = day(of: date)
        let (_, month, day) = WireDate.civil(fromDays: days)
        return "\(Self.weekday(ofDay: days)) \(day) \(Self.monthNames[month - 1])"
    }

    /// A moment in full: "Wed, 25 Nov 2026 at 10:50:00".
    func full(_ date: Date) -> String {
        let days = day(of: date)
        let (year, month, day) = WireDate.civil(fromDays: days)
        return "\(Self.weekday(ofDay: days).prefix(3)), \(day) \(Self.months[month - 1]) \(year) at \(hourMinuteSecond(of: date))"
    }

    /// "30 Nov", with the year when it is not `currentYear`'s: civil date from the day number
    /// (Howard Hinnant's algorithm), no Calendar per message.
    func dayMonth(of date: Date, currentYear: Int) -> String {
        let (year, month, day) = WireDate.civil(fromDays: self.day(of: date))
        return "\(day) \(Self.months[month - 1])" + (year == currentYear ? "" : " \(year)")
    }

    func year(of date: Date) -> Int { WireDate.civil(fromDays: day(of: date)).year }
}

import Foundation

/// Day numbers and "HH:mm" in one time zone, by arithmetic on the zone's offset: Calendar and
/// FormatStyle per message per frame were most of a frame's cost.
struct LocalClock {
    let timeZone: TimeZone

    private func localSeconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
    }

    /// Days since 1970-01-01 in the zone: equal for two dates on the same local day.
    func day(of date: Date) -> Int {
        let seconds = localSeconds(date)
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    func hourMinute(of date: Date) -> String {
        var seconds = localSeconds(date) % 86_400
        if seconds < 0 { seconds += 86_400 }
        let hour = seconds / 3600
        let minute = seconds % 3600 / 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "30 Nov", with the year when it is not `currentYear`'s: civil date from the day number
    /// (Howard Hinnant's algorithm), no Calendar per message.
    func dayMonth(of date: Date, currentYear: Int) -> String {
        let (year, month, day) = Self.civil(fromDays: self.day(of: date))
        return "\(day) \(Self.months[month - 1])" + (year == currentYear ? "" : " \(year)")
    }

    func year(of date: Date) -> Int { Self.civil(fromDays: day(of: date)).year }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

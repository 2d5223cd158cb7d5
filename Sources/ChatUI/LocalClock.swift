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
}

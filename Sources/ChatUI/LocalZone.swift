import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The zone times are shown in: the system's (`TZ`, else `/etc/localtime`, read by the C
/// library, daylight saving included) or a fixed offset (tests pin UTC).
///
/// Not Foundation's `TimeZone`: every `TimeZone` on Linux, UTC's too, goes through ICU, and its
/// zone tables and the date formats around them kept some 5 MB of a terminal client's memory
/// resident to write "14:05".
public struct LocalZone: Hashable, Sendable {
    /// nil: the system's zone.
    private let fixedOffset: Int?

    public static let system = LocalZone(fixedOffset: nil)
    public static let utc = LocalZone(fixedOffset: 0)
    public static func fixed(secondsFromGMT: Int) -> LocalZone { LocalZone(fixedOffset: secondsFromGMT) }

    /// Seconds ahead of UTC at `date` in this zone.
    public func secondsFromGMT(at date: Date) -> Int {
        if let fixedOffset { return fixedOffset }
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}

import Foundation

/// Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
public enum RetryAfter {
    /// Used when a 429 names no time, or an unreadable one.
    public static let fallback = 5
    /// A server asking for more than an hour is asked again after an hour.
    public static let cap = 3600

    public static func seconds(_ header: String?, now: Date = Date()) -> Int {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return fallback }
        if let seconds = Int(text) { return min(max(seconds, 0), cap) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return fallback }
        return min(max(Int(date.timeIntervalSince(now).rounded(.up)), 0), cap)
    }
}

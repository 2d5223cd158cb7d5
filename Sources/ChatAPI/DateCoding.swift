import Foundation

/// Date handling for the wire: ISO-8601 strings with seconds on output; on input either an
/// ISO-8601 string (with or without fractional seconds) or the upstream's WebSocket form, a
/// number of seconds since 2001-01-01T00:00:00Z.
public enum WireDate {
    /// Formats a date as `2026-11-25T01:02:58Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// Parses an ISO-8601 string, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    static func decode(from decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            return Date(timeIntervalSinceReferenceDate: seconds)
        }
        let text = try container.decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected an ISO-8601 date, found \"\(text)\".")
        }
        return date
    }

    static func encode(_ date: Date, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(format(date))
    }
}

extension JSONDecoder {
    /// A decoder configured for the protocol: both date forms are accepted.
    public static func chatAPI() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(WireDate.decode(from:))
        return decoder
    }
}

extension JSONEncoder {
    /// An encoder configured for the protocol: ISO-8601 dates with seconds, stable key order.
    public static func chatAPI() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom(WireDate.encode(_:to:))
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

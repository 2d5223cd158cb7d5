import Foundation

/// The common message, a text of plain values, written as JSON in one pass, byte for byte as
/// `JSONEncoder.chatAPI()` writes it. The server writes every new message twice (the answer to
/// the post and the event to the chat's sessions), and JSONEncoder's keyed containers, the date
/// format style and UUID's string were the largest cost of a post after the database.
/// Anything this writer does not know exactly (attachments, read marks, a string that needs an
/// escape, a date outside 1970–9999) makes it answer nil, and JSONEncoder writes the message.
public enum MessageJSON {
    /// `message` as `JSONEncoder.chatAPI()` encodes it, or nil (see above).
    public static func encode(_ message: MessageInfo) -> [UInt8]? {
        var writer = Writer()
        return writer.message(message) ? writer.bytes : nil
    }

    /// `{"event":…,"payload":<message>,"source":…}`, as `EventEnvelope.encode` writes it.
    static func envelope(event: String, message: MessageInfo, source: String) -> [UInt8]? {
        var writer = Writer()
        writer.raw("{\"event\":")
        guard writer.string(event) else { return nil }
        writer.raw(",\"payload\":")
        guard writer.message(message) else { return nil }
        writer.raw(",\"source\":")
        guard writer.string(source) else { return nil }
        writer.byte(UInt8(ascii: "}"))
        return writer.bytes
    }

    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(320) }

        /// Keys in sorted order (`.sortedKeys`); nil optionals are left out, as the
        /// synthesized `encode(to:)` does.
        mutating func message(_ m: MessageInfo) -> Bool {
            guard m.attachments == nil, m.readMarks == nil else { return false }
            raw("{\"authorId\":")
            int(m.authorId)
            raw(",\"chatId\":")
            uuid(m.chatId)
            raw(",\"createdAt\":")
            guard date(m.createdAt) else { return false }
            if let deletedAt = m.deletedAt {
                raw(",\"deletedAt\":")
                guard date(deletedAt) else { return false }
            }
            if let editedAt = m.editedAt {
                raw(",\"editedAt\":")
                guard date(editedAt) else { return false }
            }
            raw(",\"id\":")
            int(m.id)
            raw(m.isVisible ? ",\"isVisible\":true" : ",\"isVisible\":false")
            raw(",\"localId\":")
            guard string(m.localId) else { return false }
            if let text = m.text {
                raw(",\"text\":")
                guard string(text) else { return false }
            }
            raw(",\"updatedAt\":")
            guard date(m.updatedAt) else { return false }
            byte(UInt8(ascii: "}"))
            return true
        }

        mutating func byte(_ value: UInt8) { bytes.append(value) }

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func int(_ value: Int) {
            bytes.append(contentsOf: String(value).utf8)
        }

        /// Only strings that need no escape: no quote, backslash or control character.
        mutating func string(_ text: String) -> Bool {
            var text = text
            return text.withUTF8 { utf8 in
                for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
                return true
            }
        }

        /// Upper-case, as `UUID.uuidString`.
        mutating func uuid(_ id: UUID) {
            let digits: StaticString = "0123456789ABCDEF"
            bytes.append(UInt8(ascii: "\""))
            withUnsafeBytes(of: id.uuid) { raw in
                digits.withUTF8Buffer { hex in
                    for (index, value) in raw.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                        bytes.append(hex[Int(value >> 4)])
                        bytes.append(hex[Int(value & 0x0F)])
                    }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        /// `2026-11-25T01:02:58Z`: whole seconds, as `WireDate.format`.
        mutating func date(_ date: Date) -> Bool {
            let seconds = date.timeIntervalSince1970
            guard seconds >= 0, seconds < 253_402_300_800 else { return false }  // 1970 ..< year 10000
            let whole = Int(seconds.rounded(.down))
            let (days, secondOfDay) = whole.quotientAndRemainder(dividingBy: 86_400)
            let (year, month, day) = WireDate.civil(fromDays: days)
            bytes.append(UInt8(ascii: "\""))
            digits(year, 4)
            bytes.append(UInt8(ascii: "-"))
            digits(month, 2)
            bytes.append(UInt8(ascii: "-"))
            digits(day, 2)
            bytes.append(UInt8(ascii: "T"))
            digits(secondOfDay / 3_600, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(secondOfDay / 60 % 60, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(secondOfDay % 60, 2)
            bytes.append(UInt8(ascii: "Z"))
            bytes.append(UInt8(ascii: "\""))
            return true
        }

        private mutating func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
    }
}

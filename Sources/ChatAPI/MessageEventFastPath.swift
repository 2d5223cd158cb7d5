import Foundation

/// The common frame, a new or updated message of plain values, read in one pass over its
/// bytes. In a burst of 1,000 messages a second JSONDecoder was the client's largest single
/// cost (its keyed containers, generic metadata look-ups, a UUID parsed with sscanf). Anything
/// this reader does not know exactly (another event, an escape in a string, a fraction, a
/// number where a date string was, attachments, read marks, a repeated or unknown key) makes
/// it answer nil, and the frame goes to JSONDecoder, whose answer is the reference: a frame
/// either decodes here to the same value or is not decoded here at all.
enum MessageEventFastPath {
    static func decode(_ bytes: UnsafeRawBufferPointer) -> EventEnvelope? {
        var reader = Reader(bytes: bytes)
        return reader.envelope()
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        mutating func envelope() -> EventEnvelope? {
            var name: String?, source: String?, message: MessageInfo?
            var seen: Set<String> = []
            guard take(UInt8(ascii: "{")) else { return nil }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), seen.insert(key).inserted else { return nil }
                switch key {
                case "event": name = string()
                case "source": if !null() { source = string(); guard source != nil else { return nil } }
                case "payload": message = messageInfo()
                default: return nil
                }
                guard key != "event" || name != nil, key != "payload" || message != nil else { return nil }
            } while take(UInt8(ascii: ","))
            skipSpace()
            guard take(UInt8(ascii: "}")), skipSpace(), at == bytes.count, let name, let message else { return nil }
            let event: ChatEvent
            switch name {
            case "message": event = .message(message)
            case "messageUpdate": event = .messageUpdate(message)
            default: return nil
            }
            return EventEnvelope(event: event, source: EventSource(wireValue: source ?? "system"))
        }

        mutating func messageInfo() -> MessageInfo? {
            var id: MessageID?, localId: String?, chatId: ChatID?, authorId: UserID?, text: String?
            var createdAt: Date?, updatedAt: Date?, editedAt: Date?, deletedAt: Date?, isVisible: Bool?
            var attachments: [MediaInfo]?, readMarks: [ReadMark]?
            var seen: Set<String> = []
            guard take(UInt8(ascii: "{")) else { return nil }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), seen.insert(key).inserted else { return nil }
                // Required values first; then those that may be null (absent).
                switch key {
                case "id": id = integer(); if id == nil { return nil }
                case "authorId": authorId = integer(); if authorId == nil { return nil }
                case "chatId": chatId = string().flatMap(UUIDText.parse); if chatId == nil { return nil }
                case "createdAt": createdAt = date(); if createdAt == nil { return nil }
                default:
                    if null() { continue }
                    switch key {
                    case "localId": localId = string(); if localId == nil { return nil }
                    case "text": text = string(); if text == nil { return nil }
                    case "updatedAt": updatedAt = date(); if updatedAt == nil { return nil }
                    case "editedAt": editedAt = date(); if editedAt == nil { return nil }
                    case "deletedAt": deletedAt = date(); if deletedAt == nil { return nil }
                    case "isVisible": isVisible = boolean(); if isVisible == nil { return nil }
                    // Only the empty list is read here: anything in it goes to JSONDecoder.
                    case "attachments": guard emptyArray() else { return nil }; attachments = []
                    case "readMarks": guard emptyArray() else { return nil }; readMarks = []
                    default: return nil
                    }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), let id, let chatId, let authorId, let createdAt else { return nil }
            return MessageInfo(id: id, localId: localId ?? "", chatId: chatId, authorId: authorId, text: text, createdAt: createdAt,
                               updatedAt: updatedAt ?? createdAt, editedAt: editedAt, deletedAt: deletedAt, isVisible: isVisible ?? true,
                               attachments: attachments, readMarks: readMarks)
        }

        // MARK: Values

        mutating func null() -> Bool { word("null") }

        mutating func boolean() -> Bool? {
            if word("true") { return true }
            if word("false") { return false }
            return nil
        }

        mutating func emptyArray() -> Bool {
            take(UInt8(ascii: "[")) && take(UInt8(ascii: "]"))
        }

        /// A string without escapes or control characters.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    defer { at += 1 }
                    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                at += 1
            }
            return nil
        }

        /// An integer without fraction or exponent that fits an Int.
        mutating func integer() -> Int? {
            skipSpace()
            let negative = at < bytes.count && bytes[at] == UInt8(ascii: "-")
            if negative { at += 1 }
            let start = at
            var value = 0
            while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[at] - UInt8(ascii: "0")))
                guard !overflow, !overflow2 else { return nil }
                value = sum
                at += 1
            }
            // No digits, a leading zero before more digits, or a fraction or exponent next.
            guard at > start, !(bytes[start] == UInt8(ascii: "0") && at - start > 1) else { return nil }
            if at < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[at]) { return nil }
            return negative ? -value : value
        }

        /// A date in this server's string form (see `WireDate.parseUTC`).
        mutating func date() -> Date? {
            string().flatMap(WireDate.parseUTC)
        }

        // MARK: Bytes

        @discardableResult
        mutating func skipSpace() -> Bool {
            while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
            return true
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func word(_ word: StaticString) -> Bool {
            skipSpace()
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { return false }
            for index in 0..<count where bytes[at + index] != word.utf8Start[index] { return false }
            at += count
            return true
        }
    }
}

/// UUID text (`E621E1F8-C36C-495A-93FC-0C247A3E6E5F`, either case) read by hand: Foundation's
/// parser scans with sscanf, a visible share of decoding a message in a burst.
enum UUIDText {
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { bytes -> UUID? in
            guard bytes.count == 36 else { return UUID(uuidString: String(decoding: bytes, as: UTF8.self)) }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &value) { out -> Bool in
                var index = 0
                for part in 0..<16 {
                    if [4, 6, 8, 10].contains(part) {
                        guard bytes[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                    }
                    guard let high = hex(bytes[index]), let low = hex(bytes[index + 1]) else { return false }
                    out[part] = high << 4 | low
                    index += 2
                }
                return true
            }
            return parsed ? UUID(uuid: value) : nil
        }
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

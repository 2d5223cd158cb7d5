/// Checks that a text message is UTF-8 as its frames arrive (RFC 6455 §8.1: otherwise the
/// connection is closed with 1007), keeping only the up-to-three bytes of a character split
/// between frames: the event stream reads frames, never whole messages.
struct TextFrameValidator {
    /// Inside a text message: the bytes of a character not yet complete. nil outside one.
    private var pending: [UInt8]?

    /// Whether the frame keeps the message valid UTF-8 (binary frames always do).
    mutating func accept(opcode: Opcode, fin: Bool, bytes: some Collection<UInt8>) -> Bool {
        switch opcode {
        case .binary:
            return true
        case .text:
            pending = []
        case .continuation:
            guard pending != nil else { return true }  // continuing a binary message
        }
        let joined = (pending ?? []) + bytes
        let complete = joined.count - Self.incompleteTail(joined)
        guard String(validating: joined[..<complete], as: UTF8.self) != nil else { return false }
        if fin {
            defer { pending = nil }
            return complete == joined.count
        }
        pending = Array(joined[complete...])
        return true
    }

    enum Opcode {
        case text, binary, continuation
    }

    /// How many bytes at the end start a character that is not complete yet (0 to 3).
    static func incompleteTail(_ bytes: [UInt8]) -> Int {
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: look further back
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return length > back ? back : 0
        }
        return 0
    }
}

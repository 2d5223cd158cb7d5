import ChatAPI
import Foundation

/// `@username` and your name in a message: found to highlight them and to ring for them.
public enum Mentions {
    /// Whether `text` mentions `me`: `@username` (any case), or the name as a whole word.
    public static func mention(_ me: UserInfo, in text: String) -> Bool {
        !ranges(of: me, in: text).isEmpty
    }

    /// Where `text` mentions `me`.
    static func ranges(of me: UserInfo, in text: String) -> [Range<String.Index>] {
        var found = handles(in: text).filter { text[$0].dropFirst().lowercased() == me.username.lowercased() }
        let name = me.name.trimmingCharacters(in: .whitespaces)
        if name.count >= 2, mayContain(name, in: text) {
            var from = text.startIndex
            while let range = text.range(of: name, options: [.caseInsensitive], range: from..<text.endIndex) {
                if isBoundary(text, before: range.lowerBound), isBoundary(text, after: range.upperBound),
                   !found.contains(where: { $0.overlaps(range) }) {
                    found.append(range)
                }
                from = range.upperBound
            }
        }
        return found.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// A quick test before the exact one, per line of every frame: whether `name` may occur
    /// in `text` (bytes compared with ASCII case folded; never a false "no").
    static func mayContain(_ name: String, in text: String) -> Bool {
        let needle = Array(name.utf8).map(fold)
        guard needle.count >= 2 else { return false }
        let hay = Array(text.utf8)
        guard hay.count >= needle.count else { return false }
        outer: for start in 0...(hay.count - needle.count) {
            for offset in 0..<needle.count where fold(hay[start + offset]) != needle[offset] { continue outer }
            return true
        }
        // Not ASCII: case folding may change byte lengths; ask Foundation.
        return !name.utf8.allSatisfy { $0 < 0x80 } && text.range(of: name, options: .caseInsensitive) != nil
    }

    private static func fold(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    /// Every `@handle` in the text (the `@` included).
    static func handles(in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var index = text.startIndex
        while let at = text[index...].firstIndex(of: "@") {
            var end = text.index(after: at)
            while end < text.endIndex, isHandleCharacter(text[end]) { end = text.index(after: end) }
            // "a@b" is an address, not a mention.
            if end > text.index(after: at), isBoundary(text, before: at) { result.append(at..<end) }
            index = end > at ? end : text.index(after: at)
            if index >= text.endIndex { break }
        }
        return result
    }

    static func isHandleCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    static func isBoundary(_ text: String, before index: String.Index) -> Bool {
        index == text.startIndex || !isWordCharacter(text[text.index(before: index)])
    }

    static func isBoundary(_ text: String, after index: String.Index) -> Bool {
        index == text.endIndex || !isWordCharacter(text[index])
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" }
}

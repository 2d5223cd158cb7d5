import Foundation

/// The text the full-text index holds for a message, and the form a query term takes to find
/// it. The index's tokenizer (`unicode61 remove_diacritics 2`) splits on spaces and marks,
/// which leaves two gaps, filled here:
/// - CJK is written without spaces, so a run of Han, kana or Hangul is one token and "世界"
///   would not find "你好世界". A run becomes its overlapping bigrams (plus its last character
///   alone): every word of two or more characters is a phrase of bigrams, and one character
///   is a prefix. Bigrams rather than a trigram index: most Chinese and Japanese words are two
///   characters, which a trigram index cannot find, and one index is smaller than two.
/// - Emoji are not token characters at all: each becomes a word (`emoji1f44b`, by its first
///   scalar, so 👍 finds 👍🏽 too).
public enum SearchText {
    /// The indexed form of a message's text. ASCII text (most of it) is returned unchanged.
    public static func indexable(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count * 2)
        var run: [Character] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            output += " " + bigrams(run).joined(separator: " ") + (run.count > 1 ? " " + String(run[run.count - 1]) : "") + " "
            run.removeAll(keepingCapacity: true)
        }
        for character in text {
            if isCJK(character) {
                run.append(character)
                continue
            }
            flushRun()
            if let token = emojiToken(character) { output += " " + token + " " } else { output.append(character) }
        }
        flushRun()
        return output
    }

    /// The index's form of one query word or phrase: the text for an FTS5 phrase, and whether
    /// it is a one-character CJK word (found as a prefix).
    static func queryForm(_ term: String) -> (phrase: String, isSingleCJK: Bool) {
        let characters = Array(term)
        if characters.count == 1, isCJK(characters[0]) { return (term, true) }
        guard !term.utf8.allSatisfy({ $0 < 0x80 }) else { return (term, false) }
        var parts: [String] = []
        var run: [Character] = []
        var plain = ""
        func flush() {
            if !plain.isEmpty { parts.append(plain); plain = "" }
            if !run.isEmpty {
                parts += run.count == 1 ? [String(run[0])] : bigrams(run)
                run.removeAll()
            }
        }
        for character in characters {
            if isCJK(character) {
                if !plain.isEmpty { parts.append(plain); plain = "" }
                run.append(character)
            } else if let token = emojiToken(character) {
                flush()
                parts.append(token)
            } else {
                if !run.isEmpty { flush() }
                plain.append(character)
            }
        }
        flush()
        return (parts.joined(separator: " "), false)
    }

    static func bigrams(_ run: [Character]) -> [String] {
        guard run.count > 1 else { return run.map(String.init) }
        return (0..<(run.count - 1)).map { String(run[$0]) + String(run[$0 + 1]) }
    }

    /// Han, Hiragana, Katakana and Hangul: the scripts written without spaces between words.
    static func isCJK(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF,  // Hiragana, Katakana
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F,  // Han
             0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F:  // Hangul
            return true
        default:
            return false
        }
    }

    static func emojiToken(_ character: Character) -> String? {
        guard let scalar = character.unicodeScalars.first, scalar.value >= 0x2000,
              scalar.properties.isEmoji, scalar.properties.isEmojiPresentation || character.unicodeScalars.count > 1 else { return nil }
        return "emoji" + String(scalar.value, radix: 16)
    }
}

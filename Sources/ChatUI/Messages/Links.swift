import Foundation
import TerminalUI

/// Web addresses in a message: found to draw them as hyperlinks (OSC 8), to lay a long one
/// out without an indent inside it, and to list them for `u` on a selected message.
public enum Links {
    /// The `http://` and `https://` addresses in `text`, in order. An address ends at a space,
    /// a quote or an angle bracket; punctuation after it (a full stop, a closing bracket it
    /// did not open) is the sentence's, not the address's.
    public static func ranges(in text: String) -> [Range<String.Index>] {
        guard mayContain(text) else { return [] }
        var found: [Range<String.Index>] = []
        var from = text.startIndex
        while let scheme = text.range(of: "http", options: .caseInsensitive, range: from..<text.endIndex) {
            from = scheme.upperBound
            if scheme.lowerBound > text.startIndex {
                let before = text[text.index(before: scheme.lowerBound)]
                if before.isLetter || before.isNumber { continue }
            }
            var rest = text[scheme.upperBound...]
            if rest.first == "s" || rest.first == "S" { rest = rest.dropFirst() }
            guard rest.hasPrefix("://") else { continue }
            let hostStart = rest.index(rest.startIndex, offsetBy: 3)
            var end = hostStart
            while end < text.endIndex, !ends(text[end]) { end = text.index(after: end) }
            end = trimmed(text, from: hostStart, to: end)
            guard end > hostStart else { continue }
            found.append(scheme.lowerBound..<end)
            from = end
        }
        return found
    }

    /// A quick test, per line of every frame: whether `text` has `://` at all (bytes, no
    /// string search).
    static func mayContain(_ text: some StringProtocol) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/"), previous == (UInt8(ascii: ":"), UInt8(ascii: "/")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    public static func addresses(in text: String) -> [String] {
        ranges(in: text).map { String(text[$0]) }
    }

    private static func ends(_ character: Character) -> Bool {
        character.isWhitespace || "\"<>`".contains(character) || character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    private static let opening: [Character: Character] = [")": "(", "]": "[", "}": "{"]

    /// Drops trailing punctuation and closing brackets without an opening one in the address.
    private static func trimmed(_ text: String, from start: String.Index, to end: String.Index) -> String.Index {
        var end = end
        while end > start {
            let last = text[text.index(before: end)]
            let body = text[start..<text.index(before: end)]
            if ".,;:!?'*".contains(last) {
                end = text.index(before: end)
            } else if let open = opening[last], body.filter({ $0 == open }).count <= body.filter({ $0 == last }).count {
                end = text.index(before: end)
            } else {
                break
            }
        }
        return end
    }

    /// The spans of a laid-out line with its addresses marked as links (underlined, and the
    /// address carried to the terminal). An address cut across lines is marked with `whole`.
    static func marked(_ spans: [Span], whole: String? = nil) -> [Span] {
        if let whole {
            return spans.map { span in
                var span = span
                span.style.underline = true
                span.style.link = whole
                return span
            }
        }
        // "://" is never cut by a mention's span: testing each span is enough to know.
        guard spans.contains(where: { mayContain($0.text) }) else { return spans }
        let text = spans.map(\.text).joined()
        let found = ranges(in: text)
        guard !found.isEmpty else { return spans }
        // Offsets in characters of each address, against which the spans are cut.
        let marks = found.map { (text.distance(from: text.startIndex, to: $0.lowerBound), text.distance(from: text.startIndex, to: $0.upperBound), String(text[$0])) }
        var result: [Span] = []
        var offset = 0
        for span in spans {
            let characters = Array(span.text)
            var at = 0
            while at < characters.count {
                let position = offset + at
                if let mark = marks.first(where: { $0.0 <= position && position < $0.1 }) {
                    let upTo = min(characters.count, mark.1 - offset)
                    var style = span.style
                    style.underline = true
                    style.link = mark.2
                    result.append(Span(String(characters[at..<upTo]), style))
                    at = upTo
                } else {
                    let nextMark = marks.map(\.0).filter { $0 > position }.min().map { $0 - offset } ?? characters.count
                    let upTo = min(characters.count, nextMark)
                    result.append(Span(String(characters[at..<upTo]), span.style))
                    at = upTo
                }
            }
            offset += characters.count
        }
        return result
    }

    /// A message's text cut where an address too long for a line stands, so that the address
    /// can be laid out on lines of its own, from the pane's edge.
    enum Piece: Equatable {
        case text(String)
        case longAddress(String)
    }

    static func pieces(_ text: String, longerThan columns: Int) -> [Piece] {
        let long = ranges(in: text).filter { TextWidth.of(text[$0]) > columns }
        guard !long.isEmpty else { return [.text(text)] }
        var pieces: [Piece] = []
        var at = text.startIndex
        for range in long {
            let before = text[at..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            if !before.isEmpty { pieces.append(.text(before)) }
            pieces.append(.longAddress(String(text[range])))
            at = range.upperBound
        }
        let after = text[at...].trimmingCharacters(in: .whitespaces)
        if !after.isEmpty { pieces.append(.text(after)) }
        return pieces
    }
}

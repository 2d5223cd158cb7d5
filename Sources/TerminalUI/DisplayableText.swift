/// Text from other people made safe and visible for a terminal: a tab becomes spaces to the
/// next stop of 8, a carriage return (alone or before a newline) a line break, and every other
/// control character a visible escape like `^[` (ESC) or `^?` (DEL), so no message can move
/// the cursor, clear the screen, set a title or reach the clipboard.
public enum DisplayableText {
    public static let tabStop = 8

    public static func make(_ text: String) -> String {
        // The common case: nothing to change.
        if !text.utf8.contains(where: { $0 < 0x20 && $0 != 0x0A || $0 == 0x7F }) && !text.unicodeScalars.contains(where: isC1) {
            return text
        }
        var result = ""
        var column = 0
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { previousWasCarriageReturn = scalar == "\r" }
            switch scalar {
            case "\t":
                let spaces = tabStop - column % tabStop
                result += String(repeating: " ", count: spaces)
                column += spaces
            case "\r":
                result += "\n"
                column = 0
            case "\n":
                if !previousWasCarriageReturn { result += "\n" }
                column = 0
            case _ where scalar.value < 0x20:
                result += "^" + String(Unicode.Scalar(UInt8(scalar.value) + 0x40))
                column += 2
            case _ where scalar.value == 0x7F:
                result += "^?"
                column += 2
            case _ where isC1(scalar):
                result += "<U+\(String(scalar.value, radix: 16, uppercase: true))>"
                column += 7
            default:
                result.unicodeScalars.append(scalar)
                column += 1
            }
        }
        return result
    }

    /// C1 controls (U+0080–U+009F): some terminals act on them as on ESC sequences.
    static func isC1(_ scalar: Unicode.Scalar) -> Bool { (0x80...0x9F).contains(scalar.value) }
}

/// Display width of text in terminal columns, as wcwidth(3) and tmux count it: 0 for
/// combining marks and zero-width characters, 2 for East Asian wide and emoji presentation,
/// 1 otherwise. Pure Swift, so layouts are testable without a terminal or a locale.
public enum TextWidth {
    public static func of(_ character: Character) -> Int {
        // Most of what a chat draws is ASCII: answer it without Unicode property lookups.
        if let ascii = character.asciiValue { return ascii < 0x20 || ascii == 0x7F ? 0 : 1 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.index(after: scalars.startIndex) != scalars.endIndex, let drawing = TerminalWidths.drawing(of: character) {
            switch drawing {
            case .joined(let width): return width
            case .pieces: return TerminalWidths.pieces(of: character).reduce(0) { $0 + of($1.unicodeScalars.first!) }
            }
        }
        return of(first)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        // Below the combining marks everything is one column, but the soft hyphen (a format character).
        if value < 0x300 { return value == 0xAD ? 0 : 1 }
        // The interface's own marks: punctuation (… · ‘ ’ › —) and box drawing, blocks, shapes.
        if (0x2010...0x2027).contains(value) || (0x2030...0x205E).contains(value) || (0x2500...0x25FC).contains(value) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B || (0x1160...0x11FF).contains(value) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(value) ? 2 : 1
    }

    public static func of(_ text: String) -> Int { width(text) }
    public static func of(_ text: Substring) -> Int { width(text) }

    // Concrete public overloads, generic body: specialized inside this module.
    static func width(_ text: some StringProtocol) -> Int {
        if let width = printableASCIIWidth(text) { return width }
        return text.reduce(0) { $0 + of($1) }
    }

    /// The width of text that is all printable ASCII (one column a byte), else nil.
    @inline(__always)
    static func printableASCIIWidth(_ text: some StringProtocol) -> Int? {
        var count = 0
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F else { return nil }
            count += 1
        }
        return count
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15, abridged to what terminals agree on).
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF,
             0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
             0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The longest prefix of `text` that fits in `columns`.
    public static func prefix(_ text: String, fitting columns: Int) -> Substring { prefix(Substring(text), fitting: columns) }

    public static func prefix(_ text: Substring, fitting columns: Int) -> Substring {
        if let width = printableASCIIWidth(text) {
            return width <= columns ? text : text.prefix(max(0, columns))
        }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let width = of(text[index])
            if used + width > columns { break }
            used += width
            end = text.index(after: index)
        }
        return text[..<end]
    }

    /// `text` cut to `columns`, with an ellipsis when something was cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        return String(prefix(text, fitting: columns - 1)) + "…"
    }

    /// Splits text into lines of at most `columns` (`firstLineColumns` for the first, when it
    /// shares its line with something), breaking at spaces where it can and keeping explicit
    /// newlines. A word is cut only when it is longer than a whole line: one that fits a later
    /// line but not the short first one leaves the first line empty.
    public static func wrap(_ text: String, columns: Int, firstLineColumns: Int? = nil) -> [String] {
        guard columns > 0 else { return [] }
        var limit = max(1, firstLineColumns ?? columns)
        // The common case: a short line of plain ASCII.
        if let width = printableASCIIWidth(text), width <= limit { return [text] }
        var lines: [String] = []
        func end(_ line: String) {
            lines.append(line)
            limit = columns
        }
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = Substring(word)
                let separator = line.isEmpty ? 0 : 1
                if lineWidth + separator + of(word) <= limit {
                    if separator == 1 { line += " " }
                    line += word
                    lineWidth += separator + of(word)
                    continue
                }
                if !line.isEmpty || (lines.isEmpty && limit < columns && of(word) <= columns) { end(line) }
                line = ""
                lineWidth = 0
                while of(word) > limit {
                    let head = prefix(word, fitting: limit)
                    let cut = head.isEmpty ? word.prefix(1) : head
                    end(String(cut))
                    word = word[cut.endIndex...]
                }
                line = String(word)
                lineWidth = of(word)
            }
            end(line)
        }
        return lines
    }
}

extension Int {
    /// The number and the noun, singular for one: "1 member", "1,200 messages".
    public func counted(_ noun: String, plural: String? = nil) -> String {
        "\(grouped) \(self == 1 ? noun : plural ?? noun + "s")"
    }

    /// The number with thousands separated by commas (1,200), whatever the locale: the
    /// interface's sentences are English.
    public var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return self < 0 ? "-" + result : result
    }
}

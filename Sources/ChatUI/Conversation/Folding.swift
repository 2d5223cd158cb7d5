/// Long messages take a few lines, not screens (a message of 2,000 newlines was ~65 screens of
/// blank rows): runs of blank lines are shown as one, and a body longer than `shownLines` and a
/// few more is cut there, with a line saying how many more lines Enter shows.
enum Folding {
    /// Lines of a folded message's text that are shown.
    static let shownLines = 10
    /// A body this much longer is shown whole: "… 2 more lines" would save nothing.
    static let slack = 4

    /// How many of a body's `lines` to hide, or nil to show them all.
    static func hiddenLines(_ lines: Int) -> Int? {
        lines > shownLines + slack ? lines - shownLines : nil
    }

    /// `text` with every run of blank lines (whitespace only) shown as one blank line.
    static func squeezingBlankRuns(_ text: String) -> String {
        guard text.contains("\n\n") else { return text }
        var kept: [Substring] = []
        var previousBlank = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let blank = line.allSatisfy(\.isWhitespace)
            if blank && previousBlank { continue }
            kept.append(line)
            previousBlank = blank
        }
        return kept.joined(separator: "\n")
    }
}

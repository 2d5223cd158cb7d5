/// A reply, as plain text any client can read: the protocol has no reply field, so the answer
/// starts with a quote of the original's first line (`> Bob: first line…`), then the answer.
/// TermChat draws the quote as a dim block above the answer.
public enum ReplyQuote {
    /// Characters of the original kept in the quote.
    static let quotedLength = 80

    /// The quote line for a reply to `author`'s `text`.
    public static func line(author: String, text: String) -> String {
        // A reply to a reply quotes the answer, not the quote.
        let lines = split(text).body.split(separator: "\n", omittingEmptySubsequences: true)
        let first = String(lines.first ?? "")
        let shown = first.count > quotedLength ? String(first.prefix(quotedLength)) : first
        let cut = first.count > quotedLength || lines.count > 1
        return "> \(author): \(shown)\(cut ? "…" : "")"
    }

    /// The message text of a reply.
    public static func reply(author: String, original: String, answer: String) -> String {
        line(author: author, text: original) + "\n" + answer
    }

    /// The quoted lines at the start of a text (without their `> `), and the rest.
    public static func split(_ text: String) -> (quote: [String], body: String) {
        guard text.hasPrefix("> ") else { return ([], text) }  // most messages, every frame
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var quote: [String] = []
        while let first = lines.first, first.hasPrefix("> ") {
            quote.append(String(first.dropFirst(2)))
            lines = lines.dropFirst()
        }
        return (quote, lines.joined(separator: "\n"))
    }
}

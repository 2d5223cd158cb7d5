import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// A message in screen-reader mode: one labelled line of words, `Bob, 10:05: text`, said in
/// full on every message (no runs under one name), with what the glyphs of the usual layout
/// say (✓✓, ◷, 📎, ┃) in words: `(delivered)`, `(read by Carol)`, `Attachment: …`.
enum SpokenMessage {
    static func lines(_ message: CachedMessage, _ context: LayoutContext, width: Int, theme: Theme, clock: LocalClock,
                      withDate: Bool, currentYear: Int, expanded: Bool) -> [StyledLine] {
        let time = (withDate ? clock.dayMonth(of: message.createdAt, currentYear: currentYear) + " " : "") + clock.hourMinute(of: message.createdAt)
        let name = context.name(of: message.authorId)
        let label = "\(name), \(time): "
        var attachments = message.attachments.map { words(ConversationLayout.describe($0, caption: message.text)) }
        var body: String
        if message.isDeleted {
            body = "message deleted"
        } else if let action = ActionText.action(message.text) {
            body = "\(name) \(ConversationLayout.boundedText(String(action)))"
        } else {
            let (quote, text) = ReplyQuote.split(ConversationLayout.boundedText(message.text ?? ""))
            body = text
            if let first = quote.first { body = "replying to “\(first)”: " + body }
        }
        body = DisplayableText.make(expanded ? body : Folding.squeezingBlankRuns(body))
        if body.isEmpty, !attachments.isEmpty { body = attachments.removeFirst() }
        var trailer: [String] = []
        if message.editedAt != nil, !message.isDeleted { trailer.append("edited") }
        if message.authorId == context.me.id { trailer.append(delivery(message, context)) }
        let sentence = body + (trailer.isEmpty ? "" : " (" + trailer.joined(separator: ", ") + ")")
        let style = message.isDeleted || !message.isVisible ? theme.dim : CellStyle.plain
        var result: [StyledLine] = []
        let wrapped = TextWidth.wrap(label + sentence, columns: max(1, width))
        let shown = expanded ? wrapped[...] : wrapped.prefix(Folding.hiddenLines(wrapped.count).map { wrapped.count - $0 } ?? wrapped.count)
        for line in shown { result.append(Links.marked([Span(line, style)])) }
        if shown.count < wrapped.count {
            result.append([Span("\(wrapped.count - shown.count) more lines: Enter to expand.", theme.accent)])
        }
        for line in attachments { result.append([Span(line, theme.accent)]) }
        return result
    }

    /// Where your message stands, in words.
    static func delivery(_ message: CachedMessage, _ context: LayoutContext) -> String {
        switch message.state {
        case .queued: return "queued"
        case .failed: return "not sent: \(message.failureReason ?? "refused"); r retry, d discard"
        case .sent:
            let readers = message.readBy.filter { $0 != message.authorId }
            if readers.isEmpty { return "delivered" }
            let named = readers.filter { message.readAt[$0] != nil }
            if context.isPersonalChat || named.isEmpty { return "read" }
            return "read by " + named.map { context.name(of: $0) }.joined(separator: ", ")
        }
    }

    /// An attachment's line without its glyphs.
    static func words(_ described: String) -> String {
        "Attachment: " + described.replacingOccurrences(of: "📎 ", with: "").replacingOccurrences(of: " · ", with: ", ")
    }
}

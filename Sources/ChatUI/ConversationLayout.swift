import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// A run of text with one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: CellStyle

    public init(_ text: String, _ style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }
}

public typealias StyledLine = [Span]

/// Lays the open conversation out as lines of a given width: day separators, author and time,
/// wrapped text, marks for edits, deletions, attachments, delivery and read marks.
public enum ConversationLayout {
    static func dayFormat(_ zone: TimeZone) -> Date.FormatStyle {
        Date.FormatStyle(locale: Locale(identifier: "en_GB"), timeZone: zone).weekday(.wide).day().month(.wide)
    }

    /// The conversation's lines; with `last`, only enough of the newest messages to give at
    /// least that many lines (a frame shows a screenful, so laying out the whole window each
    /// frame is wasted work).
    public static func lines(_ state: AppState, width: Int, theme: Theme = .standard, last limit: Int? = nil) -> [StyledLine] {
        lines(state.conversation, state.layoutContext, width: width, theme: theme, last: limit)
    }

    static func lines(_ state: ConversationState, _ context: LayoutContext, width: Int, theme: Theme = .standard, last limit: Int? = nil) -> [StyledLine] {
        guard width > 4 else { return [] }
        let messages = state.messages
        // What goes before each message: a gap mark, a day separator.
        var gapBefore = [Bool](repeating: false, count: messages.count)
        var dayBefore = [Bool](repeating: false, count: messages.count)
        var previousServerId: MessageID?
        var lastDay: Int?
        let clock = LocalClock(timeZone: context.timeZone)
        for (index, message) in messages.enumerated() {
            if let id = message.serverId {
                if let previous = previousServerId, !isKnownContiguous(previous, id, state.knownHistory) { gapBefore[index] = true }
                previousServerId = id
            }
            let day = clock.day(of: message.createdAt)
            if day != lastDay {
                dayBefore[index] = true
                lastDay = day
            }
        }
        var blocks: [[StyledLine]] = []
        var count = 0
        var index = messages.count - 1
        let dayFormat = Self.dayFormat(context.timeZone)
        while index >= 0, count < (limit ?? .max) {
            let message = messages[index]
            var block: [StyledLine] = []
            if gapBefore[index] { block.append([Span("┄┄ gap: not loaded yet, scroll up ┄┄", theme.accent)]) }
            if dayBefore[index] { block.append([Span("── \(message.createdAt.formatted(dayFormat)) ──", theme.dim)]) }
            block += layout(message, context, width: width, theme: theme, clock: clock)
            count += block.count
            blocks.append(block)
            index -= 1
        }
        var lines: [StyledLine] = []
        lines.reserveCapacity(count + 1)
        if index < 0, let chat = state.chatId {
            if state.loadingOlder {
                lines.append([Span("loading older…", theme.dim)])
            } else if state.reachedStart.contains(chat), messages.count >= state.cachedCount[chat] ?? 0 {
                lines.append([Span("── the beginning of this chat ──", theme.dim)])
            }
        }
        for block in blocks.reversed() { lines += block }
        return lines
    }

    /// Whether the cache holds every message between two server ids (one known range covers
    /// both). Without range information (a server page not recorded yet) nothing is claimed.
    static func isKnownContiguous(_ a: MessageID, _ b: MessageID, _ ranges: [HistoryRange]) -> Bool {
        if ranges.isEmpty { return true }
        return ranges.contains { $0.low <= min(a, b) && max(a, b) <= $0.high }
    }

    static func layout(_ message: CachedMessage, _ context: LayoutContext, width: Int, theme: Theme, clock: LocalClock) -> [StyledLine] {
        // Hours and minutes by hand: a FormatStyle per message per frame was most of a frame.
        let time = clock.hourMinute(of: message.createdAt)
        let author = context.name(of: message.authorId)
        let prefix = "\(time) \(author): "
        let indent = String(repeating: " ", count: min(6, width / 4))
        let authorStyle = message.authorId == context.me.id ? theme.me : theme.other
        var body: String
        var bodyStyle = CellStyle.plain
        if message.isDeleted {
            body = "(message deleted)"
            bodyStyle = theme.dim
        } else {
            body = DisplayableText.make(boundedText(message.text ?? ""))
            if !message.isVisible { bodyStyle = theme.dim }
        }
        var result: [StyledLine] = []
        result.reserveCapacity(2)
        let firstWidth = max(1, width - TextWidth.of(prefix))
        let wrapped = TextWidth.wrap(body, columns: firstWidth)
        let first = wrapped.first ?? ""
        var line: StyledLine = [Span(time + " ", theme.dim), Span(author, authorStyle), Span(": "), Span(first, bodyStyle)]
        if message.editedAt != nil && !message.isDeleted && wrapped.count <= 1 { line.append(Span(" (edited)", theme.dim)) }
        result.append(line)
        let rest = wrapped.dropFirst().joined(separator: "\n")
        if !rest.isEmpty {
            let continued = TextWidth.wrap(rest, columns: max(1, width - indent.count))
            for (index, text) in continued.enumerated() {
                var continuation: StyledLine = [Span(indent), Span(text, bodyStyle)]
                if index == continued.count - 1, message.editedAt != nil, !message.isDeleted {
                    continuation.append(Span(" (edited)", theme.dim))
                }
                result.append(continuation)
            }
        }
        for attachment in message.attachments {
            result.append([Span(indent), Span(describe(attachment, caption: message.text), theme.accent)])
        }
        switch message.state {
        case .queued:
            result.append([Span(indent), Span("… queued", theme.dim)])
        case .failed:
            result.append([Span(indent), Span("✗ not sent: \(message.failureReason ?? "refused") (r retry, d discard)", theme.error)])
        case .sent:
            let readers = message.readBy.filter { $0 != message.authorId }
            if message.authorId == context.me.id, !readers.isEmpty {
                result.append([Span(indent), Span("✓ read by " + readers.map { context.name(of: $0) }.joined(separator: ", "), theme.dim)])
            }
        }
        return result.map { clip($0, width: width) }
    }

    /// What is laid out of one message: at most 16 KB (a 5 MB message from a foreign server
    /// must not freeze the screen); the rest is counted.
    static let maxLaidOutBytes = 16 * 1024

    static func boundedText(_ text: String) -> String {
        guard text.utf8.count > maxLaidOutBytes else { return text }
        var head = String(decoding: text.utf8.prefix(maxLaidOutBytes), as: UTF8.self)
        if head.hasSuffix("\u{FFFD}") { head.removeLast() }  // a character cut in two
        return head + "… (\(text.utf8.count - head.utf8.count) more bytes not shown)"
    }

    static func describe(_ attachment: CachedAttachment, caption: String? = nil) -> String {
        let name = DisplayableText.make(attachment.displayName(caption: caption)).replacingOccurrences(of: "\n", with: " ")
        var text = "📎 \(name) · \(formatSize(attachment.fileSize))"
        let percent = attachment.transferTotal > 0 ? Int(attachment.transferDone * 100 / attachment.transferTotal) : 0
        switch attachment.transferState {
        case .uploading: text += attachment.mediaId == nil ? " · waiting to upload" : " · uploading \(percent)%"
        case .downloading: text += " · downloading \(percent)%"
        case .downloaded: text += " · saved to \(attachment.localPath ?? "disk")"
        case .failed: text += " · transfer failed"
        case .uploaded, .none:
            if attachment.fileExists {
                text += " · o to save"
            } else if attachment.mayBeOnServer {
                text += " · on the server, maybe: o to save"  // a server that does not say
            } else {
                text += " · not uploaded yet"
            }
        }
        return text
    }

    static func formatSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// Cuts a line to `width` columns.
    static func clip(_ line: StyledLine, width: Int) -> StyledLine {
        var remaining = width
        var result: StyledLine = []
        for span in line where remaining > 0 {
            let text = String(TextWidth.prefix(span.text, fitting: remaining))
            remaining -= TextWidth.of(text)
            result.append(Span(text, span.style))
        }
        return result
    }

    // MARK: Geometry shared with the reducer (scrolling)

    /// Rows available for messages in the conversation pane.
    public static func messageRows(_ state: AppState) -> Int { ConversationMetrics(state).visibleRows }

    /// Lines of the whole window of messages, laid out at the width they are drawn at.
    public static func lineCount(_ state: AppState) -> Int { ConversationMetrics(state).lineCount(state.conversation) }

    /// The compose box: a separator plus 1 to 4 lines of text.
    static func composeHeight(_ state: AppState, width: Int) -> Int {
        1 + min(4, max(1, composeLines(state.composer.buffer.text, width: width - 2).count))
    }

    static func composeLines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = Substring(paragraph)
            repeat {
                let head = TextWidth.prefix(rest, fitting: width)
                let cut = head.isEmpty && !rest.isEmpty ? rest.prefix(1) : head
                lines.append(String(cut))
                rest = rest[cut.endIndex...]
            } while !rest.isEmpty
        }
        return lines.isEmpty ? [""] : lines
    }
}

import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// A run of text with one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: CellStyle
    /// On the first line of a picture the terminal draws or is sent: what it is, and how many
    /// lines it covers (it is placed only when all of them are on screen).
    public var picture: (kind: PlacedPicture.Kind, lines: Int)?

    public init(_ text: String, _ style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }

    public static func == (a: Span, b: Span) -> Bool {
        a.text == b.text && a.style == b.style && a.picture?.kind == b.picture?.kind && a.picture?.lines == b.picture?.lines
    }
}

public typealias StyledLine = [Span]

/// The conversation as lines, with the message each line belongs to (for the selection) and
/// where the unread marker is.
public struct ConversationLines: Sendable {
    public var lines: [StyledLine] = []
    /// The localId of the message each line draws; nil for separators and system lines.
    public var owners: [String?] = []
    public var unreadLine: Int?

    /// The lines of one message.
    public func lines(of localId: String) -> ClosedRange<Int>? {
        guard let first = owners.firstIndex(of: localId), let last = owners.lastIndex(of: localId) else { return nil }
        return first...last
    }
}

/// Lays the open conversation out as lines of a given width: day separators, the unread line,
/// system lines, author and time (once for a run of messages from one person), quoted
/// replies, wrapped text with mentions marked, edits, deletions, attachments and delivery.
public enum ConversationLayout {
    /// Messages from one person within this long of each other share one name and time.
    static let groupingInterval: TimeInterval = 5 * 60

    /// The conversation's lines; with `last`, only enough of the newest messages to give at
    /// least that many lines (a frame shows a screenful, so laying out the whole window each
    /// frame is wasted work).
    public static func lines(_ state: AppState, width: Int, theme: Theme = .standard, last limit: Int? = nil) -> [StyledLine] {
        layout(state.conversation, state.layoutContext, width: width, theme: theme, last: limit).lines
    }

    static func lines(_ state: ConversationState, _ context: LayoutContext, width: Int, theme: Theme = .standard, last limit: Int? = nil) -> [StyledLine] {
        layout(state, context, width: width, theme: theme, last: limit).lines
    }

    /// Whether the cache holds every message between two server ids (one known range covers
    /// both). Without range information (a server page not recorded yet) nothing is claimed.
    static func isKnownContiguous(_ a: MessageID, _ b: MessageID, _ ranges: [HistoryRange]) -> Bool {
        if ranges.isEmpty { return true }
        return ranges.contains { $0.low <= min(a, b) && max(a, b) <= $0.high }
    }

    static func layout(_ message: CachedMessage, _ context: LayoutContext, width: Int, theme: Theme, clock: LocalClock,
                       colors: PersonColors, continues: Bool = false, withDate: Bool = false, currentYear: Int = 0,
                       expanded: Bool = false) -> [StyledLine] {
        if context.spoken { return SpokenMessage.lines(message, context, width: width, theme: theme, clock: clock, withDate: withDate,
                                                        currentYear: currentYear, expanded: expanded) }
        let indent = String(repeating: " ", count: min(6, width / 4))
        let isMine = message.authorId == context.me.id
        var result: [StyledLine] = []
        result.reserveCapacity(2)
        // The header: time (with the date when not today) and author, once per run.
        var header: StyledLine = []
        let action = message.isDeleted ? nil : ActionText.action(message.text)
        if !continues || action != nil {
            // Hours and minutes by hand: a FormatStyle per message per frame was most of a frame.
            let time = (withDate ? clock.dayMonth(of: message.createdAt, currentYear: currentYear) + " " : "") + clock.hourMinute(of: message.createdAt)
            header = action == nil
                ? [Span(time + " ", theme.dim), Span(context.name(of: message.authorId), colors.style(for: message.authorId)), Span(": ")]
                : [Span(time + " ", theme.dim), Span("* " + context.name(of: message.authorId) + " ", colors.style(for: message.authorId))]
        }
        var quote: [String] = []
        var body: String
        var bodyStyle = CellStyle.plain
        if message.isDeleted {
            body = "(message deleted)"
            bodyStyle = theme.dim
        } else {
            (quote, body) = action.map { ([], boundedText(String($0))) } ?? ReplyQuote.split(boundedText(message.text ?? ""))
            if !message.isVisible { bodyStyle = theme.dim }
        }
        if !quote.isEmpty {
            if !header.isEmpty { result.append(header) }
            header = []
            for line in quote {
                for piece in TextWidth.wrap(DisplayableText.make(line), columns: max(1, width - indent.count - 2)) {
                    result.append([Span(indent), Span("┃ " + piece, theme.dim)])
                }
            }
        }
        // A file without a caption is named where the text would be.
        var attachmentLines = message.attachments.map { describe($0, caption: message.text) }
        var text = DisplayableText.make(expanded ? body : Folding.squeezingBlankRuns(body))
        var isAttachment = false
        if text.isEmpty, quote.isEmpty, !message.isDeleted, !attachmentLines.isEmpty {
            text = attachmentLines.removeFirst()
            isAttachment = true
        }
        let mentionsMe = message.authorId != context.me.id  // your own name in your own words is no mention
        func styled(_ line: String) -> [Span] {
            isAttachment ? [Span(line, theme.accent)] : Links.marked(highlighted(line, bodyStyle, context, theme, mentionsMe: mentionsMe))
        }
        let bodyStart = result.count
        if !header.isEmpty || !text.isEmpty || quote.isEmpty {
            let textColumns = max(1, width - indent.count)
            let headerColumns = header.reduce(0) { $0 + TextWidth.of($1.text) }
            var pendingHeader = header
            // An address longer than a line is laid out from the pane's edge, without the
            // indent: spaces inside it would break a terminal's own link detection.
            for piece in isAttachment ? [.text(text)] : Links.pieces(text, longerThan: textColumns) {
                switch piece {
                case .text(let part):
                    let firstColumns = pendingHeader.isEmpty ? nil : max(1, width - headerColumns)
                    for line in TextWidth.wrap(part, columns: textColumns, firstLineColumns: firstColumns) {
                        result.append((pendingHeader.isEmpty ? [Span(indent)] : pendingHeader) + styled(line))
                        pendingHeader = []
                    }
                case .longAddress(let address):
                    if !pendingHeader.isEmpty { result.append(pendingHeader) }
                    pendingHeader = []
                    for line in TextWidth.wrap(address, columns: width) { result.append(Links.marked([Span(line, bodyStyle)], whole: address)) }
                }
            }
        }
        if !expanded, let hidden = Folding.hiddenLines(result.count - bodyStart) {
            result.removeLast(hidden)
            result.append([Span(indent), Span("… \(hidden.counted("more line")) · Enter to expand", theme.accent)])
        }
        for line in attachmentLines { result.append([Span(indent), Span(line, theme.accent)]) }
        // After the text: (edited), and on your messages where they stand.
        var trailer: StyledLine = []
        if message.editedAt != nil && !message.isDeleted { trailer.append(Span(" (edited)", theme.dim)) }
        if isMine, let mark = deliveryMark(message) { trailer.append(Span(" " + mark, message.readBy.contains { $0 != message.authorId } ? theme.accent : theme.dim)) }
        if !trailer.isEmpty, let last = result.indices.last {
            let used = result[last].reduce(0) { $0 + TextWidth.of($1.text) }
            let needed = trailer.reduce(0) { $0 + TextWidth.of($1.text) }
            if used + needed <= width { result[last] += trailer } else { result.append([Span(indent)] + trailer) }
        }
        result += Pictures.lines(message, context, width: width, indent: indent, theme: theme)
        if message.state == .failed {
            result.append([Span(indent), Span("✗ not sent: \(message.failureReason ?? "refused") (r retry, d discard)", theme.error)])
        }
        // Where each reader's mark is; the messages before it show ✓✓ (they are read too) and
        // say who read them in their details (i), not a line each.
        let readers = message.readBy.filter { $0 != message.authorId && message.readAt[$0] != nil }
        if isMine, message.state == .sent, !readers.isEmpty, !context.isPersonalChat {
            result.append([Span(indent), Span("read by " + readers.map { context.name(of: $0) }.joined(separator: ", "), theme.dim)])
        }
        return result.map { clip($0, width: width) }
    }

    /// Where your message stands: ◷ queued, ✓ sent, ✓✓ read; a failure has its own line.
    static func deliveryMark(_ message: CachedMessage) -> String? {
        switch message.state {
        case .queued: "◷"
        case .failed: "✗"
        case .sent: message.readBy.contains { $0 != message.authorId } ? "✓✓" : "✓"
        }
    }

    /// A line of text with mentions of you marked, and other `@handles` in bold.
    static func highlighted(_ line: String, _ style: CellStyle, _ context: LayoutContext, _ theme: Theme, mentionsMe: Bool = true) -> [Span] {
        guard line.utf8.contains(UInt8(ascii: "@")) || (mentionsMe && Mentions.mayContain(context.me.name, in: line)) else { return [Span(line, style)] }
        var marks: [(Range<String.Index>, CellStyle)] = mentionsMe ? Mentions.ranges(of: context.me, in: line).map { ($0, theme.mention) } : []
        var bold = style
        bold.bold = true
        for handle in Mentions.handles(in: line) where !marks.contains(where: { $0.0.overlaps(handle) }) { marks.append((handle, bold)) }
        marks.sort { $0.0.lowerBound < $1.0.lowerBound }
        var spans: [Span] = []
        var at = line.startIndex
        for (range, markStyle) in marks {
            if at < range.lowerBound { spans.append(Span(String(line[at..<range.lowerBound]), style)) }
            spans.append(Span(String(line[range]), markStyle))
            at = range.upperBound
        }
        if at < line.endIndex { spans.append(Span(String(line[at...]), style)) }
        return spans
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
        case .uploading:
            // Every byte written is not every byte taken: the server may still be reading it
            // (a 2.9 MB file said "uploading 100%" for 90 s on a slow link).
            if attachment.mediaId == nil {
                text += " · waiting to upload"
            } else if attachment.transferTotal > 0, attachment.transferDone >= attachment.transferTotal {
                text += " · sent, finishing…"
            } else {
                text += " · uploading \(min(99, percent))%"
            }
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

    public static func formatSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// Cuts a line to `width` columns.
    static func clip(_ line: StyledLine, width: Int) -> StyledLine {
        // Most lines fit already (they were wrapped to the width): no copy.
        if line.reduce(0, { $0 + TextWidth.of($1.text) }) <= width { return line }
        var remaining = width
        var result: StyledLine = []
        for span in line where remaining > 0 {
            var clipped = span
            clipped.text = String(TextWidth.prefix(span.text, fitting: remaining))
            remaining -= TextWidth.of(clipped.text)
            result.append(clipped)
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

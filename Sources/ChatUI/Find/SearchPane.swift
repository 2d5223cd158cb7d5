import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The search overlay's own state: the query being typed and the hits that answer it.
public struct SearchState: Equatable, Sendable {
    public var input: ComposeBuffer
    public var hits: [CachedMessage] = []
    public var selected = 0
    /// A mistake in the query, or why nothing can be searched, in words.
    public var problem: String?
    /// How far the index covers the cache, while it is still being built.
    public var progress: SearchIndexProgress?
    /// Chats cached only in part (the newest messages): older ones there are not found yet.
    public var partlyCached = 0
    /// The query the hits answer (answers to older keystrokes are dropped).
    public var answered: String?

    public init(_ text: String = "") {
        input = ComposeBuffer(text)
    }

    var words: [String] {
        (try? SearchQuery.parse(input.text).get())?.highlightWords ?? []
    }
}

/// The search overlay's keys: the query is edited like the compose box, every change asks
/// the store again; ↑↓ choose a hit, Enter opens the chat at it.
enum SearchReducer {
    static func key(_ search: inout SearchState, _ key: Key) -> (events: [PaneEvent], closes: Bool) {
        switch key {
        case .escape:
            return ([], true)
        case .up:
            search.selected = max(0, search.selected - 1)
        case .down:
            search.selected = min(max(0, search.hits.count - 1), search.selected + 1)
        case .pageUp:
            search.selected = max(0, search.selected - 10)
        case .pageDown:
            search.selected = min(max(0, search.hits.count - 1), search.selected + 10)
        case .enter:
            guard search.hits.indices.contains(search.selected) else { return ([], false) }
            let hit = search.hits[search.selected]
            return ([.openAt(hit.chatId, localId: hit.localId, hits: search.hits.filter { $0.chatId == hit.chatId }.map(\.localId))], true)
        case .paste(let text):
            search.input.insert(text.replacingOccurrences(of: "\n", with: " "))
            return (changed(&search), false)
        case _ where search.input.applyEditingKey(key):
            return (changed(&search), false)
        default:
            break
        }
        return ([], false)
    }

    static func changed(_ search: inout SearchState) -> [PaneEvent] {
        let text = search.input.text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            search.hits = []
            search.problem = nil
            return []
        }
        return [.effect(.search(search.input.text))]
    }

    static func answered(_ search: inout SearchState, query: String, hits: [CachedMessage], progress: SearchIndexProgress?, problem: String?,
                         partlyCached: Int = 0) {
        search.partlyCached = partlyCached
        guard query == search.input.text else { return }
        search.answered = query
        search.problem = problem
        search.progress = progress
        if problem == nil || hits.isEmpty == false { search.hits = hits }
        if problem != nil { search.hits = [] }
        search.selected = min(search.selected, max(0, search.hits.count - 1))
    }
}

/// The search overlay: the query, then one line a hit: chat · author · date · the line with
/// the match, the matched words marked.
enum SearchOverlay {
    static func draw(_ search: SearchState, _ state: AppState, into canvas: inout Canvas, in screen: Rect, theme: Theme) {
        let box = OverlayFrame.draw(height: screen.height - 4, width: min(screen.width - 4, 110), in: screen, into: &canvas, theme: theme)
        canvas.write(" Search — from: in: before: after: has:file \"phrase\" word* · ↑↓ · Enter opens · Esc", in: box.line(0), style: theme.selected)
        let inputRow = box.line(1)
        let prompt = " Find: "
        let used = canvas.write(prompt, in: inputRow, style: theme.accent)
        canvas.write(search.input.text, in: inputRow.insetLeft(used))
        canvas.cursor = (inputRow.row, inputRow.column + used + min(TextWidth.of(search.input.beforeCursor), max(0, inputRow.width - used - 1)))
        var status: String
        var statusStyle = theme.dim
        if let problem = search.problem {
            status = problem
            statusStyle = theme.error
        } else if search.input.text.trimmingCharacters(in: .whitespaces).isEmpty {
            status = "Type what to find; every word must occur."
        } else {
            status = search.hits.isEmpty ? "Nothing found." : "\(search.hits.count == 50 ? "50+" : String(search.hits.count)) found, newest first."
            if let progress = search.progress, !progress.isComplete {
                status += " The index is still being built (\(progress.done * 100 / max(1, progress.total)) %): older messages may be missing."
            } else if search.partlyCached > 0 {
                status += " \(search.partlyCached.counted("chat is", plural: "chats are")) cached only in part: older messages there are not searched."
            }
        }
        canvas.write(" " + status, in: box.line(2), style: statusStyle)
        let rows = box.splitTop(3).rest.slices(of: 1)
        let first = max(0, min(search.selected - rows.count + 1, search.hits.count - rows.count))
        let words = search.words
        let clock = LocalClock(timeZone: state.timeZone)
        for (offset, (row, hit)) in zip(rows, search.hits.dropFirst(first)).enumerated() {
            let selected = first + offset == search.selected
            let base: CellStyle = selected ? theme.selected : .plain
            if selected { canvas.fill(row, style: base) }
            let chat = state.chat(hit.chatId).map { state.title(of: $0) } ?? "a chat"
            let when = clock.dayMonth(of: hit.createdAt, currentYear: clock.year(of: state.now)) + " " + clock.hourMinute(of: hit.createdAt)
            let head = " \(TextWidth.truncate(chat, to: 18)) · \(state.name(of: hit.authorId)) · \(when) · "
            let used = canvas.write(head, row: row.row, column: row.column, width: row.width, style: selected ? base : theme.dim)
            let text = hit.text?.isEmpty == false ? hit.text! : hit.attachments.first.map { "📎 " + $0.displayName(caption: nil) } ?? ""
            let line = excerpt(DisplayableText.make(text).replacingOccurrences(of: "\n", with: " "), around: words, width: row.width - used)
            canvas.write(marked(line, words, base: base, mark: selected ? base.reversed : theme.mention), row: row.row, column: row.column + used, width: row.width - used)
        }
    }

    /// The part of a long line around the first match, so that the match is on screen.
    static func excerpt(_ text: String, around words: [String], width: Int) -> String {
        guard TextWidth.of(text) > width, let first = words.compactMap({ text.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) })
            .min(by: { $0.lowerBound < $1.lowerBound }) else { return text }
        let before = text.distance(from: text.startIndex, to: first.lowerBound)
        let skip = max(0, before - width / 3)
        return skip > 0 ? "…" + String(text.dropFirst(skip)) : text
    }

    /// The line as spans, the matched words in `mark`.
    static func marked(_ line: String, _ words: [String], base: CellStyle, mark: CellStyle) -> StyledLine {
        var ranges: [Range<String.Index>] = []
        for word in words where !word.isEmpty {
            var from = line.startIndex
            while let range = line.range(of: word, options: [.caseInsensitive, .diacriticInsensitive], range: from..<line.endIndex) {
                if !ranges.contains(where: { $0.overlaps(range) }) { ranges.append(range) }
                from = range.upperBound
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var spans: StyledLine = []
        var at = line.startIndex
        for range in ranges {
            if at < range.lowerBound { spans.append(Span(String(line[at..<range.lowerBound]), base)) }
            spans.append(Span(String(line[range]), mark))
            at = range.upperBound
        }
        if at < line.endIndex { spans.append(Span(String(line[at...]), base)) }
        return spans
    }
}

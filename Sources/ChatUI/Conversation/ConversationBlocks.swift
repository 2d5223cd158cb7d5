import ChatAPI
import ChatModel
import Foundation
import TerminalUI

extension ConversationLayout {
    /// One thing drawn in the conversation.
    enum Entry: Sendable {
        case message(CachedMessage)
        case note(ChatNote)

        var date: Date {
            switch self {
            case .message(let message): message.createdAt
            case .note(let note): note.createdAt
            }
        }
    }

    /// Messages in their order, with each note before the first message that came after it.
    /// Notes older than the window are left out unless the window reaches the chat's start.
    static func entries(_ state: ConversationState) -> [Entry] {
        let startShown = state.showsStart
        let oldest = state.messages.first?.createdAt
        let newest = state.windowReachesNewest ? nil : state.messages.last?.createdAt
        var notes = state.notes.filter { note in
            (startShown || oldest.map { note.createdAt >= $0 } ?? true) && (newest.map { note.createdAt <= $0 } ?? true)
        }[...]
        var result: [Entry] = []
        result.reserveCapacity(state.messages.count + notes.count)
        for message in state.messages {
            while let note = notes.first, note.createdAt < message.createdAt {
                result.append(.note(note))
                notes = notes.dropFirst()
            }
            result.append(.message(message))
        }
        result += notes.map(Entry.note)
        return result
    }

    /// The window's blocks, oldest first, made (or taken from the cache) only when asked for:
    /// a frame asks for the few it shows, a clamp for their heights.
    struct Blocks {
        let entries: [Entry]
        let shapes: [MessageLayoutCache.Shape?]
        let state: ConversationState
        let context: LayoutContext
        let width: Int
        let theme: Theme
        let clock: LocalClock
        let today: Int
        let currentYear: Int
        let colors: PersonColors

        /// Lines of every entry's block (kept with the window's shapes).
        let heights: [Int]

        var count: Int { entries.count }

        func height(_ index: Int) -> Int { heights[index] }

        func block(_ index: Int, anyTheme: Bool = false) -> LaidBlock {
            switch entries[index] {
            case .message(let message):
                let shape = shapes[index]!
                return state.layoutCache.cache.block(for: message, shape, theme: theme, anyTheme: anyTheme) { make(message, shape) }
            case .note(let note):
                var lines: [StyledLine] = []
                if shapes[index]?.dayBefore ?? false { lines.append(dayLine(note.createdAt)) }
                let time = clock.hourMinute(of: note.createdAt)
                lines.append(clip([Span("\(time) · \(NoteText.text(note, context))", theme.dim)], width: width))
                return LaidBlock(lines: lines, owner: nil, separators: lines.count)
            }
        }

        /// The lines of entry `index`, without copying a kept block out (in any theme).
        func lineCount(_ index: Int) -> Int {
            guard case .message(let message) = entries[index], let shape = shapes[index] else { return block(index).lines.count }
            return state.layoutCache.cache.lineCount(for: message, shape, theme: theme) { make(message, shape) }
        }

        private func dayLine(_ date: Date) -> StyledLine {
            let heading = clock.dayHeading(of: date)
            return [Span(context.spoken ? heading + ":" : "── \(heading) ──", theme.dim)]
        }

        private func make(_ message: CachedMessage, _ shape: MessageLayoutCache.Shape) -> LaidBlock {
            var lines: [StyledLine] = []
            var unreadAt: Int?
            if shape.gapBefore {
                lines.append([Span(context.spoken ? "Messages not loaded yet here: scroll up to load them." : "┄┄ gap: not loaded yet, scroll up ┄┄", theme.accent)])
            }
            if shape.dayBefore { lines.append(dayLine(message.createdAt)) }
            if let count = shape.unreadCount {
                unreadAt = lines.count
                lines.append([Span(context.spoken ? "Unread from here: \(count.counted("new message"))." : "── \(count) new ──", theme.unread)])
            }
            let separators = lines.count
            lines += layout(message, context, width: width, theme: theme, clock: clock, colors: colors, continues: shape.continues && !context.spoken,
                            withDate: shape.withDate, currentYear: currentYear, expanded: shape.expanded)
            return LaidBlock(lines: lines, owner: message.localId, separators: separators, unreadAt: unreadAt)
        }
    }

    /// The window as blocks: what goes before each entry (a gap mark, a day line, the unread
    /// line) and whether a message continues the run of the one before.
    static func blocks(_ state: ConversationState, _ context: LayoutContext, width: Int, theme: Theme = .standard) -> Blocks {
        let clock = LocalClock(timeZone: context.timeZone)
        let currentYear = clock.year(of: context.now)
        let today = clock.day(of: context.now)
        let cache = state.layoutCache.cache
        let cacheContext = MessageLayoutCache.Context(layout: context.withoutClock, currentYear: currentYear)
        cache.use(cacheContext)
        let key = MessageLayoutCache.WindowKey(
            messages: state.messages, previous: state.previousMessage, notes: state.notes, knownHistory: state.knownHistory,
            unread: state.unread, expanded: state.expanded, showsStart: state.showsStart, reachesNewest: state.windowReachesNewest, width: width,
            context: cacheContext, today: today
        )
        var window = cache.shapes(for: key) ?? shapes(state, clock: clock, today: today, width: width)
        var blocks = Blocks(entries: window.entries, shapes: window.shapes, state: state, context: context, width: width, theme: theme,
                            clock: clock, today: today, currentYear: currentYear, colors: PersonColors(theme: theme, me: context.me.id),
                            heights: window.heights ?? [])
        if window.heights == nil {
            cache.trim(to: state.messages)
            let heights = (0..<blocks.count).map(blocks.lineCount)
            window.heights = heights
            blocks = Blocks(entries: window.entries, shapes: window.shapes, state: state, context: context, width: width, theme: theme,
                            clock: clock, today: today, currentYear: currentYear, colors: blocks.colors, heights: heights)
            cache.keep(window, for: key)
        }
        return blocks
    }

    /// What goes before each entry (a gap mark, a day line, the unread line) and whether a
    /// message continues the run of the one before.
    static func shapes(_ state: ConversationState, clock: LocalClock, today: Int, width: Int) -> MessageLayoutCache.WindowShapes {
        let entries = entries(state)
        var shapes = [MessageLayoutCache.Shape?](repeating: nil, count: entries.count)
        // The message before the window decides its oldest's author and day lines.
        var previous = state.previousMessage
        var previousServerId = previous?.serverId
        var lastDay = previous.map { clock.day(of: $0.createdAt) }
        for (index, entry) in entries.enumerated() {
            let day = clock.day(of: entry.date)
            let dayBefore = day != lastDay
            lastDay = day
            guard case .message(let message) = entry else {
                shapes[index] = MessageLayoutCache.Shape(width: width, gapBefore: false, dayBefore: dayBefore, continues: false, withDate: false)
                previous = nil
                continue
            }
            var gapBefore = false
            if let id = message.serverId {
                if let previousId = previousServerId, !isKnownContiguous(previousId, id, state.knownHistory) { gapBefore = true }
                previousServerId = id
            }
            let isUnreadStart = message.localId == state.unread?.localId
            var continues = false
            if let previous, !gapBefore, !dayBefore, !isUnreadStart, previous.authorId == message.authorId, !previous.isDeleted,
               ActionText.action(previous.text) == nil,
               message.createdAt.timeIntervalSince(previous.createdAt) < groupingInterval {
                continues = true
            }
            shapes[index] = MessageLayoutCache.Shape(width: width, gapBefore: gapBefore, dayBefore: dayBefore, continues: continues,
                                                     withDate: day != today, unreadCount: isUnreadStart ? state.unread?.count : nil,
                                                     expanded: state.expanded.contains(message.localId))
            previous = message
        }
        return MessageLayoutCache.WindowShapes(entries: entries, shapes: shapes)
    }

    /// The line above the window's oldest message, if any: older ones loading, or the chat's start.
    static func headLine(_ state: ConversationState, theme: Theme, spoken: Bool = false) -> StyledLine? {
        if state.loadingOlder { return [Span(spoken ? "Loading older messages." : "loading older…", theme.dim)] }
        if state.showsStart { return [Span(spoken ? "The beginning of this chat." : "── the beginning of this chat ──", theme.dim)] }
        return nil
    }

    static func layout(_ state: ConversationState, _ context: LayoutContext, width: Int, theme: Theme = .standard, last limit: Int? = nil) -> ConversationLines {
        guard width > 4 else { return ConversationLines() }
        let blocks = blocks(state, context, width: width, theme: theme)
        var laid: [LaidBlock] = []
        var count = 0
        var index = blocks.count - 1
        while index >= 0, count < (limit ?? .max) {
            let block = blocks.block(index)
            count += block.lines.count
            laid.append(block)
            index -= 1
        }
        var result = ConversationLines()
        result.lines.reserveCapacity(count + 1)
        if index < 0, let head = headLine(state, theme: theme, spoken: context.spoken) { result.lines.append(head) }
        result.owners = Array(repeating: nil, count: result.lines.count)
        for block in laid.reversed() {
            if let at = block.unreadAt { result.unreadLine = result.lines.count + at }
            result.lines += block.lines
            result.owners += Array(repeating: nil, count: block.separators) + Array(repeating: block.owner, count: block.lines.count - block.separators)
        }
        return result
    }

    /// Lines of the whole window from the cached blocks, without copying them.
    static func lineCount(_ state: ConversationState, _ context: LayoutContext, width: Int, theme: Theme = .standard) -> Int {
        guard width > 4 else { return 0 }
        let blocks = blocks(state, context, width: width, theme: theme)
        return (headLine(state, theme: theme, spoken: context.spoken) == nil ? 0 : 1) + blocks.heights.reduce(0, +)
    }
}

extension LayoutContext {
    /// The context without the clock: a block depends on the day, not on the second.
    var withoutClock: LayoutContext {
        var copy = self
        copy.now = Date(timeIntervalSince1970: 0)
        return copy
    }
}

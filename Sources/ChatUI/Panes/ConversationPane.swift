import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The conversation pane's own state: the open chat's window of messages and where it is
/// scrolled to.
public struct ConversationState: Equatable, Sendable {
    public var chatId: ChatID?
    public var messages: [CachedMessage] = []
    /// Server-id ranges of the open chat known to be complete: between them are gaps.
    public var knownHistory: [HistoryRange] = []
    /// Lines scrolled up from the newest message.
    public var scrollOffset = 0
    /// Messages that arrived below the view while scrolled up.
    public var newBelow = 0
    public var loadingOlder = false
    /// Chats whose first message is in the cache.
    public var reachedStart: Set<ChatID> = []
    /// Messages the cache held for a chat when history was last loaded.
    public var cachedCount: [ChatID: Int] = [:]
    /// What happened in the chat besides messages (renames, members, images, clears).
    public var notes: [ChatNote] = []
    /// The message the selection cursor is on (its localId), while selecting.
    public var selection: String?
    /// Where the unread messages began when the chat was opened; kept until it is left.
    public var unread: UnreadMarker?
    /// The unread count when the chat was opened, until its messages arrive to place the marker.
    var pendingUnread = 0
    /// A message to select once the window holds it (a search hit being opened).
    public var pendingSelection: String?
    /// The search's hits in this chat, newest first: n and N move between them.
    public var searchHits: [String] = []

    public init() {}

    /// Shows another chat, from its newest message.
    mutating func show(_ chat: ChatID?, unread: Int = 0) {
        chatId = chat
        messages = []
        knownHistory = []
        notes = []
        scrollOffset = 0
        newBelow = 0
        selection = nil
        self.unread = nil
        pendingUnread = unread
        pendingSelection = nil
        searchHits = []
    }

    var selectedMessage: CachedMessage? {
        guard let selection else { return nil }
        return messages.last { $0.localId == selection }
    }

    /// Your newest message, sent or still on its way (the engine orders an edit or delete
    /// after its post).
    func lastOwn(_ me: UserID) -> CachedMessage? {
        messages.last { $0.authorId == me && !$0.isDeleted }
    }
}

/// The "── 3 new ──" line: above the first message that was unread when the chat was opened.
public struct UnreadMarker: Equatable, Sendable {
    public var count: Int
    public var localId: String

    public init(count: Int, localId: String) {
        self.count = count
        self.localId = localId
    }

    /// The first of the `count` newest messages of other people (deleted ones are not counted
    /// unread); the window's oldest when it holds fewer.
    static func place(count: Int, in messages: [CachedMessage], me: UserID) -> UnreadMarker? {
        guard count > 0 else { return nil }
        let theirs = messages.filter { $0.authorId != me && !$0.isDeleted && $0.serverId != nil }
        guard let first = theirs.suffix(count).first else { return nil }
        return UnreadMarker(count: count, localId: first.localId)
    }
}

/// What the conversation's reducer needs to know of the screen: the rectangle the messages
/// are drawn in and how they are laid out, so that scrolling is clamped at what is drawn.
struct ConversationMetrics {
    var area: Rect
    var context: LayoutContext
    /// Lines a page key scrolls.
    var page: Int

    init(_ state: AppState) {
        area = ConversationRects(ScreenGeometry(state).conversation, state: state).messages
        context = state.layoutContext
        page = max(1, state.rows - 6)
    }

    var visibleRows: Int { max(1, area.height) }

    func laidOut(_ conversation: ConversationState) -> ConversationLines {
        ConversationLayout.layout(conversation, context, width: area.width)
    }

    func lineCount(_ conversation: ConversationState) -> Int { laidOut(conversation).lines.count }

    /// The lines the messages after `messages[position]` take below it, laid out with only
    /// that message before them (it decides their author line and day separator): a new
    /// message costs a layout of two, not two layouts of the whole window (the profile of one
    /// event applied while scrolled up was nearly all that).
    func linesBelow(_ position: Int, of messages: [CachedMessage], in conversation: ConversationState) -> Int {
        var tail = conversation
        // Notes older than the tail's first message stay out of both layouts.
        tail.reachedStart = []
        tail.messages = [messages[position]]
        let alone = lineCount(tail)
        tail.messages = Array(messages[position...])
        return lineCount(tail) - alone
    }

    /// Scrolls so that lines `first...last` are on screen (the first of them when they are
    /// more than a screenful).
    func reveal(_ lines: ClosedRange<Int>, total: Int, in pane: inout ConversationState) {
        let bottom = total - pane.scrollOffset  // one past the last line shown
        let top = bottom - visibleRows
        if lines.lowerBound < top || lines.upperBound - lines.lowerBound + 1 > visibleRows {
            pane.scrollOffset = total - lines.lowerBound - visibleRows
        } else if lines.upperBound >= bottom {
            pane.scrollOffset = total - lines.upperBound - 1
        }
        pane.scrollOffset = max(0, min(pane.scrollOffset, total - visibleRows))
    }
}

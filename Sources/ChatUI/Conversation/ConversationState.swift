import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The conversation pane's own state: a bounded window of the open chat's messages and where
/// in it the person reads.
///
/// The window is a few screens of messages around where the person reads, read from the cache
/// by keyset paging (`WindowPosition`); scrolling moves it instead of growing it, so memory and
/// every frame's cost do not depend on how far back the person is. `scrollOffset` counts lines
/// up from the window's newest line; whenever the window moves, the message and line at the
/// bottom of the view (the anchor) are found in the old window and kept there in the new one.
public struct ConversationState: Equatable, Sendable {
    public var chatId: ChatID?
    public var messages: [CachedMessage] = []
    /// The message before the window's oldest (it decides how the oldest is drawn).
    public var previousMessage: CachedMessage?
    /// The window holds the chat's newest message (so new ones show as they arrive).
    public var windowReachesNewest = true
    /// The window holds the oldest message the cache has.
    public var windowReachesOldest = true
    /// Where the window was last asked to be.
    public var window: WindowPosition = .newest
    /// Server-id ranges of the open chat known to be complete: between them are gaps.
    public var knownHistory: [HistoryRange] = []
    /// Lines scrolled up from the window's newest line.
    public var scrollOffset = 0
    /// Lines of a scroll that went past the window's edge, carried out once the window has
    /// moved there (up is positive): held keys add up to one move, never a queue of moves.
    public var pendingScroll = 0
    /// Where to go once the window that was asked for arrives.
    public var pendingJump: Jump?
    /// Messages that arrived below the view while scrolled up.
    public var newBelow = 0
    public var loadingOlder = false
    /// `g` on a chat whose start is not cached: its history coming in, said in the header.
    public var historyLoad: HistoryLoad?
    /// Chats whose first message is in the cache.
    public var reachedStart: Set<ChatID> = []
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
    /// Long messages shown whole (Enter on one), by localId; the others are folded.
    public var expanded: Set<String> = []
    /// Each message's lines, laid out once per width (shared by the view and the reducer).
    var layoutCache = LayoutCacheBox()

    public init() {}

    /// Where a jump lands once its window is in.
    public enum Jump: Equatable, Sendable {
        case newest
        case oldest
        case unreadLine
    }

    /// How much history `g` has brought in so far.
    public struct HistoryLoad: Equatable, Sendable {
        public var loaded: Int
        public var text: String { "loading history… \(loaded.grouped) messages so far · any key stops" }
    }

    /// Shows another chat, from its newest message.
    mutating func show(_ chat: ChatID?, unread: Int = 0) {
        let reachedStart = self.reachedStart
        self = ConversationState()
        self.reachedStart = reachedStart
        chatId = chat
        pendingUnread = unread
    }

    /// The view is on the chat's newest line.
    public var isAtNewest: Bool { scrollOffset == 0 && windowReachesNewest && pendingScroll >= 0 }

    /// The window shows the chat's very first message.
    public var showsStart: Bool { (chatId.map { reachedStart.contains($0) } ?? false) && windowReachesOldest }

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
    /// unread); nil when the window holds fewer of them and does not reach the chat's start
    /// (the store is asked then), their oldest when it does.
    static func place(count: Int, in messages: [CachedMessage], me: UserID, windowShowsStart: Bool = true) -> UnreadMarker? {
        guard count > 0 else { return nil }
        let theirs = messages.filter { $0.authorId != me && !$0.isDeleted && $0.serverId != nil }
        guard theirs.count >= count || windowShowsStart, let first = theirs.suffix(count).first else { return nil }
        return UnreadMarker(count: count, localId: first.localId)
    }
}


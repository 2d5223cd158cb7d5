import ChatAPI

/// Where a window of one conversation stands in the chat: at its newest message (following
/// what arrives), around one message (read back both ways from it), or at its first.
public enum WindowPosition: Equatable, Hashable, Sendable {
    case newest
    case around(MessageID)
    case oldest
}

/// A bounded run of one conversation's messages, oldest first, and whether it reaches the
/// newest message and the oldest the cache holds. Scrolling moves the window instead of
/// growing it, so memory does not depend on how far back the person reads.
public struct ConversationWindow: Equatable, Sendable {
    /// Where it was read: a window that arrives after another was asked for is not shown.
    public var position: WindowPosition
    public var messages: [CachedMessage]
    /// The message just before the window's oldest, when the cache has one: it decides how the
    /// oldest is drawn (its author line, its day line) as it would be in a longer window.
    public var previous: CachedMessage?
    public var reachesNewest: Bool
    /// The window holds the oldest message the cache has (the chat's first, once its start is
    /// cached).
    public var reachesOldest: Bool
    /// The chat's known history ranges, newest first, read with the window (nil when not
    /// read): a live message changes both, and read apart they woke two observations, two
    /// relayouts and two frames per stored batch.
    public var known: [HistoryRange]?

    public init(_ position: WindowPosition = .newest, messages: [CachedMessage], previous: CachedMessage? = nil, reachesNewest: Bool = true,
                reachesOldest: Bool = true, known: [HistoryRange]? = nil) {
        self.position = position
        self.messages = messages
        self.previous = previous
        self.reachesNewest = reachesNewest
        self.reachesOldest = reachesOldest
        self.known = known
    }

    /// Messages read for a window: `newest` this many; `around` this many on each side (more
    /// than two screens of a tall terminal, so the window moves a page before the view gets to
    /// its edge and a page never waits for the cache).
    public static let newestSize = 120
    public static let sideSize = 150
}

import ChatAPI
import Foundation

/// What the screen shows of the sync engine, in the UI's own terms: the app layer maps the
/// engine's status to it, so the pure UI links neither the engine nor the network.
public struct SyncStatus: Sendable, Equatable {
    public enum Connection: Sendable, Equatable {
        case offline
        case connecting
        case online
        /// Disconnected; the next attempt is at this time.
        case retrying(at: Date)
        /// The token no longer works.
        case signedOut
    }

    /// Chats whose newest messages have been fetched, of those that need it.
    public struct Progress: Sendable, Equatable {
        public var done: Int
        public var total: Int

        public init(done: Int, total: Int) {
            self.done = done
            self.total = total
        }
    }

    public var connection: Connection
    public var typing: [ChatID: Set<UserID>]
    public var lastError: String?
    public var isCaughtUp: Bool
    public var syncProgress: Progress?
    /// Changes queued and not yet confirmed by the server.
    public var pendingChanges: Int
    /// Changes the server refused, oldest first; the settings pane offers each again or discards it.
    public var refusedChanges: [RefusedChange]
    /// What others did that the person should hear of ("Bob deleted the chat Team."), shown once.
    public var announcement: String?

    public init(connection: Connection = .offline, typing: [ChatID: Set<UserID>] = [:], lastError: String? = nil,
                isCaughtUp: Bool = false, syncProgress: Progress? = nil, pendingChanges: Int = 0, refusedChanges: [RefusedChange] = [],
                announcement: String? = nil) {
        self.connection = connection
        self.typing = typing
        self.lastError = lastError
        self.isCaughtUp = isCaughtUp
        self.syncProgress = syncProgress
        self.pendingChanges = pendingChanges
        self.refusedChanges = refusedChanges
        self.announcement = announcement
    }
}

/// A change the server refused: which (its queue position), where, what, and why.
public struct RefusedChange: Sendable, Equatable {
    public var seq: Int64
    public var chatId: ChatID?
    public var what: String
    public var reason: String

    public init(seq: Int64, chatId: ChatID?, what: String, reason: String) {
        self.seq = seq
        self.chatId = chatId
        self.what = what
        self.reason = reason
    }
}

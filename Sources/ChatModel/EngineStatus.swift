import ChatAPI
import Foundation

/// What the UI shows of the engine: connection, who is typing, the last error in words.
public struct EngineStatus: Sendable, Equatable {
    public enum Connection: Sendable, Equatable {
        case offline
        case connecting
        case online
        /// Disconnected; the next attempt is at this time.
        case retrying(at: Date)
        /// The token no longer works.
        case signedOut
    }

    public var connection: Connection = .offline
    public var typing: [ChatID: Set<UserID>] = [:]
    public var lastError: String?
    /// Whether a catch-up finished since the last connect.
    public var isCaughtUp = false
    /// How far a catch-up over many chats has come (nil when there is none, or few chats).
    public var syncProgress: SyncProgress?
    /// Changes (edits, renames, settings…) queued and not yet confirmed by the server.
    public var pendingChanges = 0
    /// Changes the server refused or kept failing, oldest first: each can be tried again or
    /// discarded (`SyncEngine.retryChange`, `discardChange`).
    public var failedChanges: [FailedChange] = []
    /// Something others did that the person should hear of, once ("Bob deleted the chat Team.").
    public var announcement: String?

    public init() {}
}

/// A queued change the server refused, with its reason.
public struct FailedChange: Sendable, Equatable {
    public var seq: Int64
    public var chatId: ChatID?
    /// What it was, in a few words ("rename to “Full Club”").
    public var what: String
    public var reason: String

    public init(seq: Int64, chatId: ChatID?, what: String, reason: String) {
        self.seq = seq
        self.chatId = chatId
        self.what = what
        self.reason = reason
    }
}

/// Chats whose newest messages have been fetched, of those that need it.
public struct SyncProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}

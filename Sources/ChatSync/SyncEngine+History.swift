import ChatAPI
import ChatStore
import Foundation

extension SyncEngine {
    /// Fetches every chat's whole history into the cache, so that offline search covers
    /// everything: politely, one chat at a time (the most recent first), one page of 100 at a
    /// time, awaiting `pause` before each page (the client waits there while the person is
    /// typing). Answers the pages fetched.
    @discardableResult
    public func fetchAllHistory(pause: @Sendable () async -> Void = {}) async throws -> Int {
        try await fetchHistory(newest: nil, pause: pause)
    }

    /// Fetches older pages of every chat until the cache holds its newest `limit` messages
    /// (nil: all of them) or its start; answers how many pages came. It resumes from what is
    /// cached (nothing is asked twice), and `pause` runs before every page (the client waits
    /// there while the person types).
    public func fetchHistory(newest limit: Int?, pause: @Sendable () async -> Void = {}) async throws -> Int {
        var pages = 0
        // A chat with no message has no history to fetch (of 100,000 chats, most).
        for chat in try store.chatList(archived: nil).filter({ $0.lastMessage != nil }).map(\.id) {
            while true {
                try Task.checkCancellation()
                guard try store.facts(chat) != nil else { break }  // left or removed meanwhile
                if let limit, try store.messageCount(chat) >= limit { break }
                if try store.knownRanges(chat).first?.low == 0 { break }  // from its start already
                await pause()
                if try await loadOlder(chat) { break }
                pages += 1
            }
        }
        return pages
    }

    /// How much of a chat the cache holds: its messages, and whether they go back to its start.
    public func cachedHistory(_ chat: ChatID) throws -> (messages: Int, complete: Bool) {
        (try store.messageCount(chat), try store.knownRanges(chat).first?.low == 0)
    }
}

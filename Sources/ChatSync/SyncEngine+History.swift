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
        var pages = 0
        for chat in try store.chatList(archived: nil).map(\.id) {
            while true {
                await pause()
                try Task.checkCancellation()
                guard try store.facts(chat) != nil else { break }  // left or removed meanwhile
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

import ChatAPI
import ChatClient
import ChatStore
import Foundation

extension SyncEngine {
    /// Brings the cache up to date over REST: the chat list, then each chat's newest messages,
    /// paging back until the pages meet what is cached. What cannot be filled within
    /// `maxCatchUpPages` stays a gap between known ranges, filled when the user scrolls there.
    /// With `recheckingHistory`, messages the server no longer has are dropped (after an
    /// upstream `chatCleared` that does not say which chat).
    func catchUp(recheckingHistory: Bool = false) async throws {
        let chats = try await api.chats(full: true)
        try store.upsertChats(chats, replacingAll: true)
        // Work salvaged from a damaged cache goes back into the outbox once its chats are known.
        if try store.requeueSalvagedWork() > 0 { senderSignal.wake(); uploadSignal.wake() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for chat in chats {
                if running == 4 {
                    try await group.next()
                    running -= 1
                }
                group.addTask { try await self.catchUpChat(chat.id, recheckingHistory: recheckingHistory) }
                running += 1
            }
            try await group.waitForAll()
        }
    }

    func catchUpChat(_ chat: ChatID, recheckingHistory: Bool = false) async throws {
        let top = try store.knownRanges(chat).first
        var before: MessageID?
        for pageIndex in 0..<Self.maxCatchUpPages {
            let page = try await api.messages(chat, count: Self.pageSize, before: before)
            try await applyMessages(page, live: false)
            let reachedStart = page.count < Self.pageSize
            let high = before.map { $0 - 1 } ?? page.first?.id ?? top?.high ?? 0
            let low = reachedStart ? 0 : (page.last?.id ?? high)
            if recheckingHistory, pageIndex == 0 {
                try store.removeServerMessages(chat, in: low...Int.max, keeping: Set(page.map(\.id)))
            }
            try store.addKnownRange(chat, low: low, high: high)
            if reachedStart { return }
            guard let top else { return }  // first sync: the newest page is enough
            if low <= top.high { return }  // met what was cached
            before = low
        }
    }

    /// Loads the page before the oldest message of the newest known range (scrolling back, or
    /// filling a gap). Answers true once the chat's beginning is cached.
    @discardableResult
    public func loadOlder(_ chat: ChatID) async throws -> Bool {
        let ranges = try store.knownRanges(chat)
        guard let top = ranges.first else {
            try await catchUpChat(chat)
            return try store.knownRanges(chat).first?.low == 0
        }
        if top.low == 0 { return true }
        let page = try await api.messages(chat, count: Self.pageSize, before: top.low)
        try await applyMessages(page, live: false)
        let reachedStart = page.count < Self.pageSize
        try store.addKnownRange(chat, low: reachedStart ? 0 : (page.last?.id ?? top.low), high: top.low)
        return reachedStart
    }
}

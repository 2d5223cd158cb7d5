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
        // Chats left, deleted or removed here while offline stay gone until the server knows.
        let hidden = Set(try store.intents().filter { !$0.isFailed && $0.intent.hidesChat }.compactMap(\.chatId))
        let chats = try await api.chats(full: true).filter { !hidden.contains($0.id) }
        try store.upsertChats(chats, replacingAll: true)
        // Work salvaged from a damaged cache goes back into the queue once its chats are known.
        if try store.requeueSalvagedWork() > 0 { deliverySignal.wake() }
        // A chat with nothing on the server and nothing cached needs no page: with thousands
        // of chats, most first syncs are mostly that.
        let cached = try store.chatsWithCachedMessages()
        let needingPages = chats.filter { $0.lastMessage != nil || cached.contains($0.id) }
        let reportsProgress = needingPages.count > Self.progressThreshold
        // The status line counts the chats done; it changes at most every 1% (or 50 chats).
        let step = max(50, needingPages.count / 100)
        if reportsProgress { status.syncProgress = SyncProgress(done: 0, total: needingPages.count) }
        defer { if reportsProgress { status.syncProgress = nil } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            var done = 0
            func finishedOne() {
                done += 1
                if reportsProgress, done % step == 0 { status.syncProgress = SyncProgress(done: done, total: needingPages.count) }
            }
            for chat in needingPages {
                if running == 4 {
                    try await group.next()
                    running -= 1
                    finishedOne()
                }
                group.addTask { try await self.catchUpChat(chat.id, recheckingHistory: recheckingHistory) }
                running += 1
            }
            while try await group.next() != nil { finishedOne() }
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
    /// filling a gap), of `count` messages. Answers true once the chat's beginning is cached.
    @discardableResult
    public func loadOlder(_ chat: ChatID, count: Int = SyncEngine.pageSize) async throws -> Bool {
        let ranges = try store.knownRanges(chat)
        guard let top = ranges.first else {
            try await catchUpChat(chat)
            return try store.knownRanges(chat).first?.low == 0
        }
        if top.low == 0 { return true }
        let page: [MessageInfo]
        do {
            page = try await api.messages(chat, count: count, before: top.low)
        } catch {
            // A server with a smaller largest page: its usual page instead.
            guard count > Self.pageSize, Self.isBadRequest(error) else { throw error }
            return try await loadOlder(chat)
        }
        try await applyMessages(page, live: false)
        let reachedStart = page.count < count
        try store.addKnownRange(chat, low: reachedStart ? 0 : (page.last?.id ?? top.low), high: top.low)
        return reachedStart
    }
}

extension SyncEngine {
    static func isBadRequest(_ error: any Error) -> Bool {
        if case ClientError.server(status: 400, _)? = error as? ClientError { return true }
        return false
    }
}

import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// Long history work for the open chat, beside the effects (never in front of them): `g`'s load
/// of everything older, and finding where the unread messages begin. One task a chat,
/// cancellable; a page is stored before the next is asked for, so a stop loses nothing.
public actor HistoryLoader {
    let engine: SyncEngine
    let store: ChatStore
    let send: @Sendable (Action) -> Void
    private var tasks: [ChatID: Task<Void, Never>] = [:]

    /// Pages as large as the protocol allows: 5,000 messages are ten round trips, not fifty.
    static let largePage = ProtocolLimits.maxMessagePage

    public init(engine: SyncEngine, store: ChatStore, send: @escaping @Sendable (Action) -> Void) {
        self.engine = engine
        self.store = store
        self.send = send
    }

    /// Every older message of `chat`, counted as it comes in.
    func loadAll(_ chat: ChatID) {
        start(chat) { loader in
            var loaded = 0
            let before = (try? loader.store.messageCount(chat)) ?? 0
            while !Task.isCancelled {
                let reachedStart = try await loader.loadOlder(chat)
                let now = (try? loader.store.messageCount(chat)) ?? before
                loaded = now - before
                if reachedStart { break }
                loader.send(.historyProgress(chat, loaded: loaded))
            }
            loader.send(.historyLoaded(chat, reachedStart: !Task.isCancelled))
        } failed: { loader in
            loader.send(.historyLoaded(chat, reachedStart: false))
        }
    }

    /// The first of the `count` newest messages of other people, fetching older pages until
    /// the cache holds it (or the chat's start, whose oldest message it is then).
    func findUnread(_ chat: ChatID, count: Int) {
        start(chat) { loader in
            while !Task.isCancelled {
                if let first = try loader.store.firstUnread(chat, count: count), let serverId = first.serverId {
                    loader.send(.unreadFound(chat, UnreadMarker(count: count, localId: first.localId), serverId: serverId))
                    return
                }
                // The start is cached and holds fewer: the oldest of theirs is the first unread.
                let atStart = try loader.store.knownRanges(chat).first?.low == 0
                if atStart {
                    if let oldest = try loader.store.oldestFromOthers(chat), let serverId = oldest.serverId {
                        loader.send(.unreadFound(chat, UnreadMarker(count: count, localId: oldest.localId), serverId: serverId))
                    }
                    return
                }
                _ = try await loader.loadOlder(chat)
            }
        } failed: { loader in
            // Not found (offline, say): the view stays where it is, at the newest line.
            loader.send(.unreadNotFound(chat))
        }
    }

    func stop(_ chat: ChatID) {
        tasks[chat]?.cancel()
        tasks[chat] = nil
    }

    public func stopAll() {
        for task in tasks.values { task.cancel() }
        tasks = [:]
    }

    nonisolated func loadOlder(_ chat: ChatID) async throws -> Bool {
        try await engine.loadOlder(chat, count: Self.largePage)
    }

    private func start(_ chat: ChatID, _ work: @escaping @Sendable (HistoryLoader) async throws -> Void,
                       failed: @escaping @Sendable (HistoryLoader) -> Void) {
        tasks[chat]?.cancel()
        tasks[chat] = Task { [weak self] in
            guard let self else { return }
            do {
                try await work(self)
            } catch {
                if !Task.isCancelled { self.send(.effectFailed(error.userMessage)) }
                failed(self)
            }
            await self.finished(chat)
        }
    }

    private func finished(_ chat: ChatID) {
        if tasks[chat]?.isCancelled ?? true { return }
        tasks[chat] = nil
    }
}

import ChatAPI
import ChatStore
import ChatTestSupport
import Foundation
import Synchronization
import Testing
@testable import ChatSync

/// Every chat's whole history fetched into the cache, so that offline
/// search covers everything.
@Suite struct HistoryFetchTests {
    @Test func everyChatsHistoryIsFetchedAndSearchable() async throws {
        try await withServer { server in
            let (bobAPI, _, _) = try await SyncTestClient.register("Bob", on: server)
            let (aliceAPI, alice, session) = try await SyncTestClient.register("Alice", on: server)
            let chat = try await bobAPI.createChat(CreateChatRequest(participants: [alice.id])).id
            let bobId = try await bobAPI.me().info.id
            // 250 messages before Alice's first sync, which caches only the newest page.
            for index in 1...250 {
                _ = try await bobAPI.postMessage(chat, PostMessageRequest(localId: "\(bobId)+\(UUID().uuidString)", text: "old \(index) word\(index)"))
            }
            let back = try SyncTestClient.start(api: aliceAPI, user: alice, sessionId: session,
                                                storePath: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite")
            _ = await back.engine.syncOnce()
            var cached = try await back.engine.cachedHistory(chat)
            #expect(cached.messages < 250 && !cached.complete)
            #expect(try back.store.search(try SearchQuery.parse("word1").get()).hits.isEmpty, "not cached yet")

            var pauses = 0
            let counter = Counter()
            let pages = try await back.engine.fetchAllHistory { counter.add() }
            pauses = counter.value
            cached = try await back.engine.cachedHistory(chat)
            #expect(cached.messages == 250 && cached.complete)
            #expect(pages >= 1 && pauses >= pages, "a pause before every page")
            #expect(try back.store.search(try SearchQuery.parse("word1").get()).hits.map(\.text) == ["old 1 word1"])
            await back.stop()
        }
    }
}

/// Search missed what was never scrolled to. By default each chat's newest
/// messages are fetched, up to a bound, resuming where the cache is.
@Suite struct BoundedHistoryFetchTests {
    @Test func eachChatIsFetchedUpToItsNewestNMessagesAndThenLeftAlone() async throws {
        try await withServer { server in
            let (bobAPI, _, _) = try await SyncTestClient.register("Bob", on: server)
            let (aliceAPI, alice, session) = try await SyncTestClient.register("Alice", on: server)
            let chat = try await bobAPI.createChat(CreateChatRequest(participants: [alice.id])).id
            let bobId = try await bobAPI.me().info.id
            for index in 1...450 {
                _ = try await bobAPI.postMessage(chat, PostMessageRequest(localId: "\(bobId)+\(UUID().uuidString)", text: "m\(index)"))
            }
            let back = try SyncTestClient.start(api: aliceAPI, user: alice, sessionId: session,
                                                storePath: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite")
            _ = await back.engine.syncOnce()
            #expect(try await back.engine.cachedHistory(chat).messages == 100)
            _ = try await back.engine.fetchHistory(newest: 250)
            var cached = try await back.engine.cachedHistory(chat)
            #expect(cached.messages >= 250 && cached.messages < 450 && !cached.complete, "bounded: \(cached.messages)")
            // Again: nothing more is asked for.
            #expect(try await back.engine.fetchHistory(newest: 250) == 0)
            // A larger bound resumes from there, to the start.
            _ = try await back.engine.fetchHistory(newest: 10_000)
            cached = try await back.engine.cachedHistory(chat)
            #expect(cached.messages == 450 && cached.complete)
            await back.stop()
        }
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

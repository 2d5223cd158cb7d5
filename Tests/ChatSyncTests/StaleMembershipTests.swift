import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// A server that sends no event when someone is removed left the removed
/// member's client with the group open until posting failed. A 403 or 404 on a chat reads the
/// chat again, and drops it when the server no longer shows it.
@Suite struct StaleMembershipTests {
    @Test func aPostRefusedBecauseIWasRemovedDropsTheChatWithASentence() async throws {
        try await withServer { server in
            let (alice, bob, _, group, store, engine) = try await Self.groupOfThree(on: server)
            try await alice.removeUsers(group, [bob])

            _ = try await engine.send("still here?", to: group)
            _ = await engine.deliverOnce()
            #expect(try store.chat(group) == nil, "the group Bob was removed from is gone from his cache")
            let said = await engine.currentStatus.lastError
            #expect(said == "You are no longer in Club (removed, or the chat was deleted).", "\(said ?? "nothing")")
        }
    }

    /// A chat still there is read again: its members as the server has them now.
    @Test func refreshingAChatReadsItsMembersAgain() async throws {
        try await withServer { server in
            let (alice, _, carol, group, store, engine) = try await Self.groupOfThree(on: server)
            try await alice.removeUsers(group, [carol])
            #expect(try store.chat(group)?.memberIds.count == 3)
            #expect(await engine.refreshChat(group))
            #expect(try store.chat(group)?.memberIds.count == 2)
        }
    }

    /// Alice's group "Club" with Bob and Carol; Bob's cache knows it, and his engine hears
    /// nothing (no event stream runs): only what it asks tells it anything.
    static func groupOfThree(on server: TestServer) async throws
        -> (alice: APIClient, bob: UserID, carol: UserID, group: ChatID, bobsStore: ChatStore, bobsEngine: SyncEngine) {
        let (aliceAPI, _, _) = try await SyncTestClient.register("Alice", on: server)
        let (bobAPI, bob, bobSession) = try await SyncTestClient.register("Bob", on: server)
        let (_, carol, _) = try await SyncTestClient.register("Carol", on: server)
        let group = try await aliceAPI.createChat(CreateChatRequest(title: "Club", participants: [bob.id, carol.id], isPersonal: false))
        let store = try ChatStore(path: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite", me: bob.id)
        try store.upsertChat(try await bobAPI.chat(group.id))
        return (aliceAPI, bob.id, carol.id, group.id, store, SyncEngine(store: store, api: bobAPI, sessionId: bobSession))
    }
}

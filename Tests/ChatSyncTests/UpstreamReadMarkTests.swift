import ChatAPI
import ChatStore
import ChatTestSupport
@testable import ChatSync
import Foundation
import Testing

/// The upstream stores a read mark, but the `messageUpdate` it sends for the
/// read carries the marks from before it (`readMarks: []`) with the reader as its source, and
/// its message pages carry no marks. The event's source read the message; a page that says
/// nothing of marks takes none away.
@Suite struct UpstreamReadMarkTests {
    @Test func theSourceOfAnUpdateReadTheMessageAndAPageWithoutMarksKeepsThem() async throws {
        let server = try await TestServer.start()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let bob = try await SyncTestClient.start("Bob", on: server)
        try await alice.online()
        try await bob.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
        let sent = try await alice.engine.send("read me", to: chat)
        try await alice.eventually("on the server") { store in try store.message(chat, localId: sent.localId)?.serverId != nil }
        let serverId = try #require(try alice.store.message(chat, localId: sent.localId)?.serverId)
        let date = Date()
        // What the upstream sends when Bob reads it: the message as before the read.
        let before = MessageInfo(id: serverId, localId: sent.localId, chatId: chat, authorId: alice.id, text: "read me",
                                 createdAt: date, updatedAt: date, readMarks: [])
        await alice.engine.apply(EventEnvelope(event: .messageUpdate(before), source: .user(bob.id)))
        #expect(try alice.store.message(chat, localId: sent.localId)?.readBy == [bob.id])

        // An edit by the author is not a read by anyone.
        let carol = try await SyncTestClient.start("Carol", on: server)
        await alice.engine.apply(EventEnvelope(event: .messageUpdate(before), source: .user(alice.id)))
        #expect(try alice.store.message(chat, localId: sent.localId)?.readBy == [bob.id])

        // A page that carries no marks (the upstream's) takes none away.
        _ = try alice.store.applyServerMessages([before])
        #expect(try alice.store.message(chat, localId: sent.localId)?.readBy == [bob.id])
        await carol.stop()
        await alice.stop()
        await bob.stop()
        await server.stop()
    }
}

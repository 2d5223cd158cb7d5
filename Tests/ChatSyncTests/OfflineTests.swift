import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

@Suite struct OfflineTests {
    @Test func fiftyMessagesQueuedWhileTheServerIsDownAreDeliveredOnceInOrder() async throws {
        let server = try await TestServer.startRestartable()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let (bobAPI, bob, _) = try await SyncTestClient.register("Bob", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id

        await server.stop()
        try await alice.offline()
        for index in 0..<50 { try await alice.engine.send("offline \(index)", to: chat) }
        #expect(try alice.store.outboxItems().count == 50)
        #expect(try alice.store.messages(chat).allSatisfy { $0.state == .queued })

        let restarted = try await TestServer.restart(server)
        try await alice.eventually("all delivered") { try $0.outboxItems().isEmpty }
        let onServer = try await serverMessages(bobAPI, chat)
        #expect(onServer.map(\.text) == (0..<50).map { "offline \($0)" })
        #expect(try alice.store.messages(chat).map(\.serverId) == onServer.map(\.id))
        await alice.stop()
        await restarted.stop()
    }

    @Test func aClientThatWasAwayFor500MessagesHasThemAllAfterReconnecting() async throws {
        try await withServer { server in
            var bob = try await SyncTestClient.start("Bob", on: server)
            let (aliceAPI, alice, _) = try await SyncTestClient.register("Alice", on: server)
            try await bob.online()
            let chat = try await aliceAPI.createChat(CreateChatRequest(participants: [bob.id])).id
            _ = try await aliceAPI.postMessage(chat, PostMessageRequest(localId: LocalID.make(author: alice.id), text: "before"))
            try await bob.eventually("the first message") { try $0.messages(chat).count == 1 }
            await bob.stop()

            for index in 0..<500 {
                _ = try await aliceAPI.postMessage(chat, PostMessageRequest(localId: LocalID.make(author: alice.id), text: "away \(index)"))
            }
            bob = try bob.restarted()
            // The catch-up is over once the last page's range is recorded, just after its
            // messages: wait for both, then no gap may be left (one range covers the chat).
            try await bob.eventually("all 501 messages, the catch-up done") { store in
                try store.messageCount(chat) == 501 && store.knownRanges(chat).first?.low == 0
            }
            let cached = try bob.store.messages(chat, limit: 1000)
            #expect(cached.map(\.text) == ["before"] + (0..<500).map { "away \($0)" })
            #expect(try bob.store.knownRanges(chat).count == 1)
            await bob.stop()
        }
    }

    @Test func aGapLeftByALongAbsenceIsFilledWhenScrollingBack() async throws {
        try await withServer { server in
            var bob = try await SyncTestClient.start("Bob", on: server)
            let (aliceAPI, alice, _) = try await SyncTestClient.register("Alice", on: server)
            try await bob.online()
            let chat = try await aliceAPI.createChat(CreateChatRequest(participants: [bob.id])).id
            _ = try await aliceAPI.postMessage(chat, PostMessageRequest(localId: LocalID.make(author: alice.id), text: "first"))
            try await bob.eventually("the first message") { try $0.messageCount(chat) == 1 }
            await bob.stop()
            // More than the catch-up pages: 20 pages of 100.
            for index in 0..<2_150 {
                _ = try await aliceAPI.postMessage(chat, PostMessageRequest(localId: LocalID.make(author: alice.id), text: "m\(index)"))
            }
            bob = try bob.restarted()
            try await bob.online()
            let ranges = try bob.store.knownRanges(chat)
            #expect(ranges.count == 2)  // the newest 2,000 and the old message, with a gap between
            #expect(try bob.store.messageCount(chat) == 2_001)
            var reachedStart = false
            while !reachedStart { reachedStart = try await bob.engine.loadOlder(chat) }
            #expect(try bob.store.messageCount(chat) == 2_151)
            #expect(try bob.store.knownRanges(chat).count == 1)
            await bob.stop()
        }
    }

    @Test func aFileQueuedOfflineIsUploadedAfterARestart() async throws {
        let server = try await TestServer.startRestartable()
        var alice = try await SyncTestClient.start("Alice", on: server)
        let bob = try await SyncTestClient.start("Bob", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
        let path = NSTemporaryDirectory() + "photo-\(UUID().uuidString).png"
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try bytes.write(to: URL(fileURLWithPath: path))

        await server.stop()
        let queued = try await alice.engine.sendFile(at: path, caption: "look", to: chat)
        #expect(queued.attachments.first?.fileType == "png")
        await alice.stop()  // the client quits with the file still queued

        let restarted = try await TestServer.restart(server)
        alice = try alice.restarted()
        try await bob.eventually("the attachment uploaded") { store in
            try store.messages(chat).first?.attachments.first?.fileExists == true
        }
        let received = try #require(try bob.store.messages(chat).first)
        #expect(received.text == "look")
        let destination = NSTemporaryDirectory() + "received-\(UUID().uuidString).png"
        try await bob.engine.download(chat, localId: received.localId, to: destination)
        #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == bytes)
        #expect(try bob.store.message(chat, localId: received.localId)?.attachments.first?.transferState == .downloaded)
        try await alice.eventually("the upload job done") { try $0.uploadJobs().isEmpty }
        #expect(try alice.store.messages(chat).first?.attachments.first?.transferState == .uploaded)
        await alice.stop()
        await bob.stop()
        await restarted.stop()
    }

    @Test func aRefusedMessageFailsWithTheReasonAndCanBeRetriedOrDiscarded() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let bob = try await SyncTestClient.start("Bob", on: server)
            try await alice.online()
            let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
            let tooLong = try await alice.engine.send(String(repeating: "x", count: 3000), to: chat)
            try await alice.eventually("the refusal") { try $0.message(chat, localId: tooLong.localId)?.state == .failed }
            let failed = try #require(try alice.store.message(chat, localId: tooLong.localId))
            #expect(failed.failureReason?.contains("2048") == true)
            #expect(try alice.store.chatList().first?.failedCount == 1)
            // Later messages of the chat wait behind it, in order.
            try await alice.engine.send("after", to: chat)
            try await alice.engine.editQueued(chat, localId: tooLong.localId, text: "shorter now")
            try await alice.engine.retry(chat, localId: tooLong.localId)
            try await alice.eventually("both delivered") { try $0.outboxItems().isEmpty }
            #expect(try await bob.api.messages(chat).map(\.text) == ["after", "shorter now"])
            let doomed = try await alice.engine.send(String(repeating: "y", count: 3000), to: chat)
            try await alice.eventually("the second refusal") { try $0.message(chat, localId: doomed.localId)?.state == .failed }
            try await alice.engine.discard(chat, localId: doomed.localId)
            #expect(try alice.store.message(chat, localId: doomed.localId) == nil)
            await alice.stop()
            await bob.stop()
        }
    }
}

import ChatAPI
import ChatTestSupport
import Foundation
import Testing

/// [ours] A client that reconnects with its position in the event stream gets the frames it
/// missed, in order and once, before anything new, and so needs no catch-up over REST; a
/// position the server does not hold is said so, and the client catches up as before.
@Suite struct StreamResumeTests {
    @Test(arguments: StorageBackend.available) func aReconnectGetsWhatItMissedInOrderThenWhatIsNew(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let first = try await EventListener.connect(bob, to: server, resume: .noPosition)
            let hello = try #require(await first.hello)
            #expect(!hello.resumed)
            let one = try await alice.send("one", in: chat.id)
            #expect(try await first.next().event == .message(one))
            let at = try #require(await first.lastSeq)
            #expect(at > hello.seq)
            await first.close()

            // Missed while away: a message, its edit and another message.
            let two = try await alice.send("two", in: chat.id)
            _ = try await alice.http.put(APIPath.message(chat.id, two.id), UpdateMessageRequest(text: "two, edited")).decode(MessageInfo.self)
            let three = try await alice.send("three", in: chat.id)

            let second = try await EventListener.connect(bob, to: server, resume: .after(StreamPosition(stream: hello.stream, seq: at)))
            let resumed = try #require(await second.hello)
            #expect(resumed.resumed)
            #expect(resumed.stream == hello.stream)
            #expect(resumed.seq == at)
            #expect(try await second.next().event == .message(two))
            guard case .messageUpdate(let edited) = try await second.next().event else { throw TestFailure("expected the edit") }
            #expect(edited.id == two.id && edited.text == "two, edited")
            #expect(try await second.next().event == .message(three))
            let four = try await alice.send("four", in: chat.id)
            #expect(try await second.next().event == .message(four))
            try await second.expectNothingPending()
            await second.close()
        }
    }

    @Test func aPositionTheServerDoesNotHoldIsRefusedAndNothingIsReplayed() async throws {
        try await withServer { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let first = try await EventListener.connect(bob, to: server, resume: .noPosition)
            let hello = try #require(await first.hello)
            _ = try await alice.send("one", in: chat.id)
            _ = try await first.next()
            let at = try #require(await first.lastSeq)
            await first.close()
            _ = try await alice.send("two", in: chat.id)

            let positions = [
                StreamPosition(stream: UUID().uuidString, seq: at),  // another run of the server
                StreamPosition(stream: hello.stream, seq: at + 1_000),  // ahead of the stream
            ]
            for position in positions {
                let listener = try await EventListener.connect(bob, to: server, resume: .after(position))
                let answer = try #require(await listener.hello)
                #expect(!answer.resumed, "\(position)")
                #expect(answer.stream == hello.stream)
                try await listener.expectNothingPending()
                await listener.close()
            }
        }
    }

    @Test func aMalformedPositionIsABadRequestThatSaysWhy() async throws {
        try await withServer { server in
            let alice = try await TestUser.register("Alice", on: server)
            let huge = String(repeating: "a", count: 2_000) + ".1"
            for value in ["", "garbage", "abc.-1", "a/b.3", "a%00b.3", "abc.1%00", "abc.99999999999999999999", huge] {
                let path = APIPath.events(alice.sessionId) + "?resume=" + value
                let reply = try await RawHTTP.exchange(port: server.port, RawHTTP.upgradeRequest(port: server.port, path: path, token: alice.token))
                #expect(reply.status == 400, "resume=\(value.prefix(40))")
                #expect(reply.reason?.contains("resume position") == true, "resume=\(value.prefix(40)): \(reply.body.prefix(200))")
            }
        }
    }
}

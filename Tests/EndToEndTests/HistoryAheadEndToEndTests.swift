import ChatTestSupport
import Foundation
import Testing

/// Bob received 300 messages, ran `termchat sync`, and `termchat search`
/// found neither the 17th nor the 40th: only the newest page of each chat was cached. Each
/// chat's newest messages are now fetched by default, by `termchat sync` and by the client.
@Suite struct HistoryAheadEndToEndTests {
    @Test func syncFetchesTheNewestMessagesOfEachChatSoThatSearchFindsThem() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        _ = try await alice.postHistory(1...300, to: bob, on: server)
        let synced = try await ChildProcess.run("termchat", ["sync"], environment: bob.environment)
        #expect(synced.status == 0, "\(synced.output)")
        #expect(synced.output.contains("every chat is cached its newest 10,000 messages or from its start"), "\(synced.output)")
        for wanted in ["history 00017", "history 00040"] {
            let found = try await ChildProcess.run("termchat", ["search", "\"\(wanted)\""], environment: bob.environment)
            #expect(found.output.contains(wanted), "\(found.output)")
        }
        await server.stop()
    }

    @Test func theClientFetchesInTheBackgroundAndItsSearchFindsOldMessages() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        _ = try await alice.postHistory(1...300, to: bob, on: server)
        let b = try await TmuxSession.client(for: bob)
        try await stopping({ await b.kill(); await server.stop() }) {
            // Nothing is opened or scrolled: the client fetches the history by itself. The
            // cache is shared, so the command line sees when it has.
            let deadline = ContinuousClock.now + .seconds(90)
            var found = ""
            while ContinuousClock.now < deadline, !found.contains("history 00017") {
                found = try await ChildProcess.run("termchat", ["search", "\"history 00017\""], environment: bob.environment).output
            }
            #expect(found.contains("history 00017"), "never fetched: \(found)")
            try await b.press("C-f")
            try await b.type("\"history 00017\"")
            try await b.waitFor("1 found")
        }
    }
}

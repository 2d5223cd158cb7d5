import ChatAPI
import ChatApp
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// The real `termchat` binary: queued offline, SIGKILLed while delivering, run again.
@Suite struct ClientCrashTests {
    @Test func messagesOfAClientKilledMidDeliveryArriveExactlyOnce() async throws {
        let server = try await TestServer.startRestartable()
        let home = TemporaryDirectory.make()
        let environment = [
            "HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "TERMCHAT_PASSWORD": "password1",
        ]
        let username = UniqueName.make("alice")
        let registered = try await ChildProcess.run("termchat", ["register", "--server", server.baseURL, "--name", "Alice", "--username", username], environment: environment)
        #expect(registered.status == 0, "\(registered.output)")
        let bob = try await SyncTestClient.start("Bob", on: server)
        try await bob.online()
        let bobUsername = try #require(try await bob.api.me().info.username)

        let warmup = try await ChildProcess.run("termchat", ["send", bobUsername, "warm-up"], environment: environment)
        #expect(warmup.status == 0 && warmup.output.contains("Sent."), "\(warmup.output)")
        try await bob.eventually("the warm-up") { try $0.chatList().first?.lastMessage?.text == "warm-up" }
        let chat = try #require(try bob.store.chatIds().first)

        await server.stop()
        for index in 0..<20 {
            let queued = try await ChildProcess.run("termchat", ["send", chat.uuidString, "crash \(index)", "--wait", "0"], environment: environment)
            #expect(queued.status == 0 && queued.output.contains("Queued"), "\(queued.output)")
        }
        let restarted = try await TestServer.restart(server)
        try await bob.online()

        // Kill the delivering client as soon as its first message reaches Bob.
        let sync = try ChildProcess("termchat", ["sync"], environment: environment)
        try await bob.eventually("the first delivery") { try $0.messageCount(chat) >= 2 }
        sync.signal(SIGKILL)
        _ = await sync.finish()
        let cachePath = AppPaths(environment: environment).cacheFile(server: URL(string: server.baseURL)!, username: username)
        let leftInOutbox = try ChatStore(path: cachePath, me: 0).outboxItems().count
        #expect(leftInOutbox > 0, "the client finished before it was killed: nothing was tested")

        let again = try await ChildProcess.run("termchat", ["sync"], environment: environment)
        #expect(again.status == 0, "\(again.output)")
        let onServer = try await bob.api.messages(chat, count: 100).reversed().compactMap(\.text)
        #expect(onServer == ["warm-up"] + (0..<20).map { "crash \($0)" })
        #expect(try ChatStore(path: cachePath, me: 0).outboxItems().isEmpty)
        await bob.stop()
        await restarted.stop()
    }
}

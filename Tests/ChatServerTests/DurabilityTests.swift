import ChatTestSupport
import ChatAPI
import Foundation
import Testing

/// The real binary, killed with SIGKILL mid-stream and restarted on the same data directory.
@Suite struct DurabilityTests {
    @Test(arguments: StorageBackend.available) func aKilledServerKeepsEveryCommittedMessage(_ backend: StorageBackend) async throws {
        let directory = TemporaryDirectory.make()
        let database = try await backend.makeDatabase().arguments
        let first = try await ServerProcess(dataDirectory: directory, arguments: database)
        let server = try await TestServerAddress(first.baseURL)
        let alice = try await TestUser.register("Alice", at: server)
        let bob = try await TestUser.register("Bob", at: server)
        let chat = try await alice.createChat(with: [bob])

        // Post continuously from several tasks; kill the server once 150 posts were answered.
        let acknowledged = Acknowledged()
        let pid = first.process.processIdentifier
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<10_000 {
                        let text = "w\(writer)-\(index)"
                        guard let message = try? await alice.send(text, in: chat.id) else { return }  // server gone
                        await acknowledged.add(message)
                    }
                }
            }
            group.addTask {
                await acknowledged.waitFor(150)
                kill(pid, SIGKILL)
            }
            try await group.waitForAll()
        }
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal)
        let committed = await acknowledged.messages
        #expect(committed.count >= 150)

        let second = try await ServerProcess(dataDirectory: directory, arguments: database)
        defer { second.kill(signal: SIGTERM) }
        var bobAgain = bob
        bobAgain.http.baseURL = second.baseURL  // sessions survive too: the same token works
        var stored: [MessageID: String] = [:]
        var before: MessageID?
        while true {
            let query = before.map { "&before=\($0)" } ?? ""
            let page = try await bobAgain.http.get("\(APIPath.messages(chat.id))?count=500\(query)").decode([MessageInfo].self)
            for message in page { stored[message.id] = message.text }
            guard let last = page.last, page.count == 500 else { break }
            before = last.id
        }
        for message in committed {
            #expect(stored[message.id] == message.text, "message \(message.id) lost")
        }
    }
}

/// Messages the server answered, in the order the answers came.
actor Acknowledged {
    private(set) var messages: [MessageInfo] = []
    private var waiters: [(Int, CheckedContinuation<Void, Never>)] = []

    func add(_ message: MessageInfo) {
        messages.append(message)
        let ready = waiters.filter { messages.count >= $0.0 }
        waiters.removeAll { messages.count >= $0.0 }
        for (_, waiter) in ready { waiter.resume() }
    }

    func waitFor(_ count: Int) async {
        if messages.count >= count { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}

import ChatAPI
import ChatClient
import ChatTestSupport
import Foundation
import Testing

extension EventStreamTests {
    /// A server that refuses the event stream and says why (here: the account has its share of
    /// streams open) has its reason handed on to be shown, instead of "upgrade failed".
    @Test func theServersReasonForRefusingTheStreamIsHandedOn() async throws {
        try await withServer(configure: { $0.maxSocketsPerAccount = 1 }) { server in
            let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
            func signUp(_ name: String) async throws -> (APIClient, PrivateUserInfo, UUID) {
                let device = DeviceInfo(id: UUID(), name: "test", model: "swift")
                let info = try await anonymous.register(RegisterRequest(name: name, username: UniqueName.make(name.lowercased()),
                                                                        password: "password1", deviceInfo: device))
                let session = try #require(info.session(for: device.id))
                return (anonymous.withToken(session.accessToken), info, session.id)
            }
            let (alice, _, aliceSession) = try await signUp("Alice")
            let (bob, bobInfo, _) = try await signUp("Bob")
            let chat = try await alice.createChat(CreateChatRequest(participants: [bobInfo.info.id]))
            // Alice's one stream, counted by the server once an event reaches it.
            let first = EventStream(api: alice, sessionId: aliceSession)
            let firstSignals = first.signals()
            let poster = Task {
                for _ in 0..<200 where !Task.isCancelled {
                    _ = try? await bob.postMessage(chat.id, PostMessageRequest(localId: LocalID.make(author: bobInfo.info.id), text: "ping"))
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { poster.cancel() }
            _ = try await collect(firstSignals) { $0.contains { if case .event = $0 { true } else { false } } }
            let second = EventStream(api: alice, sessionId: aliceSession)
            let seen = try await collect(second.signals()) { $0.contains { if case .problem = $0 { true } else { false } } }
            // The first stream stayed open (its signals alive) while the second one tried.
            withExtendedLifetime(firstSignals) {}
            let problem = seen.lazy.compactMap { if case .problem(let sentence) = $0 { sentence } else { nil } }.first
            #expect(problem == "At most 1 event streams per account are open at once; close one first.")
        }
    }
}

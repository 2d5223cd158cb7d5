import ChatAPI
import ChatClient
import ChatTestSupport
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@Suite struct EventStreamTests {
    /// Reads signals until `stop` says enough, failing instead of hanging.
    func collect(_ signals: AsyncStream<EventStreamSignal>, timeout: Duration = .seconds(20),
                 until stop: @escaping @Sendable ([EventStreamSignal]) -> Bool) async throws -> [EventStreamSignal] {
        try await withThrowingTaskGroup(of: [EventStreamSignal].self) { group in
            group.addTask {
                var seen: [EventStreamSignal] = []
                for await signal in signals {
                    seen.append(signal)
                    if stop(seen) { return seen }
                }
                return seen
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestFailure("signals did not arrive in time")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    @Test func garbageTruncatedAndUnknownFramesAreSkippedAndTheStreamStaysUp() async throws {
        let chat = UUID()
        let valid = try EventEnvelope(event: .chatDeleted(chat), source: .user(2)).encode()
        let frames: [WebSocketOutboundWriter.OutboundFrame] = [
            .text("not json at all"),
            .text(#"{"event":"message","source":"1","payload":{"id":"#),
            .text(#"{"event":"fireworks","source":"1","payload":{}}"#),
            .binary(ByteBuffer(bytes: valid)),  // the upstream sends binary frames
            .text(String(decoding: valid, as: UTF8.self)),
        ]
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws(":session") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, _ in
            for frame in frames { try await outbound.write(frame) }
            for try await _ in inbound.messages(maxSize: 1 << 16) {}
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "garbage-server")
        logger.logLevel = .critical
        let app = Application(
            router: Router(), server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) }, logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let serverTask = Task { try await group.run() }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        let api = APIClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, token: "t")
        let stream = EventStream(api: api, sessionId: UUID())
        let seen = try await collect(stream.signals()) { seen in
            seen.filter { if case .event = $0 { true } else { false } }.count == 2
        }
        await group.triggerGracefulShutdown()
        _ = try? await serverTask.value

        #expect(seen.first == .connecting)
        #expect(seen.dropFirst().first == .connected)
        let skipped = seen.filter { if case .skipped = $0 { true } else { false } }
        #expect(skipped.count == 3)
        #expect(!seen.contains { if case .disconnected = $0 { true } else { false } })
        #expect(seen.suffix(2) == [.event(EventEnvelope(event: .chatDeleted(chat), source: .user(2))),
                                  .event(EventEnvelope(event: .chatDeleted(chat), source: .user(2)))])
    }

    @Test func reconnectsAfterTheServerComesBackAndReceivesEvents() async throws {
        let first = try await TestServer.startRestartable()
        let device = DeviceInfo(id: UUID(), name: "t", model: "t")
        let anonymous = APIClient(baseURL: URL(string: first.baseURL)!)
        let info = try await anonymous.register(RegisterRequest(name: "A", username: UniqueName.make("alice"), password: "password1", deviceInfo: device))
        let session = try #require(info.session(for: device.id))
        let api = anonymous.withToken(session.accessToken)
        let chat = try await api.createChat(CreateChatRequest(title: "solo", participants: [], isPersonal: false))

        var configuration = EventStream.Configuration()
        configuration.backoff = Backoff(base: .milliseconds(50), cap: .milliseconds(400))
        let stream = EventStream(api: api, sessionId: session.id, configuration: configuration)
        let signals = stream.signals()
        var iterator = signals.makeAsyncIterator()
        func next(where matches: (EventStreamSignal) -> Bool) async throws -> EventStreamSignal {
            while let signal = await iterator.next() {
                if matches(signal) { return signal }
            }
            throw TestFailure("stream ended")
        }
        _ = try await next { $0 == .connected }
        await first.stop()
        _ = try await next { if case .disconnected = $0 { true } else { false } }
        let second = try await TestServer.restart(first)
        _ = try await next { $0 == .connected }
        try await api.notify(chat.id, name: "hello-again")
        let event = try await next { if case .event = $0 { true } else { false } }
        #expect(event == .event(EventEnvelope(event: .auxiliary(AuxiliaryPayload(name: "hello-again", chatId: chat.id)), source: .user(info.info.id))))
        await second.stop()
    }

    /// [ours] A dropped connection continues where it was: the server sends what was posted
    /// meanwhile, and the stream says `resumed` (no catch-up) instead of `connected`.
    @Test func aDroppedConnectionResumesWithWhatWasMissedOnce() async throws {
        try await withServer { server in
            let alice = try await Account.register("Alice", on: server)
            let bob = try await Account.register("Bob", on: server)
            let chat = try await alice.api.createChat(CreateChatRequest(title: nil, participants: [bob.id], isPersonal: true))
            var configuration = EventStream.Configuration()
            configuration.backoff = Backoff(base: .milliseconds(50), cap: .milliseconds(400))
            let stream = EventStream(api: bob.api, sessionId: bob.session, configuration: configuration)
            let log = SignalLog()
            let task = Task { await stream.run { log.append($0) } }
            defer { task.cancel() }
            func post(_ text: String) async throws {
                _ = try await alice.api.postMessage(chat.id, PostMessageRequest(localId: UUID().uuidString, text: text))
            }
            try await log.wait { $0.contains(.connected) }
            try await post("one")
            try await log.wait { SignalLog.texts($0) == ["one"] }

            stream.reconnectNow()
            try await log.wait { $0.contains { if case .disconnected = $0 { true } else { false } } }
            try await post("two")
            try await post("three")
            try await log.wait { SignalLog.texts($0).count >= 3 }
            try await post("four")
            try await log.wait { SignalLog.texts($0).count >= 4 }
            let seen = log.signals
            #expect(SignalLog.texts(seen) == ["one", "two", "three", "four"])
            #expect(seen.filter { $0 == .connected }.count == 1)
            #expect(seen.filter { $0 == .resumed }.count == 1)
        }
    }

    @Test func aRevokedTokenEndsTheStreamAsSignedOut() async throws {
        try await withServer { server in
            let device = DeviceInfo(id: UUID(), name: "t", model: "t")
            let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
            let info = try await anonymous.register(RegisterRequest(name: "A", username: UniqueName.make("alice"), password: "password1", deviceInfo: device))
            let session = try #require(info.session(for: device.id))
            let api = anonymous.withToken(session.accessToken)
            try await api.logout()
            let seen = try await collect(EventStream(api: api, sessionId: session.id).signals()) {
                if case .signedOut = $0.last { true } else { false }
            }
            // With the server's own sentence, which the status line shows.
            #expect(seen.last == .signedOut(reason: "Sign in first: the access token is missing, invalid or expired."))
            #expect(!seen.contains(.connected))
        }
    }
}

/// A signed-in account of the test server, with its session.
private struct Account {
    var api: APIClient
    var session: UUID
    var id: UserID

    static func register(_ name: String, on server: TestServer) async throws -> Account {
        let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
        let device = DeviceInfo(id: UUID(), name: "t", model: "t")
        let info = try await anonymous.register(RegisterRequest(name: name, username: UniqueName.make(name.lowercased()), password: "password1", deviceInfo: device))
        let session = try #require(info.session(for: device.id))
        return Account(api: anonymous.withToken(session.accessToken), session: session.id, id: info.info.id)
    }
}

/// Every signal a stream delivered, and a wait for what they must come to.
private final class SignalLog: Sendable {
    private let seen = Mutex<[EventStreamSignal]>([])
    private let changes = WakeSignal()

    func append(_ signal: EventStreamSignal) {
        seen.withLock { $0.append(signal) }
        changes.wake()
    }

    var signals: [EventStreamSignal] { seen.withLock { $0 } }

    /// Returns once `condition` holds for the signals so far; fails after 20 s.
    func wait(_ condition: @escaping @Sendable ([EventStreamSignal]) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition(signals) {
            guard ContinuousClock.now < deadline else { throw TestFailure("signals never came to what was awaited: \(signals)") }
            await changes.wait(upTo: .milliseconds(200))
        }
    }

    static func texts(_ signals: [EventStreamSignal]) -> [String] {
        signals.compactMap { if case .event(let envelope) = $0, case .message(let m) = envelope.event { m.text } else { nil } }
    }
}

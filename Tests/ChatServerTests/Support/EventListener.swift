import ChatTestSupport
import ChatAPI
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization
import WSClient

/// One real WebSocket connection to the event stream, decoding every frame as an event.
///
/// `connect` returns only once the server has registered the connection (it waits for its own
/// probe notification), and `expectNothingPending` proves a negative without sleeping: the
/// stream is FIFO per connection, so if a fresh probe is the next frame, nothing was queued
/// before it.
actor EventListener {
    private var buffer: [(EventEnvelope, UInt64?)] = []
    private var waiter: CheckedContinuation<(EventEnvelope, UInt64?)?, Never>?
    /// The stream's first frame, when the listener asked to resume ([ours]).
    private(set) var hello: StreamHello?
    private var helloWaiter: CheckedContinuation<Void, Never>?
    /// The number of the last event `next` returned (frames are numbered, [ours]).
    private(set) var lastSeq: UInt64?
    private var isClosed = false
    private var task: Task<Void, any Error>?
    private let outbound = OutboundBox()
    let user: TestUser
    private var probeChat: ChatID?
    /// The last events returned, for the message of a failure.
    private var seen: [String] = []

    final class OutboundBox: Sendable {
        let writer = Mutex<WebSocketOutboundWriter?>(nil)
    }

    private init(user: TestUser) {
        self.user = user
    }

    static func connect(_ user: TestUser, to server: TestServer) async throws -> EventListener {
        try await connect(user, port: server.port)
    }

    static func connect(_ user: TestUser, port: Int) async throws -> EventListener {
        let listener = EventListener(user: user)
        await listener.start(port: port, resume: nil)
        try await listener.waitUntilRegistered()
        return listener
    }

    /// Connects asking to resume: the server's hello, the stream's first frame, says the
    /// connection is registered (and whether the frames missed follow).
    static func connect(_ user: TestUser, to server: TestServer, resume: ResumeRequest) async throws -> EventListener {
        let listener = EventListener(user: user)
        await listener.start(port: server.port, resume: resume)
        try await listener.waitForHello()
        return listener
    }

    private func waitForHello() async throws {
        if hello != nil { return }
        guard !isClosed else { throw TestFailure("event stream closed before its hello") }
        let timer = Task {
            try await Task.sleep(for: .seconds(10))
            self.helloTimedOut()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { helloWaiter = $0 }
        guard hello != nil else { throw TestFailure("no hello within 10 s") }
    }

    private func helloTimedOut() {
        helloWaiter?.resume()
        helloWaiter = nil
    }

    private func received(_ hello: StreamHello) {
        self.hello = hello
        helloWaiter?.resume()
        helloWaiter = nil
    }

    private func start(port: Int, resume: ResumeRequest?) {
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders = [.authorization: "Bearer \(user.token)"]
        configuration.maxFrameSize = 1 << 20
        let url = "ws://127.0.0.1:\(port)\(APIPath.events(user.sessionId))" + (resume.map { "?\(ResumeRequest.queryName)=\($0.queryValue)" } ?? "")
        let box = outbound
        task = Task {
            do {
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "test-ws")) { inbound, outbound, _ in
                    box.writer.withLock { $0 = outbound }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        let data: Data = switch message {
                        case .text(let text): Data(text.utf8)
                        case .binary(let buffer): Data(buffer: buffer)
                        }
                        if let hello = StreamHello.decode(data) {
                            await self.received(hello)
                            continue
                        }
                        let (seq, envelope) = SequencedFrame.split(data)
                        await self.deliver((try EventEnvelope.decode(envelope), seq))
                    }
                }
            } catch {
                self.finish()
                throw error
            }
            self.finish()
        }
    }

    private func deliver(_ event: (EventEnvelope, UInt64?)) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: event)
        } else {
            buffer.append(event)
        }
    }

    private func finish() {
        isClosed = true
        helloWaiter?.resume()
        helloWaiter = nil
        waiter?.resume(returning: nil)
        waiter = nil
    }

    private func timeOut() {
        waiter?.resume(returning: nil)
        waiter = nil
    }

    /// The next event, failing (rather than hanging) if none comes within `timeout`. Probes of
    /// other listeners of the same user (they reach all of the user's sessions) are skipped.
    func next(timeout: Duration = .seconds(10)) async throws -> EventEnvelope {
        while true {
            let event = try await nextFrame(timeout: timeout)
            if case .auxiliary(let payload) = event.event, payload.name.hasPrefix(Self.probePrefix), payload.name != expectedProbe {
                continue
            }
            return event
        }
    }

    private static let probePrefix = "probe-"
    private var expectedProbe: String?

    private func nextFrame(timeout: Duration) async throws -> EventEnvelope {
        if !buffer.isEmpty {
            let (event, seq) = buffer.removeFirst()
            lastSeq = seq
            return event
        }
        guard !isClosed else { throw TestFailure("event stream closed") }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.timeOut()
        }
        defer { timer.cancel() }
        let event = await withCheckedContinuation { waiter = $0 }
        guard let (event, seq) = event else {
            throw TestFailure(isClosed ? "event stream closed" : "no event within \(timeout) for \(user.username) (expected probe \(expectedProbe ?? "none"); seen \(seen.suffix(3)))")
        }
        seen.append("\(event.event)".prefix(60).description)
        lastSeq = seq
        return event
    }

    /// Whether the server has closed the connection (waits for the close).
    func waitUntilClosed() async throws {
        while !isClosed {
            do {
                _ = try await next()
            } catch where isClosed {
                return
            }
        }
    }

    /// Sends a probe only this user's sessions receive and checks it is the next event.
    func expectNothingPending() async throws {
        try await expectProbe(within: .seconds(10))
    }

    /// Probes until one arrives: the connection is then registered with the server's hub. A
    /// probe sent before the upgrade completed reaches no one, so one probe is not enough;
    /// late answers to earlier probes are skipped by `next` (their names are not expected).
    private func waitUntilRegistered() async throws {
        for _ in 0..<100 {
            guard !isClosed else { throw TestFailure("event stream closed before it was registered") }
            do {
                try await expectProbe(within: .milliseconds(300))
                return
            } catch let failure as TestFailure where failure.description.hasPrefix("no event within") {
                continue
            }
        }
        throw TestFailure("the event stream was never registered")
    }

    private func expectProbe(within timeout: Duration) async throws {
        let chat = try await probeChatId()
        let name = Self.probePrefix + UUID().uuidString
        expectedProbe = name
        defer { expectedProbe = nil }
        let reply = try await user.http.post(APIPath.notify(chat), NotifyRequest(name: name, realm: .webSocket))
        guard reply.status == 200 else { throw TestFailure("probe failed: \(reply.status) \(reply.text)") }
        let event = try await next(timeout: timeout)
        guard case .auxiliary(let payload) = event.event, payload.name == name else {
            throw TestFailure("expected nothing before the probe, got \(event.event)")
        }
    }

    /// A group chat with only this user in it (creating it again returns the same chat).
    private func probeChatId() async throws -> ChatID {
        if let probeChat { return probeChat }
        let chat: ChatInfo = try await user.http.post(APIPath.chats, CreateChatRequest(title: "probe", participants: [], isPersonal: false)).decode()
        probeChat = chat.id
        return chat.id
    }

    func close() async {
        let writer = outbound.writer.withLock { $0 }
        try? await writer?.close(.normalClosure, reason: nil)
        _ = try? await task?.value
    }
}

import ChatAPI
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization
import WSClient

/// What the event stream reports to its consumer, in order.
public enum EventStreamSignal: Sendable, Equatable {
    case connecting
    /// Connected; what happened meanwhile is to be caught up over REST.
    case connected
    /// Connected, and the server sends what was missed meanwhile (**[ours]**): no catch-up.
    case resumed
    case event(EventEnvelope)
    /// A frame that was not an event we know; logged and skipped, the stream stays up.
    case skipped(String)
    /// The connection ended; the next attempt is in `retryIn`.
    case disconnected(reason: String, retryIn: Duration)
    /// Sent before `disconnected` when the cause is one a person must act on (the server's
    /// certificate is not trusted), in a sentence for the status line.
    case problem(String)
    /// The token no longer works (checked over REST after a refused upgrade), with the
    /// server's reason; the stream stops.
    case signedOut(reason: String)
}

/// The WebSocket event stream of one session, kept up for as long as the task that iterates
/// `signals()` runs: reconnects with capped, jittered exponential backoff, pings to notice a
/// dead peer, and reconnects at once when the machine wakes from sleep.
public final class EventStream: Sendable {
    public struct Configuration: Sendable {
        public var pingInterval: Duration = .seconds(15)
        public var backoff = Backoff()
        public var wakeCheckInterval: Duration = .seconds(5)
        /// Certificates trusted besides the system's (a PEM file): the tests' own authority.
        /// REST trusts the system's store only, so people have no setting.
        package var extraTrustedCertificatesFile: String?
        /// While events keep coming, the socket is read at most this often (`ReadPacer`): a
        /// burst costs a wake-up per few events, not one per event.
        public var readSpacing: TimeAmount? = .milliseconds(5)
        public init() {}
    }

    let api: APIClient
    let sessionId: UUID
    let configuration: Configuration
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var outbound: WebSocketOutboundWriter?
        /// Where this client is in the server's stream, once the server said (`StreamHello`).
        var position: StreamPosition?
    }
    /// Ends the wait between attempts early.
    private let retrySignal = WakeSignal()

    public init(api: APIClient, sessionId: UUID, configuration: Configuration = .init(), logger: Logger = Logger(label: "termchat.events")) {
        self.api = api
        self.sessionId = sessionId
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the connection loop for as long as the returned stream is iterated.
    public func signals() -> AsyncStream<EventStreamSignal> {
        AsyncStream { continuation in
            let task = Task {
                await self.run { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Runs the connection loop until the task is cancelled (or the token stops working),
    /// handing each signal to `deliver` on the connection's own task. In a burst of a thousand
    /// events a second, a stream between here and the consumer was one more task wake-up per
    /// event; `deliver` must be quick (put the signal in a queue).
    public func run(delivering deliver: @escaping @Sendable (EventStreamSignal) -> Void) async {
        await run(Deliver(send: deliver))
    }

    /// Where the loop below hands its signals.
    private struct Deliver: Sendable {
        let send: @Sendable (EventStreamSignal) -> Void
        func yield(_ signal: EventStreamSignal) { send(signal) }
    }

    /// Drops the current connection (if any) and skips the wait before the next attempt.
    public func reconnectNow() {
        let outbound = state.withLock { $0.outbound }
        retrySignal.wake()
        if let outbound { Task { try? await outbound.close(.goingAway, reason: "reconnecting") } }
    }

    private func run(_ deliver: Deliver) async {
        var backoff = configuration.backoff
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchForWake() }
            while !Task.isCancelled {
                deliver.yield(.connecting)
                let outcome = await connectOnce(deliver)
                if Task.isCancelled { break }
                if outcome.wasConnected { backoff.reset() }
                if let problem = outcome.problem { deliver.yield(.problem(problem)) }
                if !outcome.wasConnected, let reason = await signedOutReason() {
                    deliver.yield(.signedOut(reason: reason))
                    break
                }
                let delay = backoff.nextDelay()
                deliver.yield(.disconnected(reason: outcome.reason, retryIn: delay))
                await retrySignal.wait(upTo: delay)
            }
            group.cancelAll()
        }
    }

    /// How long a server that knows this client's position has to say whether it resumes.
    static let helloWait: Duration = .seconds(3)

    /// Says `connected` or `resumed` once per connection, whichever comes first.
    private final class Announcement: Sendable {
        private let done = Atomic<Bool>(false)
        private let deliver: Deliver

        init(_ deliver: Deliver) { self.deliver = deliver }

        func announce(resumed: Bool) {
            guard done.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
            deliver.yield(resumed ? .resumed : .connected)
        }
    }

    private struct Outcome {
        var wasConnected: Bool
        var reason: String
        var problem: String?
    }

    private func connectOnce(_ deliver: Deliver) async -> Outcome {
        var options = EventSocket.Options()
        if let token = api.token { options.headers = [.authorization: "Bearer \(token)"] }
        options.autoPing = .enabled(timePeriod: configuration.pingInterval)
        options.maxFrameSize = 1 << 22
        options.extraTrustedCertificatesFile = configuration.extraTrustedCertificatesFile
        options.readSpacing = configuration.readSpacing
        let connected = Atomic<Bool>(false)
        let position = state.withLock { $0.position }
        let url = ServerURL.events(base: api.baseURL, session: sessionId, resume: position.map(ResumeRequest.after) ?? .noPosition)
        do {
            try await EventSocket.connect(url: url, options: options, logger: logger) { inbound, outbound, _ in
                self.state.withLock { $0.outbound = outbound }
                connected.store(true, ordering: .relaxed)
                // With a position, the server's first frame says whether the stream resumes; a
                // server that never says (it should at once) is caught up with after a while.
                let announcement = Announcement(deliver)
                let fallback = position == nil ? nil : Task {
                    try await Task.sleep(for: Self.helloWait)
                    announcement.announce(resumed: false)
                }
                defer { fallback?.cancel() }
                if position == nil { announcement.announce(resumed: false) }
                // One decoder for the connection: making one per frame was a tenth of decoding.
                let decoder = JSONDecoder.chatAPI()
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    let data: Data = switch message {
                    case .text(let text): Data(text.utf8)
                    case .binary(let buffer): Data(buffer: buffer)
                    }
                    if let hello = StreamHello.decode(data) {
                        announcement.announce(resumed: hello.resumed && hello.stream == position?.stream)
                        self.state.withLock { $0.position = StreamPosition(stream: hello.stream, seq: hello.seq) }
                        continue
                    }
                    announcement.announce(resumed: false)
                    let (seq, envelope) = SequencedFrame.split(data)
                    do {
                        deliver.yield(.event(try EventEnvelope.decode(envelope, decoder: decoder)))
                    } catch {
                        self.logger.warning("skipping an event frame", metadata: ["error": "\(error)"])
                        deliver.yield(.skipped("\(error)"))
                    }
                    // Handed on in order: a reconnect continues after it.
                    if let seq { self.state.withLock { $0.position?.seq = seq } }
                }
            }
            state.withLock { $0.outbound = nil }
            return Outcome(wasConnected: connected.load(ordering: .relaxed), reason: "closed by the server")
        } catch {
            state.withLock { $0.outbound = nil }
            var problem: String?
            if case EventSocketError.untrustedCertificate(let detail) = error {
                problem = ClientError.untrustedCertificate(detail).userMessage
            }
            // The server's words when it said why (the upstream answers a bare status).
            if case EventSocketError.refused(_, let reason?) = error { problem = reason }
            return Outcome(wasConnected: connected.load(ordering: .relaxed), reason: "\(error)", problem: problem)
        }
    }

    /// A refused upgrade need not say why (the upstream answers a bare status): ask over REST
    /// whether the token still works. The server's reason when the token no longer works; nil
    /// when it still does (or the server cannot be asked).
    private func signedOutReason() async -> String? {
        do {
            _ = try await api.me()
            return nil
        } catch {
            return error.isUnauthorized ? error.userMessage : nil
        }
    }

    private func watchForWake() async {
        var detector = WallClockJumpDetector()
        let clock = SuspendingClock()
        let origin = clock.now
        while !Task.isCancelled {
            if detector.observe(wall: Date(), monotonic: clock.now - origin) {
                logger.info("the clock jumped (sleep?): reconnecting now")
                reconnectNow()
            }
            try? await Task.sleep(for: configuration.wakeCheckInterval)
        }
    }
}

import ChatAPI
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOWebSocket
import Synchronization

/// Fans encoded events out to connected WebSocket sessions by writing straight onto each
/// connection's channel, on its event loop: at most one hop per event loop per event (events
/// that arrive while the loop is busy share one), then per recipient one write for each run of
/// frames to the same sessions (in a busy group, all of the turn's), and one flush. (A task
/// and a queue per connection cost a task wake-up and an event-loop hop per delivered frame,
/// which capped fan-out at ~500 events/s to 100 sessions on two cores.)
///
/// Sending never waits on a socket. A peer that stops reading has its frames buffered by the
/// channel; once more than `queueLimit` frames went to it while its channel was unwritable it
/// is disconnected, and catches up over REST when it reconnects, as every client must.
final class RealtimeHub: Sendable {
    final class Connection: Sendable {
        let id = UUID()
        let userId: UserID
        let sessionId: UUID
        let channel: any Channel
        /// Ends the connection politely with a WebSocket close of this code.
        let close: @Sendable (WebSocketErrorCode) -> Void
        /// Where frames are written, and how many waited; touched only on its event loop.
        let onLoop: NIOLoopBoundBox<ConnectionWriteState>
        /// The frames waiting for the channel's event loop (shared by its connections).
        let mailbox: LoopMailbox

        /// Made on the channel's event loop (by its session handler).
        init(userId: UserID, sessionId: UUID, channel: any Channel, writer: ChannelHandlerContext, mailbox: LoopMailbox,
             close: @escaping @Sendable (WebSocketErrorCode) -> Void) {
            self.userId = userId
            self.sessionId = sessionId
            self.channel = channel
            self.close = close
            self.mailbox = mailbox
            onLoop = NIOLoopBoundBox(ConnectionWriteState(writer: writer), eventLoop: channel.eventLoop)
        }
    }

    private struct State {
        /// Each user's open connections: a few at most (`limit`), so an array.
        var connections: [UserID: [Connection]] = [:]
        /// The frames a reconnecting client may have missed (`ResumeRequest`).
        var history: StreamHistory<ByteBuffer>
    }

    /// One lock for connections and history: a frame is numbered, held and posted to its
    /// recipients' loops in one step, so that every connection gets frames in number order and
    /// a resumed connection's replay comes before any later frame.
    private let state: Mutex<State>
    private let queueLimit: Int
    private let logger: Logger
    private let metrics: ServerMetrics?

    init(queueLimit: Int = 4096, resumeWindow: Duration = .seconds(300), resumeLimit: Int = 1000, logger: Logger, metrics: ServerMetrics? = nil) {
        self.queueLimit = queueLimit
        self.logger = logger
        self.metrics = metrics
        state = Mutex(State(history: StreamHistory(window: resumeWindow, perUserLimit: resumeLimit)))
    }

    /// Registers a connection, on its channel's event loop; answers it (its id for
    /// `unregister`), or nil when the account has `limit` connections already (checked and
    /// counted at once: concurrent upgrades cannot pass it together). A client that asked to
    /// resume (`resume`) gets a `StreamHello` first and, when its position is held, the frames
    /// it missed, before any frame sent after this.
    func register(userId: UserID, sessionId: UUID, channel: any Channel, writer: ChannelHandlerContext, limit: Int = .max,
                  resume: ResumeRequest? = nil, close: @escaping @Sendable (WebSocketErrorCode) -> Void) -> Connection? {
        let connection = Connection(userId: userId, sessionId: sessionId, channel: channel, writer: writer,
                                    mailbox: mailbox(for: channel.eventLoop), close: close)
        let now = ContinuousClock.now
        let added = state.withLock { state in
            guard state.connections[userId, default: []].count < limit else { return false }
            state.connections[userId, default: []].append(connection)
            state.history.connected(userId, at: now)
            guard let resume else { return true }
            var replay: [ByteBuffer]?
            var at = state.history.seq
            if case .after(let position) = resume, let missed = state.history.frames(after: position, for: userId) {
                replay = missed
                at = position.seq
            }
            let hello = StreamHello(stream: state.history.id, seq: at, resumed: replay != nil)
            connection.mailbox.post(ByteBuffer(string: hello.frameText), to: [connection])
            for frame in replay ?? [] { connection.mailbox.post(frame, to: [connection]) }
            return true
        }
        guard added else { return nil }
        metrics?.sessionsChanged(to: connectionCount)
        return connection
    }

    /// The account's open connections.
    func connectionCount(of userId: UserID) -> Int {
        state.withLock { $0.connections[userId]?.count ?? 0 }
    }

    func unregister(connectionId: UUID, userId: UserID) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard let index = state.connections[userId]?.firstIndex(where: { $0.id == connectionId }) else { return }
            state.connections[userId]?.remove(at: index)
            if state.connections[userId]?.isEmpty == true { state.connections[userId] = nil }
            state.history.disconnected(userId, at: now)
        }
        metrics?.sessionsChanged(to: connectionCount)
    }

    /// Writes `frame` as a text frame to every connected session of each of `users`, numbered
    /// (`SequencedFrame`) and held for their reconnects. The one buffer is shared by every
    /// recipient (never written to: no per-recipient copy).
    func send(_ frame: ByteBuffer, to users: some Sequence<UserID>) {
        let now = ContinuousClock.now
        state.withLock { state in
            let (seq, numbered) = state.history.append(at: now) { Self.numbered(frame, $0) }
            // Per event loop, its recipients: a linear search over the few loops (a dictionary
            // keyed by loop, with the loop's existential copied per recipient, cost a third of
            // the send under load).
            var byLoop: [(mailbox: LoopMailbox, connections: [Connection])] = []
            for user in Set(users) {
                state.history.record(seq, for: user)
                guard let connections = state.connections[user] else { continue }
                for connection in connections {
                    if let index = byLoop.firstIndex(where: { $0.mailbox === connection.mailbox }) {
                        byLoop[index].connections.append(connection)
                    } else {
                        byLoop.append((connection.mailbox, [connection]))
                    }
                }
            }
            // Posted under the lock: frames reach each loop in number order.
            for (mailbox, group) in byLoop {
                mailbox.post(numbered, to: group)
            }
        }
    }

    /// `{"seq":N,` and the envelope's keys (`frame` is a JSON object).
    static func numbered(_ frame: ByteBuffer, _ seq: UInt64) -> ByteBuffer {
        let prefix = SequencedFrame.prefix(seq)
        var numbered = ByteBufferAllocator().buffer(capacity: frame.readableBytes + prefix.utf8.count)
        numbered.writeString(prefix)
        numbered.writeImmutableBuffer(frame.getSlice(at: frame.readerIndex + 1, length: frame.readableBytes - 1) ?? ByteBuffer())
        return numbered
    }

    private let mailboxes = Mutex<[ObjectIdentifier: LoopMailbox]>([:])

    private func mailbox(for loop: any EventLoop) -> LoopMailbox {
        mailboxes.withLock { mailboxes in
            if let mailbox = mailboxes[ObjectIdentifier(loop)] { return mailbox }
            let mailbox = LoopMailbox(loop: loop, queueLimit: queueLimit, logger: logger, metrics: metrics)
            mailboxes[ObjectIdentifier(loop)] = mailbox
            return mailbox
        }
    }

    /// Ends every connection of a session (after logout its token no longer works).
    func disconnect(sessionId: UUID) {
        let now = ContinuousClock.now
        let ended = state.withLock { state in
            var ended: [Connection] = []
            for (userId, connections) in state.connections {
                for connection in connections where connection.sessionId == sessionId {
                    ended.append(connection)
                    state.connections[userId]?.removeAll { $0 === connection }
                    state.history.disconnected(userId, at: now)
                }
                if state.connections[userId]?.isEmpty == true { state.connections[userId] = nil }
            }
            return ended
        }
        for connection in ended { connection.close(.normalClosure) }
        metrics?.sessionsChanged(to: connectionCount)
    }

    /// Ends every connection: after this instance may have missed events from the others, so
    /// that each client catches up over REST, as it does after any reconnect; or on shutdown.
    /// No position before this can resume: a new stream starts.
    func disconnectAll(code: WebSocketErrorCode = .normalClosure) {
        let ended = state.withLock { state in
            defer {
                state.connections = [:]
                state.history = state.history.startingAnew()
            }
            return state.connections.values.flatMap { $0 }
        }
        for connection in ended { connection.close(code) }
        metrics?.sessionsChanged(to: 0)
    }

    var connectionCount: Int { state.withLock { $0.connections.values.reduce(0) { $0 + $1.count } } }

    /// The current stream's id and last number (for tests).
    var streamPosition: StreamPosition { state.withLock { StreamPosition(stream: $0.history.id, seq: $0.history.seq) } }
}

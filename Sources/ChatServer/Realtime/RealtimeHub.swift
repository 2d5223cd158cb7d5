import ChatAPI
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOWebSocket
import Synchronization

/// Fans encoded events out to connected WebSocket sessions by writing straight onto each
/// connection's channel, on its event loop: one hop per event loop per event, then a write
/// per recipient and one flush each. (A task and a queue per connection cost a task wake-up
/// and an event-loop hop per delivered frame, which capped fan-out at ~500 events/s to 100
/// sessions on two cores.)
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
        /// Frames written while the channel was unwritable; touched only on its event loop.
        let backlog: NIOLoopBoundBox<Int>
        /// Where encoded frames are written: the context of the channel's WebSocket frame
        /// encoder, so that a frame encoded once for every recipient skips the encoder and the
        /// handlers after it (nil once the session ended). Touched only on its event loop.
        let writer: NIOLoopBoundBox<ChannelHandlerContext?>

        /// Made on the channel's event loop (by its session handler).
        init(userId: UserID, sessionId: UUID, channel: any Channel, writer: ChannelHandlerContext,
             close: @escaping @Sendable (WebSocketErrorCode) -> Void) {
            self.userId = userId
            self.sessionId = sessionId
            self.channel = channel
            self.close = close
            backlog = NIOLoopBoundBox(0, eventLoop: channel.eventLoop)
            self.writer = NIOLoopBoundBox(writer, eventLoop: channel.eventLoop)
        }
    }

    private let connections = Mutex<[UserID: [UUID: Connection]]>([:])
    private let queueLimit: Int
    private let logger: Logger
    private let metrics: ServerMetrics?

    init(queueLimit: Int = 4096, logger: Logger, metrics: ServerMetrics? = nil) {
        self.queueLimit = queueLimit
        self.logger = logger
        self.metrics = metrics
    }

    /// Registers a connection, on its channel's event loop; answers it (its id for
    /// `unregister`), or nil when the account has `limit` connections already (checked and
    /// counted at once: concurrent upgrades cannot pass it together).
    func register(userId: UserID, sessionId: UUID, channel: any Channel, writer: ChannelHandlerContext, limit: Int = .max,
                  close: @escaping @Sendable (WebSocketErrorCode) -> Void) -> Connection? {
        let connection = Connection(userId: userId, sessionId: sessionId, channel: channel, writer: writer, close: close)
        let added = connections.withLock { connections in
            guard connections[userId, default: [:]].count < limit else { return false }
            connections[userId, default: [:]][connection.id] = connection
            return true
        }
        guard added else { return nil }
        metrics?.sessionsChanged(to: connectionCount)
        return connection
    }

    /// The account's open connections.
    func connectionCount(of userId: UserID) -> Int {
        connections.withLock { $0[userId]?.count ?? 0 }
    }

    func unregister(connectionId: UUID, userId: UserID) {
        connections.withLock { connections in
            connections[userId]?[connectionId] = nil
            if connections[userId]?.isEmpty == true { connections[userId] = nil }
        }
        metrics?.sessionsChanged(to: connectionCount)
    }

    /// Writes `frame` as a text frame to every connected session of each of `users`. The one
    /// buffer is shared by every recipient (never written to: no per-recipient copy).
    func send(_ frame: ByteBuffer, to users: some Sequence<UserID>) {
        let targets = connections.withLock { connections in
            Set(users).flatMap { connections[$0].map { Array($0.values) } ?? [] }
        }
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, connections: [Connection])] = [:]
        for connection in targets {
            let loop = connection.channel.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].connections.append(connection)
        }
        for (loop, group) in byLoop.values {
            mailbox(for: loop).post(frame, to: group)
        }
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

    /// Frames waiting for one event loop. The first frame posted to an empty mailbox schedules
    /// a drain; frames that arrive while the loop is busy join it, so under load each
    /// connection gets several frames per flush (one writev) instead of a syscall per frame.
    final class LoopMailbox: Sendable {
        let loop: any EventLoop
        let queueLimit: Int
        let logger: Logger
        let metrics: ServerMetrics?
        private let pending = Mutex<[(frame: ByteBuffer, connections: [Connection])]>([])

        init(loop: any EventLoop, queueLimit: Int, logger: Logger, metrics: ServerMetrics?) {
            self.loop = loop
            self.queueLimit = queueLimit
            self.logger = logger
            self.metrics = metrics
        }

        func post(_ frame: ByteBuffer, to connections: [Connection]) {
            let wasEmpty = pending.withLock { pending in
                pending.append((frame, connections))
                return pending.count == 1
            }
            if wasEmpty { loop.execute { self.drain() } }
        }

        /// On the loop: writes everything posted so far, then flushes each connection once.
        private func drain() {
            let batch = pending.withLock { pending in
                defer { pending = [] }
                return pending
            }
            var written: [ObjectIdentifier: Connection] = [:]
            var delivered = 0
            var dropped = 0
            defer {
                if delivered > 0 { metrics?.eventsDelivered.increment(by: delivered) }
                if dropped > 0 { metrics?.queueDrops.increment(by: dropped) }
            }
            for (frame, connections) in batch {
                let encoded = Self.textFrame(frame)
                for connection in connections {
                    guard let writer = connection.writer.value else { continue }
                    if connection.channel.isWritable {
                        connection.backlog.value = 0
                    } else {
                        connection.backlog.value += 1
                        if connection.backlog.value > queueLimit {
                            if connection.backlog.value == queueLimit + 1 {
                                logger.warning("event queue full: disconnecting a slow session", metadata: ["user": "\(connection.userId)"])
                                connection.channel.close(promise: nil)
                            }
                            dropped += 1
                            continue
                        }
                    }
                    writer.write(NIOAny(encoded), promise: nil)
                    delivered += 1
                    written[ObjectIdentifier(connection)] = connection
                }
            }
            for connection in written.values { connection.writer.value?.flush() }
        }

        /// `payload` as one unmasked, final text frame (RFC 6455 §5.2), encoded once for all
        /// of its recipients on this loop.
        static func textFrame(_ payload: ByteBuffer) -> ByteBuffer {
            let length = payload.readableBytes
            var frame = ByteBufferAllocator().buffer(capacity: length + 10)
            frame.writeInteger(UInt8(0x81))
            if length < 126 {
                frame.writeInteger(UInt8(length))
            } else if length <= Int(UInt16.max) {
                frame.writeInteger(UInt8(126))
                frame.writeInteger(UInt16(length))
            } else {
                frame.writeInteger(UInt8(127))
                frame.writeInteger(UInt64(length))
            }
            frame.writeImmutableBuffer(payload)
            return frame
        }
    }

    /// Ends every connection of a session (after logout its token no longer works).
    func disconnect(sessionId: UUID) {
        let ended = connections.withLock { connections in
            var ended: [Connection] = []
            for (userId, byId) in connections {
                for connection in byId.values where connection.sessionId == sessionId {
                    ended.append(connection)
                    connections[userId]?[connection.id] = nil
                }
                if connections[userId]?.isEmpty == true { connections[userId] = nil }
            }
            return ended
        }
        for connection in ended { connection.close(.normalClosure) }
        metrics?.sessionsChanged(to: connectionCount)
    }

    /// Ends every connection: after this instance may have missed events from the others, so
    /// that each client catches up over REST, as it does after any reconnect; or on shutdown.
    func disconnectAll(code: WebSocketErrorCode = .normalClosure) {
        let ended = connections.withLock { connections in
            defer { connections = [:] }
            return connections.values.flatMap(\.values)
        }
        for connection in ended { connection.close(code) }
        metrics?.sessionsChanged(to: 0)
    }

    var connectionCount: Int { connections.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}

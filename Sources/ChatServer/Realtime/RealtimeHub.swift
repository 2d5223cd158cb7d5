import ChatAPI
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// Fans encoded events out to connected WebSocket sessions. Sending never waits on a socket:
/// each connection has its own bounded queue drained by its own task, so a slow or dead peer
/// only ever delays itself. A peer that falls more than `queueLimit` events behind is
/// disconnected; it catches up over REST when it reconnects, as every client must.
actor RealtimeHub {
    struct Connection: Sendable {
        let id: UUID
        let userId: UserID
        let sessionId: UUID
        let continuation: AsyncStream<ByteBuffer>.Continuation
    }

    private var connections: [UserID: [UUID: Connection]] = [:]
    private let queueLimit: Int
    private let logger: Logger

    init(queueLimit: Int = 4096, logger: Logger) {
        self.queueLimit = queueLimit
        self.logger = logger
    }

    /// Registers a connection and answers its id and the stream of frames to write to it.
    func register(userId: UserID, sessionId: UUID) -> (id: UUID, frames: AsyncStream<ByteBuffer>) {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingOldest(queueLimit))
        let connection = Connection(id: UUID(), userId: userId, sessionId: sessionId, continuation: continuation)
        connections[userId, default: [:]][connection.id] = connection
        return (connection.id, stream)
    }

    func unregister(connectionId: UUID, userId: UserID) {
        connections[userId]?[connectionId]?.continuation.finish()
        connections[userId]?[connectionId] = nil
        if connections[userId]?.isEmpty == true { connections[userId] = nil }
    }

    /// Queues `frame` for every connected session of each of `users`. One buffer is shared by
    /// every recipient (copy on write, never written): no per-recipient copy.
    func send(_ frame: ByteBuffer, to users: some Sequence<UserID>) {
        for userId in Set(users) {
            for connection in connections[userId]?.values ?? [:].values {
                if case .dropped = connection.continuation.yield(frame) {
                    logger.warning("event queue full: disconnecting a slow session", metadata: ["user": "\(userId)"])
                    unregister(connectionId: connection.id, userId: userId)
                }
            }
        }
    }

    /// Ends every connection of a session (after logout its token no longer works).
    func disconnect(sessionId: UUID) {
        for (userId, byId) in connections {
            for connection in byId.values where connection.sessionId == sessionId {
                unregister(connectionId: connection.id, userId: userId)
            }
        }
    }

    var connectionCount: Int { connections.values.reduce(0) { $0 + $1.count } }
}

/// Encodes events once per distinct payload and hands them to the hub.
struct EventPublisher: Sendable {
    let hub: RealtimeHub
    let logger: Logger

    func publish(_ event: ChatEvent, from source: EventSource, to users: some Sequence<UserID> & Sendable) async {
        do {
            let frame = ByteBuffer(data: try EventEnvelope(event: event, source: source).encode())
            await hub.send(frame, to: users)
        } catch {
            logger.error("could not encode event", metadata: ["event": "\(event.name.rawValue)", "error": "\(error)"])
        }
    }

    /// Publishes a chat event whose payload differs per recipient (each sees their own flags).
    func publish(perRecipient events: [UserID: ChatEvent], from source: EventSource) async {
        for (userId, event) in events {
            await publish(event, from: source, to: [userId])
        }
    }
}

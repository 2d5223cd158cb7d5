import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// `ClusterBus` over PostgreSQL's LISTEN/NOTIFY. Every instance listens on one channel on a
/// connection of its own. A change's events are NOTIFYed from inside the change's own
/// transaction (`sendWithinTransaction`): PostgreSQL sends them at its commit, so a notification
/// never reports a change that was rolled back, and an instance killed right after a commit has
/// told the others already. A message over NOTIFY's 8,000 bytes is stored in `eventOutbox` (in
/// the same transaction) and only its id is sent; receivers read it by id.
///
/// While the listening connection is down this instance cannot hear of events or logouts
/// elsewhere: it closes its WebSocket sessions (their clients resynchronise over REST when
/// they reconnect) and stops caching tokens until it listens again.
final class PostgresClusterBus: ClusterBus, Service {
    static let channel = "termchat_cluster"
    /// NOTIFY refuses payloads of 8,000 bytes or more; this leaves room for the envelope.
    static let inlineLimit = 7_000
    /// Outbox rows older than this are removed: every listener has read them long before.
    static let outboxLifetime: TimeInterval = 300

    let instance = UUID()
    private let client: PostgresClient
    private let url: PostgresDatabaseURL
    private let logger: Logger
    private let receiver: @Sendable (ClusterMessage) -> Void
    private let listening: @Sendable (Bool) -> Void
    private let isListening = Mutex(false)
    private let ownPrefix: String

    /// `receiver` gets each message from another instance, in the order they were sent;
    /// `listening` is told each time the listener starts (true) or stops (false) hearing them.
    init(
        client: PostgresClient, url: PostgresDatabaseURL, logger: Logger,
        receiver: @escaping @Sendable (ClusterMessage) -> Void, listening: @escaping @Sendable (Bool) -> Void
    ) {
        self.client = client
        self.url = url
        self.logger = logger
        self.receiver = receiver
        self.listening = listening
        ownPrefix = Self.envelopePrefix(of: instance)
    }

    struct Envelope: Codable {
        var from: UUID
        var message: ClusterMessage?
        /// Set instead of `message` when it waits in `eventOutbox`.
        var outboxId: Int?
    }

    func notification(for message: ClusterMessage) -> ClusterNotification? {
        guard let body = try? Self.encode(Envelope(from: instance, message: message)) else { return nil }
        return ClusterNotification(channel: Self.channel, body: String(decoding: body, as: UTF8.self), limit: Self.inlineLimit)
    }

    func broadcast(_ message: ClusterMessage) async {
        do {
            try await PostgresDeadline.run {
                try await self.client.withConnection { connection in
                    try await self.send(message, on: connection, removingOldOutbox: true)
                }
            }
        } catch {
            logger.error("could not tell the other instances", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    var sendsWithinTransactions: Bool { true }

    func sendWithinTransaction(_ message: ClusterMessage) async throws {
        guard let transaction = PostgresRepository.openTransaction else { throw NoOpenTransaction() }
        // Old outbox rows are left to `broadcast`: deleting them here would lock rows that
        // concurrent changes' transactions delete too.
        try await send(message, on: transaction.connection, removingOldOutbox: false)
    }

    struct NoOpenTransaction: Error, CustomStringConvertible {
        var description: String { "an event was to be sent with its change, outside of any transaction" }
    }

    /// A NOTIFY of `message` on `connection` (in its transaction, if one is open there); over
    /// NOTIFY's limit, the message is stored in `eventOutbox` and its id is sent instead.
    private func send(_ message: ClusterMessage, on connection: PostgresConnection, removingOldOutbox: Bool) async throws {
        let body = String(decoding: try Self.encode(Envelope(from: instance, message: message)), as: UTF8.self)
        if body.utf8.count <= Self.inlineLimit {
            try await connection.query("SELECT pg_notify(\(Self.channel), \(body))", logger: logger)
            return
        }
        let now = Date().timeIntervalSince1970
        if removingOldOutbox {
            try await connection.query("DELETE FROM eventOutbox WHERE createdAt < \(now - Self.outboxLifetime)", logger: logger)
        }
        let id = try await connection.column(
            "INSERT INTO eventOutbox (body, createdAt) VALUES (\(body), \(now)) RETURNING id", as: Int.self, logger: logger
        )[0]
        let reference = String(decoding: try Self.encode(Envelope(from: instance, outboxId: id)), as: UTF8.self)
        try await connection.query("SELECT pg_notify(\(Self.channel), \(reference))", logger: logger)
    }

    /// Listens until cancelled (graceful shutdown), reconnecting a second after any failure.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.listenOnce()
                } catch {
                    if Task.isCancelled { break }
                    self.logger.warning("lost the PostgreSQL listener; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                }
                self.isListening.withLock { $0 = false }
                self.listening(false)
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func listenOnce() async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try url.connectionConfiguration(), id: 0, logger: logger
        )
        defer { Task { try? await connection.close() } }
        try await connection.listen(on: Self.channel) { notifications in
            listening(true)
            isListening.withLock { $0 = true }  // after: a session admitted from here on stays
            for try await notification in notifications {
                try await handle(notification.payload)
            }
        }
    }

    var hearsOtherInstances: Bool { isListening.withLock { $0 } }

    /// How the envelopes of `instance` begin (`from` is their first key: `encode` sorts them).
    static func envelopePrefix(of instance: UUID) -> String { #"{"from":""# + instance.uuidString + #"""# }

    /// An envelope as JSON, its keys sorted: `from` first (JSONEncoder keeps no other order).
    static func encode(_ envelope: Envelope) throws -> Data {
        if case .event(let frame, let users)? = envelope.message, envelope.outboxId == nil,
           let bytes = eventJSON(from: envelope.from, frame: frame, users: users) {
            return Data(bytes)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(envelope)
    }

    /// Waits until the listener hears the other instances, for at most `limit`; answers
    /// whether it does. The server waits for it before it serves, so that no session starts
    /// deaf to the other instances.
    func waitUntilListening(limit: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if isListening.withLock({ $0 }) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isListening.withLock { $0 }
    }

    /// Throws when a stored message cannot be read: then this instance may have missed it, and
    /// reconnecting ends its sessions so that their clients catch up.
    private func handle(_ payload: String) async throws {
        // Every instance hears its own notifications too: one per change it made. Known by
        // their first bytes, they are not decoded (a JSON decode per post, for nothing).
        if payload.utf8.starts(with: ownPrefix.utf8) { return }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(payload.utf8)) else {
            logger.warning("ignored a notification that is not an instance's envelope")
            return
        }
        guard envelope.from != instance else { return }
        if let message = envelope.message {
            receiver(message)
        } else if let outboxId = envelope.outboxId {
            let body = try await client.withConnection {
                try await $0.column("SELECT body FROM eventOutbox WHERE id = \(outboxId)", as: String.self, logger: logger).first
            }
            guard let body, let stored = try? JSONDecoder().decode(Envelope.self, from: Data(body.utf8)), let message = stored.message else {
                throw MissingMessage(outboxId: outboxId)
            }
            receiver(message)
        }
    }

    struct MissingMessage: Error, CustomStringConvertible {
        var outboxId: Int
        var description: String { "the stored message \(outboxId) of another instance is missing" }
    }
}

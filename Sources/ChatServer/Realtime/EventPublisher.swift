import ChatAPI
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// Where committed changes leave this instance: events for WebSocket sessions and ended
/// sessions. Both are applied here at once and, when the instance shares its database with
/// others (`bus`), sent to them too, so that their sessions get the events and their token
/// caches forget a logout done here.
struct EventPublisher: Sendable {
    let hub: RealtimeHub
    let callers: CallerCache
    let bus: (any ClusterBus)?
    let logger: Logger

    init(hub: RealtimeHub, callers: CallerCache = CallerCache(), bus: (any ClusterBus)? = nil, logger: Logger) {
        self.hub = hub
        self.callers = callers
        self.bus = bus
        self.logger = logger
    }

    /// What the other instances are to get for `event`, for the statement that commits it to
    /// send (its recipients and, for a new message, its id filled in there); nil without a bus
    /// that can.
    func notification(for event: ChatEvent, from source: EventSource) -> ClusterNotification? {
        guard let bus, let frame = try? EventEnvelope(event: event, source: source).encode() else { return nil }
        return bus.notification(for: .event(frame: String(decoding: frame, as: UTF8.self), users: [ClusterNotification.usersMark]))
    }

    /// Runs a change (`body`) and the events it publishes as one. With a bus that can send
    /// from inside a transaction (PostgreSQL), the change's reads and writes, and one
    /// notification to the other instances for all of its events, are one transaction: an
    /// instance killed right after the commit has told the others already, and a change that
    /// rolls back tells nobody. This instance's sessions get the events once it has committed.
    /// Without such a bus (SQLite: one instance) `body` runs as it is and publishes at once.
    func committing<Result: Sendable>(in repository: any ChatRepository,
                                      _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        guard let bus, bus.sendsWithinTransactions, EventStaging.current == nil else { return try await body() }
        let staging = EventStaging()
        let result = try await repository.atomically {
            let result = try await EventStaging.$current.withValue(staging) { try await body() }
            if let message = staging.messageForOthers() { try await bus.sendWithinTransaction(message) }
            return result
        }
        for (frame, users) in staging.localDeliveries() { hub.send(frame, to: users) }
        return result
    }

    /// Sends `event` to this instance's sessions of `users` and, unless the statement that
    /// committed it did already (`othersNotified`), to the other instances; inside `committing`,
    /// once its change has committed.
    func publish(_ event: ChatEvent, from source: EventSource, to users: some Sequence<UserID> & Sendable,
                 othersNotified: Bool = false) async {
        let frame: Data
        do {
            frame = try EventEnvelope(event: event, source: source).encode()
        } catch {
            logger.error("could not encode event", metadata: ["event": "\(event.name.rawValue)", "error": "\(error)"])
            return
        }
        let audience = Array(users)
        if let staging = EventStaging.current {
            let toOthers = othersNotified || bus == nil ? nil : Delivery(frame: String(decoding: frame, as: UTF8.self), users: audience)
            staging.add(frame: ByteBuffer(data: frame), users: audience, toOthers: toOthers)
            return
        }
        hub.send(ByteBuffer(data: frame), to: audience)
        if !othersNotified { await bus?.broadcast(.event(frame: String(decoding: frame, as: UTF8.self), users: audience)) }
    }

    /// Publishes a chat event whose payload differs per recipient (each sees their own flags):
    /// recipients of the same frame share it, and the other instances get them all in one
    /// message (a group of 100 was 100 NOTIFYs).
    func publish(perRecipient events: [UserID: ChatEvent], from source: EventSource) async {
        var recipients: [Data: [UserID]] = [:]
        for (userId, event) in events {
            do {
                recipients[try EventEnvelope(event: event, source: source).encode(), default: []].append(userId)
            } catch {
                logger.error("could not encode event", metadata: ["event": "\(event.name.rawValue)", "error": "\(error)"])
            }
        }
        var deliveries: [Delivery] = []
        for (frame, users) in recipients {
            let delivery = Delivery(frame: String(decoding: frame, as: UTF8.self), users: users.sorted())
            if let staging = EventStaging.current {
                staging.add(frame: ByteBuffer(data: frame), users: users, toOthers: bus == nil ? nil : delivery)
            } else {
                hub.send(ByteBuffer(data: frame), to: users)
                deliveries.append(delivery)
            }
        }
        guard let bus, let first = deliveries.first else { return }
        await bus.broadcast(deliveries.count == 1 ? .event(frame: first.frame, users: first.users) : .events(deliveries))
    }

    /// Call after sessions were deleted or their tokens replaced (`ended` may be empty: a
    /// device's new token ends only its old one).
    func sessionsChanged(ended: [UUID]) async {
        apply(ended: ended)
        await bus?.broadcast(.sessionsChanged(ended: ended))
    }

    /// What a message from another instance changes here.
    func receive(_ message: ClusterMessage) {
        switch message {
        case let .event(frame, users):
            hub.send(ByteBuffer(string: frame), to: users)
        case let .events(deliveries):
            for delivery in deliveries { hub.send(ByteBuffer(string: delivery.frame), to: delivery.users) }
        case let .sessionsChanged(ended):
            apply(ended: ended)
        }
    }

    private func apply(ended: [UUID]) {
        callers.invalidate()
        for session in ended { hub.disconnect(sessionId: session) }
    }
}

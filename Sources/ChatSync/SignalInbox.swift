import ChatAPI
import ChatClient
import Synchronization

/// The event stream's signals, queued between the connection and the engine: the engine
/// takes everything that arrived since its last turn at once (see `SyncEngine.eventLoop`).
final class SignalInbox: Sendable {
    private let queue = Mutex<[EventStreamSignal]>([])
    private let wake: AsyncStream<Void>.Continuation
    /// One wake-up stands for any number of signals put since the last `takeAll`.
    let wakeUps: AsyncStream<Void>

    init() {
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func put(_ signal: EventStreamSignal) {
        queue.withLock { $0.append(signal) }
        wake.yield()
    }

    /// Whether a new message waits among the signals (only those are paced).
    func holdsMessages() -> Bool {
        queue.withLock { queue in queue.contains { $0.isNewMessage } }
    }

    func takeAll() -> [EventStreamSignal] {
        queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    /// No more signals: the wake-ups end once the last is taken.
    func finish() { wake.finish() }
}

extension EventStreamSignal {
    var envelope: EventEnvelope? {
        if case .event(let envelope) = self { return envelope }
        return nil
    }

    var isNewMessage: Bool {
        if case .event(let envelope) = self, case .message = envelope.event { return true }
        return false
    }
}

import ChatAPI
import NIOCore
import Synchronization

/// The events a change publishes while `EventPublisher.committing` runs it: what this
/// instance's sessions get once the change has committed, and what the other instances get in
/// one notification from inside its transaction.
final class EventStaging: Sendable {
    @TaskLocal static var current: EventStaging?

    private struct Staged {
        var local: [(frame: ByteBuffer, users: [UserID])] = []
        var others: [Delivery] = []
    }

    private let staged = Mutex(Staged())

    func add(frame: ByteBuffer, users: [UserID], toOthers: Delivery?) {
        staged.withLock { staged in
            staged.local.append((frame, users))
            if let toOthers { staged.others.append(toOthers) }
        }
    }

    /// One message for the other instances, for every event staged (nil: none).
    func messageForOthers() -> ClusterMessage? {
        staged.withLock { staged in
            switch staged.others.count {
            case 0: nil
            case 1: .event(frame: staged.others[0].frame, users: staged.others[0].users)
            default: .events(staged.others)
            }
        }
    }

    /// What this instance's sessions are to get, in the order it was published.
    func localDeliveries() -> [(frame: ByteBuffer, users: [UserID])] {
        staged.withLock { $0.local }
    }
}

import Foundation
import Synchronization

/// When the person last pressed a key: background work that competes for the network and
/// the cache (fetching all history) waits while they are typing.
public final class UserActivity: Sendable {
    private let last = Mutex(ContinuousClock.now)

    public init() {}

    public func touch() { last.withLock { $0 = .now } }

    /// Returns once no key has been pressed for `quiet`.
    public func waitUntilQuiet(_ quiet: Duration = .seconds(3)) async {
        while !Task.isCancelled {
            let since = ContinuousClock.now - last.withLock { $0 }
            if since >= quiet { return }
            try? await Task.sleep(for: quiet - since)
        }
    }
}

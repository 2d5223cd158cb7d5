import Foundation
import GRDB

extension ChatStore {
    /// Yields after every committed transaction that changed the cache. The UI redraws from
    /// state on it; tests await conditions with it instead of sleeping.
    public func changes() -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let observation = DatabaseRegionObservation(tracking: .fullDatabase)
            let cancellable = observation.start(in: pool, onError: { _ in continuation.finish() }, onChange: { _ in
                continuation.yield()
            })
            continuation.onTermination = { _ in cancellable.cancel() }
        }
    }
}

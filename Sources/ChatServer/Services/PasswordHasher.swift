import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt on NIO's thread pool, so hashing never blocks the event loops or the cooperative pool.
struct PasswordHasher: Sendable {
    /// bcrypt cost (4...31). Tests use the minimum to stay fast.
    let cost: UInt8
    var metrics: ServerMetrics?
    /// A hash of nothing anyone can type, at the same cost: an unknown username is checked
    /// against it, so that it takes as long as a known one (it answered in 1.8 ms instead of
    /// 90: a way to learn which usernames exist).
    private let stand: String

    init(cost: UInt8, metrics: ServerMetrics? = nil) {
        self.cost = cost
        self.metrics = metrics
        stand = Bcrypt.hash(UUID().uuidString + UUID().uuidString, cost: cost)
    }

    /// Checks `password` against `hash`, or against a stand-in when there is no user: false then.
    func verify(_ password: String, orStandIn hash: String?) async throws -> Bool {
        let matches = try await verify(password, hash: hash ?? stand)
        return hash != nil && matches
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        metrics?.passwordChecks.increment()
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

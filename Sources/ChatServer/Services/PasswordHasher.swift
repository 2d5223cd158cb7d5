import HummingbirdBcrypt
import NIOPosix

/// bcrypt on NIO's thread pool, so hashing never blocks the event loops or the cooperative pool.
struct PasswordHasher: Sendable {
    /// bcrypt cost (4...31). Tests use the minimum to stay fast.
    let cost: UInt8

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

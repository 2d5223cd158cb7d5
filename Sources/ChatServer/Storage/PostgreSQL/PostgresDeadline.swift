import Foundation

/// A bound on waiting for PostgreSQL. While the database cannot be reached the pool keeps
/// requests queued for a connection; this ends the wait, so that a request is answered (503)
/// instead of left hanging.
enum PostgresDeadline {
    static let limit: Duration = .seconds(10)

    struct Exceeded: Error, CustomStringConvertible {
        var description: String { "the database did not answer within \(PostgresDeadline.limit)" }
    }

    static func run<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw Exceeded() }
            return result
        }
    }
}

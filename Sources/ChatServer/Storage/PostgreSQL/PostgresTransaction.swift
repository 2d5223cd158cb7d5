import Logging
import PostgresNIO

/// One transaction on a pooled connection. Unlike `PostgresClient.withTransaction` it passes
/// the body's own error through unwrapped, so a `StorageError` stays one.
enum PostgresTransaction {
    static func run<Result: Sendable>(
        on client: PostgresClient, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                // A failed rollback leaves the connection broken; the pool drops such connections.
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }

    /// The body inside a transaction already open on `connection`, as a savepoint: its failure
    /// undoes its own statements and leaves the transaction usable.
    static func savepoint<Result: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query("SAVEPOINT nested", logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK TO SAVEPOINT nested", logger: logger)
            throw error
        }
        try await connection.query("RELEASE SAVEPOINT nested", logger: logger)
        return result
    }
}

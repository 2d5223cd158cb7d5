import Logging
import PostgresNIO

/// One transaction on a pooled connection. Unlike `PostgresClient.withTransaction` it passes
/// the body's own error through unwrapped, so a `StorageError` stays one.
enum PostgresTransaction {
    static func run<Result: Sendable>(
        on client: PostgresClient, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        // A failed rollback leaves the connection broken; the pool drops such connections.
        try await client.withConnection { connection in
            try await bracketed(on: connection, begin: "BEGIN", commit: "COMMIT", rollback: "ROLLBACK", logger: logger, body)
        }
    }

    /// The body inside a transaction already open on `connection`, as a savepoint: its failure
    /// undoes its own statements and leaves the transaction usable.
    static func savepoint<Result: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bracketed(on: connection, begin: "SAVEPOINT nested", commit: "RELEASE SAVEPOINT nested",
                            rollback: "ROLLBACK TO SAVEPOINT nested", logger: logger, body)
    }

    private nonisolated(nonsending) static func bracketed<Result: Sendable>(
        on connection: PostgresConnection, begin: PostgresQuery, commit: PostgresQuery, rollback: PostgresQuery,
        logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query(begin, logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            _ = try? await connection.query(rollback, logger: logger)
            throw error
        }
        try await connection.query(commit, logger: logger)
        return result
    }
}

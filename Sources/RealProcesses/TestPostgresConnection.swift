import ChatServer
import Foundation
import Logging
import PostgresNIO

/// A connection of a test's own to a test database: to hold a lock while the servers work,
/// or to read what committed, the way no client of the server can.
public final class TestPostgresConnection: Sendable {
    private let connection: PostgresConnection
    private let logger: Logger

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public static func open(_ url: PostgresDatabaseURL) async throws -> TestPostgresConnection {
        var logger = Logger(label: "test-postgres-connection")
        logger.logLevel = .critical
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 3, logger: logger)
        return TestPostgresConnection(connection: connection, logger: logger)
    }

    /// Runs `sql` (test text, not input: no parameters).
    public func run(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// The first column of every row `sql` answers, as text (cast it in the query).
    public func texts(_ sql: String) async throws -> [String?] {
        var texts: [String?] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            texts.append(try row.decode(String?.self))
        }
        return texts
    }

    public func close() async {
        try? await connection.close()
    }
}

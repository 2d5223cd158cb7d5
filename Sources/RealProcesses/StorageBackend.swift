import ChatServer
import Foundation
import Logging
import PostgresNIO

/// The databases the server tests run on: SQLite always, PostgreSQL when
/// `TERMCHAT_TEST_POSTGRES_URL` names a server the tests may create databases on (`.ci/run`
/// starts a throwaway one). Each server a test starts gets a database of its own.
public enum StorageBackend: String, Sendable, CustomStringConvertible {
    case sqlite
    case postgresql

    public static let postgresURL: String? = ProcessInfo.processInfo.environment["TERMCHAT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The backends of this run; parameterised tests take them as arguments.
    public static let available: [StorageBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgresql]

    public var description: String { rawValue }

    /// A new, empty database for one server (nil for SQLite, which lives in the data directory).
    public func makeDatabase() async throws -> ChatServerConfiguration.Database {
        switch self {
        case .sqlite: return .sqlite
        case .postgresql: return .postgresql(try await TestPostgres.createDatabase())
        }
    }
}

/// Creates and drops databases on the test cluster.
public enum TestPostgres {
    public static func adminURL() throws -> PostgresDatabaseURL {
        guard let text = StorageBackend.postgresURL else { throw TestFailure("TERMCHAT_TEST_POSTGRES_URL is not set") }
        return try PostgresDatabaseURL(text)
    }

    public static func createDatabase() async throws -> PostgresDatabaseURL {
        var url = try adminURL()
        let name = "termchat_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await run("CREATE DATABASE \(name)")
        url.database = name
        return url
    }

    /// Drops a database made by `createDatabase`, its connections too.
    public static func dropDatabase(_ url: PostgresDatabaseURL) async {
        guard url.database.hasPrefix("termchat_") else { return }
        try? await run("DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)")
    }

    /// One statement on the admin database (CREATE DATABASE cannot run in a transaction).
    public static func run(_ sql: String) async throws {
        let url = try adminURL()
        var logger = Logger(label: "test-postgres")
        logger.logLevel = .critical
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable),
            id: 1, logger: logger
        )
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension ChatServerConfiguration.Database {
    /// `--database` arguments for the server binary.
    public var arguments: [String] {
        switch self {
        case .sqlite: []
        case let .postgresql(url): ["--database", url.addressForArguments]
        }
    }
}

extension PostgresDatabaseURL {
    /// The whole address, password included, as `--database` takes it.
    public var addressForArguments: String {
        let password = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
        return "postgresql://\(username)\(password)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }
}

/// What the server instances say to each other over PostgreSQL (`LISTEN`), for tests that count it.
public final class NotificationListener: Sendable {
    public let payloads: AsyncStream<String>
    private let task: Task<Void, any Error>

    /// Listens on `channel` of `url`'s database; returns once the LISTEN is in place.
    public init(_ url: PostgresDatabaseURL, channel: String) async throws {
        let (payloads, continuation) = AsyncStream.makeStream(of: String.self)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        self.payloads = payloads
        var logger = Logger(label: "test-listener")
        logger.logLevel = .critical
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable
        )
        task = Task {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: logger)
            defer { Task { try? await connection.close() } }
            try await connection.listen(on: channel) { notifications in
                readyContinuation.yield()
                for try await notification in notifications { continuation.yield(notification.payload) }
            }
        }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
    }

    deinit { task.cancel() }
}

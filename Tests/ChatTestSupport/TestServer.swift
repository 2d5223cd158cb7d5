import ChatServer
import Foundation
import Logging

/// A real termchat-server in this process, on an ephemeral loopback port, with its own data
/// directory. `stop()` cancels it.
public final class TestServer: Sendable {
    public let dataDirectory: String
    /// Where its chats are kept; a restart keeps them there.
    public let database: ChatServerConfiguration.Database
    private let server: RunningChatServer

    public var port: Int { server.port }
    public var baseURL: String { server.baseURL }

    private init(server: RunningChatServer, dataDirectory: String, database: ChatServerConfiguration.Database) {
        self.server = server
        self.dataDirectory = dataDirectory
        self.database = database
    }

    /// Starts a server; pass the `dataDirectory` and `port` of a stopped one to restart it.
    /// `configure` changes the configuration (timeouts, limits) before the server starts.
    public static func start(
        dataDirectory: String? = nil, port: Int = 0, backend: StorageBackend = .sqlite,
        configure: (inout ChatServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        try await start(dataDirectory: dataDirectory, port: port, database: try await backend.makeDatabase(), configure: configure)
    }

    /// Starts a server on an existing database (a restart, or a second instance).
    public static func start(
        dataDirectory: String? = nil, port: Int = 0, database: ChatServerConfiguration.Database,
        configure: (inout ChatServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = dataDirectory ?? TemporaryDirectory.make()
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        var configuration = ChatServerConfiguration(host: "127.0.0.1", port: port, dataDirectory: directory, bcryptCost: 4, logLevel: .warning)
        configuration.database = database
        // Tests that are not about rate limits sign in and post faster than people do; those
        // that are set `rateLimits` in `configure`.
        configuration.rateLimits = .off
        configure(&configuration)
        let server = try await RunningChatServer.start(configuration: configuration, logger: logger)
        return TestServer(server: server, dataDirectory: directory, database: database)
    }

    /// Starts again on the port of a stopped server. The old listening socket may close a
    /// moment after `stop()` returns (NIO closes it on its event loop), and nothing signals
    /// that, so binding is retried for up to 45 s. (Under a full parallel run 15 s was not
    /// always enough: three restarts in one CI run timed out together; the cause is not
    /// known. The wait only ends early; it asserts nothing.)
    public static func restart(_ stopped: TestServer) async throws -> TestServer {
        var lastError: (any Error)?
        for _ in 0..<450 {
            do {
                return try await start(dataDirectory: stopped.dataDirectory, port: stopped.port, database: stopped.database)
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError ?? TestFailure("could not restart")
    }

    /// A server to be stopped and started again on the same port. Its port is outside the
    /// kernel's ephemeral range (32768-60999 here), so while it is stopped no other test's
    /// port-0 server or outgoing connection can take it; a clash with another test's random
    /// pick is retried.
    public static func startRestartable(dataDirectory: String? = nil, backend: StorageBackend = .sqlite) async throws -> TestServer {
        var lastError: (any Error)?
        let database = try await backend.makeDatabase()
        for _ in 0..<20 {
            do {
                return try await start(dataDirectory: dataDirectory, port: Int.random(in: 20_000..<30_000), database: database)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? TestFailure("no free port")
    }

    /// Shuts down gracefully, as SIGTERM would, and waits until the server has stopped.
    public func stop() async {
        await server.stop()
    }

    /// Stops, then drops its PostgreSQL database, if it has one.
    public func stopAndDrop() async {
        await server.stop()
        if case let .postgresql(url) = database { await TestPostgres.dropDatabase(url) }
    }
}

/// Runs `body` with a fresh server on `backend` and stops it afterwards, whatever happens;
/// its PostgreSQL database, if any, is dropped.
public func withServer<T>(
    on backend: StorageBackend = .sqlite,
    configure: (inout ChatServerConfiguration) -> Void = { _ in }, _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(backend: backend, configure: configure)
    do {
        let result = try await body(server)
        await server.stopAndDrop()
        return result
    } catch {
        await server.stopAndDrop()
        throw error
    }
}

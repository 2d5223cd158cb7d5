import ChatServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A real termchat-server in this process, on an ephemeral loopback port, with its own data
/// directory. `stop()` cancels it.
public final class TestServer: Sendable {
    public let port: Int
    public let dataDirectory: String
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, dataDirectory: String, task: Task<Void, any Error>, group: ServiceGroup) {
        self.port = port
        self.dataDirectory = dataDirectory
        self.task = task
        self.group = group
    }

    /// Starts a server; pass the `dataDirectory` and `port` of a stopped one to restart it.
    public static func start(dataDirectory: String? = nil, port: Int = 0) async throws -> TestServer {
        let directory = dataDirectory ?? TemporaryDirectory.make()
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let configuration = ChatServerConfiguration(host: "127.0.0.1", port: port, dataDirectory: directory, bcryptCost: 4, logLevel: .warning)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try ChatServerApp.build(configuration: configuration, logger: logger) { port in
            continuation.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw TestFailure("server stopped before it listened")
        }
        return TestServer(port: port, dataDirectory: directory, task: task, group: group)
    }

    /// Shuts down gracefully, as SIGTERM would, and waits until the server has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum TemporaryDirectory {
    public static func make() -> String {
        let path = NSTemporaryDirectory() + "termchat-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs `body` with a fresh server and stops it afterwards, whatever happens.
public func withServer<T>(_ body: (TestServer) async throws -> T) async throws -> T {
    let server = try await TestServer.start()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A server running inside another program (tests, benchmarks): started on a port
/// (0 picks a free one), stopped gracefully, as SIGTERM would.
public struct RunningChatServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static func start(configuration: ChatServerConfiguration, logger: Logger) async throws -> RunningChatServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try ChatServerApp.build(configuration: configuration, logger: logger) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw ServerStartError()
        }
        return RunningChatServer(port: port, group: group, task: task)
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    struct ServerStartError: Error, CustomStringConvertible {
        var description: String { "the server stopped before it listened" }
    }
}

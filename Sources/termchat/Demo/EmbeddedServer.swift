import ChatServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A termchat-server in this process, on a free loopback port, for `termchat demo`.
struct EmbeddedServer {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static func start(dataDirectory: String) async throws -> EmbeddedServer {
        var logger = Logger(label: "termchat-demo-server")
        logger.logLevel = .critical  // the screen belongs to the client
        let configuration = ChatServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: dataDirectory, bcryptCost: 4, logLevel: .critical)
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
            throw CLIError("The demo server did not start.")
        }
        return EmbeddedServer(port: port, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

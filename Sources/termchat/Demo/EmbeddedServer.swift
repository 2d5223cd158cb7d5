import ChatServer
import Foundation
import Logging

extension RunningChatServer {
    /// The demo's server: quiet (the screen belongs to the client), fast password hashing.
    static func demo(dataDirectory: String) async throws -> RunningChatServer {
        var logger = Logger(label: "termchat-demo-server")
        logger.logLevel = .critical
        var configuration = ChatServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: dataDirectory, bcryptCost: 4, logLevel: .critical)
        // The demo world seeds long chats through the API at once; nobody else uses this server.
        configuration.rateLimits = .off
        return try await start(configuration: configuration, logger: logger)
    }

    var url: URL { URL(string: baseURL)! }
}

import ArgumentParser
import ChatServer
import Foundation
import Hummingbird
import Logging

/// `termchat-server`: serves the TermChat protocol over HTTP and WebSocket.
@main
struct TermChatServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "termchat-server",
        abstract: "The TermChat chat server (HTTP + WebSocket, SQLite storage)."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 8080

    @Option(name: .customLong("data-dir"), help: "Directory for chat.sqlite and uploaded files.")
    var dataDirectory = ChatServerConfiguration.defaultDataDirectory()

    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt cost for password hashes (4-31).")
    var bcryptCost: UInt8 = 10

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(name: .customLong("idle-timeout"), help: "Seconds before a connection that sent no complete request, or sits idle, is closed.")
    var idleTimeout: Double = 30

    @Option(name: .customLong("max-connections"), help: "Connections served at once (default: from the open-file limit).")
    var maxConnections: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31.") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown --log-level \(logLevel).") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be more than 0 seconds.") }
        guard (maxConnections ?? 1) > 0 else { throw ValidationError("--max-connections must be at least 1.") }
    }

    func run() async throws {
        var logger = Logger(label: "termchat-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration = ChatServerConfiguration(
            host: host, port: port, dataDirectory: dataDirectory, bcryptCost: bcryptCost, logLevel: logger.logLevel,
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), maxConnections: maxConnections
        )
        let host = self.host
        let app = try ChatServerApp.build(configuration: configuration, logger: logger) { boundPort in
            // One machine-readable line, so scripts and tests can find a port chosen with --port 0.
            FileHandle.standardOutput.write(Data("termchat-server listening on http://\(host):\(boundPort)\n".utf8))
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

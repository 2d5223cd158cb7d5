import ArgumentParser
import ChatServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

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

    @Option(name: .customLong("metrics-port"), help: "Serve GET /metrics (Prometheus text) on this port of --host; off when absent.")
    var metricsPort: Int?

    @Option(name: .customLong("log-format"), help: "text, or json (one object per line, for log collectors).")
    var logFormat = "text"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31.") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown --log-level \(logLevel).") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be more than 0 seconds.") }
        guard (maxConnections ?? 1) > 0 else { throw ValidationError("--max-connections must be at least 1.") }
        guard (0...65535).contains(metricsPort ?? 0) else { throw ValidationError("--metrics-port must be between 0 and 65535.") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format is text or json.") }
    }

    func run() async throws {
        if logFormat == "json" { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var logger = Logger(label: "termchat-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration = ChatServerConfiguration(
            host: host, port: port, dataDirectory: dataDirectory, bcryptCost: bcryptCost, logLevel: logger.logLevel,
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), maxConnections: maxConnections
        )
        let host = self.host
        let metrics = ServerMetrics()
        let app = try ChatServerApp.build(configuration: configuration, logger: logger, metrics: metrics) { boundPort in
            // One machine-readable line, so scripts and tests can find a port chosen with --port 0.
            FileHandle.standardOutput.write(Data("termchat-server listening on http://\(host):\(boundPort)\n".utf8))
        }
        guard let metricsPort else {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            return
        }
        let metricsApp = ChatServerApp.buildMetrics(metrics: metrics, host: host, port: metricsPort, logger: logger) { boundPort in
            FileHandle.standardOutput.write(Data("termchat-server metrics on http://\(host):\(boundPort)/metrics\n".utf8))
        }
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app), .init(service: metricsApp)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}

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
        abstract: "The TermChat chat server (HTTP + WebSocket; SQLite, or PostgreSQL shared by several instances).",
        subcommands: [Serve.self, Migrate.self, Copy.self],
        defaultSubcommand: Serve.self
    )
}

/// Where the chats are kept, for every subcommand.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory for chat.sqlite and uploaded files.")
    var dataDirectory = ChatServerConfiguration.defaultDataDirectory()

    @Option(help: ArgumentHelp(
        "A PostgreSQL database, postgresql://user[:password]@host[:port]/db[?sslmode=disable|prefer|require] (default: $TERMCHAT_DATABASE_URL, else chat.sqlite in --data-dir).",
        valueName: "url"
    ))
    var database: String?

    @Option(name: .customLong("files-dir"), help: "Directory for uploaded files (default: files/ in --data-dir). Instances that share a database must share it.")
    var filesDirectory: String?

    func validate() throws {
        _ = try resolvedDatabase()
    }

    func resolvedDatabase() throws -> ChatServerConfiguration.Database {
        let text = database ?? ProcessInfo.processInfo.environment["TERMCHAT_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else { return .sqlite }
        do {
            return .postgresql(try PostgresDatabaseURL(text))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func apply(to configuration: inout ChatServerConfiguration) throws {
        configuration.dataDirectory = dataDirectory
        configuration.database = try resolvedDatabase()
        configuration.filesDirectoryOverride = filesDirectory
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API (the default).")

    @OptionGroup var storage: DatabaseOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 8080

    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt cost for password hashes (4-31).")
    var bcryptCost: UInt8 = 10

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(name: .customLong("idle-timeout"), help: "Seconds before a connection that sent no complete request, or sits idle, is closed.")
    var idleTimeout: Double = 30

    @Option(name: .customLong("max-connections"), help: "Connections served at once (default: from the open-file limit).")
    var maxConnections: Int?

    @Option(name: .customLong("max-sockets-per-account"), help: "Event streams one account may hold open at once (default 20).")
    var maxSocketsPerAccount = 20

    @Option(name: .customLong("session-idle-days"), help: "Days a device may go unused before its token is refused and it must sign in again (0: never).")
    var sessionIdleDays: Double = 90

    @Option(name: .customLong("max-sessions-per-user"), help: "Sessions (signed-in devices) one user may hold; a sign-in past it ends the one used longest ago.")
    var maxSessionsPerUser = 30

    @Option(name: .customLong("upload-quota-mb"), help: "Megabytes one user's stored uploads may take (0: no limit).")
    var uploadQuotaMegabytes: Double = 1024

    @Option(name: .customLong("unreferenced-upload-hours"), help: "Hours after which an upload no message or chat image refers to is removed.")
    var unreferencedUploadHours: Double = 24

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp(
        "off, or <name>=<burst>:<per-minute> (or <name>=off), repeatable; names: \(RateLimits.Name.allCases.map(\.rawValue).joined(separator: ", ")). Defaults: \(RateLimits.Name.allCases.compactMap { name in RateLimits.defaults[name].map { "\(name.rawValue)=\($0)" } }.joined(separator: ", ")).",
        valueName: "limit"
    ))
    var rateLimit: [String] = []

    @Option(name: .customLong("metrics-port"), help: "Serve GET /metrics (Prometheus text) on this port of --host; off when absent.")
    var metricsPort: Int?

    @Option(name: .customLong("log-format"), help: "text, or json (one object per line, for log collectors).")
    var logFormat = "text"

    @Flag(name: .customLong("exit-when-input-closes"), help: ArgumentHelp(
        "Shut down when standard input ends: a parent that starts the server on a pipe (termchat demo) takes it along when it dies.",
        visibility: .hidden
    ))
    var exitWhenInputCloses = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31.") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown --log-level \(logLevel).") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be more than 0 seconds.") }
        guard (maxConnections ?? 1) > 0 else { throw ValidationError("--max-connections must be at least 1.") }
        guard maxSocketsPerAccount > 0 else { throw ValidationError("--max-sockets-per-account must be at least 1.") }
        guard (0...65535).contains(metricsPort ?? 0) else { throw ValidationError("--metrics-port must be between 0 and 65535.") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format is text or json.") }
        _ = try rateLimits()
        guard sessionIdleDays >= 0, sessionIdleDays.isFinite else { throw ValidationError("--session-idle-days must be 0 (never) or more.") }
        guard uploadQuotaMegabytes >= 0, uploadQuotaMegabytes.isFinite else { throw ValidationError("--upload-quota-mb must be 0 (no limit) or more.") }
        guard unreferencedUploadHours > 0, unreferencedUploadHours.isFinite else { throw ValidationError("--unreferenced-upload-hours must be more than 0.") }
        guard maxSessionsPerUser > 0 else { throw ValidationError("--max-sessions-per-user must be at least 1.") }
    }

    func rateLimits() throws -> RateLimits {
        var limits = RateLimits.defaults
        do {
            for text in rateLimit { try limits.apply(text) }
        } catch {
            throw ValidationError("--rate-limit: \(error.description)")
        }
        return limits
    }

    func run() async throws {
        if logFormat == "json" { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        if exitWhenInputCloses { InputWatch.shutDownAtEndOfInput() }
        var logger = Logger(label: "termchat-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = ChatServerConfiguration(
            host: host, port: port, bcryptCost: bcryptCost, logLevel: logger.logLevel,
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), maxConnections: maxConnections
        )
        configuration.maxSocketsPerAccount = maxSocketsPerAccount
        configuration.rateLimits = try rateLimits()
        configuration.uploadQuotaBytes = uploadQuotaMegabytes == 0 ? nil : Int(uploadQuotaMegabytes * 1_048_576)
        configuration.unreferencedUploadLifetime = unreferencedUploadHours * 3600
        configuration.sessions = SessionPolicy(idleLimit: sessionIdleDays == 0 ? nil : sessionIdleDays * 86_400, maxPerUser: maxSessionsPerUser)
        try storage.apply(to: &configuration)
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

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database's schema up to date, then exit (serve does it too).")

    @OptionGroup var storage: DatabaseOptions

    func run() async throws {
        var configuration = ChatServerConfiguration()
        try storage.apply(to: &configuration)
        let applied = try await DatabaseMaintenance.migrate(configuration, logger: Logger(label: "termchat-server"))
        print(applied.isEmpty ? "The database is up to date." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
    }
}

struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite deployment, files included, into an empty PostgreSQL database, and check the counts."
    )

    @Option(help: ArgumentHelp("The data directory of the SQLite deployment (holds chat.sqlite and files/).", valueName: "dir"))
    var from: String

    @Option(help: ArgumentHelp("The PostgreSQL database, postgresql://user@host:port/db.", valueName: "url"))
    var to: String

    @Option(name: .customLong("files-dir"), help: "Where the PostgreSQL deployment keeps files (default: files/ in --from, left as it is).")
    var filesDirectory: String?

    func validate() throws {
        do { _ = try PostgresDatabaseURL(to) } catch { throw ValidationError(error.description.replacingOccurrences(of: "--database", with: "--to")) }
    }

    func run() async throws {
        let report = try await DatabaseMaintenance.copy(
            fromDataDirectory: from, to: try PostgresDatabaseURL(to), filesDirectory: filesDirectory ?? from + "/files",
            logger: Logger(label: "termchat-server")
        )
        for row in report.tables { print("\(row.table): \(row.postgres) of \(row.sqlite) rows") }
        print("files: \(report.files)")
        print("Copied; every count matches.")
    }
}

import Foundation
import Logging

/// How to run the server. The defaults work with no flags.
public struct ChatServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the bound port is reported once the server runs.
    public var port: Int
    /// Holds `chat.sqlite` and `files/`.
    public var dataDirectory: String
    /// bcrypt cost for password hashes.
    public var bcryptCost: UInt8
    public var logLevel: Logger.Level
    /// A connection whose first request head has not arrived, or that sits idle between
    /// requests, this long is closed.
    public var idleTimeout: Duration
    /// At most this many connections at once; nil derives it from the open-file limit.
    public var maxConnections: Int?
    /// At most this many event streams per account (a person's devices and scripts; one
    /// account opened every connection the server had).
    public var maxSocketsPerAccount: Int = 20
    /// The server pings each event stream this often; a stream that left a ping unanswered by
    /// the next one is ended (1001).
    public var eventPingInterval: Duration = .seconds(30)
    /// Token buckets on sign-in, registration, posting, uploads and other writes.
    public var rateLimits: RateLimits = .defaults
    /// How long a session lives unused, and how many one user may hold.
    public var sessions = SessionPolicy()
    /// Bytes one user's stored uploads may take (`--upload-quota-mb`); nil: no limit.
    public var uploadQuotaBytes: Int? = 1 << 30
    /// Uploads nothing refers to are removed once this old (`--unreferenced-upload-hours`).
    public var unreferencedUploadLifetime: TimeInterval = 24 * 3600
    /// How often unreferenced uploads are looked for.
    public var uploadSweepInterval: Duration = .seconds(600)
    /// The server's clock (tests move it forward to see sessions go idle).
    public var now: @Sendable () -> Date = { Date() }
    /// Where chats are kept: `chat.sqlite` in the data directory, or a PostgreSQL database
    /// that several instances may share.
    public var database: Database = .sqlite
    /// Uploaded files; nil keeps them in `<data-dir>/files`. Instances that share a
    /// PostgreSQL database must share this folder too (`--files-dir`).
    public var filesDirectoryOverride: String?

    public enum Database: Sendable, Equatable {
        case sqlite
        case postgresql(PostgresDatabaseURL)
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = Self.defaultDataDirectory(),
                bcryptCost: UInt8 = 10, logLevel: Logger.Level = .info, idleTimeout: Duration = .seconds(30),
                maxConnections: Int? = nil) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.bcryptCost = bcryptCost
        self.logLevel = logLevel
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// `$XDG_DATA_HOME/termchat-server`, else `~/.local/share/termchat-server`.
    public static func defaultDataDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/termchat-server" }
        return (environment["HOME"] ?? ".") + "/.local/share/termchat-server"
    }

    var databasePath: String { dataDirectory + "/chat.sqlite" }
    var filesDirectory: String { filesDirectoryOverride ?? dataDirectory + "/files" }
}

import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation
import Logging

/// A signed-in account opened: its cache (recovered if damaged) and a sync engine over it.
public struct AccountSession: Sendable {
    public let credentials: Credentials
    public let store: ChatStore
    public let engine: SyncEngine
    /// Set when the cache could not be used and was replaced (see `CacheRecovery`).
    public let recoveryNotice: String?

    public init(credentials: Credentials, store: ChatStore, engine: SyncEngine, recoveryNotice: String? = nil) {
        self.credentials = credentials
        self.store = store
        self.engine = engine
        self.recoveryNotice = recoveryNotice
    }

    /// Opens the account's cache and an engine over it, with the network settings of
    /// config.toml (`network`: the file's, unless given).
    public static func open(_ credentials: Credentials, paths: AppPaths, network: NetworkSettings? = nil) throws -> AccountSession {
        let (store, notice) = try CacheRecovery.open(
            path: paths.cacheFile(server: credentials.server, username: credentials.username), me: credentials.userId
        )
        var logger = Logger(label: "termchat")
        logger.logLevel = .error
        let config = AppConfig.load(path: paths.configFile)
        let settings = network ?? NetworkSettings(connectTimeout: config.connectTimeout, requestTimeout: config.requestTimeout)
        let engine = SyncEngine(credentials: credentials, store: store, network: settings, previews: .jpeg, logger: logger)
        return AccountSession(credentials: credentials, store: store, engine: engine, recoveryNotice: notice)
    }

    /// The signed-in person.
    public var me: UserInfo { UserInfo(id: credentials.userId, name: credentials.name, username: credentials.username) }

    /// The server as shown in the status line: host:port.
    public var serverLabel: String {
        AppPaths.hostAndPort(credentials.server)
    }
}

import ChatAPI
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the server: storage, services, routes and the WebSocket upgrade.
public enum ChatServerApp {
    /// An application ready to `runService()`. `onServerRunning` receives the bound port.
    public static func build(
        configuration: ChatServerConfiguration,
        logger: Logger,
        metrics: ServerMetrics = ServerMetrics(),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        PrivateFiles.createDirectory(atPath: configuration.dataDirectory)
        PrivateFiles.createDirectory(atPath: configuration.filesDirectory)
        PrivateFiles.restrictContents(ofDirectory: configuration.filesDirectory)
        let now = configuration.now
        let hub = RealtimeHub(logger: logger, metrics: metrics)
        let callers = CallerCache()
        let storedFiles = StoredFiles(directory: configuration.filesDirectory)
        let storage = try Storage.open(configuration.database, configuration: configuration, hub: hub, callers: callers, files: storedFiles, logger: logger)
        let repository = storage.repository
        let events = EventPublisher(hub: hub, callers: callers, bus: storage.bus, logger: logger)
        let rateLimiter = RateLimiter(configuration.rateLimits, metrics: metrics, clock: { now().timeIntervalSince1970 })
        let accounts = AccountService(
            repository: repository, hasher: PasswordHasher(cost: configuration.bcryptCost, metrics: metrics), events: events, limiter: rateLimiter,
            sessionPolicy: configuration.sessions, now: now
        )
        let chats = ChatService(repository: repository, events: events, files: storedFiles, now: now)
        let messages = MessageService(repository: repository, chats: chats, events: events, files: storedFiles, now: now)
        let files = FileService(repository: repository, files: storedFiles, quota: configuration.uploadQuotaBytes, now: now)
        let sweeper = UploadSweeper(
            repository: repository, files: storedFiles, lifetime: configuration.unreferencedUploadLifetime,
            interval: configuration.uploadSweepInterval, now: now, logger: logger
        )

        let router = Router(context: ChatRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: EmptyPathSegmentMiddleware())
        HealthRoutes.add(to: router, repository: repository, metrics: metrics, bus: storage.bus)
        UserRoutes.addPublic(to: router, accounts: accounts)
        let authenticated = router.group()
            .add(middleware: AuthMiddleware(accounts: accounts))
            .add(middleware: RateLimitMiddleware(limiter: rateLimiter))
        UserRoutes.addAuthenticated(to: authenticated, accounts: accounts)
        ChatRoutes.add(to: authenticated, chats: chats, messages: messages)
        FileRoutes.add(to: authenticated, files: files)

        let openFiles = OpenFileLimit.raise()
        let limiter = ConnectionLimiter(
            capacity: configuration.maxConnections ?? OpenFileLimit.connectionCap(openFiles: openFiles), logger: logger
        )
        let admission = EventStreamAdmission(accounts: accounts, hub: hub, maxSocketsPerAccount: configuration.maxSocketsPerAccount)
        let idle = TimeAmount.nanoseconds(configuration.idleTimeout.nanoseconds)
        let server = HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: EventStreamUpgradeChannel(
                    responder: responder, http1: .init(idleTimeout: idle), admission: admission,
                    maxFrameSize: 1 << 20, pingInterval: .nanoseconds(configuration.eventPingInterval.nanoseconds)
                ),
                headerTimeout: idle,
                limiter: limiter
            )
        }
        var app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "termchat-server"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        app.addServices(storage.services)
        app.addServices(sweeper, EventSessionsShutdown(hub: hub))
        if let prepare = storage.prepare { app.beforeServerStarts(perform: prepare) }
        return app
    }

    /// The `/metrics` endpoint on a port of its own (`--metrics-port`), so that it is not
    /// public with the API. Each scrape also times one database round trip.
    public static func buildMetrics(
        metrics: ServerMetrics, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition()))
            )
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "termchat-server-metrics"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

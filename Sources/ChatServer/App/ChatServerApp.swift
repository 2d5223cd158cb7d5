import ChatAPI
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Builds the server: storage, services, routes and the WebSocket upgrade.
public enum ChatServerApp {
    /// An application ready to `runService()`. `onServerRunning` receives the bound port.
    public static func build(
        configuration: ChatServerConfiguration,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try FileManager.default.createDirectory(atPath: configuration.filesDirectory, withIntermediateDirectories: true)
        let repository = try SQLiteRepository(path: configuration.databasePath)
        let now: @Sendable () -> Date = { Date() }
        let hub = RealtimeHub(logger: logger)
        let events = EventPublisher(hub: hub, logger: logger)
        let accounts = AccountService(repository: repository, hasher: PasswordHasher(cost: configuration.bcryptCost), events: events, now: now)
        let chats = ChatService(repository: repository, events: events, now: now)
        let messages = MessageService(repository: repository, chats: chats, events: events, now: now)
        let files = FileService(repository: repository, directory: configuration.filesDirectory, now: now)

        let router = Router(context: ChatRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: APIErrorMiddleware())
        UserRoutes.addPublic(to: router, accounts: accounts)
        let authenticated = router.group().add(middleware: AuthMiddleware(accounts: accounts))
        UserRoutes.addAuthenticated(to: authenticated, accounts: accounts)
        ChatRoutes.add(to: authenticated, chats: chats, messages: messages)
        FileRoutes.add(to: authenticated, files: files)

        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: EventRoutes.router(accounts: accounts, hub: hub),
                configuration: .init(ws: .init(maxFrameSize: 1 << 20, autoPing: .enabled(timePeriod: .seconds(30))))
            ),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "termchat-server"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}

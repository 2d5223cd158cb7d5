import ArgumentParser
import ChatApp
import ChatAPI
import ChatClient
import ChatStore
import ChatSync
import ChatUI
import Foundation
import Logging

/// `termchat demo`: a live, populated chat in one command, with nothing to set up.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try TermChat: a local server (termchat-server, started for you) with people, chats and history, and friends who answer."
    )
    @Flag(help: "Start over with new demo data.") var fresh = false
    @Flag(help: "Screen-reader mode (as termchat --screen-reader).") var screenReader = false

    func run() async throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw CLIError("The demo needs a terminal.")
        }
        let paths = AppPaths()
        let directory = paths.dataDirectory + "/demo"
        if fresh { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/server", withIntermediateDirectories: true)
        let server = try await DemoServer.start(dataDirectory: directory + "/server")
        do {
            let world = try await loadOrSeed(directory: directory, server: server.url)
            let credentials = Credentials(
                server: server.url, userId: world.you.id, username: world.you.username, name: world.you.name,
                token: world.you.token, sessionId: world.you.sessionId, deviceId: world.you.deviceId
            )
            let store = try ChatStore(path: directory + "/cache.sqlite", me: world.you.id)
            var logger = Logger(label: "termchat")
            logger.logLevel = .critical
            let engine = SyncEngine(store: store, api: credentials.api, sessionId: credentials.sessionId, previews: .jpeg, logger: logger)
            let session = Session(account: AccountSession(credentials: credentials, store: store, engine: engine))
            let demoPaths = AppPaths(environment: ["HOME": directory, "XDG_CONFIG_HOME": directory + "/config", "XDG_DATA_HOME": directory])
            let config = AppConfig.load(path: paths.configFile)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await DemoCompanion(world: world, server: server.url).run() }
                try await TUIApp(session: session, signIn: SignIn(credentials: CredentialStore(paths: demoPaths), profile: "demo"),
                                 config: config, isDemo: true, screenReader: ScreenReaderMode.resolve(
                                    flag: screenReader, environment: ProcessInfo.processInfo.environment[ScreenReaderMode.variable],
                                    file: config.screenReader)).runInOwnTerminal()
                group.cancelAll()
            }
        } catch {
            await server.stop()
            throw CLIError(error.userMessage)
        }
        await server.stop()
    }

    /// The demo world of an earlier run, or a new one.
    private func loadOrSeed(directory: String, server: URL) async throws -> DemoWorld {
        let file = directory + "/world.json"
        if let data = FileManager.default.contents(atPath: file), let world = try? JSONDecoder.chatAPI().decode(DemoWorld.self, from: data) {
            return world
        }
        let world = try await DemoWorld.seed(server: server)
        try JSONEncoder.chatAPI().encode(world).write(to: URL(fileURLWithPath: file))
        return world
    }
}

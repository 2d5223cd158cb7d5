import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import ImageCodecs
@testable import ChatSync

/// A signed-in client: its own SQLite cache and a running sync engine.
struct SyncTestClient: Sendable {
    let api: APIClient
    let user: UserInfo
    let sessionId: UUID
    let store: ChatStore
    let engine: SyncEngine
    let task: Task<Void, Never>

    var id: UserID { user.id }

    static func register(_ name: String, on server: TestServer) async throws -> (api: APIClient, user: UserInfo, session: UUID) {
        let device = DeviceInfo(id: UUID(), name: "test", model: "swift")
        let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
        let username = UniqueName.make(name.lowercased().filter(\.isLetter))
        let info = try await anonymous.register(RegisterRequest(name: name, username: username, password: "password1", deviceInfo: device))
        guard let session = info.session(for: device.id) else { throw TestFailure("no session") }
        return (anonymous.withToken(session.accessToken), info.info, session.id)
    }

    static func start(_ name: String, on server: TestServer) async throws -> SyncTestClient {
        let (api, user, session) = try await register(name, on: server)
        return try start(api: api, user: user, sessionId: session, storePath: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite")
    }

    /// Starts an engine over an existing cache (a restart of the same client).
    static func start(api: APIClient, user: UserInfo, sessionId: UUID, storePath: String) throws -> SyncTestClient {
        start(api: api, user: user, sessionId: sessionId, store: try ChatStore(path: storePath, me: user.id))
    }

    /// Starts an engine over a store already opened (a recovered cache).
    static func start(api: APIClient, user: UserInfo, sessionId: UUID, store: ChatStore, retryPolicy: RetryPolicy = RetryPolicy()) -> SyncTestClient {
        var configuration = EventStream.Configuration()
        configuration.backoff = Backoff(base: .milliseconds(50), cap: .milliseconds(500))
        let engine = SyncEngine(store: store, api: api, sessionId: sessionId, streamConfiguration: configuration, retryPolicy: retryPolicy,
                                previews: PicturePreviews(fileTypes: ImageCodec.fileTypes) { ImageCodec.preview(ofFileAt: $0)?.data })
        let task = Task { await engine.run() }
        return SyncTestClient(api: api, user: user, sessionId: sessionId, store: store, engine: engine, task: task)
    }

    func restarted() throws -> SyncTestClient {
        try Self.start(api: api, user: user, sessionId: sessionId, storePath: store.path)
    }

    func stop() async {
        task.cancel()
        await task.value
    }

    /// Waits until `condition` holds on the cache, re-checking after every change. Fails after
    /// `timeout` instead of hanging; the timeout is a safety net, not the synchronisation.
    func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: @escaping @Sendable (ChatStore) throws -> Bool) async throws {
        let store = self.store
        let changes = store.changes()
        if try condition(store) { return }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in changes where try condition(store) { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw TestFailure("\(user.name)'s cache never reached: \(what)") }
        }
    }

    /// Waits until the engine reports a status that satisfies `condition`.
    func status(_ what: String, timeout: Duration = .seconds(30), _ condition: @escaping @Sendable (EngineStatus) -> Bool) async throws {
        if condition(await engine.currentStatus) { return }
        let updates = engine.statusUpdates
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await status in updates where condition(status) { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw TestFailure("\(user.name)'s engine never reached: \(what)") }
        }
    }

    func online() async throws {
        try await status("online and caught up") { $0.connection == .online && $0.isCaughtUp }
    }

    /// Waits until the engine has noticed the server is gone (it is waiting to retry).
    func offline() async throws {
        try await status("offline") { if case .retrying = $0.connection { true } else { false } }
    }
}

/// Every message of a chat on the server, oldest first.
func serverMessages(_ api: APIClient, _ chat: ChatID) async throws -> [MessageInfo] {
    var all: [MessageInfo] = []
    var before: MessageID?
    while true {
        let page = try await api.messages(chat, count: 500, before: before)
        all += page
        guard page.count == 500, let last = page.last else { break }
        before = last.id
    }
    return all.reversed()
}

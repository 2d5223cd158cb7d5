import ChatAPI
import ChatClient
import ChatStore
import ChatSync
import Logging
import Foundation

/// A signed-in account on one server, as stored in a 0600 file beside the config.
public struct Credentials: Codable, Sendable, Equatable {
    public var server: URL
    public var userId: UserID
    public var username: String
    public var name: String
    public var token: String
    public var sessionId: UUID
    public var deviceId: UUID

    public init(server: URL, userId: UserID, username: String, name: String, token: String, sessionId: UUID, deviceId: UUID) {
        self.server = server
        self.userId = userId
        self.username = username
        self.name = name
        self.token = token
        self.sessionId = sessionId
        self.deviceId = deviceId
    }

    public var api: APIClient { APIClient(baseURL: server, token: token) }
}

/// Reads and writes credentials per profile; the file is created with mode 0600 so other
/// users of the machine cannot read the token.
public struct CredentialStore: Sendable {
    public let paths: AppPaths

    public init(paths: AppPaths) {
        self.paths = paths
    }

    public func load(profile: String) throws -> Credentials? {
        paths.makePrivate()
        let file = paths.credentialsFile(profile: profile)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        do {
            return try JSONDecoder.chatAPI().decode(Credentials.self, from: data)
        } catch {
            throw ClientError.localFile(Said.storedSignInDamaged(file))
        }
    }

    public func save(_ credentials: Credentials, profile: String) throws {
        paths.makePrivate()
        let file = paths.credentialsFile(profile: profile)
        let data = try JSONEncoder.chatAPI().encode(credentials)
        // Create empty with 0600 first, then write: the token is never readable by others.
        _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        try data.write(to: URL(fileURLWithPath: file))
    }

    public func delete(profile: String) throws {
        let file = paths.credentialsFile(profile: profile)
        if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
    }

    /// This installation's device id: generated once, then stable.
    public func deviceId() throws -> UUID {
        if let text = FileManager.default.contents(atPath: paths.deviceIdFile).map({ String(decoding: $0, as: UTF8.self) }),
           let id = UUID(uuidString: text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return id
        }
        paths.makePrivate()
        let id = UUID()
        PrivateFiles.createFile(atPath: paths.deviceIdFile)
        try Data(id.uuidString.utf8).write(to: URL(fileURLWithPath: paths.deviceIdFile))
        return id
    }
}

/// How long to wait on the network (config.toml's `[network]`).
public struct NetworkSettings: Sendable, Equatable {
    /// Seconds for a TCP connection to a server not reached lately.
    public var connectTimeout: Double
    /// Seconds for a request.
    public var requestTimeout: Double

    public init(connectTimeout: Double = 5, requestTimeout: Double = 30) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }
}

extension SyncEngine {
    /// An engine for a signed-in account.
    public init(credentials: Credentials, store: ChatStore, network: NetworkSettings = NetworkSettings(), previews: PicturePreviews = .none,
                logger: Logger = Logger(label: "termchat.sync")) {
        var api = credentials.api
        api.connectTimeout = network.connectTimeout
        api.requestTimeout = network.requestTimeout
        self.init(store: store, api: api, sessionId: credentials.sessionId, previews: previews, logger: logger)
    }
}

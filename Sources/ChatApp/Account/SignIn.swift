import ChatAPI
import ChatClient
import Foundation

/// Register, log in and log out, keeping the stored credentials in step.
public struct SignIn: Sendable {
    public let credentials: CredentialStore
    public let profile: String

    public init(credentials: CredentialStore, profile: String) {
        self.credentials = credentials
        self.profile = profile
    }

    func device() throws -> DeviceInfo {
        let host = ProcessInfo.processInfo.hostName
        return DeviceInfo(id: try credentials.deviceId(), name: "termchat on \(host)", model: "termchat (terminal)", token: "", transport: "none")
    }

    public func register(server: String, name: String, username: String, password: String) async throws -> Credentials {
        let url = try ServerURL.parse(server)
        let device = try device()
        let info = try await APIClient(baseURL: url).register(RegisterRequest(name: name, username: username, password: password, deviceInfo: device))
        return try store(info, server: url, device: device)
    }

    public func login(server: String, username: String, password: String) async throws -> Credentials {
        let url = try ServerURL.parse(server)
        let device = try device()
        let info = try await APIClient(baseURL: url).login(username: username, password: password, device: device)
        return try store(info, server: url, device: device)
    }

    private func store(_ info: PrivateUserInfo, server: URL, device: DeviceInfo) throws -> Credentials {
        // Whoever asked has gone (the sign-in screen was quit): keep nothing.
        try Task.checkCancellation()
        guard let session = info.session(for: device.id), let token = session.accessToken else {
            throw ClientError.badResponse("the server answered no session for this device")
        }
        let stored = Credentials(server: server, userId: info.info.id, username: info.info.username, name: info.info.name,
                                 token: token, sessionId: session.id, deviceId: device.id)
        try credentials.save(stored, profile: profile)
        return stored
    }

    /// Ends the session on the server (if reachable) and forgets the token here either way.
    /// The cache stays, so signing in again shows history at once.
    public func logout() async throws -> Credentials? {
        guard let stored = try credentials.load(profile: profile) else { return nil }
        defer { try? credentials.delete(profile: profile) }
        do {
            try await stored.api.logout()
        } catch let error where error.isUnauthorized {
            // Already signed out on the server.
        }
        return stored
    }
}

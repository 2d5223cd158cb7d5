import ChatTestSupport
import ChatAPI
import Foundation

/// A registered user with one signed-in session.
struct TestUser: Sendable {
    var id: UserID
    var username: String
    var password: String
    var token: String
    var sessionId: UUID
    var deviceId: UUID
    var http: HTTPClient

    /// Registers `username` (made unique) and returns the signed-in user.
    static func register(_ name: String, on server: TestServer) async throws -> TestUser {
        try await register(name, at: TestServerAddress(server.baseURL))
    }

    static func register(_ name: String, at server: TestServerAddress) async throws -> TestUser {
        let username = UniqueName.make(name.lowercased().filter(\.isLetter))
        let device = DeviceInfo(id: UUID(), name: "test", model: "swift-testing")
        let anonymous = HTTPClient(baseURL: server.baseURL)
        let reply = try await anonymous.post(APIPath.users, RegisterRequest(name: name, username: username, password: "password1", deviceInfo: device))
        let info = try reply.decode(PrivateUserInfo.self)
        guard let session = info.session(for: device.id), let token = session.accessToken else {
            throw TestFailure("register answered no session for the device")
        }
        return TestUser(
            id: info.info.id, username: username, password: "password1", token: token, sessionId: session.id,
            deviceId: device.id, http: HTTPClient(baseURL: server.baseURL, token: token)
        )
    }

    /// Signs in again on another device: a second session of the same user.
    func secondSession(on server: TestServer, sameDevice: Bool = false) async throws -> TestUser {
        try await secondSession(at: TestServerAddress(server.baseURL), sameDevice: sameDevice)
    }

    func secondSession(at server: TestServerAddress, sameDevice: Bool = false) async throws -> TestUser {
        let device = DeviceInfo(id: sameDevice ? deviceId : UUID(), name: "second", model: "swift-testing")
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
        let reply = try await HTTPClient(baseURL: server.baseURL).request(
            "POST", APIPath.login, json: LoginRequest(deviceInfo: device), headers: ["Authorization": "Basic \(basic)"]
        )
        let info = try reply.decode(PrivateUserInfo.self)
        guard let session = info.session(for: device.id), let token = session.accessToken else {
            throw TestFailure("login answered no session for the device")
        }
        var copy = self
        copy.token = token
        copy.sessionId = session.id
        copy.deviceId = device.id
        copy.http = HTTPClient(baseURL: server.baseURL, token: token)
        return copy
    }

    func createChat(with others: [TestUser], title: String? = nil, isPersonal: Bool? = nil) async throws -> ChatInfo {
        try await http.post(APIPath.chats, CreateChatRequest(title: title, participants: others.map(\.id), isPersonal: isPersonal)).decode()
    }

    func send(_ text: String, in chat: ChatID, localId: String? = nil) async throws -> MessageInfo {
        try await http.post(APIPath.messages(chat), PostMessageRequest(localId: localId ?? LocalID.make(author: id), text: text)).decode()
    }
}

/// Where a server listens, whether it runs in this process or as a child process.
struct TestServerAddress: Sendable {
    var baseURL: String
    init(_ baseURL: String) async throws { self.baseURL = baseURL }
}

import ChatAPI
import Foundation

/// One typed call per route of PROTOCOL.md sections 3 and 4.
extension APIClient {
    // MARK: Users and sessions

    public func register(_ request: RegisterRequest) async throws(ClientError) -> PrivateUserInfo {
        try await call("POST", APIPath.users, json: request)
    }

    /// Logs in with Basic credentials; the body is the bare `DeviceInfo` the upstream expects.
    public func login(username: String, password: String, device: DeviceInfo) async throws(ClientError) -> PrivateUserInfo {
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
        return try await call("POST", APIPath.login, json: LoginRequest(deviceInfo: device), headers: ["Authorization": "Basic \(basic)"])
    }

    public func me() async throws(ClientError) -> PrivateUserInfo { try await call("GET", APIPath.me) }
    public func logout() async throws(ClientError) { try await call("POST", APIPath.logout) }

    /// The user's signed-in devices: `GET /users/me`'s sessions, which every server lists.
    public func sessions() async throws(ClientError) -> [DeviceSession] { try await me().deviceSessions }

    /// [ours] Ends another device's session. A server without the route says 404 in its own
    /// words; then the sentence says what is missing.
    public func endSession(_ id: UUID) async throws(ClientError) {
        do {
            try await call("DELETE", APIPath.session(id))
        } catch .server(let status, let reason) where (status == 404 && !reason.hasPrefix("No such session")) || status == 405 {
            throw .server(status: status, reason: "This server cannot sign out another device (it has no DELETE \(APIPath.sessions)/<id>).")
        }
    }

    /// Our server answers the new `UserInfo`; the upstream answers only 200, so then it is re-read.
    public func updateProfile(_ request: UpdateProfileRequest) async throws(ClientError) -> UserInfo {
        let data = try await perform(try makeRequest("PUT", APIPath.me, body: try encode(request)))
        if let info = try? JSONDecoder.chatAPI().decode(UserInfo.self, from: data) { return info }
        return try await me().info
    }

    public func changePassword(old: String, new: String) async throws(ClientError) {
        try await call("PUT", APIPath.changePassword, json: ChangePasswordRequest(oldPassword: old, newPassword: new))
    }

    public func updateDevice(name: String, token: String? = nil) async throws(ClientError) {
        try await call("PUT", APIPath.device, json: UpdateDeviceRequest(deviceName: name, deviceToken: token))
    }

    public func user(_ id: UserID) async throws(ClientError) -> UserInfo { try await call("GET", APIPath.user(id)) }

    public func searchUsers(_ text: String) async throws(ClientError) -> [UserInfo] {
        try await call("GET", APIPath.users, query: ["s": text])
    }

    // MARK: Chats

    public func createChat(_ request: CreateChatRequest) async throws(ClientError) -> ChatInfo {
        try await call("POST", APIPath.chats, json: request)
    }

    public func chats(full: Bool = true) async throws(ClientError) -> [ChatInfo] {
        // The protocol cannot page the chat list: it gets a bound of its own, enough for
        // some 120,000 chats.
        try await call("GET", APIPath.chats, query: full ? ["full": "1"] : [:], limit: Self.chatListLimit)
    }

    public func chat(_ id: ChatID) async throws(ClientError) -> ChatInfo { try await call("GET", APIPath.chat(id)) }

    public func renameChat(_ id: ChatID, title: String) async throws(ClientError) -> ChatInfo {
        try await call("PUT", APIPath.chat(id), json: UpdateChatRequest(title: title))
    }

    public func updateSettings(_ id: ChatID, _ request: ChatSettingsRequest) async throws(ClientError) {
        try await call("PUT", APIPath.chatSettings(id), json: request)
    }

    public func addChatImage(_ id: ChatID, image: MediaInfo) async throws(ClientError) -> ChatInfo {
        try await call("POST", APIPath.chatImages(id), json: AddChatImageRequest(image: image))
    }

    public func removeChatImage(_ id: ChatID, media: MediaID) async throws(ClientError) {
        try await call("DELETE", APIPath.chatImage(id, media))
    }

    public func addUsers(_ id: ChatID, _ users: [UserID]) async throws(ClientError) -> ChatInfo {
        try await call("POST", APIPath.chatUsers(id), json: ChatUsersRequest(users: users))
    }

    public func removeUsers(_ id: ChatID, _ users: [UserID]) async throws(ClientError) -> ChatInfo {
        try await call("DELETE", APIPath.chatUsers(id), json: ChatUsersRequest(users: users))
    }

    public func deleteChat(_ id: ChatID) async throws(ClientError) { try await call("DELETE", APIPath.chat(id)) }
    public func leaveChat(_ id: ChatID) async throws(ClientError) { try await call("DELETE", APIPath.leaveChat(id)) }
    public func clearMessages(_ id: ChatID) async throws(ClientError) { try await call("DELETE", APIPath.messages(id)) }
    public func blockChat(_ id: ChatID) async throws(ClientError) { try await call("PUT", APIPath.blockChat(id)) }
    public func unblockChat(_ id: ChatID) async throws(ClientError) { try await call("PUT", APIPath.unblockChat(id)) }
    public func blockUser(_ id: ChatID, _ user: UserID) async throws(ClientError) { try await call("PUT", APIPath.blockUser(id, user)) }
    public func unblockUser(_ id: ChatID, _ user: UserID) async throws(ClientError) { try await call("PUT", APIPath.unblockUser(id, user)) }
    public func blockedUsers(_ id: ChatID) async throws(ClientError) -> [UserInfo] { try await call("GET", APIPath.blockedUsers(id)) }

    // MARK: Messages

    public func postMessage(_ chat: ChatID, _ request: PostMessageRequest) async throws(ClientError) -> MessageInfo {
        try await call("POST", APIPath.messages(chat), json: request)
    }

    /// Newest first, at most `count`, ids below `before`.
    public func messages(_ chat: ChatID, count: Int = ProtocolLimits.defaultMessagePage, before: MessageID? = nil) async throws(ClientError) -> [MessageInfo] {
        var query = ["count": String(count)]
        if let before { query["before"] = String(before) }
        return try await call("GET", APIPath.messages(chat), query: query)
    }

    /// Always sends both file flags: the upstream answers 400 unless both keys are present.
    public func editMessage(_ chat: ChatID, _ id: MessageID, text: String? = nil, isVisible: Bool? = nil,
                            fileExists: Bool = false, previewExists: Bool = false) async throws(ClientError) -> MessageInfo {
        try await call("PUT", APIPath.message(chat, id), json: UpdateMessageRequest(
            text: text, isVisible: isVisible, fileExists: fileExists, previewExists: previewExists
        ))
    }

    public func deleteMessage(_ chat: ChatID, _ id: MessageID) async throws(ClientError) -> MessageInfo {
        try await call("DELETE", APIPath.message(chat, id))
    }

    public func markRead(_ chat: ChatID, _ id: MessageID) async throws(ClientError) {
        try await call("PUT", APIPath.readMessage(chat, id))
    }

    /// Always sends `realm`: the upstream requires it.
    public func notify(_ chat: ChatID, name: String, text: String? = nil, realm: NotifyRealm = .webSocket) async throws(ClientError) {
        try await call("POST", APIPath.notify(chat), json: NotifyRequest(name: name, text: text, realm: realm))
    }
}

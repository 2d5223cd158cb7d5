import ChatAPI
import Foundation

/// Users and sessions: register, login, profile, password, device, logout, lookup and search.
struct AccountService: Sendable {
    let repository: any ChatRepository
    let hasher: PasswordHasher
    let events: EventPublisher
    let limiter: RateLimiter
    let sessionPolicy: SessionPolicy
    let now: @Sendable () -> Date
    /// Every request resolves its token; most tokens were seen a moment ago.
    var callers: CallerCache { events.callers }

    func register(_ request: RegisterRequest, ipAddress: String?) async throws -> PrivateUserInfo {
        try limiter.take(.registerAddress, ipAddress)
        try Validation.username(request.username)
        try Validation.password(request.password)
        try Validation.device(request.deviceInfo)
        let name = try Validation.displayName(request.name)
        let hash = try await hasher.hash(request.password)
        let user: StoredUser
        do {
            user = try await repository.createUser(name: name, username: request.username, passwordHash: hash, now: now())
        } catch StorageError.usernameTaken {
            throw APIError.conflict("The username \(request.username) is taken.")
        }
        return try await openSession(for: user, device: request.deviceInfo, ipAddress: ipAddress)
    }

    func login(username: String, password: String, device: DeviceInfo, ipAddress: String?) async throws -> PrivateUserInfo {
        try Validation.device(device)
        try limiter.take(.loginAddress, ipAddress)
        // Failed attempts weigh most: past their limit even the right password waits, or
        // guessing would go on at the pace of the refusals.
        let account = username.lowercased()
        try limiter.check(.failedLoginAccount, account)
        try limiter.check(.failedLoginAddress, ipAddress)
        let user = try await repository.user(username: username)
        // Checked against a stand-in when there is no such user: the same work either way.
        guard try await hasher.verify(password, orStandIn: user?.passwordHash), let user else {
            limiter.charge(.failedLoginAccount, account)
            limiter.charge(.failedLoginAddress, ipAddress)
            throw APIError.unauthorized("Wrong username or password.")
        }
        return try await openSession(for: user, device: device, ipAddress: ipAddress)
    }

    /// Resolves a Bearer token to its caller, or nil if it is unknown. A session idle past
    /// the policy's limit is refused with a reason the client shows. Use is recorded at most
    /// once per `touchInterval` (as the session's `updatedAt`, which lists show as last use).
    func caller(forToken token: String) async throws -> Caller? {
        let hash = TokenCodec.hash(token)
        let now = now()
        if let cached = callers.caller(forTokenHash: hash, usedSince: now.addingTimeInterval(-sessionPolicy.touchInterval)) { return cached }
        let generation = callers.generation
        guard let session = try await repository.session(tokenHash: hash) else { return nil }
        let idle = now.timeIntervalSince(session.updatedAt)
        // Refused with its reason every time it is tried (not deleted at first sight), so that
        // whichever request of the client's comes first, each says why; a sign-in on the device
        // replaces it, and a sign-in past the cap removes it.
        if let limit = sessionPolicy.idleLimit, idle > limit { throw APIError.unauthorized(sessionPolicy.idleReason) }
        var usedAt = session.updatedAt
        if idle > sessionPolicy.touchInterval {
            try await repository.touchSession(id: session.id, now: now)
            usedAt = now
        }
        let caller = Caller(userId: session.userId, sessionId: session.id)
        callers.store(caller, usedAt: usedAt, forTokenHash: hash, readAt: generation)
        return caller
    }

    /// The user's sessions (`GET /users/me/sessions` [ours]), without tokens.
    func sessions(_ caller: Caller) async throws -> [DeviceSession] {
        try await liveSessions(userId: caller.userId).map { Self.deviceSession($0, token: nil) }
    }

    /// The user's sessions that still work (those idle past the limit are left out).
    private func liveSessions(userId: UserID) async throws -> [StoredSession] {
        let now = now()
        return try await repository.sessions(userId: userId).filter { session in
            sessionPolicy.idleLimit.map { now.timeIntervalSince(session.updatedAt) <= $0 } ?? true
        }
    }

    /// Ends one of the caller's sessions (`DELETE /users/me/sessions/<id>` [ours]): its token
    /// stops working and its event streams close at once.
    func endSession(_ caller: Caller, id: UUID) async throws {
        guard try await repository.endSession(id: id, userId: caller.userId) else {
            throw APIError.notFound("No such session of yours: it may have ended already.")
        }
        await events.sessionsChanged(ended: [id])
    }

    func me(_ caller: Caller) async throws -> PrivateUserInfo {
        guard let user = try await repository.user(id: caller.userId) else { throw APIError.unauthorized() }
        return try await privateInfo(user, currentSession: caller.sessionId, token: nil)
    }

    func logout(_ caller: Caller) async throws {
        try await repository.deleteSession(id: caller.sessionId)
        await events.sessionsChanged(ended: [caller.sessionId])
    }

    func updateProfile(_ caller: Caller, _ request: UpdateProfileRequest) async throws -> UserInfo {
        let name = try request.name.map(Validation.displayName)
        let about = try request.about.map(Validation.about)
        return try await events.committing(in: repository) {
            let info = WireMapper.user(try await repository.updateUser(id: caller.userId, name: name, about: about))
            let audience = try await repository.contacts(of: caller.userId)
            await events.publish(.userUpdate(info), from: .user(caller.userId), to: audience)
            return info
        }
    }

    func changePassword(_ caller: Caller, _ request: ChangePasswordRequest) async throws {
        guard let user = try await repository.user(id: caller.userId) else { throw APIError.unauthorized() }
        guard try await hasher.verify(request.oldPassword, hash: user.passwordHash) else {
            throw APIError.forbidden("The current password is wrong.")
        }
        try Validation.password(request.newPassword)
        try await repository.updatePasswordHash(userId: user.id, hash: try await hasher.hash(request.newPassword))
        // Whoever knew the old password may hold another session: end all but this one.
        let ended = try await repository.deleteSessions(userId: user.id, except: caller.sessionId)
        await events.sessionsChanged(ended: ended)
    }

    func updateDevice(_ caller: Caller, _ request: UpdateDeviceRequest) async throws {
        let name = request.deviceName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count) else { throw APIError.badRequest("A device name is 1 to 64 characters long.") }
        try await repository.updateDevice(sessionId: caller.sessionId, name: name, token: request.deviceToken, now: now())
    }

    func user(id: UserID) async throws -> UserInfo {
        guard let user = try await repository.user(id: id) else { throw APIError.userNotFound(id) }
        return WireMapper.user(user)
    }

    func search(_ text: String) async throws -> [UserInfo] {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { throw APIError.badRequest("Say what to search for: GET /users?s=<part of a name>.") }
        return try await repository.searchUsers(matching: query, limit: 50).map(WireMapper.user)
    }

    func markOnline(_ caller: Caller) async {
        try? await repository.touchLastSeen(userId: caller.userId, at: now())
    }

    // MARK: -

    private func openSession(for user: StoredUser, device: DeviceInfo, ipAddress: String?) async throws -> PrivateUserInfo {
        let token = TokenCodec.newToken()
        let session = try await repository.upsertSession(
            userId: user.id, device: device, tokenHash: TokenCodec.hash(token), ipAddress: ipAddress, now: now()
        )
        // The device's previous token, if any, stopped working, and its event stream ends with
        // it (it kept receiving every message). The new token cannot be connected yet: it is
        // only handed out below. Past the cap, the sessions used longest ago end too.
        let trimmed = try await repository.trimSessions(
            userId: user.id, keep: sessionPolicy.maxPerUser, usedBefore: sessionPolicy.idleLimit.map { now().addingTimeInterval(-$0) }
        )
        await events.sessionsChanged(ended: [session.id] + trimmed)
        return try await privateInfo(user, currentSession: session.id, token: token)
    }

    /// Lists the user's sessions; only the current one carries a token, and only right after
    /// it was issued (tokens are not stored, so they cannot be shown again).
    private func privateInfo(_ user: StoredUser, currentSession: UUID, token: String?) async throws -> PrivateUserInfo {
        let sessions = try await liveSessions(userId: user.id).map { session in
            Self.deviceSession(session, token: session.id == currentSession ? token : nil)
        }
        return PrivateUserInfo(info: WireMapper.user(user), deviceSessions: sessions)
    }

    private static func deviceSession(_ session: StoredSession, token: String?) -> DeviceSession {
        DeviceSession(
            id: session.id, accessToken: token, ipAddress: session.ipAddress,
            createdAt: session.createdAt, updatedAt: session.updatedAt, deviceInfo: session.device
        )
    }
}

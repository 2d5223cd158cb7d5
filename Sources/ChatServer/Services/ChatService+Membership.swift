import ChatAPI
import Foundation

/// Who is in a chat: adding, removing and leaving (what follows a departure is one change with
/// it), and blocking a chat or a person in it.
extension ChatService {
    // MARK: Membership

    func addUsers(_ caller: Caller, _ chatId: ChatID, _ request: ChatUsersRequest) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        guard !chat.isPersonal else { throw APIError.badRequest("You cannot add people to a personal chat; start a group instead.") }
        try await requireNotBlocked(caller, chatId)
        let ids = Array(Set(request.users)).sorted()
        guard !ids.isEmpty else { throw APIError.badRequest("Name at least one user to add.") }
        guard ids.count <= ProtocolLimits.maxUsersAddedAtOnce else {
            throw APIError.badRequest("Add at most \(ProtocolLimits.maxUsersAddedAtOnce) users at a time (you named \(ids.count)).")
        }
        try await requireUsersExist(ids)
        let settings = try await repository.settings(chatId: chatId)
        if let blocker = ids.first(where: { settings[$0]?.isBlocked == true }) {
            throw APIError.forbidden("User \(blocker) has blocked this chat and cannot be added.")
        }
        let now = now()
        let added = try await events.committing(in: repository) {
            let added = try await repository.addMembers(chatId: chatId, userIds: ids, now: now)
            guard !added.isEmpty else { throw APIError.badRequest("Everyone named is already in the chat.") }
            try await publishChatUpdate(chat, name: ChatEvent.addedUsers, to: try await audience(chatId), by: caller, addedUsers: added)
            return added
        }
        return try await mapper.chat(chat, for: caller.userId, addedUsers: added)
    }

    func removeUsers(_ caller: Caller, _ chatId: ChatID, _ request: ChatUsersRequest) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        guard !chat.isPersonal else { throw APIError.badRequest("You cannot remove people from a personal chat.") }
        let ids = Array(Set(request.users)).sorted()
        guard !ids.isEmpty else { throw APIError.badRequest("Name at least one user to remove.") }
        if ids != [caller.userId] && chat.ownerId != caller.userId {
            throw APIError.forbidden("Only the chat's owner may remove other people.")
        }
        let (removed, current) = try await departing(chat, by: caller) {
            let removed = try await repository.removeMembers(chatId: chatId, userIds: ids)
            guard !removed.isEmpty else { throw APIError.badRequest("None of these users are in the chat.") }
            return removed
        }
        return try await mapper.chat(current ?? chat, for: caller.userId, full: current != nil, removedUsers: removed)
    }

    func leave(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        guard !chat.isPersonal else { throw APIError.badRequest("You cannot leave a personal chat; delete it or block it instead.") }
        _ = try await departing(chat, by: caller) {
            _ = try await repository.removeMembers(chatId: chatId, userIds: [caller.userId])
            return [caller.userId]
        }
    }

    /// People leave (`removal`, answering who left) and what follows, as one change: ownership
    /// handed on if the owner left, an empty chat deleted (its files removed once that has
    /// committed), those who remain told. Answers who left and the chat as it is now, or nil if
    /// it was deleted.
    private func departing(_ chat: StoredChat, by caller: Caller,
                           _ removal: @escaping @Sendable () async throws -> [UserID]) async throws -> (removed: [UserID], chat: StoredChat?) {
        let (removed, current, removedFiles) = try await events.committing(in: repository) {
            let removed = try await removal()
            let (current, removedFiles) = try await afterDeparture(chat, removed: removed, by: caller)
            return (removed, current, removedFiles)
        }
        files.remove(removedFiles)
        return (removed, current)
    }

    private func afterDeparture(_ chat: StoredChat, removed: [UserID], by caller: Caller) async throws -> (StoredChat?, removedFiles: [String]) {
        let remaining = try await repository.memberIds(chatId: chat.id)
        guard let heir = remaining.first else {
            return (nil, try await repository.deleteChat(id: chat.id))
        }
        var chat = chat
        if removed.contains(chat.ownerId) {
            try await repository.setOwner(chatId: chat.id, ownerId: heir)
            chat.ownerId = heir
        }
        // Those removed hear of it too (their devices then drop the chat); nothing after that.
        let audience = try await audience(chat.id)
        let told = audience + removed.filter { !audience.contains($0) }
        try await publishChatUpdate(chat, name: ChatEvent.removedUsers, to: told, by: caller, removedUsers: removed)
        return (chat, [])
    }

    func delete(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "delete it")
        let removedFiles = try await events.committing(in: repository) {
            let audience = try await audience(chatId)
            let removedFiles = try await repository.deleteChat(id: chatId)
            await events.publish(.chatDeleted(chatId), from: .user(caller.userId), to: audience)
            return removedFiles
        }
        files.remove(removedFiles)  // once the deletion has committed
    }

    func clearMessages(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "clear its messages")
        let removedFiles = try await events.committing(in: repository) {
            let removedFiles = try await repository.clearMessages(chatId: chatId)
            await events.publish(.chatCleared(chatId), from: .user(caller.userId), to: try await audience(chatId))
            return removedFiles
        }
        files.remove(removedFiles)  // once the messages are gone
    }

    // MARK: Blocking

    /// Blocking a group leaves it and keeps others from adding you back; blocking a personal
    /// chat keeps you in it but stops its events and the other person's messages.
    func blockChat(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        guard !chat.isPersonal else {
            _ = try await repository.updateSettings(chatId: chatId, userId: caller.userId, change: SettingsChange(isBlocked: true))
            return
        }
        _ = try await departing(chat, by: caller) {
            _ = try await repository.updateSettings(chatId: chatId, userId: caller.userId, change: SettingsChange(isBlocked: true))
            _ = try await repository.removeMembers(chatId: chatId, userIds: [caller.userId])
            return [caller.userId]
        }
    }

    func unblockChat(_ caller: Caller, _ chatId: ChatID) async throws {
        guard try await repository.chat(id: chatId) != nil else { throw APIError.chatNotFound }
        let isMember = try await repository.isMember(chatId: chatId, userId: caller.userId)
        let settings = try await repository.settings(chatId: chatId, userId: caller.userId)
        guard isMember || settings.isBlocked else { throw APIError.chatNotFound }
        _ = try await repository.updateSettings(chatId: chatId, userId: caller.userId, change: SettingsChange(isBlocked: false))
    }

    private func requireModerator(_ caller: Caller, _ chat: StoredChat, target: UserID) async throws {
        guard target != caller.userId else { throw APIError.badRequest("You cannot block or unblock yourself.") }
        try await requireUsersExist([target])
        if chat.isPersonal {
            guard try await repository.isMember(chatId: chat.id, userId: target) else {
                throw APIError.badRequest("User \(target) is not in this chat.")
            }
        } else {
            try requireOwner(caller, chat, to: "block or unblock people")
        }
    }

    func blockUser(_ caller: Caller, _ chatId: ChatID, _ userId: UserID) async throws {
        let chat = try await requireMember(caller, chatId)
        try await requireModerator(caller, chat, target: userId)
        try await repository.blockUser(chatId: chatId, userId: userId, by: caller.userId, now: now())
    }

    func unblockUser(_ caller: Caller, _ chatId: ChatID, _ userId: UserID) async throws {
        let chat = try await requireMember(caller, chatId)
        try await requireModerator(caller, chat, target: userId)
        try await repository.unblockUser(chatId: chatId, userId: userId)
    }

    func blockedUsers(_ caller: Caller, _ chatId: ChatID) async throws -> [UserInfo] {
        _ = try await requireMember(caller, chatId)
        let ids = try await repository.blockedUserIds(chatId: chatId)
        let users = try await repository.users(ids: ids)
        return ids.compactMap { users[$0] }.map(WireMapper.user)
    }
}

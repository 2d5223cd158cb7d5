import ChatAPI
import Foundation

/// Chats: creation, listing, settings, membership, images, blocking, deletion, notifications.
/// Rules marked [ours] in PROTOCOL.md are enforced here.
struct ChatService: Sendable {
    let repository: any ChatRepository
    let events: EventPublisher
    let files: StoredFiles
    let now: @Sendable () -> Date

    var mapper: WireMapper { WireMapper(repository: repository) }

    // MARK: Access

    /// The chat, if `caller` is in it; otherwise 404, so non-members learn nothing.
    func requireMember(_ caller: Caller, _ chatId: ChatID) async throws -> StoredChat {
        guard let chat = try await repository.chat(id: chatId),
              try await repository.isMember(chatId: chatId, userId: caller.userId)
        else { throw APIError.chatNotFound }
        return chat
    }

    /// Members who receive the chat's events: everyone in it who has not blocked it.
    func audience(_ chatId: ChatID) async throws -> [UserID] {
        try await repository.audience(chatId: chatId)
    }

    /// [ours] someone blocked from posting in a chat may not change it either (add people,
    /// rename it, set or remove its image), or the block could be worked around.
    private func requireNotBlocked(_ caller: Caller, _ chatId: ChatID) async throws {
        if try await repository.isUserBlocked(chatId: chatId, userId: caller.userId) {
            throw APIError.forbidden("You are blocked in this chat and cannot change it.")
        }
    }

    private func requireOwner(_ caller: Caller, _ chat: StoredChat, to action: String) throws {
        guard chat.isPersonal || chat.ownerId == caller.userId else {
            throw APIError.forbidden("Only the chat's owner may \(action).")
        }
    }

    private func requireUsersExist(_ ids: [UserID]) async throws {
        let found = try await repository.users(ids: ids)
        if let missing = ids.first(where: { found[$0] == nil }) { throw APIError.userNotFound(missing) }
    }

    private func publishChatUpdate(_ chat: StoredChat, name: (ChatInfo) -> ChatEvent, to users: [UserID], by caller: Caller,
                                   addedUsers: [UserID]? = nil, removedUsers: [UserID]? = nil) async throws {
        guard !users.isEmpty else { return }
        let infos = try await mapper.chats(chat, for: users, addedUsers: addedUsers, removedUsers: removedUsers)
        await events.publish(perRecipient: infos.mapValues(name), from: .user(caller.userId))
    }

    // MARK: Create and read

    func create(_ caller: Caller, _ request: CreateChatRequest) async throws -> ChatInfo {
        let others = Array(Set(request.participants)).filter { $0 != caller.userId }.sorted()
        try await requireUsersExist(others)
        let members = Set(others + [caller.userId])
        let isPersonal = request.isPersonal ?? (members.count == 2)
        if isPersonal && members.count != 2 {
            throw APIError.unprocessable("A personal chat is between you and one other person; this one would have \(members.count).")
        }
        let title = isPersonal ? nil : try request.title.map(Validation.chatTitle)
        let (chat, created) = try await repository.findOrCreateChat(
            newId: UUID(), title: title, isPersonal: isPersonal, ownerId: caller.userId, members: members, now: now()
        )
        if created {
            // [ours] the others' chat lists update live.
            try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: others, by: caller)
        }
        return try await mapper.chat(chat, for: caller.userId)
    }

    func list(_ caller: Caller, full: Bool) async throws -> [ChatInfo] {
        var result: [ChatInfo] = []
        for id in try await repository.chatIds(forUser: caller.userId) {
            guard let chat = try await repository.chat(id: id) else { continue }
            result.append(try await mapper.chat(chat, for: caller.userId, full: full))
        }
        return result
    }

    func get(_ caller: Caller, _ chatId: ChatID) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        return try await mapper.chat(chat, for: caller.userId)
    }

    // MARK: Change

    func rename(_ caller: Caller, _ chatId: ChatID, _ request: UpdateChatRequest) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        guard !chat.isPersonal else { throw APIError.badRequest("A personal chat has no title to change.") }
        try await requireNotBlocked(caller, chatId)
        let renamed = try await repository.renameChat(id: chatId, title: try Validation.chatTitle(request.title), now: now())
        try await publishChatUpdate(renamed, name: ChatEvent.chatUpdate, to: try await audience(chatId), by: caller)
        return try await mapper.chat(renamed, for: caller.userId)
    }

    func updateSettings(_ caller: Caller, _ chatId: ChatID, _ request: ChatSettingsRequest) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        _ = try await repository.updateSettings(
            chatId: chatId, userId: caller.userId,
            change: SettingsChange(isMuted: request.isMuted, isArchived: request.isArchived, isRemovedOnDevice: request.isRemovedOnDevice)
        )
        // [ours] the caller's other devices see their own flags change.
        try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: [caller.userId], by: caller)
        return try await mapper.chat(chat, for: caller.userId)
    }

    func addImage(_ caller: Caller, _ chatId: ChatID, _ request: AddChatImageRequest) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "change its image")
        try await requireNotBlocked(caller, chatId)
        let image = request.image
        try Validation.fileType(image.fileType)
        try Validation.fileSize(image.fileSize)
        guard try await repository.uploader(mediaId: image.id) == caller.userId else {
            throw APIError.badRequest("Upload the image first: POST /uploads with File-Name \(image.id.uuidString).")
        }
        try await repository.addChatImage(chatId: chatId, image: StoredMedia(
            id: image.id, fileType: image.fileType, fileSize: image.fileSize, previewWidth: image.previewWidth,
            previewHeight: image.previewHeight, createdAt: now(), fileExists: true, previewExists: false
        ))
        try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: try await audience(chatId), by: caller)
        return try await mapper.chat(chat, for: caller.userId)
    }

    func removeImage(_ caller: Caller, _ chatId: ChatID, _ mediaId: MediaID) async throws {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "change its image")
        try await requireNotBlocked(caller, chatId)
        guard let removed = try await repository.removeChatImage(chatId: chatId, mediaId: mediaId) else {
            throw APIError.notFound("The chat has no image \(mediaId.uuidString).")
        }
        files.remove(removed)
        try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: try await audience(chatId), by: caller)
    }

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
        let added = try await repository.addMembers(chatId: chatId, userIds: ids, now: now())
        guard !added.isEmpty else { throw APIError.badRequest("Everyone named is already in the chat.") }
        try await publishChatUpdate(chat, name: ChatEvent.addedUsers, to: try await audience(chatId), by: caller, addedUsers: added)
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
        let removed = try await repository.removeMembers(chatId: chatId, userIds: ids)
        guard !removed.isEmpty else { throw APIError.badRequest("None of these users are in the chat.") }
        let current = try await afterDeparture(chat, removed: removed, by: caller)
        return try await mapper.chat(current ?? chat, for: caller.userId, full: current != nil, removedUsers: removed)
    }

    func leave(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        guard !chat.isPersonal else { throw APIError.badRequest("You cannot leave a personal chat; delete it or block it instead.") }
        _ = try await repository.removeMembers(chatId: chatId, userIds: [caller.userId])
        _ = try await afterDeparture(chat, removed: [caller.userId], by: caller)
    }

    /// After people left: hands ownership on if the owner left, deletes an empty chat, and tells
    /// those who remain. Answers the chat as it is now, or nil if it was deleted.
    private func afterDeparture(_ chat: StoredChat, removed: [UserID], by caller: Caller) async throws -> StoredChat? {
        let remaining = try await repository.memberIds(chatId: chat.id)
        guard let heir = remaining.first else {
            files.remove(try await repository.deleteChat(id: chat.id))
            return nil
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
        return chat
    }

    func delete(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "delete it")
        let audience = try await audience(chatId)
        files.remove(try await repository.deleteChat(id: chatId))
        await events.publish(.chatDeleted(chatId), from: .user(caller.userId), to: audience)
    }

    func clearMessages(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "clear its messages")
        files.remove(try await repository.clearMessages(chatId: chatId))
        await events.publish(.chatCleared(chatId), from: .user(caller.userId), to: try await audience(chatId))
    }

    // MARK: Blocking

    /// Blocking a group leaves it and keeps others from adding you back; blocking a personal
    /// chat keeps you in it but stops its events and the other person's messages.
    func blockChat(_ caller: Caller, _ chatId: ChatID) async throws {
        let chat = try await requireMember(caller, chatId)
        _ = try await repository.updateSettings(chatId: chatId, userId: caller.userId, change: SettingsChange(isBlocked: true))
        if !chat.isPersonal {
            _ = try await repository.removeMembers(chatId: chatId, userIds: [caller.userId])
            _ = try await afterDeparture(chat, removed: [caller.userId], by: caller)
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

    // MARK: Notifications

    func notify(_ caller: Caller, _ chatId: ChatID, _ request: NotifyRequest) async throws {
        _ = try await requireMember(caller, chatId)
        guard (1...64).contains(request.name.count) else { throw APIError.badRequest("A notification name is 1 to 64 characters long.") }
        if let text = request.text { try Validation.messageText(text) }
        guard (request.data?.utf8.count ?? 0) <= 65_536 else { throw APIError.tooLarge("Notification data is limited to 64 KB.") }
        guard try await !repository.isUserBlocked(chatId: chatId, userId: caller.userId) else {
            throw APIError.forbidden("You are blocked in this chat.")
        }
        guard request.realm != .push else { return }  // no push service here; nothing to send
        let payload = AuxiliaryPayload(name: request.name, text: request.text, data: request.data, chatId: chatId)
        await events.publish(.auxiliary(payload), from: .user(caller.userId), to: try await audience(chatId))
    }
}

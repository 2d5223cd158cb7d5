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
    func requireNotBlocked(_ caller: Caller, _ chatId: ChatID) async throws {
        if try await repository.isUserBlocked(chatId: chatId, userId: caller.userId) {
            throw APIError.forbidden("You are blocked in this chat and cannot change it.")
        }
    }

    func requireOwner(_ caller: Caller, _ chat: StoredChat, to action: String) throws {
        guard chat.isPersonal || chat.ownerId == caller.userId else {
            throw APIError.forbidden("Only the chat's owner may \(action).")
        }
    }

    func requireUsersExist(_ ids: [UserID]) async throws {
        let found = try await repository.users(ids: ids)
        if let missing = ids.first(where: { found[$0] == nil }) { throw APIError.userNotFound(missing) }
    }

    func publishChatUpdate(_ chat: StoredChat, name: (ChatInfo) -> ChatEvent, to users: [UserID], by caller: Caller,
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
        let now = now()
        let chat = try await events.committing(in: repository) {
            let (chat, created) = try await repository.findOrCreateChat(
                newId: UUID(), title: title, isPersonal: isPersonal, ownerId: caller.userId, members: members, now: now
            )
            if created {
                // [ours] the others' chat lists update live.
                try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: others, by: caller)
            }
            return chat
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
        let (title, now) = (try Validation.chatTitle(request.title), now())
        let renamed = try await events.committing(in: repository) {
            let renamed = try await repository.renameChat(id: chatId, title: title, now: now)
            try await publishChatUpdate(renamed, name: ChatEvent.chatUpdate, to: try await audience(chatId), by: caller)
            return renamed
        }
        return try await mapper.chat(renamed, for: caller.userId)
    }

    func updateSettings(_ caller: Caller, _ chatId: ChatID, _ request: ChatSettingsRequest) async throws -> ChatInfo {
        let chat = try await requireMember(caller, chatId)
        let change = SettingsChange(isMuted: request.isMuted, isArchived: request.isArchived, isRemovedOnDevice: request.isRemovedOnDevice)
        try await events.committing(in: repository) {
            _ = try await repository.updateSettings(chatId: chatId, userId: caller.userId, change: change)
            // [ours] the caller's other devices see their own flags change.
            try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: [caller.userId], by: caller)
        }
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
        let stored = StoredMedia(
            id: image.id, fileType: image.fileType, fileSize: image.fileSize, previewWidth: image.previewWidth,
            previewHeight: image.previewHeight, createdAt: now(), fileExists: true, previewExists: false
        )
        try await events.committing(in: repository) {
            try await repository.addChatImage(chatId: chatId, image: stored)
            try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: try await audience(chatId), by: caller)
        }
        return try await mapper.chat(chat, for: caller.userId)
    }

    func removeImage(_ caller: Caller, _ chatId: ChatID, _ mediaId: MediaID) async throws {
        let chat = try await requireMember(caller, chatId)
        try requireOwner(caller, chat, to: "change its image")
        try await requireNotBlocked(caller, chatId)
        let removed = try await events.committing(in: repository) {
            guard let removed = try await repository.removeChatImage(chatId: chatId, mediaId: mediaId) else {
                throw APIError.notFound("The chat has no image \(mediaId.uuidString).")
            }
            try await publishChatUpdate(chat, name: ChatEvent.chatUpdate, to: try await audience(chatId), by: caller)
            return removed
        }
        files.remove(removed)  // once the change has committed
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

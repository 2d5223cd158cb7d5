import ChatAPI
import Foundation

/// Messages: post (idempotent by `localId`), page, edit, delete, read marks.
struct MessageService: Sendable {
    let repository: any ChatRepository
    let chats: ChatService
    let events: EventPublisher
    let files: StoredFiles
    let now: @Sendable () -> Date

    var mapper: WireMapper { WireMapper(repository: repository) }

    func post(_ caller: Caller, _ chatId: ChatID, _ request: PostMessageRequest) async throws -> MessageInfo {
        // One read for every check (each separate read was a hop to a database thread and back).
        guard let context = try await repository.postingContext(chatId: chatId, userId: caller.userId) else { throw APIError.chatNotFound }
        guard context.isMember else { throw APIError.forbidden("You are not in this chat.") }
        try Self.requireMayPost(caller, context)
        try Validation.localId(request.localId)
        let text = request.text
        if let text { try Validation.messageText(text) }
        let hasText = !(text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        guard hasText || request.attachment != nil else {
            throw APIError.badRequest("A message needs text or an attachment.")
        }
        let attachment = try request.attachment.map { attachment throws(APIError) in
            try Validation.fileType(attachment.fileType)
            try Validation.fileSize(attachment.fileSize)
            return StoredMedia(
                id: UUID(), fileType: attachment.fileType.lowercased(), fileSize: attachment.fileSize,
                createdAt: now(), fileExists: false, previewExists: false,
                fileName: try attachment.fileName.map(Validation.attachmentFileName)
            )
        }
        let (stored, created) = try await repository.insertMessage(NewMessage(
            chatId: chatId, authorId: caller.userId, localId: request.localId, text: text,
            isVisible: request.isVisible ?? true, attachment: attachment, now: now()
        ))
        let info = try await mapper.message(stored)
        if created {
            await events.publish(.message(info), from: .user(caller.userId), to: try await chats.audience(chatId))
        }
        return info
    }

    private static func requireMayPost(_ caller: Caller, _ context: PostingContext) throws {
        if context.isBlockedFromPosting {
            throw APIError.forbidden("You are blocked from posting in this chat.")
        }
        guard context.chat.isPersonal else { return }
        let settings = context.settings
        if settings[caller.userId]?.isBlocked == true {
            throw APIError.forbidden("You blocked this chat; unblock it to write here.")
        }
        if settings.contains(where: { $0.key != caller.userId && $0.value.isBlocked }) {
            throw APIError.forbidden("This person has blocked the chat.")
        }
    }

    func page(_ caller: Caller, _ chatId: ChatID, count: Int?, before: MessageID?) async throws -> [MessageInfo] {
        _ = try await chats.requireMember(caller, chatId)
        let count = count ?? ProtocolLimits.defaultMessagePage
        guard (1...ProtocolLimits.maxMessagePage).contains(count) else {
            throw APIError.badRequest("count must be between 1 and \(ProtocolLimits.maxMessagePage).")
        }
        return try await mapper.messages(try await repository.messages(chatId: chatId, before: before, count: count))
    }

    private func requireMessage(_ caller: Caller, _ chatId: ChatID, _ id: MessageID) async throws -> (StoredChat, StoredMessage) {
        let chat = try await chats.requireMember(caller, chatId)
        guard let message = try await repository.message(chatId: chatId, id: id) else { throw APIError.messageNotFound }
        return (chat, message)
    }

    func edit(_ caller: Caller, _ chatId: ChatID, _ id: MessageID, _ request: UpdateMessageRequest) async throws -> MessageInfo {
        let (_, message) = try await requireMessage(caller, chatId, id)
        guard message.authorId == caller.userId else { throw APIError.forbidden("Only the author may edit a message.") }
        guard message.deletedAt == nil else { throw APIError.badRequest("A deleted message cannot be edited.") }
        if let text = request.text {
            try Validation.messageText(text)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && message.attachments.isEmpty {
                throw APIError.badRequest("A message needs text or an attachment; delete it instead.")
            }
        }
        let updated = try await repository.updateMessage(chatId: chatId, id: id, change: MessageChange(
            text: request.text, isVisible: request.isVisible, fileExists: request.fileExists,
            previewExists: request.previewExists, now: now()
        ))
        let info = try await mapper.message(updated)
        await events.publish(.messageUpdate(info), from: .user(caller.userId), to: try await chats.audience(chatId))
        return info
    }

    func delete(_ caller: Caller, _ chatId: ChatID, _ id: MessageID) async throws -> MessageInfo {
        let (chat, message) = try await requireMessage(caller, chatId, id)
        let isModerator = !chat.isPersonal && chat.ownerId == caller.userId
        guard message.authorId == caller.userId || isModerator else {
            throw APIError.forbidden("Only the author or the group's owner may delete a message.")
        }
        guard message.deletedAt == nil else { return try await mapper.message(message) }
        let (deleted, removedFiles) = try await repository.deleteMessage(chatId: chatId, id: id, now: now())
        files.remove(removedFiles)
        let info = try await mapper.message(deleted)
        await events.publish(.messageUpdate(info), from: .user(caller.userId), to: try await chats.audience(chatId))
        return info
    }

    func markRead(_ caller: Caller, _ chatId: ChatID, _ id: MessageID) async throws {
        _ = try await requireMessage(caller, chatId, id)
        guard try await repository.addReadMark(messageId: id, userId: caller.userId, now: now()) else { return }
        guard let message = try await repository.message(chatId: chatId, id: id) else { return }
        let info = try await mapper.message(message)
        await events.publish(.messageUpdate(info), from: .user(caller.userId), to: try await chats.audience(chatId))
    }
}

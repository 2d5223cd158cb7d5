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
        // A valid text post, where the storage does it in one step: checks, insert and audience
        // in one round trip. Anything else (an invalid request too, so that whether the chat
        // may be posted to is answered first, as below) takes the steps.
        if request.attachment == nil, (try? Self.validate(request)) != nil {
            let new = NewMessage(
                chatId: chatId, authorId: caller.userId, localId: request.localId, text: request.text,
                isVisible: request.isVisible ?? true, attachment: nil, now: now()
            )
            // For the other instances, the event as it will be but for the id the statement gives it.
            let notification = events.bus == nil ? nil : events.notification(
                for: .message(WireMapper.message(StoredMessage(new, id: ClusterNotification.messageIdMark), users: [:])),
                from: .user(caller.userId))
            if let outcome = try await repository.postText(new, notifying: notification) {
                return try await posted(outcome, by: caller)
            }
        }
        // One read for every check (each separate read was a hop to a database thread and back).
        guard let context = try await repository.postingContext(chatId: chatId, userId: caller.userId) else { throw APIError.chatNotFound }
        if let refusal = Self.refusal(context.checks(for: caller.userId)) { throw refusal }
        try Self.validate(request)
        let text = request.text
        let attachment = try request.attachment.map { attachment throws(APIError) in
            try Validation.fileType(attachment.fileType)
            try Validation.fileSize(attachment.fileSize)
            return StoredMedia(
                id: UUID(), fileType: attachment.fileType.lowercased(), fileSize: attachment.fileSize,
                createdAt: now(), fileExists: false, previewExists: false,
                fileName: try attachment.fileName.map(Validation.attachmentFileName)
            )
        }
        let new = NewMessage(
            chatId: chatId, authorId: caller.userId, localId: request.localId, text: text,
            isVisible: request.isVisible ?? true, attachment: attachment, now: now()
        )
        return try await events.committing(in: repository) {
            let (stored, created) = try await repository.insertMessage(new)
            let info = try await mapper.message(stored)
            if created {
                await events.publish(.message(info), from: .user(caller.userId), to: try await chats.audience(chatId))
            }
            return info
        }
    }

    private func posted(_ outcome: TextPostOutcome, by caller: Caller) async throws -> MessageInfo {
        switch outcome {
        case .noSuchChat:
            throw APIError.chatNotFound
        case .refused(let checks):
            throw Self.refusal(checks) ?? APIError.forbidden("You may not post in this chat.")
        case .stored(let stored, let created, let audience, let othersNotified):
            let info = try await mapper.message(stored)
            if created {
                await events.publish(.message(info), from: .user(caller.userId), to: audience, othersNotified: othersNotified)
            }
            return info
        }
    }

    /// Why the author may not post, if a check says so.
    private static func refusal(_ checks: PostingChecks) -> APIError? {
        if !checks.isMember { return .forbidden("You are not in this chat.") }
        if checks.isBlockedFromPosting { return .forbidden("You are blocked from posting in this chat.") }
        if checks.blockedByAuthor { return .forbidden("You blocked this chat; unblock it to write here.") }
        if checks.blockedByOther { return .forbidden("This person has blocked the chat.") }
        return nil
    }

    /// The request's own rules (no storage needed): the localId, the text, text or a file.
    private static func validate(_ request: PostMessageRequest) throws {
        try Validation.localId(request.localId)
        if let text = request.text { try Validation.messageText(text) }
        // Any character that is not white space (what trimming would keep), found without
        // copying the text: this runs on every post.
        let hasText = request.text?.unicodeScalars.contains { !CharacterSet.whitespacesAndNewlines.contains($0) } ?? false
        guard hasText || request.attachment != nil else {
            throw APIError.badRequest("A message needs text or an attachment.")
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
        let change = MessageChange(
            text: request.text, isVisible: request.isVisible, fileExists: request.fileExists,
            previewExists: request.previewExists, now: now()
        )
        return try await events.committing(in: repository) {
            let info = try await mapper.message(try await repository.updateMessage(chatId: chatId, id: id, change: change))
            await events.publish(.messageUpdate(info), from: .user(caller.userId), to: try await chats.audience(chatId))
            return info
        }
    }

    func delete(_ caller: Caller, _ chatId: ChatID, _ id: MessageID) async throws -> MessageInfo {
        let (chat, message) = try await requireMessage(caller, chatId, id)
        let isModerator = !chat.isPersonal && chat.ownerId == caller.userId
        guard message.authorId == caller.userId || isModerator else {
            throw APIError.forbidden("Only the author or the group's owner may delete a message.")
        }
        guard message.deletedAt == nil else { return try await mapper.message(message) }
        let now = now()
        let (info, removedFiles) = try await events.committing(in: repository) {
            let (deleted, removedFiles) = try await repository.deleteMessage(chatId: chatId, id: id, now: now)
            let info = try await mapper.message(deleted)
            await events.publish(.messageUpdate(info), from: .user(caller.userId), to: try await chats.audience(chatId))
            return (info, removedFiles)
        }
        files.remove(removedFiles)  // once the deletion has committed
        return info
    }

    func markRead(_ caller: Caller, _ chatId: ChatID, _ id: MessageID) async throws {
        _ = try await requireMessage(caller, chatId, id)
        let now = now()
        try await events.committing(in: repository) {
            guard try await repository.addReadMark(messageId: id, userId: caller.userId, now: now) else { return }
            guard let message = try await repository.message(chatId: chatId, id: id) else { return }
            let info = try await mapper.message(message)
            await events.publish(.messageUpdate(info), from: .user(caller.userId), to: try await chats.audience(chatId))
        }
    }
}

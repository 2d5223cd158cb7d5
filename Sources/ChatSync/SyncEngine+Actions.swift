import ChatAPI
import ChatClient
import ChatStore
import Foundation

/// Actions that need the server's answer (they cannot be queued: their outcome depends on
/// rules only the server knows). Each stores the result so the UI, which reads the store,
/// shows it at once; a failure is thrown with the server's reason.
extension SyncEngine {
    @discardableResult
    public func createChat(_ request: CreateChatRequest) async throws -> ChatInfo {
        let chat = try await api.createChat(request)
        try store.upsertChat(chat)
        try await catchUpChat(chat.id)
        return chat
    }

    public func renameChat(_ chat: ChatID, title: String) async throws {
        try store.upsertChat(try await api.renameChat(chat, title: title))
    }

    public func updateSettings(_ chat: ChatID, _ request: ChatSettingsRequest) async throws {
        try await api.updateSettings(chat, request)
        if request.isRemovedOnDevice == true {
            try store.deleteChat(chat)
        } else {
            try store.setFlags(chat, isMuted: request.isMuted, isArchived: request.isArchived)
        }
    }

    public func addUsers(_ chat: ChatID, _ users: [UserID]) async throws {
        try store.upsertChat(try await api.addUsers(chat, users))
    }

    public func removeUsers(_ chat: ChatID, _ users: [UserID]) async throws {
        try store.upsertChat(try await api.removeUsers(chat, users))
    }

    public func leaveChat(_ chat: ChatID) async throws {
        try await api.leaveChat(chat)
        try store.deleteChat(chat)
    }

    public func deleteChat(_ chat: ChatID) async throws {
        try await api.deleteChat(chat)
        try store.deleteChat(chat)
    }

    public func clearMessages(_ chat: ChatID) async throws {
        try await api.clearMessages(chat)
        try store.clearMessages(chat)
    }

    public func blockChat(_ chat: ChatID, blocked: Bool) async throws {
        if blocked { try await api.blockChat(chat) } else { try await api.unblockChat(chat) }
        try store.setFlags(chat, isBlocked: blocked)
    }

    public func editMessage(_ chat: ChatID, serverId: MessageID, text: String) async throws {
        try store.applyServerMessages([try await api.editMessage(chat, serverId, text: text)])
    }

    public func deleteMessage(_ chat: ChatID, serverId: MessageID) async throws {
        try store.applyServerMessages([try await api.deleteMessage(chat, serverId)])
    }

    public func updateProfile(_ request: UpdateProfileRequest) async throws {
        try store.upsertUsers([try await api.updateProfile(request)])
    }

    /// Downloads an attachment to `destination` with progress shown in the conversation.
    public func download(_ chat: ChatID, localId: String, position: Int = 0, to destination: String) async throws {
        guard let message = try store.message(chat, localId: localId),
              let attachment = message.attachments.first(where: { $0.position == position }),
              let name = attachment.remoteFileName
        else { throw ClientError.localFile("That attachment is not on the server yet.") }
        let reporter = ProgressThrottle(store: store, chat: chat, localId: localId)
        try await api.download(name, to: destination) { done, total in reporter.report(done: done, total: total, state: .downloading) }
        try store.attachmentDownloaded(chat, localId: localId, position: position, path: destination, size: Int64(attachment.fileSize))
    }
}

import ChatAPI
import Foundation

/// Errors the storage layer reports in terms services can act on.
enum StorageError: Error, Equatable {
    case usernameTaken
    case notFound
}

/// Everything the services need from storage. Each method is one transaction, so a method that
/// must be atomic (find-or-create a chat, idempotent post) is one method here. The default
/// implementation is `SQLiteRepository`; another database implements this protocol without
/// touching the services.
protocol ChatRepository: Sendable {
    // MARK: Users
    func createUser(name: String, username: String, passwordHash: String, now: Date) async throws -> StoredUser
    func user(id: UserID) async throws -> StoredUser?
    func user(username: String) async throws -> StoredUser?
    func users(ids: [UserID]) async throws -> [UserID: StoredUser]
    func searchUsers(matching text: String, limit: Int) async throws -> [StoredUser]
    func updateUser(id: UserID, name: String?, about: String?) async throws -> StoredUser
    func updatePasswordHash(userId: UserID, hash: String) async throws
    func touchLastSeen(userId: UserID, at: Date) async throws
    /// Users who share at least one chat with `userId`, the user included.
    func contacts(of userId: UserID) async throws -> [UserID]

    // MARK: Sessions
    /// Creates the session of `device`, or replaces the token of the user's existing session on it.
    func upsertSession(userId: UserID, device: DeviceInfo, tokenHash: String, ipAddress: String?, now: Date) async throws -> StoredSession
    func session(tokenHash: String) async throws -> StoredSession?
    func sessions(userId: UserID) async throws -> [StoredSession]
    func deleteSession(id: UUID) async throws
    func updateDevice(sessionId: UUID, name: String, token: String?, now: Date) async throws

    // MARK: Chats
    /// Returns the chat of this kind whose members are exactly `members`, or creates it.
    func findOrCreateChat(
        newId: ChatID, title: String?, isPersonal: Bool, ownerId: UserID, members: Set<UserID>, now: Date
    ) async throws -> (chat: StoredChat, created: Bool)
    func chat(id: ChatID) async throws -> StoredChat?
    func memberIds(chatId: ChatID) async throws -> [UserID]
    func isMember(chatId: ChatID, userId: UserID) async throws -> Bool
    /// The chats `userId` is in and has not removed from their device, newest activity first.
    func chatIds(forUser userId: UserID) async throws -> [ChatID]
    func settings(chatId: ChatID, userId: UserID) async throws -> StoredChatSettings
    func settings(chatId: ChatID) async throws -> [UserID: StoredChatSettings]
    func updateSettings(chatId: ChatID, userId: UserID, change: SettingsChange) async throws -> StoredChatSettings
    func renameChat(id: ChatID, title: String, now: Date) async throws -> StoredChat
    func setOwner(chatId: ChatID, ownerId: UserID) async throws
    /// Adds the users not yet in the chat; answers those added.
    func addMembers(chatId: ChatID, userIds: [UserID], now: Date) async throws -> [UserID]
    /// Removes the users who are in the chat; answers those removed.
    func removeMembers(chatId: ChatID, userIds: [UserID]) async throws -> [UserID]
    func deleteChat(id: ChatID) async throws
    func chatImages(chatId: ChatID) async throws -> [StoredMedia]
    func addChatImage(chatId: ChatID, image: StoredMedia) async throws
    func removeChatImage(chatId: ChatID, mediaId: MediaID) async throws -> Bool
    func blockUser(chatId: ChatID, userId: UserID, by: UserID, now: Date) async throws
    func unblockUser(chatId: ChatID, userId: UserID) async throws
    func blockedUserIds(chatId: ChatID) async throws -> [UserID]
    func isUserBlocked(chatId: ChatID, userId: UserID) async throws -> Bool
    /// What posting into a chat checks, read at once: the chat (nil if there is none), whether
    /// the author is a member and blocked from posting, and every member's settings.
    func postingContext(chatId: ChatID, userId: UserID) async throws -> PostingContext?
    /// The members who receive the chat's events: those who have not blocked it.
    func audience(chatId: ChatID) async throws -> [UserID]

    // MARK: Messages
    /// Stores a message, unless the author already used `localId` in that chat: then the
    /// original is answered with `created == false`.
    func insertMessage(_ message: NewMessage) async throws -> (message: StoredMessage, created: Bool)
    func message(chatId: ChatID, id: MessageID) async throws -> StoredMessage?
    func messages(chatId: ChatID, before: MessageID?, count: Int) async throws -> [StoredMessage]
    func lastMessages(chatIds: [ChatID]) async throws -> [ChatID: StoredMessage]
    func updateMessage(chatId: ChatID, id: MessageID, change: MessageChange) async throws -> StoredMessage
    func deleteMessage(chatId: ChatID, id: MessageID, now: Date) async throws -> StoredMessage
    func clearMessages(chatId: ChatID) async throws
    /// Adds `userId`'s read mark; answers false if it was already there.
    func addReadMark(messageId: MessageID, userId: UserID, now: Date) async throws -> Bool

    // MARK: Files
    /// The author of the message that has attachment `mediaId`, if any.
    func attachmentAuthor(mediaId: MediaID) async throws -> UserID?
    /// Who first uploaded under `mediaId`, if anyone.
    func uploader(mediaId: MediaID) async throws -> UserID?
    func recordUpload(mediaId: MediaID, uploaderId: UserID, now: Date) async throws
}

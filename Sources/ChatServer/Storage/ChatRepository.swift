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
    /// Answers when the database answers (`GET /health`); throws when it does not.
    func ping() async throws
    /// Runs `body`, whose calls to this repository are then one transaction where the storage
    /// needs it for `EventPublisher.committing` (PostgreSQL: a change and the notification of
    /// its events commit together). SQLite runs `body` as it is.
    func atomically<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result
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
    /// Ends session `id` if it is `userId`'s; answers whether it was.
    func endSession(id: UUID, userId: UserID) async throws -> Bool
    /// Records that the session was used now (its `updatedAt`).
    func touchSession(id: UUID, now: Date) async throws
    /// Ends all but the `keep` most recently used sessions of the user, and those last used
    /// before `usedBefore`; answers their ids.
    func trimSessions(userId: UserID, keep: Int, usedBefore: Date?) async throws -> [UUID]
    /// Ends every session of the user but `except`; answers the ids of those ended.
    func deleteSessions(userId: UserID, except: UUID) async throws -> [UUID]
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
    /// Deletes the chat; answers the stored names of the files it referred to, which the
    /// caller removes from disk once this has committed.
    func deleteChat(id: ChatID) async throws -> [String]
    func chatImages(chatId: ChatID) async throws -> [StoredMedia]
    func addChatImage(chatId: ChatID, image: StoredMedia) async throws
    /// Removes the image; answers its stored file names, or nil if the chat has no such image.
    func removeChatImage(chatId: ChatID, mediaId: MediaID) async throws -> [String]?
    func blockUser(chatId: ChatID, userId: UserID, by: UserID, now: Date) async throws
    func unblockUser(chatId: ChatID, userId: UserID) async throws
    func blockedUserIds(chatId: ChatID) async throws -> [UserID]
    func isUserBlocked(chatId: ChatID, userId: UserID) async throws -> Bool
    /// What posting into a chat checks, read at once: the chat (nil if there is none), whether
    /// the author is a member and blocked from posting, and every member's settings.
    func postingContext(chatId: ChatID, userId: UserID) async throws -> PostingContext?
    /// The members who receive the chat's events: those who have not blocked it.
    func audience(chatId: ChatID) async throws -> [UserID]
    /// Posts a text message in one step where a step costs a round trip (a database server):
    /// the posting checks, the insert (idempotent by `localId`) and the audience at once. Nil
    /// where the steps cost nothing (SQLite in the process): then the caller takes them one
    /// by one (`postingContext`, `insertMessage`, `audience`). A new message's `notification`
    /// goes to the other instances from the same transaction (its marks filled in).
    func postText(_ message: NewMessage, notifying notification: ClusterNotification?) async throws -> TextPostOutcome?

    // MARK: Messages
    /// Stores a message, unless the author already used `localId` in that chat: then the
    /// original is answered with `created == false`.
    func insertMessage(_ message: NewMessage) async throws -> (message: StoredMessage, created: Bool)
    func message(chatId: ChatID, id: MessageID) async throws -> StoredMessage?
    func messages(chatId: ChatID, before: MessageID?, count: Int) async throws -> [StoredMessage]
    func lastMessages(chatIds: [ChatID]) async throws -> [ChatID: StoredMessage]
    func updateMessage(chatId: ChatID, id: MessageID, change: MessageChange) async throws -> StoredMessage
    /// Marks the message deleted and drops its attachments; answers it and the stored names of
    /// the attachments' files, to remove from disk after the commit.
    func deleteMessage(chatId: ChatID, id: MessageID, now: Date) async throws -> (message: StoredMessage, removedFiles: [String])
    /// Deletes every message; answers the stored names of their files.
    func clearMessages(chatId: ChatID) async throws -> [String]
    /// Adds `userId`'s read mark; answers false if it was already there.
    func addReadMark(messageId: MessageID, userId: UserID, now: Date) async throws -> Bool

    // MARK: Files
    /// The author of the message that has attachment `mediaId`, if any.
    func attachmentAuthor(mediaId: MediaID) async throws -> UserID?
    /// Who first uploaded under `mediaId`, if anyone.
    func uploader(mediaId: MediaID) async throws -> UserID?
    /// Makes `uploaderId` the owner of `mediaId` unless someone already is; answers the owner.
    /// One transaction, so of two racing first uploads exactly one owns the name.
    func claimUpload(mediaId: MediaID, uploaderId: UserID, now: Date) async throws -> UserID
    /// Records a stored file of `mediaId` and its size, so that it is removed with what it
    /// belongs to and counted against its uploader's quota.
    func recordStoredFile(mediaId: MediaID, fileName: String, bytes: Int) async throws
    /// The bytes of the files `userId` uploaded that are still stored.
    func uploadedBytes(userId: UserID) async throws -> Int
    /// The `fileSize` a message's attachment or a chat image declares for `mediaId` (nil when
    /// nothing refers to it yet, or it declares 0: unknown).
    func declaredFileSize(mediaId: MediaID) async throws -> Int?
    /// Forgets uploads claimed before `claimedBefore` that no attachment and no chat image
    /// refers to; answers their stored file names, to remove once this has committed.
    func sweepUnreferencedUploads(claimedBefore: Date) async throws -> [String]
    /// Whether `userId` may read the files of `mediaId`: its uploader, or a participant of a
    /// chat that refers to it as an attachment or as the chat's image.
    func mayReadFile(mediaId: MediaID, userId: UserID) async throws -> Bool
}

extension ChatRepository {
    func atomically<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await body()
    }
}

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

    // MARK: Requests: what needs the server's answer to go on (never queued)

    public func searchUsers(_ query: String) async throws -> [UserInfo] {
        let found = try await api.searchUsers(query)
        try store.upsertUsers(found)
        return found
    }

    public func blockedUsers(_ chat: ChatID) async throws -> [UserInfo] {
        try await api.blockedUsers(chat)
    }

    /// Usernames to ids: people already in the cache first (so this works offline), then the
    /// server's search.
    public func resolve(_ usernames: [String]) async throws -> [UserID] {
        var ids: [UserID] = []
        for username in usernames {
            if let known = try store.user(named: username) {
                ids.append(known.id)
                continue
            }
            let found = try await searchUsers(username)
            guard let user = found.first(where: { $0.username.lowercased() == username.lowercased() }) else {
                throw ClientError.server(status: 404, reason: Said.noUserNamed(username))
            }
            ids.append(user.id)
        }
        return ids
    }

    /// Not queued: a password must never be written to disk, and whether the old one is right
    /// only the server knows.
    public func changePassword(old: String, new: String) async throws {
        try await api.changePassword(old: old, new: new)
    }

    /// Downloads an attachment to `destination` with progress shown in the conversation.
    public func download(_ chat: ChatID, localId: String, position: Int = 0, to destination: String) async throws {
        guard let message = try store.message(chat, localId: localId),
              let attachment = message.attachments.first(where: { $0.position == position }),
              let name = attachment.remoteFileName
        else { throw ClientError.localFile(Said.attachmentNotOnServerYet) }
        let reporter = ProgressThrottle(store: store, chat: chat, localId: localId)
        // Said at once: a server may keep the first byte waiting.
        try? store.transferProgress(chat, localId: localId, done: 0, total: Int64(attachment.fileSize), state: .downloading)
        do {
            try await api.download(name, to: destination) { done, total in reporter.report(done: done, total: total, state: .downloading) }
        } catch {
            // Failed or cancelled: the attachment is where it was, not "downloading" for ever.
            try? store.transferProgress(chat, localId: localId, done: attachment.transferDone, total: attachment.transferTotal, state: attachment.transferState)
            throw error
        }
        try store.attachmentDownloaded(chat, localId: localId, position: position, path: destination, size: Int64(attachment.fileSize))
    }
}

import ChatAPI
import ChatClient
import ChatStore
import ChatSync
import Foundation
import Logging

/// A signed-in account opened for a command: its credentials, cache and a sync engine (not
/// running: commands drive it step by step).
struct Session {
    let credentials: Credentials
    let store: ChatStore
    let engine: SyncEngine
    /// Set when the cache could not be used and was replaced (see `CacheRecovery`).
    var recoveryNotice: String?

    /// Opens the account's cache; `quiet` keeps a recovery notice for the caller to show (the
    /// TUI) instead of printing it to standard error (the scripting commands).
    static func open(_ options: GlobalOptions, quiet: Bool = false) throws -> Session {
        guard let credentials = try options.credentialStore.load(profile: options.profile) else {
            throw CLIError("Not signed in\(options.profile == "default" ? "" : " as profile \(options.profile)"): run `termchat login --server URL --username NAME`.")
        }
        let (store, notice) = try CacheRecovery.open(
            path: options.paths.cacheFile(server: credentials.server, username: credentials.username), me: credentials.userId
        )
        if let notice, !quiet { FileHandle.standardError.write(Data("Note: \(notice)\n".utf8)) }
        var logger = Logger(label: "termchat")
        logger.logLevel = .error
        let engine = SyncEngine(store: store, api: credentials.api, sessionId: credentials.sessionId, logger: logger)
        return Session(credentials: credentials, store: store, engine: engine, recoveryNotice: notice)
    }

    /// A chat id, or the username of the other person of a personal chat (created if missing).
    func resolveChat(_ text: String) async throws -> ChatID {
        if let id = UUID(uuidString: text) {
            if try store.chatIds().contains(id) { return id }
            do {
                try store.upsertChat(try await credentials.api.chat(id))
            } catch {
                throw CLIError("No chat \(text) in the cache, and the server says: \(error.userMessage)")
            }
            return id
        }
        let username = text.hasPrefix("@") ? String(text.dropFirst()) : text
        for chat in try store.chatList(archived: nil) where chat.isPersonal {
            let users = try store.users(chat.memberIds)
            if chat.memberIds.contains(where: { $0 != credentials.userId && users[$0]?.username.lowercased() == username.lowercased() }) {
                return chat.id
            }
        }
        let found: [UserInfo]
        do {
            found = try await credentials.api.searchUsers(username)
        } catch {
            throw CLIError("No chat with \(username) in the cache, and the server cannot be asked: \(error.userMessage)")
        }
        guard let user = found.first(where: { $0.username.lowercased() == username.lowercased() }) else {
            throw CLIError("No user named \(username).")
        }
        return try await engine.createChat(CreateChatRequest(participants: [user.id])).id
    }
}

extension Error {
    /// The sentence for a person, whatever the error.
    var userMessage: String {
        if let error = self as? ClientError { return error.userMessage }
        if let error = self as? CLIError { return error.description }
        if let sentence = CacheErrorText.sentence(for: self) { return sentence }
        return "\(self)"
    }
}

import ChatAPI
import ChatApp
import ChatStore
import ChatSync
import Foundation

/// A signed-in account opened for a command: its credentials, cache and a sync engine (not
/// running: commands drive it step by step).
struct Session {
    let account: AccountSession
    var credentials: Credentials { account.credentials }
    var store: ChatStore { account.store }
    var engine: SyncEngine { account.engine }
    var recoveryNotice: String? { account.recoveryNotice }

    /// Opens the account's cache; `quiet` keeps a recovery notice for the caller to show (the
    /// TUI) instead of printing it to standard error (the scripting commands).
    static func open(_ options: GlobalOptions, quiet: Bool = false) throws -> Session {
        guard let credentials = try options.credentialStore.load(profile: options.profile) else {
            throw CLIError(Said.notSignedIn(profile: options.profile))
        }
        let account = try AccountSession.open(credentials, paths: options.paths)
        if let notice = account.recoveryNotice, !quiet { FileHandle.standardError.write(Data("Note: \(notice)\n".utf8)) }
        return Session(account: account)
    }

    /// A chat id, or the username of the other person of a personal chat (created if missing).
    func resolveChat(_ text: String) async throws -> ChatID {
        if let id = UUID(uuidString: text) {
            if try store.chatIds().contains(id) { return id }
            do {
                _ = try await engine.fetchChat(id)
            } catch {
                throw CLIError(Said.noChat(text, server: error.userMessage))
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
            found = try await engine.searchUsers(username)
        } catch {
            throw CLIError(Said.noChatWith(username, server: error.userMessage))
        }
        guard let user = found.first(where: { $0.username.lowercased() == username.lowercased() }) else {
            throw CLIError(Said.noUserNamed(username))
        }
        return try await engine.createChat(CreateChatRequest(participants: [user.id])).id
    }
}

import ChatAPI
import ChatClient
import ChatStore
import Foundation

/// What `SyncEngine.syncOnce()` did, for `termchat sync`.
public struct SyncReport: Sendable, Equatable {
    public var delivered = 0
    public var uploaded = 0
    public var failed: [String] = []
    public var stillQueued = 0
    public var errors: [String] = []

    public var succeeded: Bool { failed.isEmpty && errors.isEmpty && stillQueued == 0 }
}

extension Error {
    /// The sentence for a person, whatever the error: the server's reason, what could not be
    /// reached, what is wrong with the cache, or the error's own description.
    public var userMessage: String {
        if let error = self as? ClientError { return error.userMessage }
        if let sentence = CacheErrorText.sentence(for: self) { return sentence }
        if let error = self as? any LocalizedError, let description = error.errorDescription { return description }
        return "\(self)"
    }
}

extension SyncEngine {
    /// A chat the cache does not hold, from the server (and into the cache).
    public func fetchChat(_ id: ChatID) async throws -> ChatInfo {
        let chat = try await api.chat(id)
        try store.upsertChat(chat)
        return chat
    }
}

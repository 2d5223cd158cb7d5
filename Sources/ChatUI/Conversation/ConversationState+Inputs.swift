import ChatAPI
import ChatModel

/// What the root hands the conversation besides keys: the store's and the engine's answers
/// about the open chat. The root routes them here and never sets the conversation's fields.
extension ConversationState {
    /// `g`'s history load reports how far it got.
    mutating func historyProgressed(_ loaded: Int) {
        guard historyLoad != nil else { return }
        historyLoad = HistoryLoad(loaded: loaded)
    }

    /// The history load ended; answers whether `g` still waits to land on the first message.
    mutating func historyLoaded(_ chat: ChatID, reachedStart: Bool, isOpen: Bool) -> Bool {
        if reachedStart { self.reachedStart.insert(chat) }
        guard isOpen else { return false }
        let wasLoading = historyLoad != nil
        historyLoad = nil
        return wasLoading && pendingJump == .oldest
    }

    /// Older messages arrived from the server (or did not: `loadFailed`).
    mutating func olderLoaded(_ chat: ChatID, reachedStart: Bool) {
        loadingOlder = false
        if reachedStart { self.reachedStart.insert(chat) }
    }

    /// Something asked for failed: nothing is loading any more.
    mutating func loadFailed() {
        loadingOlder = false
    }

    /// The unread line was looked for and is not in the cache: the jump to it is dropped.
    mutating func unreadNotFound() {
        if pendingJump == .unreadLine { pendingJump = nil }
    }

    /// The message to select is at `serverId`: answers the window to read there, if this
    /// conversation waits for that message.
    mutating func located(_ localId: String, serverId: MessageID) -> WindowPosition? {
        guard pendingSelection == localId else { return nil }
        window = .around(serverId)
        return window
    }

    /// A search's hits in this chat, for n and N.
    mutating func showHits(_ hits: [String]) {
        searchHits = hits
    }

    /// A click elsewhere ends selecting.
    mutating func endSelection() {
        selection = nil
    }
}

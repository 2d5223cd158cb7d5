import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// Keeps the observations of the open conversation: its window with the chat's known history
/// (replaced when the window moves), and its notes (replaced when another chat opens).
public actor ConversationWatcher {
    /// The window's observation, and the notes'. Their values go straight to `send` from the
    /// store (no task between): the window of a commit arrives with the chat list's.
    private var window: StoreObservation?
    private var notes: StoreObservation?
    private var chat: ChatID?
    private var position: WindowPosition = .newest
    let store: ChatStore
    let send: @Sendable (Action) -> Void

    public init(store: ChatStore, send: @escaping @Sendable (Action) -> Void) {
        self.store = store
        self.send = send
    }

    func watch(_ chat: ChatID?) {
        self.chat = chat
        position = .newest
        watchWindow()
        watchNotes()
    }

    /// Reads the window at another place of the open chat.
    func move(_ chat: ChatID, to position: WindowPosition) {
        guard chat == self.chat, position != self.position else { return }
        self.position = position
        watchWindow()
    }

    public func stop() {
        window?.cancel()
        notes?.cancel()
        window = nil
        notes = nil
    }

    /// One observation each at a time, cancelled before the next starts: bounded.
    private func watchWindow() {
        window?.cancel()
        window = nil
        guard let chat else { return }
        let send = self.send
        window = store.watchWindow(chat, at: position) { result in
            switch result {
            case .success(let window): send(.windowChanged(chat, window))
            case .failure(let error): send(.effectFailed(error.userMessage))
            }
        }
    }

    private func watchNotes() {
        notes?.cancel()
        notes = nil
        guard let chat else { return }
        // The known history comes with the window.
        let send = self.send
        notes = store.watchNotes(chat) { result in
            if case .success(let notes) = result { send(.notesChanged(chat, notes)) }
        }
    }
}

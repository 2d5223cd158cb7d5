import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// Keeps the observations of the open conversation: its window with the chat's known history
/// (replaced when the window moves), and its notes (replaced when another chat opens).
public actor ConversationWatcher {
    /// The window's observation, and the notes'.
    private var window: Task<Void, Never>?
    private var others: Task<Void, Never>?
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
        watchOthers()
    }

    /// Reads the window at another place of the open chat.
    func move(_ chat: ChatID, to position: WindowPosition) {
        guard chat == self.chat, position != self.position else { return }
        self.position = position
        watchWindow()
    }

    public func stop() {
        window?.cancel()
        others?.cancel()
        window = nil
        others = nil
    }

    /// One task each at a time, cancelled before the next starts: bounded.
    private func watchWindow() {
        window?.cancel()
        window = nil
        guard let chat else { return }
        let observation = store.observeWindow(chat, at: position)
        let send = self.send
        window = Task {
            do {
                for try await window in observation { send(.windowChanged(chat, window)) }
            } catch is CancellationError {
            } catch {
                send(.effectFailed(error.userMessage))
            }
        }
    }

    private func watchOthers() {
        others?.cancel()
        others = nil
        guard let chat else { return }
        // The known history comes with the window.
        let notes = store.observeNotes(chat)
        let send = self.send
        others = Task {
            do {
                for try await notes in notes { send(.notesChanged(chat, notes)) }
            } catch {}
        }
    }
}

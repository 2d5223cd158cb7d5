import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// Keeps one observation of the open conversation's window, replaced when another chat opens
/// or the window moves.
public actor ConversationWatcher {
    private var task: Task<Void, Never>?
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
        restart()
    }

    /// Reads the window at another place of the open chat (only the messages' observation is
    /// replaced).
    func move(_ chat: ChatID, to position: WindowPosition) {
        guard chat == self.chat, position != self.position else { return }
        self.position = position
        restart()
    }

    public func stop() {
        task?.cancel()
        task = nil
    }

    private func restart() {
        task?.cancel()
        guard let chat else { return }
        let observation = store.observeWindow(chat, at: position)
        let ranges = store.observeKnownRanges(chat)
        let notes = store.observeNotes(chat)
        let send = self.send
        // One task at a time, cancelled before the next starts: bounded.
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await window in observation { send(.windowChanged(chat, window)) }
                    } catch {
                        send(.effectFailed(error.userMessage))
                    }
                }
                group.addTask {
                    do {
                        for try await known in ranges { send(.knownHistoryChanged(chat, known)) }
                    } catch {}
                }
                group.addTask {
                    do {
                        for try await notes in notes { send(.notesChanged(chat, notes)) }
                    } catch {}
                }
            }
        }
    }
}

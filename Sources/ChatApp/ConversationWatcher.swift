import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// Keeps one observation of the open conversation, replaced when another chat opens.
public actor ConversationWatcher {
    private var task: Task<Void, Never>?
    private var chat: ChatID?
    private var limit = Reducer.windowPage
    let store: ChatStore
    let send: @Sendable (Action) -> Void

    public init(store: ChatStore, send: @escaping @Sendable (Action) -> Void) {
        self.store = store
        self.send = send
    }

    func watch(_ chat: ChatID?) {
        if chat != self.chat { limit = Reducer.windowPage }
        self.chat = chat
        restart()
    }

    /// Shows one more page of history (after scrolling back); answers how many messages the
    /// window now holds at most.
    @discardableResult
    func grow() -> Int {
        limit += Reducer.windowPage
        restart()
        return limit
    }

    /// Widens the window to at least `count` messages (to show one further back).
    func widen(to count: Int) {
        guard count > limit else { return }
        limit = count
        restart()
    }

    public func stop() {
        task?.cancel()
        task = nil
    }

    private func restart() {
        task?.cancel()
        guard let chat else { return }
        let observation = store.observeMessages(chat, limit: limit)
        let ranges = store.observeKnownRanges(chat)
        let notes = store.observeNotes(chat)
        let send = self.send
        // One task at a time, cancelled before the next starts: bounded.
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await messages in observation { send(.conversationChanged(chat, messages)) }
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

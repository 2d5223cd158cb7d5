import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The one place state changes: an action in, the new state and the effects to run out.
public enum Reducer {
    /// Messages kept in the conversation window; grows by a page when scrolling back.
    public static let windowPage = 100

    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .keyPressed(let key):
            return keyPressed(&state, key)
        case .chatListChanged(let chats):
            let notifications = newMessageNotifications(old: state.chats, new: chats, state: state)
            state.chats = chats
            if state.selectedChatId == nil || !visibleChats(state).contains(where: { $0.id == state.selectedChatId }) {
                state.selectedChatId = visibleChats(state).first?.id ?? state.selectedChatId
            }
            if let open = state.openChat, open.unreadCount > 0 { return notifications + [.markRead(open.id)] }
            if let open = state.openChatId, !chats.contains(where: { $0.id == open }) {
                state.openChatId = nil
                state.messages = []
                return notifications + [.openChat(nil)]
            }
            return notifications
        case .conversationChanged(let chat, let messages):
            guard chat == state.openChatId else { return [] }
            keepViewPut(&state, newMessages: messages)
            // "Sending x…" holds while something uploads here; then it says it was sent.
            if state.uploadNotice, !messages.contains(where: { $0.attachments.contains { $0.transferState == .uploading } }) {
                state.uploadNotice = false
                state.notice = Notice(text: "Sent.", isError: false)
            }
            return []
        case .knownHistoryChanged(let chat, let ranges):
            guard chat == state.openChatId else { return [] }
            state.knownHistory = ranges
            return []
        case .usersChanged(let users):
            state.users = users
            return []
        case .engineStatusChanged(let status):
            if let error = status.lastError, error != state.engine.lastError { state.notice = Notice(text: error, isError: true) }
            // A connection problem that is over is not shown any longer.
            if status.connection == .online, let shown = state.notice, shown.isError, shown.text == state.engine.lastError,
               status.lastError != shown.text {
                state.notice = nil
            }
            let ended = status.connection == .signedOut && state.engine.connection != .signedOut
            state.engine = status
            return ended ? [.sessionEnded] : []
        case .terminalResized(let rows, let columns):
            state.rows = rows
            state.columns = columns
            return []
        case .effectFailed(let message):
            state.notice = Notice(text: message, isError: true)
            state.loadingOlder = false
            return []
        case .effectSucceeded(let message):
            state.notice = Notice(text: message, isError: false)
            state.uploadNotice = false
            return []
        case .uploadStarted(let name):
            state.notice = Notice(text: "Sending \(name)…", isError: false)
            state.uploadNotice = true
            return []
        case .userSearchAnswered(let query, let users):
            guard case .newChat(var flow) = state.overlay, flow.query == query else { return [] }
            flow.results = users.filter { $0.id != state.me.id }
            flow.selected = min(flow.selected, max(0, flow.results.count - 1))
            state.overlay = .newChat(flow)
            return []
        case .olderMessagesLoaded(let chat, let reachedStart, let cached):
            state.loadingOlder = false
            if reachedStart { state.reachedStart.insert(chat) }
            state.cachedCount[chat] = cached
            return []
        case .blockedUsersLoaded(let chat, let users):
            state.blockedUsers[chat] = users
            state.notice = Notice(text: users.isEmpty ? "Nobody is blocked here." : "Blocked: " + users.map(\.username).joined(separator: ", "), isError: false)
            return []
        case .pathCompletionsFound(let prefix, let candidates):
            return completePath(&state, prefix: prefix, candidates: candidates)
        case .editorFinished(let chat, let text):
            guard let text, chat == state.openChatId else { return [] }
            state.compose.replace(with: text.hasSuffix("\n") ? String(text.dropLast()) : text)
            state.focus = .compose
            return []
        case .draftLoaded(let chat, let text):
            state.drafts[chat] = text
            if chat == state.openChatId, state.compose.isEmpty { state.compose.replace(with: text) }
            return []
        case .chatCreated(let chat):
            state.showArchived = false
            return open(&state, chat, focus: .compose)
        case .clockTicked(let now):
            state.now = now
            return []
        case .signedOut(let message):
            state.signedOutMessage = message
            return quit(&state)
        }
    }

    /// Chats whose unread count grew, that are not muted and not the one on screen. The first
    /// list (nothing known before) notifies nothing.
    static func newMessageNotifications(old: [ChatSummary], new: [ChatSummary], state: AppState) -> [Effect] {
        guard !old.isEmpty else { return [] }
        let before = Dictionary(old.map { ($0.id, $0.unreadCount) }, uniquingKeysWith: { a, _ in a })
        return new.compactMap { chat in
            guard chat.unreadCount > (before[chat.id] ?? 0), !chat.isMuted, chat.id != state.openChatId,
                  let last = chat.lastMessage, last.authorId != state.me.id else { return nil }
            let author = state.name(of: last.authorId)
            let text = last.text?.isEmpty == false ? last.text! : (last.attachments.isEmpty ? "" : "📎 \(last.attachments[0].fileType)")
            let title = chat.isPersonal ? author : "\(author) in \(state.title(of: chat))"
            return .notifyNewMessage(chat.id, title: title, body: text, count: chat.unreadCount - (before[chat.id] ?? 0))
        }
    }

    /// The chats of the list being shown: the archive or the main list.
    public static func visibleChats(_ state: AppState) -> [ChatSummary] {
        state.chats.filter { $0.isArchived == state.showArchived }
    }

    // MARK: Keys

    static func keyPressed(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .control("c") || key == .control("q") { return quit(&state) }
        if case .alt(let character) = key {
            // Esc typed quickly before a key arrives as Alt+key: unless Alt+key means something,
            // it is the Esc and then the key, and neither is lost.
            return keyPressed(&state, .escape) + keyPressed(&state, .character(character))
        }
        if let overlay = state.overlay { return overlayKey(&state, overlay, key) }
        if key == .function(1) || (key == .character(state.keys.help) && state.focus != .compose) {
            state.overlay = .help
            state.helpOffset = 0
            return []
        }
        if case .paste(let text) = key, state.focus != .compose {
            // Pasted text always lands in a text field, never as key presses.
            guard state.openChatId != nil else { return [] }
            state.focus = .compose
            state.compose.insert(text)
            return []
        }
        if key == .tab && !(state.focus == .compose && state.compose.text.hasPrefix("/")) { return cycleFocus(&state, forward: true) }
        if key == .backTab { return cycleFocus(&state, forward: false) }
        switch state.focus {
        case .chats: return chatListKey(&state, key)
        case .conversation: return conversationKey(&state, key)
        case .compose: return composeKey(&state, key)
        case .settings: return settingsKey(&state, key)
        }
    }

    static func cycleFocus(_ state: inout AppState, forward: Bool) -> [Effect] {
        let order: [Pane] = state.openChatId == nil ? [.chats, .settings] : [.chats, .compose, .conversation, .settings]
        let index = order.firstIndex(of: state.focus) ?? 0
        let next = order[(index + (forward ? 1 : order.count - 1)) % order.count]
        if next == .settings { enterSettings(&state, chat: state.openChatId ?? state.selectedChatId) } else { state.focus = next }
        return []
    }

    static func quit(_ state: inout AppState) -> [Effect] {
        state.wantsQuit = true
        var effects: [Effect] = []
        if let chat = state.openChatId { effects.append(.saveDraft(chat, draftText(state.compose.text))) }
        return effects + [.quit]
    }
}

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

    // MARK: Chat list

    static func chatListKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let chats = visibleChats(state)
        let index = chats.firstIndex { $0.id == state.selectedChatId } ?? 0
        let keys = state.keys
        if case .character(let character) = key {
            switch character {
            case keys.up: return chatListKey(&state, .up)
            case keys.down: return chatListKey(&state, .down)
            case keys.top: return chatListKey(&state, .home)
            case keys.bottom: return chatListKey(&state, .end)
            case keys.showArchive:
                state.showArchived.toggle()
                state.selectedChatId = visibleChats(state).first?.id
                state.notice = Notice(text: state.showArchived ? "Archived chats (\(keys.showArchive): back to the main list)" : "Chats", isError: false)
                return []
            case keys.archive:
                guard let chat = state.selectedChat else { return [] }
                return [.chatSettings(chat.id, ChatSettingsRequest(isArchived: !chat.isArchived))]
            case keys.mute:
                guard let chat = state.selectedChat else { return [] }
                return [.chatSettings(chat.id, ChatSettingsRequest(isMuted: !chat.isMuted))]
            case keys.remove:
                guard let chat = state.selectedChat else { return [] }
                return confirm(.removeFromDevice, chat: chat.id, &state)
            case keys.newChat:
                state.overlay = .newChat(NewChatState())
                return []
            case keys.settings:
                enterSettings(&state, chat: state.selectedChatId)
                return []
            case keys.compose, keys.command, keys.attach:
                if state.openChatId == nil, let chat = state.selectedChatId { _ = open(&state, chat, focus: .compose) }
                if state.openChatId == nil {
                    // No chat at all: "/" still opens the command line.
                    guard character == keys.command else { return [] }
                    state.compose.replace(with: "/")
                    state.focus = .compose
                    return []
                }
                state.focus = .compose
                if character == keys.command { state.compose.replace(with: "/") }
                if character == keys.attach { state.compose.replace(with: "/attach ") }
                return state.openChatId.map { [.openChat($0)] } ?? []
            case keys.quit:
                return quit(&state)
            default:
                return []
            }
        }
        switch key {
        case .up:
            if !chats.isEmpty { state.selectedChatId = chats[max(0, index - 1)].id }
        case .down:
            if !chats.isEmpty { state.selectedChatId = chats[min(chats.count - 1, index + 1)].id }
        case .home:
            state.selectedChatId = chats.first?.id
        case .end:
            state.selectedChatId = chats.last?.id
        case .enter, .right:
            guard let chat = state.selectedChatId else { return [] }
            return open(&state, chat, focus: .compose)
        default:
            break
        }
        return []
    }

    /// Opens a chat: keeps the draft of the one left, restores the draft of the one opened.
    static func open(_ state: inout AppState, _ chat: ChatID, focus: Pane) -> [Effect] {
        var effects: [Effect] = []
        if let previous = state.openChatId, previous != chat {
            state.drafts[previous] = draftText(state.compose.text)
            effects.append(.saveDraft(previous, draftText(state.compose.text)))
            effects.append(.composeEnded(previous))
        }
        if state.openChatId != chat {
            state.openChatId = chat
            state.messages = []
            state.knownHistory = []
            state.scrollOffset = 0
            state.compose = ComposeBuffer(state.drafts[chat] ?? "")
            state.historyIndex = nil
            state.newBelow = 0
            effects.append(.openChat(chat))
        }
        state.selectedChatId = chat
        state.focus = focus
        effects.append(.markRead(chat))
        return effects
    }

    // MARK: Conversation

    static func conversationKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let chat = state.openChatId else { return [] }
        let page = max(1, state.rows - 6)
        let keys = state.keys
        if case .character(let character) = key {
            switch character {
            case keys.up: return scroll(&state, chat, by: 1)
            case keys.down: state.scrollOffset = max(0, state.scrollOffset - 1)
            case keys.top: return scroll(&state, chat, by: 1_000_000)
            case keys.bottom:
                state.scrollOffset = 0
                state.newBelow = 0
            case keys.compose: state.focus = .compose
            case keys.attach:
                state.compose.replace(with: "/attach ")
                state.focus = .compose
            case keys.retry:
                guard let failed = state.messages.last(where: { $0.state == .failed }) else { return [] }
                return [.retry(chat, localId: failed.localId)]
            case keys.discard:
                guard let failed = state.messages.last(where: { $0.state == .failed || $0.state == .queued }) else { return [] }
                return [.discard(chat, localId: failed.localId)]
            case keys.editLast:
                guard let mine = lastOwn(state) else { return [] }
                state.compose.replace(with: "/edit " + (mine.text ?? ""))
                state.focus = .compose
            case keys.deleteLast:
                guard let mine = lastOwn(state) else { return [] }
                return confirm(.deleteMessage(localId: mine.localId, text: mine.text ?? ""), chat: chat, &state)
            case keys.saveAttachment:
                guard let message = state.messages.last(where: { $0.attachments.contains(where: \.mayBeOnServer) }) else {
                    state.notice = Notice(text: "No attachment here that can be saved yet.", isError: false)
                    return []
                }
                return [.download(chat, localId: message.localId, to: nil)]
            case keys.settings:
                enterSettings(&state, chat: chat)
            case "h":
                state.focus = .chats
            default: break
            }
            return []
        }
        switch key {
        case .up: return scroll(&state, chat, by: 1)
        case .down: state.scrollOffset = max(0, state.scrollOffset - 1)
        case .pageUp, .control("b"): return scroll(&state, chat, by: page)
        case .pageDown, .control("f"): state.scrollOffset = max(0, state.scrollOffset - page)
        case .home: return scroll(&state, chat, by: 1_000_000)
        case .end:
            state.scrollOffset = 0
            state.newBelow = 0
        case .escape, .left: state.focus = .chats
        case .enter: state.focus = .compose
        default: break
        }
        return []
    }

    /// Replaces the window. Scrolled up, the view stays on the same lines: what arrived below
    /// grows the offset by its lines, and is counted for the "↓ N new" hint.
    static func keepViewPut(_ state: inout AppState, newMessages messages: [CachedMessage]) {
        let oldNewest = state.messages.last?.localId
        guard state.scrollOffset > 0, let oldNewest, messages.last?.localId != oldNewest,
              let position = messages.lastIndex(where: { $0.localId == oldNewest })
        else {
            state.messages = messages
            if state.scrollOffset == 0 { state.newBelow = 0 }
            return
        }
        let before = ConversationLayout.lineCount(state)
        state.messages = messages
        let after = ConversationLayout.lineCount(state)
        state.scrollOffset += max(0, after - before)
        state.newBelow += messages.count - 1 - position
    }

    /// Your newest message, sent or still on its way (the engine orders an edit or delete
    /// after its post).
    static func lastOwn(_ state: AppState) -> CachedMessage? {
        state.messages.last { $0.authorId == state.me.id && !$0.isDeleted }
    }

    static func scroll(_ state: inout AppState, _ chat: ChatID, by lines: Int) -> [Effect] {
        state.scrollOffset += lines
        let available = ConversationLayout.lineCount(state)
        let visible = ConversationLayout.messageRows(state)
        if state.scrollOffset + visible >= available {
            state.scrollOffset = max(0, available - visible)
            if !state.reachedStart.contains(chat), !state.loadingOlder {
                state.loadingOlder = true
                return [.loadOlder(chat)]
            }
        }
        return []
    }

    // MARK: Compose

    static func composeKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let chat = state.openChatId else { return commandLineKey(&state, key) }
        let before = state.compose.text
        switch key {
        case _ where state.compose.applyEditingKey(key): break
        case .altEnter, .control("n"): state.compose.insert("\n")
        case .up where state.compose.isMultiLine && state.historyIndex == nil && state.compose.moveLine(up: true): break
        case .down where state.compose.isMultiLine && state.historyIndex == nil && state.compose.moveLine(up: false): break
        case .up where state.compose.isEmpty || state.historyIndex != nil:
            recallHistory(&state, chat, older: true)
            return []
        case .down where state.historyIndex != nil:
            recallHistory(&state, chat, older: false)
            return []
        case .up, .pageUp: return scroll(&state, chat, by: key == .up ? 1 : max(1, state.rows - 6))
        case .down, .pageDown: state.scrollOffset = max(0, state.scrollOffset - (key == .down ? 1 : max(1, state.rows - 6)))
        case .control("e"): return [.openEditor(chat, state.compose.text)]
        case .paste(let text):
            // A paste is text to edit, newlines included; it is never sent by itself.
            state.compose.insert(text)
        case .escape:
            state.focus = .chats
            state.completions = []
            return [.saveDraft(chat, draftText(state.compose.text))]
        case .tab:
            let text = state.compose.beforeCursor
            if text.hasPrefix("/attach ") || text.hasPrefix("/save ") || text.hasPrefix("/image ") {
                let path = String(text.drop { $0 != " " }.dropFirst())
                return [.completePath(path)]
            }
            return cycleFocus(&state, forward: true)
        case .enter:
            return submit(&state, chat)
        default:
            return []
        }
        state.completions = []
        if key != .up && key != .down { state.historyIndex = nil }
        let after = state.compose.text
        if after != before, !after.isEmpty, !after.hasPrefix("/") { return [.composing(chat)] }
        if after.isEmpty, !before.isEmpty { return [.composeEnded(chat)] }
        return []
    }

    static func completePath(_ state: inout AppState, prefix: String, candidates: [String]) -> [Effect] {
        guard state.focus == .compose else { return [] }
        let text = state.compose.beforeCursor
        guard let space = text.firstIndex(of: " "), String(text[text.index(after: space)...]) == prefix else { return [] }
        let command = String(text[...space])
        if candidates.count == 1 {
            state.compose.replace(with: command + candidates[0])
            state.completions = []
        } else if !candidates.isEmpty {
            let common = candidates.dropFirst().reduce(candidates[0]) { $0.commonPrefix(with: $1) }
            if common.count > prefix.count { state.compose.replace(with: command + common) }
            state.completions = candidates.map { ($0 as NSString).lastPathComponent + ($0.hasSuffix("/") ? "/" : "") }
        } else {
            state.notice = Notice(text: "No file matches \(prefix).", isError: true)
        }
        return []
    }

    /// The compose box with no chat open: a command line only (a new account has no chats,
    /// and its commands, /logout included, must still be reachable).
    static func commandLineKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case _ where state.compose.applyEditingKey(key):
            // Deleting the whole line (the "/" included) leaves the command line.
            if state.compose.isEmpty, key == .backspace || key == .control("h") { state.focus = .chats }
        case .escape:
            state.compose.replace(with: "")
            state.focus = .chats
        case .enter:
            let text = state.compose.text
            guard text.hasPrefix("/") else {
                state.notice = Notice(text: "Open a chat to send a message; / starts a command.", isError: true)
                return []
            }
            if state.focus == .compose { state.focus = .chats }
            let effects = runTypedCommand(text, &state, nil)
            if !state.compose.isEmpty { state.focus = .compose }  // a mistake stays to be fixed
            return effects
        default: break
        }
        return []
    }

    /// Parses and runs a typed `/command`: a mistake is explained and the line kept; a command
    /// that runs clears the line (and the open chat's draft).
    static func runTypedCommand(_ text: String, _ state: inout AppState, _ chat: ChatID?) -> [Effect] {
        switch CommandParser.parse(text) {
        case .failure(let error):
            state.notice = Notice(text: error.message, isError: true)
            return []
        case .success(let command):
            state.compose.replace(with: "")
            guard let chat else { return run(command, &state, nil) }
            state.drafts[chat] = ""
            return run(command, &state, chat) + [.saveDraft(chat, "")]
        }
    }

    /// Up in an empty compose box shows what was sent here before, one entry further back
    /// each time; Down comes forward again, back to an empty box.
    static func recallHistory(_ state: inout AppState, _ chat: ChatID, older: Bool) {
        let history = state.inputHistory[chat] ?? []
        guard !history.isEmpty else { return }
        let current = state.historyIndex ?? history.count
        let next = older ? max(0, current - 1) : current + 1
        if next >= history.count {
            state.historyIndex = nil
            state.compose.replace(with: "")
        } else {
            state.historyIndex = next
            state.compose.replace(with: history[next])
        }
    }

    static func remember(_ text: String, in chat: ChatID, _ state: inout AppState) {
        guard draftText(text) == text else { return }  // never a /password line
        var history = state.inputHistory[chat] ?? []
        if history.last != text { history.append(text) }
        state.inputHistory[chat] = Array(history.suffix(100))
        state.historyIndex = nil
    }

    static func submit(_ state: inout AppState, _ chat: ChatID) -> [Effect] {
        let text = state.compose.text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        remember(text, in: chat, &state)
        if text.hasPrefix("/") && !text.hasPrefix("//") { return runTypedCommand(text, &state, chat) }
        let body = text.hasPrefix("//") ? String(text.dropFirst()) : text
        guard body.utf8.count <= ProtocolLimits.maxMessageTextBytes else {
            state.notice = Notice(text: "A message is at most \(ProtocolLimits.maxMessageTextBytes) bytes (this is \(body.utf8.count)).", isError: true)
            state.overlay = .confirm(Confirmation(
                question: "This is \(body.utf8.count) bytes, more than a message holds (\(ProtocolLimits.maxMessageTextBytes)). Send it as a .txt file? y/Enter: yes · any other key: no",
                effects: [.sendTextAsFile(chat, body)], clearsCompose: true
            ))
            return []
        }
        state.compose.replace(with: "")
        state.drafts[chat] = ""
        state.scrollOffset = 0
        return [.send(chat, body), .saveDraft(chat, "")]
    }
}

import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The one place state changes: an action in, the new state and the effects to run out.
/// What arrives from the store and the engine is applied here; a key goes to the pane (or
/// overlay) that has the focus, whose reducer changes its own state and answers with events
/// (`PaneEvent`) that this reducer carries out.
public enum Reducer {
    /// The open chat is marked read when its newest message is on screen: what arrives while
    /// the person reads further up stays unread until the view comes down to it.
    static func readIfShown(_ state: AppState, besides effects: [Effect]) -> [Effect] {
        guard let open = state.openChat, open.unreadCount > 0, state.conversation.isAtNewest,
              !effects.contains(.markRead(open.id)) else { return [] }
        return [.markRead(open.id)]
    }

    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .keyPressed(let key):
            let wasAtNewest = state.conversation.isAtNewest
            let effects = keyPressed(&state, key)
            // Down to the newest message: what arrived meanwhile is shown now, so it is read.
            return wasAtNewest ? effects : effects + readIfShown(state, besides: effects)
        case .chatListChanged(let chats):
            var notifications = newMessageNotifications(old: state.chats, new: chats, state: &state)
                + hookEvents(old: state.chats, new: chats, state: state)
            SpokenKeys.announce(notifications, &state)
            // The settings pane's "Cached here" follows what arrives.
            if state.focus == .settings, let id = state.settings.chatId, state.settings.cachedHistory[id] != nil,
               chats.first(where: { $0.id == id })?.lastMessage != state.chat(id)?.lastMessage {
                notifications.append(.loadCachedHistory(id))
            }
            state.chats = chats
            state.list.keepSelection(in: chats, title: state.title(of:))
            if let open = state.openChat, open.unreadCount > 0 {
                return notifications + readIfShown(state, besides: notifications)
            }
            if state.openChatId != nil, state.openChat == nil {
                // The keys go back to the list: they went nowhere (the pane said "Select a
                // chat" and Esc, g, Enter did nothing until Tab Tab).
                if state.focus == .conversation || state.focus == .compose { state.focus = .chats }
                state.conversation.show(nil)
                return notifications + [.openChat(nil)]
            }
            return notifications
        case .conversationChanged(let chat, let messages):
            return reduce(&state, .windowChanged(chat, ConversationWindow(state.conversation.window, messages: messages)))
        case .windowChanged(let chat, let window):
            // A window read where the view no longer is (its answer crossed a move) is left out.
            guard chat == state.openChatId, window.position == state.conversation.window else { return [] }
            let messages = window.messages
            let metrics = ConversationMetrics(state)
            var events = ConversationReducer.replaceWindow(&state.conversation, with: window, metrics)
            events += ConversationReducer.placeUnreadMarker(&state.conversation, me: state.me.id, metrics)
            ConversationReducer.selectPending(&state.conversation, metrics)
            var effects = apply(events, &state)
            // "Sending x…" holds while something uploads here; then it says it was sent.
            if state.uploadNotice, !messages.contains(where: { $0.attachments.contains { $0.transferState == .uploading } }) {
                state.uploadNotice = false
                state.notice = Notice(text: Said.sent, isError: false)
            }
            effects += Pictures.requests(&state, chat, messages)
            return effects
        case .historyProgress(let chat, let loaded):
            if chat == state.openChatId { state.conversation.historyProgressed(loaded) }
            return []
        case .historyLoaded(let chat, let reachedStart):
            guard state.conversation.historyLoaded(chat, reachedStart: reachedStart, isOpen: chat == state.openChatId) else { return [] }
            return apply(ConversationReducer.toFirst(&state.conversation, chat: chat, ConversationMetrics(state)), &state)
        case .unreadFound(let chat, let marker, let serverId):
            guard chat == state.openChatId else { return [] }
            return apply(ConversationReducer.unreadFound(&state.conversation, marker, serverId: serverId), &state)
        case .unreadNotFound(let chat):
            if chat == state.openChatId { state.conversation.unreadNotFound() }
            return []
        case .messageLocated(let chat, let localId, let serverId):
            guard chat == state.openChatId, let window = state.conversation.located(localId, serverId: serverId) else { return [] }
            return [.moveWindow(chat, window)]
        case .previewLoaded(let media, let preview):
            state.previews[media] = preview
            return []
        case .notesChanged(let chat, let notes):
            guard chat == state.openChatId else { return [] }
            ConversationReducer.keepingView(&state.conversation, ConversationMetrics(state)) { $0.notes = notes }
            return []
        case .knownHistoryChanged(let chat, let ranges):
            guard chat == state.openChatId else { return [] }
            ConversationReducer.keepingView(&state.conversation, ConversationMetrics(state)) { $0.knownHistory = ranges }
            return []
        case .usersChanged(let users):
            state.users = users
            return []
        case .engineStatusChanged(let status):
            if let error = status.lastError, error != state.engine.lastError { state.notice = Notice(text: error, isError: true) }
            if let news = status.announcement, news != state.engine.announcement { state.notice = Notice(text: news, isError: false) }
            // A connection problem that is over is not shown any longer.
            if status.connection == .online, let shown = state.notice, shown.isError, shown.text == state.engine.lastError,
               status.lastError != shown.text {
                state.notice = nil
            }
            let ended = status.connection == .signedOut && state.engine.connection != .signedOut
            let hooks = connectionHook(old: state.engine.connection, new: status.connection, hooks: state.hooks)
            SpokenKeys.announceConnection(old: state.engine.connection, new: status.connection, &state)
            state.engine = status
            return hooks + (ended ? [.sessionEnded(reason: status.lastError)] : [])
        case .terminalResized(let rows, let columns):
            state.rows = rows
            state.columns = columns
            return []
        case .effectFailed(let message):
            state.notice = Notice(text: message, isError: true)
            state.conversation.loadFailed()
            return []
        case .effectCouldNot(let problem):
            return reduce(&state, .effectFailed(problem.sentence))
        case .effectSucceeded(let outcome):
            state.notice = Notice(text: outcome.sentence(keys: state.keys), isError: false)
            state.uploadNotice = false
            return []
        case .uploadStarted(let name):
            state.notice = Notice(text: Said.sending(name), isError: false)
            state.uploadNotice = true
            return []
        case .searchAnswered(let query, let hits, let progress, let problem, let partlyCached):
            guard case .search(var search)? = state.overlay else { return [] }
            SearchReducer.answered(&search, query: query, hits: hits, progress: progress, problem: problem, partlyCached: partlyCached)
            state.overlay = .search(search)
            return []
        case .userSearchAnswered(let query, let users):
            OverlayReducer.searchAnswered(&state.overlay, query: query, users: users, me: state.me.id)
            return []
        case .olderMessagesLoaded(let chat, let reachedStart):
            state.conversation.olderLoaded(chat, reachedStart: reachedStart)
            return []
        case .cachedHistoryLoaded(let chat, let messages, let complete):
            state.settings.cachedHistoryLoaded(chat, messages: messages, complete: complete)
            return []
        case .blockedUsersLoaded(let chat, let users):
            state.settings.blockedUsersLoaded(chat, users)
            state.notice = Notice(text: users.isEmpty ? "Nobody is blocked here." : "Blocked: " + users.map(\.username).joined(separator: ", "), isError: false)
            return []
        case .devicesLoaded(let devices):
            state.settings.devicesLoaded(devices)
            state.notice = Notice(text: Said.devicesSignedIn(devices.count), isError: false)
            return []
        case .pathCompletionsFound(let prefix, let candidates):
            if case .prompt(var prompt)? = state.overlay, case .chatImage = prompt.purpose {
                guard prompt.input.text == prefix else { return [] }  // typed on meanwhile
                let events = prompt.completePath(prefix: prefix, candidates: candidates)
                state.overlay = .prompt(prompt)
                return apply(events, &state)
            }
            guard state.focus == .compose else { return [] }
            return apply(state.composer.complete(prefix: prefix, candidates: candidates), &state)
        case .editorFinished(let chat, let text):
            guard let text, chat == state.openChatId else { return [] }
            state.composer.editorFinished(text)
            state.focus = .compose
            return []
        case .draftLoaded(let chat, let text):
            state.composer.draftLoaded(chat, text, isOpen: chat == state.openChatId)
            return []
        case .chatCreated(let chat):
            state.list.showMain()
            // "Group Kitchen created." is about the chat being opened: it stays, now its own.
            let notice = state.notice
            let effects = open(&state, chat, focus: .compose)
            state.notice = nil
            state.notice = notice
            return effects
        case .clockTicked(let now):
            state.now = now
            // A notice fades after a while (an upload's "Sending…" lasts as long as the upload).
            if let notice = state.notice, let origin = state.noticeShown, !state.uploadNotice,
               now.timeIntervalSince(origin.at) > (notice.isError ? AppState.noticeLifetime.error : AppState.noticeLifetime.information) {
                state.notice = nil
            }
            return []
        case .signedOut(let message):
            state.signedOutMessage = message
            return quit(&state)
        }
    }

    /// The chats of the list being shown: the archive or the main list.
    public static func visibleChats(_ state: AppState) -> [ChatSummary] { state.visibleChats }

    // MARK: Keys

    static func keyPressed(_ state: inout AppState, _ key: Key) -> [Effect] {
        if case .burst(let text) = key {
            // Into the compose box, as a paste; anywhere else, key by key as typed.
            if state.focus == .compose && state.overlay == nil && state.openChatId != nil { return keyPressed(&state, .paste(text)) }
            return key.typedKeys.flatMap { keyPressed(&state, $0) }
        }
        if key == .control("c") || key == .control("q") { return quit(&state) }
        if case .mouse(let event) = key { return mouse(&state, event) }
        // Alt-a, as in weechat: the next unread chat, from anywhere.
        if key == .alt("a") { return state.overlay == nil ? jumpToUnread(&state) : [] }
        if state.overlay == nil, state.focus != .compose, state.conversation.selection == nil {
            if key == .character(state.keys.nextUnread) { return jumpToUnread(&state) }
            if key == .character(state.keys.doNotDisturb), state.focus != .settings { return toggleDoNotDisturb(&state) }
        }
        if let effects = SpokenKeys.key(&state, key) { return effects }
        if case .alt(let character) = key {
            // Esc typed quickly before a key arrives as Alt+key: unless Alt+key means something,
            // it is the Esc and then the key, and neither is lost.
            return keyPressed(&state, .escape) + keyPressed(&state, .character(character))
        }
        if state.overlay != nil {
            return apply(OverlayReducer.key(&state.overlay, key, keys: state.keys, me: state.me.id), &state)
        }
        // Ctrl-F searches (the open chat, from its conversation); Ctrl-K goes anywhere.
        if key == .control("f") {
            return apply([.search(state.focus == .conversation ? inChatFilter(state) : "")], &state)
        }
        if key == .control("k") {
            state.overlay = .switcher(SwitcherState(chats: state.chats, users: state.users, me: state.me.id, title: state.title(of:)))
            return []
        }
        if key == .function(1) || (key == .character(state.keys.help) && state.focus != .compose) { return apply([.help], &state) }
        if case .paste(let text) = key, state.focus != .compose {
            // Pasted text always lands in a text field, never as key presses.
            guard state.openChatId != nil else { return [] }
            state.focus = .compose
            state.composer.paste(text)
            return []
        }
        // In the compose box Tab completes; only an empty box is left by it (Shift-Tab always moves).
        if key == .tab && !(state.focus == .compose && !state.composer.buffer.isEmpty) { return apply([.cycleFocus(forward: true)], &state) }
        if key == .backTab { return apply([.cycleFocus(forward: false)], &state) }
        let events: [PaneEvent]
        switch state.focus {
        case .chats:
            events = ChatListReducer.key(&state.list, key, chats: state.chats, keys: state.keys, title: state.title(of:))
        case .conversation:
            let metrics = ConversationMetrics(state)
            events = ConversationReducer.key(&state.conversation, key, keys: state.keys, me: state.me.id, metrics: metrics)
        case .compose:
            let others = state.openChat?.memberIds.filter { $0 != state.me.id }.compactMap { state.users[$0]?.username } ?? []
            events = ComposeReducer.key(&state.composer, key, chat: state.openChatId, page: ConversationMetrics(state).page, usernames: others)
        case .settings:
            let items = SettingsItem.items(for: state)
            events = SettingsReducer.key(&state.settings, key, items: items, keys: state.keys)
        }
        return apply(events, &state)
    }
}

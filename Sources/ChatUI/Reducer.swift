import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The one place state changes: an action in, the new state and the effects to run out.
/// What arrives from the store and the engine is applied here; a key goes to the pane (or
/// overlay) that has the focus, whose reducer changes its own state and answers with events
/// (`PaneEvent`) that this reducer carries out.
public enum Reducer {
    /// Messages kept in the conversation window; grows by a page when scrolling back.
    public static let windowPage = 100

    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .keyPressed(let key):
            return keyPressed(&state, key)
        case .chatListChanged(let chats):
            let notifications = newMessageNotifications(old: state.chats, new: chats, state: &state)
            state.chats = chats
            state.list.keepSelection(in: chats, title: state.title(of:))
            if let open = state.openChat, open.unreadCount > 0 { return notifications + [.markRead(open.id)] }
            if state.openChatId != nil, state.openChat == nil {
                state.conversation.show(nil)
                return notifications + [.openChat(nil)]
            }
            return notifications
        case .conversationChanged(let chat, let messages):
            guard chat == state.openChatId else { return [] }
            ConversationReducer.replaceMessages(&state.conversation, with: messages, ConversationMetrics(state))
            ConversationReducer.placeUnreadMarker(&state.conversation, me: state.me.id, ConversationMetrics(state))
            ConversationReducer.selectPending(&state.conversation, ConversationMetrics(state))
            // "Sending x…" holds while something uploads here; then it says it was sent.
            if state.uploadNotice, !messages.contains(where: { $0.attachments.contains { $0.transferState == .uploading } }) {
                state.uploadNotice = false
                state.notice = Notice(text: "Sent.", isError: false)
            }
            return []
        case .notesChanged(let chat, let notes):
            guard chat == state.openChatId else { return [] }
            state.conversation.notes = notes
            return []
        case .knownHistoryChanged(let chat, let ranges):
            guard chat == state.openChatId else { return [] }
            state.conversation.knownHistory = ranges
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
            state.conversation.loadingOlder = false
            return []
        case .effectSucceeded(let message):
            state.notice = Notice(text: message, isError: false)
            state.uploadNotice = false
            return []
        case .uploadStarted(let name):
            state.notice = Notice(text: "Sending \(name)…", isError: false)
            state.uploadNotice = true
            return []
        case .searchAnswered(let query, let hits, let progress, let problem):
            guard case .search(var search)? = state.overlay else { return [] }
            SearchReducer.answered(&search, query: query, hits: hits, progress: progress, problem: problem)
            state.overlay = .search(search)
            return []
        case .userSearchAnswered(let query, let users):
            OverlayReducer.searchAnswered(&state.overlay, query: query, users: users, me: state.me.id)
            return []
        case .olderMessagesLoaded(let chat, let reachedStart, let cached):
            state.conversation.loadingOlder = false
            if reachedStart { state.conversation.reachedStart.insert(chat) }
            state.conversation.cachedCount[chat] = cached
            return []
        case .cachedHistoryLoaded(let chat, let messages, let complete):
            state.settings.cachedHistory[chat] = (messages, complete)
            return []
        case .blockedUsersLoaded(let chat, let users):
            state.settings.blockedUsers[chat] = users
            state.notice = Notice(text: users.isEmpty ? "Nobody is blocked here." : "Blocked: " + users.map(\.username).joined(separator: ", "), isError: false)
            return []
        case .pathCompletionsFound(let prefix, let candidates):
            guard state.focus == .compose else { return [] }
            return apply(state.composer.complete(prefix: prefix, candidates: candidates), &state)
        case .editorFinished(let chat, let text):
            guard let text, chat == state.openChatId else { return [] }
            state.composer.buffer.replace(with: text.hasSuffix("\n") ? String(text.dropLast()) : text)
            state.focus = .compose
            return []
        case .draftLoaded(let chat, let text):
            state.composer.drafts[chat] = text
            if chat == state.openChatId, state.composer.buffer.isEmpty { state.composer.buffer.replace(with: text) }
            return []
        case .chatCreated(let chat):
            state.list.showArchived = false
            return open(&state, chat, focus: .compose)
        case .clockTicked(let now):
            state.now = now
            return []
        case .signedOut(let message):
            state.signedOutMessage = message
            return quit(&state)
        }
    }

    /// The chats of the list being shown: the archive or the main list.
    public static func visibleChats(_ state: AppState) -> [ChatSummary] { state.visibleChats }

    /// Chats whose unread count grew, other than the one on screen, and that may ring: not
    /// muted and not in do-not-disturb, unless the new message mentions you. The first list
    /// (nothing known before) notifies nothing. Chats with a new mention are marked.
    static func newMessageNotifications(old: [ChatSummary], new: [ChatSummary], state: inout AppState) -> [Effect] {
        let unreadNow = Set(new.filter { $0.unreadCount > 0 }.map(\.id))
        state.mentionedChats.formIntersection(unreadNow)
        guard !old.isEmpty else { return [] }
        let before = Dictionary(old.map { ($0.id, $0.unreadCount) }, uniquingKeysWith: { a, _ in a })
        return new.compactMap { chat in
            guard chat.unreadCount > (before[chat.id] ?? 0), chat.id != state.openChatId,
                  let last = chat.lastMessage, last.authorId != state.me.id else { return nil }
            let mentioned = !last.isDeleted && Mentions.mention(state.me, in: last.text ?? "")
            if mentioned { state.mentionedChats.insert(chat.id) }
            let rules = state.alerts
            let silenced = chat.isMuted || rules.doNotDisturb
            guard !silenced || (mentioned && (rules.mentionsInMutedChats || !chat.isMuted)) else { return nil }
            let author = state.name(of: last.authorId)
            let text = last.text?.isEmpty == false ? last.text! : (last.attachments.isEmpty ? "" : "📎 \(last.attachments[0].fileType)")
            var title = chat.isPersonal ? author : "\(author) in \(state.title(of: chat))"
            if mentioned { title = chat.isPersonal ? "\(author) mentioned you" : "\(author) mentioned you in \(state.title(of: chat))" }
            return .notifyNewMessage(chat.id, title: title, body: text, count: chat.unreadCount - (before[chat.id] ?? 0))
        }
    }

    /// The next chat to read: unread, not the open one, the most recent first, muted and
    /// archived ones last.
    static func nextUnreadChat(_ state: AppState) -> ChatSummary? {
        state.chats.filter { $0.unreadCount > 0 && $0.id != state.openChatId }
            .sorted { a, b in
                let (quietA, quietB) = (a.isMuted || a.isArchived, b.isMuted || b.isArchived)
                return quietA != quietB ? !quietA : a.lastActivity > b.lastActivity
            }
            .first
    }

    static func jumpToUnread(_ state: inout AppState) -> [Effect] {
        guard let chat = nextUnreadChat(state) else {
            state.notice = Notice(text: "No unread messages.", isError: false)
            return []
        }
        if state.list.showArchived != chat.isArchived { state.list.toggleArchive(state.chats, title: state.title(of:)) }
        return open(&state, chat.id, focus: .compose)
    }

    /// The search of the open chat starts with it named: `in:@bob ` or `in:"Trip" `.
    static func inChatFilter(_ state: AppState) -> String {
        guard let chat = state.openChat else { return "" }
        if chat.isPersonal, let other = chat.memberIds.first(where: { $0 != state.me.id }).flatMap({ state.users[$0] }) {
            return "in:@\(other.username) "
        }
        return chat.title.map { "in:\"\($0.replacingOccurrences(of: "\"", with: ""))\" " } ?? "in:\(chat.id.uuidString) "
    }

    static func toggleDoNotDisturb(_ state: inout AppState) -> [Effect] {
        state.alerts.doNotDisturb.toggle()
        let text = state.alerts.doNotDisturb ? "Do not disturb: only mentions of you ring." : "Do not disturb is off."
        state.notice = Notice(text: text, isError: false)
        return []
    }

    // MARK: Keys

    static func keyPressed(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .control("c") || key == .control("q") { return quit(&state) }
        // Alt-a, as in weechat: the next unread chat, from anywhere.
        if key == .alt("a") { return state.overlay == nil ? jumpToUnread(&state) : [] }
        if state.overlay == nil, state.focus != .compose, state.conversation.selection == nil {
            if key == .character(state.keys.nextUnread) { return jumpToUnread(&state) }
            if key == .character(state.keys.doNotDisturb), state.focus != .settings { return toggleDoNotDisturb(&state) }
        }
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
            state.composer.buffer.insert(text)
            return []
        }
        if key == .tab && !(state.focus == .compose && state.composer.buffer.text.hasPrefix("/")) { return apply([.cycleFocus(forward: true)], &state) }
        if key == .backTab { return apply([.cycleFocus(forward: false)], &state) }
        let events: [PaneEvent]
        switch state.focus {
        case .chats:
            events = ChatListReducer.key(&state.list, key, chats: state.chats, keys: state.keys, title: state.title(of:))
        case .conversation:
            let metrics = ConversationMetrics(state)
            events = ConversationReducer.key(&state.conversation, key, keys: state.keys, me: state.me.id, metrics: metrics)
        case .compose:
            events = ComposeReducer.key(&state.composer, key, chat: state.openChatId, page: ConversationMetrics(state).page)
        case .settings:
            let items = SettingsItem.items(for: state)
            events = SettingsReducer.key(&state.settings, key, items: items, keys: state.keys)
        }
        return apply(events, &state)
    }

    // MARK: Carrying out what the panes ask

    static func apply(_ events: [PaneEvent], _ state: inout AppState) -> [Effect] {
        events.flatMap { apply($0, &state) }
    }

    static func apply(_ event: PaneEvent, _ state: inout AppState) -> [Effect] {
        switch event {
        case .effect(let effect):
            return [effect]
        case .focus(let pane):
            state.focus = pane
            return []
        case .open(let chat, let focus):
            return open(&state, chat, focus: focus)
        case .notice(let text, let isError):
            state.notice = Notice(text: text, isError: isError)
            return []
        case .confirm(let action, let chat):
            guard let confirmation = confirmation(action, chat: chat, state) else { return [] }
            state.overlay = .confirm(confirmation)
            return []
        case .confirmation(let confirmation):
            state.overlay = .confirm(confirmation)
            return []
        case .ask(let purpose, let label, let text):
            state.overlay = .prompt(PromptState(purpose, label: label, text: text))
            return []
        case .settings(let chat):
            state.settings.show(chat)
            state.focus = .settings
            return chat.map { [.loadCachedHistory($0)] } ?? []
        case .leaveSettings:
            state.focus = state.openChatId == nil ? .chats : .conversation
            return []
        case .newChat:
            state.overlay = .newChat(NewChatState())
            return []
        case .help:
            state.overlay = .help(offset: 0)
            return []
        case .compose(let prefill):
            return startComposing(&state, prefill: prefill)
        case .scrollConversation(let lines):
            return apply(ConversationReducer.scroll(&state.conversation, by: lines, ConversationMetrics(state)), &state)
        case .submit(let text):
            return submit(&state, text)
        case .clearCompose:
            guard let chat = state.openChatId else { return [] }
            state.composer.clear(chat)
            return [.saveDraft(chat, "")]
        case .openAt(let chat, let localId, let hits):
            var effects = open(&state, chat, focus: .conversation)
            state.conversation.searchHits = hits
            effects += apply(ConversationReducer.show(&state.conversation, localId, chat: chat, ConversationMetrics(state)), &state)
            return effects
        case .search(let text):
            var search = SearchState(text)
            let events = SearchReducer.changed(&search)
            state.overlay = .search(search)
            return apply(events, &state)
        case .toggleArchive:
            state.list.toggleArchive(state.chats, title: state.title(of:))
            return []
        case .toggleDoNotDisturb:
            return toggleDoNotDisturb(&state)
        case .nextUnread:
            return jumpToUnread(&state)
        case .reply(let message):
            state.composer.endReplyOrEdit()
            // A file without a caption is quoted by its name.
            let text = message.text?.isEmpty == false ? message.text!
                : message.attachments.first.map { "📎 " + $0.displayName(caption: nil) } ?? ""
            state.composer.replyTo = ReplyTarget(localId: message.localId, author: state.name(of: message.authorId), text: text)
            state.focus = .compose
            return []
        case .edit(let message):
            state.composer.edit(message)
            state.focus = .compose
            return []
        case .details(let chat, let localId):
            state.overlay = .details(chat, localId: localId)
            return []
        case .cycleFocus(let forward):
            let order: [Pane] = state.openChatId == nil ? [.chats, .settings] : [.chats, .compose, .conversation, .settings]
            let index = order.firstIndex(of: state.focus) ?? 0
            let next = order[(index + (forward ? 1 : order.count - 1)) % order.count]
            return apply(next == .settings ? .settings(chat: state.openChatId ?? state.selectedChatId) : .focus(next), &state)
        case .quit:
            return quit(&state)
        }
    }

    /// Opens a chat: keeps the draft of the one left, restores the draft of the one opened.
    static func open(_ state: inout AppState, _ chat: ChatID, focus: Pane) -> [Effect] {
        var effects: [Effect] = []
        let previous = state.openChatId
        if let previous, previous != chat {
            effects.append(.saveDraft(previous, state.composer.draft))
            effects.append(.composeEnded(previous))
        }
        if previous != chat {
            state.composer.switchChat(from: previous, to: chat)
            state.conversation.show(chat, unread: state.chat(chat)?.unreadCount ?? 0)
            effects.append(.openChat(chat))
        }
        state.list.selectedChatId = chat
        state.mentionedChats.remove(chat)
        state.focus = focus
        effects.append(.markRead(chat))
        return effects
    }

    /// The compose box from the list or the conversation: the selected chat is opened if none
    /// is; with no chat at all, "/" still opens the command line.
    static func startComposing(_ state: inout AppState, prefill: String) -> [Effect] {
        var effects: [Effect] = []
        if state.openChatId == nil, let chat = state.selectedChatId { effects = open(&state, chat, focus: .compose) }
        guard state.openChatId != nil || prefill == "/" else { return effects }
        if !prefill.isEmpty { state.composer.buffer.replace(with: prefill) }
        state.focus = .compose
        return effects
    }

    /// A line from the compose box or the command line: a command is run; a mistake is
    /// explained and the line kept; a message is sent (or, too long, offered as a file).
    static func submit(_ state: inout AppState, _ text: String) -> [Effect] {
        let chat = state.openChatId
        if text.hasPrefix("/") && !text.hasPrefix("//") {
            switch CommandParser.parse(text) {
            case .failure(let error):
                state.notice = Notice(text: error.message, isError: true)
                state.focus = .compose
                return []
            case .success(let command):
                state.composer.clear(chat)
                if chat == nil { state.focus = .chats }
                let events = CommandRunner.run(command, chat: state.openChat, near: chat ?? state.selectedChatId,
                                               conversation: state.conversation, me: state.me.id)
                return apply(events, &state) + (chat.map { [.saveDraft($0, "")] } ?? [])
            }
        }
        guard let chat else { return [] }
        let body = text.hasPrefix("//") ? String(text.dropFirst()) : text
        let limit = ProtocolLimits.maxMessageTextBytes
        guard body.utf8.count <= limit else {
            state.notice = Notice(text: "A message is at most \(limit) bytes (this is \(body.utf8.count)).", isError: true)
            state.overlay = .confirm(Confirmation(
                question: "This is \(body.utf8.count) bytes, more than a message holds (\(limit)). Send it as a .txt file? y/Enter: yes · any other key: no",
                effects: [.sendTextAsFile(chat, body)], clearsCompose: true
            ))
            return []
        }
        state.composer.clear(chat)
        state.conversation.scrollOffset = 0
        return [.send(chat, body), .saveDraft(chat, "")]
    }

    // MARK: Confirmations

    /// The question before `action`, naming the chat or message it acts on; nothing happens
    /// until `y` or Enter.
    static func confirmation(_ action: DestructiveAction, chat: ChatID?, _ state: AppState) -> Confirmation? {
        let name = state.chat(chat).map { "“\(state.title(of: $0))”" } ?? "this chat"
        let (question, effects): (String, [Effect])
        switch (action, chat) {
        case (.clear, let chat?): (question, effects) = ("Clear every message in \(name) for everyone?", [.clearChat(chat)])
        case (.deleteChat, let chat?): (question, effects) = ("Delete the chat \(name) for everyone?", [.deleteChat(chat)])
        case (.leave, let chat?): (question, effects) = ("Leave \(name)?", [.leaveChat(chat)])
        case (.removeFromDevice, let chat?):
            (question, effects) = ("Remove \(name) from this device?", [.chatSettings(chat, ChatSettingsRequest(isRemovedOnDevice: true))])
        case (.blockChat, let chat?): (question, effects) = ("Block \(name)?", [.blockChat(chat, true)])
        case (.deleteMessage(let id, let text), let chat?):
            (question, effects) = ("Delete your message “\(TextWidth.truncate(firstLine(text), to: 40))”?", [.deleteMessage(chat, localId: id)])
        case (.logout, _):
            let what = state.logoutEndsTheProgram
                ? "Log out of the demo? termchat demo ends; running it again brings you back."
                : "Log out \(state.me.username)?"
            (question, effects) = (what, [.logout])
        default: return nil
        }
        return Confirmation(question: question + " y/Enter: yes · any other key: no", effects: effects)
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    static func quit(_ state: inout AppState) -> [Effect] {
        state.wantsQuit = true
        var effects: [Effect] = []
        if let chat = state.openChatId { effects.append(.saveDraft(chat, state.composer.draft)) }
        return effects + [.quit]
    }
}

import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// What the panes ask of the app (`PaneEvent`), carried out: opening chats, the compose box,
/// submitting, questions before destroying anything, quitting.
extension Reducer {
    // MARK: Carrying out what the panes ask

    static func apply(_ events: [PaneEvent], _ state: inout AppState) -> [Effect] {
        events.flatMap { apply($0, &state) }
    }

    static func apply(_ event: PaneEvent, _ state: inout AppState) -> [Effect] {
        switch event {
        case .effect(let effect):
            if case .blockUser(let chat, let username, let blocks) = effect {
                state.settings.anticipate(chat: chat, username: username, blocked: blocks, users: state.users)
            }
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
            // The members are read again: a server may not say when someone left.
            return chat.map { [.loadCachedHistory($0), .refreshChat($0)] } ?? []
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
            state.conversation.showHits(hits)
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
            state.composer.reply(to: message, author: state.name(of: message.authorId))
            state.focus = .compose
            return []
        case .edit(let message):
            state.composer.edit(message)
            state.focus = .compose
            return []
        case .details(let chat, let localId):
            state.overlay = .details(chat, localId: localId)
            return []
        case .links(let addresses):
            state.overlay = .links(addresses: addresses, selected: 0)
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
            // What was said about the chat left behind belongs to it.
            if let origin = state.noticeShown?.chat, origin != chat, !state.uploadNotice { state.notice = nil }
            state.composer.switchChat(from: previous, to: chat)
            state.conversation.show(chat, unread: state.chat(chat)?.unreadCount ?? 0)
            effects.append(.openChat(chat))
        }
        state.list.select(chat)
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
        state.composer.prefill(prefill)
        state.focus = .compose
        return effects
    }

    /// A line from the compose box or the command line: a command is run; a mistake is
    /// explained and the line kept; a message is sent (or, too long, offered as a file).
    static func submit(_ state: inout AppState, _ text: String) -> [Effect] {
        let chat = state.openChatId
        // `/me waves` is a message (the text as typed), not a command.
        if text.hasPrefix("/") && !text.hasPrefix("//") && ActionText.action(text) == nil {
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
            state.notice = Notice(text: Said.messageTooLong(limit: limit, bytes: body.utf8.count), isError: true)
            state.overlay = .confirm(Confirmation(
                question: "This is \(body.utf8.count) bytes, more than a message holds (\(limit)). Send it as a .txt file? y/Enter: yes · any other key: no",
                effects: [.sendTextAsFile(chat, body)], clearsCompose: true
            ))
            return []
        }
        state.composer.clear(chat)
        let toNewest = apply(ConversationReducer.toNewest(&state.conversation, chat: chat, ConversationMetrics(state)), &state)
        return toNewest + [.send(chat, body), .saveDraft(chat, "")]
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
        case (.discardChange(let seq, let what), _):
            (question, effects) = ("Discard “\(what)”? The server does not have it.", [.discardChange(seq)])
        case (.signOutDevice(let id, let name), _):
            (question, effects) = ("Sign out \(name) (\(id))? It must sign in again.", [.signOutDevice(id)])
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

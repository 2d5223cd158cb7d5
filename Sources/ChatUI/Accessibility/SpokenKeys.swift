import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// Screen-reader mode's keys and announcements: F2 says where the focus is, F3 reads the
/// newest messages again (one further back each press), Alt-1 … Alt-9 the Nth newest (as
/// Orca's chat support does); news (a message elsewhere, a mention, the connection) goes to the
/// announcement line.
enum SpokenKeys {
    /// How far back F3 goes before it starts again from the newest.
    static let rereadDepth = 10

    /// The effects of a key this mode handles, nil for any other key.
    static func key(_ state: inout AppState, _ key: Key) -> [Effect]? {
        guard state.screenReader != nil else { return nil }
        switch key {
        case .function(2):
            state.rereadStep = 0
            state.announcement = whereAmI(state)
        case .function(3):
            state.rereadStep = state.rereadStep % rereadDepth + 1
            state.announcement = reread(state, back: state.rereadStep)
        case .alt(let digit) where ("1"..."9").contains(digit):
            state.rereadStep = Int(String(digit)) ?? 1
            state.announcement = reread(state, back: state.rereadStep)
        default:
            state.rereadStep = 0
            return nil
        }
        return []
    }

    /// The `back`th newest message of the open chat, said in full.
    static func reread(_ state: AppState, back: Int) -> String {
        guard let chat = state.openChat else { return "No chat is open: open one with Enter to hear its messages." }
        let messages = state.conversation.messages
        guard !messages.isEmpty else { return "No messages in \(state.title(of: chat))." }
        let index = messages.count - min(back, messages.count)
        let which = back == 1 ? "Newest" : "\(min(back, messages.count)) back"
        return "\(which): " + said(messages[index], state)
    }

    /// A message as one sentence, at any length.
    static func said(_ message: CachedMessage, _ state: AppState) -> String {
        let clock = LocalClock(timeZone: state.timeZone)
        let year = clock.year(of: state.now)
        return SpokenMessage.lines(message, state.layoutContext, width: 100_000, theme: .standard, clock: clock,
                                   withDate: clock.day(of: message.createdAt) != clock.day(of: state.now), currentYear: year, expanded: true)
            .map { $0.map(\.text).joined() }.joined(separator: " ")
    }

    static func whereAmI(_ state: AppState) -> String {
        if let overlay = state.overlay { return "In \(name(of: overlay)); Esc closes it." }
        switch state.focus {
        case .chats:
            let chats = state.visibleChats
            guard let index = chats.firstIndex(where: { $0.id == state.list.selectedChatId }) else {
                return "Chat list, empty. \(state.keys.newChat) starts a chat."
            }
            return "Chat list, \(index + 1) of \(chats.count): " + SpokenScreen.chatLine(chats[index], state)
        case .conversation, .compose:
            guard let chat = state.openChat else { return "No chat is open." }
            let title = state.title(of: chat)
            if state.focus == .compose {
                let draft = state.composer.buffer.text
                return "Writing to \(title)" + (draft.isEmpty ? ", nothing written yet." : ": \(draft)")
            }
            if let selected = state.conversation.selection,
               let message = state.conversation.messages.last(where: { $0.localId == selected }) {
                return "Conversation with \(title), selected: " + said(message, state)
            }
            let pane = state.conversation
            if pane.isAtNewest { return "Conversation with \(title), at the newest message." }
            return "Conversation with \(title), scrolled back" + (pane.newBelow > 0 ? ", \(pane.newBelow.counted("new message")) below." : ".")
        case .settings:
            let items = SettingsItem.items(for: state)
            let title = state.settingsChat.map { state.title(of: $0) } ?? "the account"
            guard items.indices.contains(state.settings.selection) else { return "Settings of \(title)." }
            let item = items[state.settings.selection]
            return "Settings of \(title), \(item.label)" + (item.value.isEmpty ? "." : ": \(item.value).")
        }
    }

    static func name(of overlay: Overlay) -> String {
        switch overlay {
        case .help: "the help"
        case .newChat: "a new chat"
        case .confirm(let confirmation): "a question: \(confirmation.question)"
        case .prompt(let prompt): "a question: \(prompt.label)"
        case .search: "search"
        case .switcher: "the chat switcher"
        case .links: "the links of a message"
        case .details: "a message's details"
        }
    }

    /// A new message elsewhere or a mention, said on the announcement line.
    static func announce(_ effects: [Effect], _ state: inout AppState) {
        guard state.screenReader != nil else { return }
        for case .notifyNewMessage(_, let title, let body, let count) in effects {
            state.announcement = "\(count > 1 ? "\(count) new messages" : "New message"), \(title): \(body)"
        }
    }

    /// Going offline or back online, said on the announcement line.
    static func announceConnection(old: EngineStatus.Connection, new: EngineStatus.Connection, _ state: inout AppState) {
        guard state.screenReader != nil else { return }
        let wasOnline = old == .online, isOnline = new == .online
        if isOnline && !wasOnline { state.announcement = "Online." }
        if wasOnline && !isOnline {
            state.announcement = new == .signedOut ? "Signed out." : "Offline: what you send is queued and goes when back online."
        }
    }
}

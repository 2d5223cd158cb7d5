import ChatAPI
import ChatModel
import TerminalUI

/// The chat list pane's own state: which list is shown and which chat is selected.
public struct ChatListState: Equatable, Sendable {
    public var showArchived = false
    public var selectedChatId: ChatID?
    /// What is typed to narrow the list (by a fuzzy match of the names); empty: every chat.
    public var filter = ""

    public init() {}

    /// The chats of the list being shown: the archive or the main list, narrowed by the filter.
    public func visible(_ chats: [ChatSummary], title: (ChatSummary) -> String) -> [ChatSummary] {
        let shown = chats.filter { $0.isArchived == showArchived }
        guard !filter.isEmpty else { return shown }
        let needle = FuzzyMatch.needle(filter)
        return shown.filter { FuzzyMatch.Prepared(title($0)).score(needle) != nil }
    }

    /// After the list changed: a selection that is no longer shown moves to the first chat.
    mutating func keepSelection(in chats: [ChatSummary], title: (ChatSummary) -> String) {
        let shown = visible(chats, title: title)
        if selectedChatId == nil || !shown.contains(where: { $0.id == selectedChatId }) {
            selectedChatId = shown.first?.id ?? selectedChatId
        }
    }

    /// A chat opened from anywhere is the list's selection.
    mutating func select(_ chat: ChatID) {
        selectedChatId = chat
    }

    /// Back to the main list (a chat made there is shown in it).
    mutating func showMain() {
        showArchived = false
    }

    mutating func toggleArchive(_ chats: [ChatSummary], title: (ChatSummary) -> String) {
        showArchived.toggle()
        filter = ""
        selectedChatId = visible(chats, title: title).first?.id
    }
}

/// The chat list's keys: moving, opening, archive and mute.
enum ChatListReducer {
    static func key(_ list: inout ChatListState, _ key: Key, chats: [ChatSummary], keys: KeyMap, title: (ChatSummary) -> String) -> [PaneEvent] {
        let shown = list.visible(chats, title: title)
        let index = shown.firstIndex { $0.id == list.selectedChatId } ?? 0
        let selected = chats.first { $0.id == list.selectedChatId }
        // Typing narrows the list: a letter that is not a list key starts the filter, and
        // while it is on, every letter goes to it.
        // `back` (h) is no letter to filter by: the README promises it goes back, and in the
        // list, the leftmost pane, there is nowhere to go.
        if case .character(let character) = key, !list.filter.isEmpty || (character.isLetter || character.isNumber)
            && !keys.listKeys.contains(character) && character != keys.back {
            list.filter.append(character)
            list.selectedChatId = list.visible(chats, title: title).first?.id ?? list.selectedChatId
            return []
        }
        if !list.filter.isEmpty {
            switch key {
            case .backspace, .control("h"):
                list.filter.removeLast()
                list.keepSelection(in: chats, title: title)
                return []
            case .escape:
                list.filter = ""
                return []
            default: break
            }
        }
        if case .character(let character) = key {
            switch character {
            case keys.up: return Self.key(&list, .up, chats: chats, keys: keys, title: title)
            case keys.down: return Self.key(&list, .down, chats: chats, keys: keys, title: title)
            case keys.top: return Self.key(&list, .home, chats: chats, keys: keys, title: title)
            case keys.bottom: return Self.key(&list, .end, chats: chats, keys: keys, title: title)
            case keys.showArchive:
                list.toggleArchive(chats, title: title)
                return [.notice(list.showArchived ? "Archived chats (\(keys.showArchive): back to the main list)" : "Chats", isError: false)]
            case keys.archive:
                guard let chat = selected else { return [] }
                return [.effect(.chatSettings(chat.id, ChatSettingsRequest(isArchived: !chat.isArchived)))]
            case keys.mute:
                guard let chat = selected else { return [] }
                return [.effect(.chatSettings(chat.id, ChatSettingsRequest(isMuted: !chat.isMuted)))]
            case keys.remove:
                guard let chat = selected else { return [] }
                return [.confirm(.removeFromDevice, chat: chat.id)]
            case keys.newChat: return [.newChat]
            case keys.settings: return [.settings(chat: list.selectedChatId)]
            case keys.compose: return [.compose(prefill: "")]
            case keys.command: return [.compose(prefill: "/")]
            case keys.attach: return [.compose(prefill: "/attach ")]
            case keys.quit: return [.quit]
            default: return []
            }
        }
        switch key {
        case .up:
            if !shown.isEmpty { list.selectedChatId = shown[max(0, index - 1)].id }
        case .down:
            if !shown.isEmpty { list.selectedChatId = shown[min(shown.count - 1, index + 1)].id }
        case .home:
            list.selectedChatId = shown.first?.id
        case .end:
            list.selectedChatId = shown.last?.id
        case .enter, .right:
            guard let chat = list.selectedChatId else { return [] }
            return [.open(chat, focus: .compose)]
        default:
            break
        }
        return []
    }
}

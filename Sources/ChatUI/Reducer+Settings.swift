import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The settings pane: items for the chat it shows and for the account.
extension Reducer {
    static func settingsKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let items = SettingsItem.items(for: state)
        switch key {
        case .up, .character(state.keys.up): state.settingsSelection = max(0, state.settingsSelection - 1)
        case .down, .character(state.keys.down): state.settingsSelection = min(items.count - 1, state.settingsSelection + 1)
        case .escape, .character(state.keys.quit), .left: state.focus = state.openChatId == nil ? .chats : .conversation
        case .enter, .character(" "):
            guard items.indices.contains(state.settingsSelection) else { return [] }
            return activate(items[state.settingsSelection], &state)
        default: break
        }
        return []
    }

    static func activate(_ item: SettingsItem, _ state: inout AppState) -> [Effect] {
        switch item.action {
        case .ask(let purpose, let label):
            let current: String = switch purpose {
            case .renameChat: state.settingsChat?.title ?? ""
            case .name: state.me.name
            default: ""
            }
            return ask(purpose, label, text: current, &state)
        case .confirm(let action):
            return confirm(action, chat: state.settingsChatId, &state)
        case .effect(let effect):
            return [effect]
        }
    }
}

import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The overlays: help, the new-chat search, confirmations and prompts take every key.
extension Reducer {
    static func overlayKey(_ state: inout AppState, _ overlay: Overlay, _ key: Key) -> [Effect] {
        switch overlay {
        case .confirm(let confirmation):
            return confirmKey(&state, confirmation, key)
        case .prompt(let prompt):
            return promptKey(&state, prompt, key)
        case .help:
            // Up and down scroll it; any other key closes it.
            switch key {
            case .down, .pageDown, .character(state.keys.down), .character(" "):
                state.helpOffset = min(HelpOverlay.lineCount - 1, state.helpOffset + (key == .down || key == .character(state.keys.down) ? 1 : 10))
            case .up, .pageUp, .character(state.keys.up):
                state.helpOffset = max(0, state.helpOffset - (key == .pageUp ? 10 : 1))
            default:
                state.overlay = nil
            }
            return []
        case .newChat(var flow):
            defer { if state.overlay != nil { state.overlay = .newChat(flow) } }
            switch key {
            case .escape:
                state.overlay = nil
                return []
            case .up: flow.selected = max(0, flow.selected - 1)
            case .down: flow.selected = min(max(0, flow.results.count - 1), flow.selected + 1)
            case .tab: flow.isEditingTitle.toggle()
            case .character(" ") where !flow.isEditingTitle:
                guard flow.results.indices.contains(flow.selected) else { return [] }
                let user = flow.results[flow.selected]
                if let index = flow.picked.firstIndex(of: user) { flow.picked.remove(at: index) } else { flow.picked.append(user) }
            case .enter:
                var picked = flow.picked
                if picked.isEmpty, flow.results.indices.contains(flow.selected) { picked = [flow.results[flow.selected]] }
                guard !picked.isEmpty else { return [] }
                let title = flow.title.trimmingCharacters(in: .whitespaces)
                if picked.count > 1 && title.isEmpty {
                    flow.isEditingTitle = true
                    state.notice = Notice(text: "A group needs a title: type it, then Enter.", isError: false)
                    return []
                }
                state.overlay = nil
                return [.createChat(usernames: picked.map(\.username), title: title.isEmpty ? nil : title)]
            case .backspace:
                if flow.isEditingTitle { _ = flow.title.popLast() } else {
                    _ = flow.query.popLast()
                    return flow.query.isEmpty ? [] : [.searchUsers(flow.query)]
                }
            case .character(let character):
                if flow.isEditingTitle {
                    flow.title.append(character)
                } else {
                    flow.query.append(character)
                    flow.selected = 0
                    return [.searchUsers(flow.query)]
                }
            default: break
            }
            return []
        }
    }
}

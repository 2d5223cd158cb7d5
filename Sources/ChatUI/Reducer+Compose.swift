import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The compose box and the chat-less command line: editing, history recall, sending.
extension Reducer {
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

import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// Confirmations before destroying anything, one-line prompts, and the settings pane's chat.
extension Reducer {
    // MARK: Confirmations

    /// Asks before `action`; nothing happens until `y` or Enter.
    static func confirm(_ action: DestructiveAction, chat: ChatID?, _ state: inout AppState) -> [Effect] {
        let name = chat.flatMap { id in state.chats.first { $0.id == id } }.map { "“\(state.title(of: $0))”" } ?? "this chat"
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
        default: return []
        }
        state.overlay = .confirm(Confirmation(question: question + " y/Enter: yes · any other key: no", effects: effects))
        return []
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    static func confirmKey(_ state: inout AppState, _ confirmation: Confirmation, _ key: Key) -> [Effect] {
        state.overlay = nil
        guard Confirmation.confirms(key) else {
            state.notice = Notice(text: "Cancelled; nothing was changed.", isError: false)
            return []
        }
        if confirmation.clearsCompose, let chat = state.openChatId {
            state.compose.replace(with: "")
            state.drafts[chat] = ""
            return confirmation.effects + [.saveDraft(chat, "")]
        }
        return confirmation.effects
    }

    // MARK: Prompts

    static func ask(_ purpose: PromptPurpose, _ label: String, text: String = "", _ state: inout AppState) -> [Effect] {
        state.overlay = .prompt(PromptState(purpose, label: label, text: text))
        return []
    }

    static func promptKey(_ state: inout AppState, _ prompt: PromptState, _ key: Key) -> [Effect] {
        var prompt = prompt
        switch key {
        case .escape:
            state.overlay = nil
            state.notice = Notice(text: "Cancelled.", isError: false)
            return []
        case .enter:
            state.overlay = nil
            return answer(prompt.purpose, prompt.input.text, &state)
        case _ where prompt.input.applyEditingKey(key):
            state.overlay = .prompt(prompt)
        case .paste(let text):
            prompt.input.insert(text.replacingOccurrences(of: "\n", with: " "))
            state.overlay = .prompt(prompt)
        default:
            break
        }
        return []
    }

    /// What an answered prompt does. Passwords are taken byte for byte; names and titles are
    /// trimmed, and usernames may be written with or without a leading @.
    static func answer(_ purpose: PromptPurpose, _ text: String, _ state: inout AppState) -> [Effect] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let usernames = trimmed.split(separator: " ").map { $0.hasPrefix("@") ? String($0.dropFirst()) : String($0) }
        func needs(_ ok: Bool, _ effects: @autoclosure () -> [Effect]) -> [Effect] {
            guard ok else {
                state.notice = Notice(text: "Nothing typed; nothing changed.", isError: false)
                return []
            }
            return effects()
        }
        switch purpose {
        case .renameChat(let chat): return needs(!trimmed.isEmpty, [.renameChat(chat, trimmed)])
        case .addUsers(let chat): return needs(!usernames.isEmpty, [.addUsers(chat, usernames: usernames)])
        case .removeUsers(let chat): return needs(!usernames.isEmpty, [.removeUsers(chat, usernames: usernames)])
        case .blockUser(let chat): return needs(usernames.count == 1, [.blockUser(chat, username: usernames.first ?? "", true)])
        case .unblockUser(let chat): return needs(usernames.count == 1, [.blockUser(chat, username: usernames.first ?? "", false)])
        case .chatImage(let chat): return needs(!trimmed.isEmpty, [.setChatImage(chat, path: expandTilde(trimmed))])
        case .name: return needs(!trimmed.isEmpty, [.updateProfile(name: trimmed, about: nil)])
        case .about: return [.updateProfile(name: nil, about: text)]
        case .deviceName: return needs(!trimmed.isEmpty, [.renameDevice(trimmed)])
        case .currentPassword:
            guard !text.isEmpty else { return needs(false, []) }
            return ask(.newPassword(current: text), "New password (8 to 25 characters):", &state)
        case .newPassword(let current):
            guard ProtocolLimits.passwordLength.contains(text.count) else {
                state.notice = Notice(text: "A password is 8 to 25 characters long; try again.", isError: true)
                return ask(.newPassword(current: current), "New password (8 to 25 characters):", &state)
            }
            return ask(.repeatPassword(current: current, new: text), "The new password again:", &state)
        case .repeatPassword(let current, let new):
            guard text == new else {
                state.notice = Notice(text: "The two new passwords differ; type the new one again.", isError: true)
                return ask(.newPassword(current: current), "New password (8 to 25 characters):", &state)
            }
            return [.changePassword(old: current, new: new)]
        }
    }

    // MARK: Settings pane

    /// Opens the settings pane on `chat` (nil: the account only). The pane's chat stays fixed
    /// until it is opened again.
    static func enterSettings(_ state: inout AppState, chat: ChatID?) {
        state.focus = .settings
        state.settingsSelection = 0
        state.settingsChatId = chat
    }

    // MARK: Drafts

    /// What may be kept as a draft: a `/password` line never is.
    static func draftText(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("/password") ? "" : text
    }
}

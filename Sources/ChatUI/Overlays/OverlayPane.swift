import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The new-chat flow: search people, pick one (personal chat) or several (group).
public struct NewChatState: Equatable, Sendable {
    public var query = ""
    public var results: [UserInfo] = []
    public var selected = 0
    public var picked: [UserInfo] = []
    public var title = ""
    public var isEditingTitle = false

    public init() {}
}

/// What covers the panes and takes every key while it is up.
public enum Overlay: Equatable, Sendable {
    /// The key and command list, scrolled by `offset` lines (it is longer than a small terminal).
    case help(offset: Int)
    case newChat(NewChatState)
    /// A destructive action waits for `y` or Enter.
    case confirm(Confirmation)
    /// A one-line question (a title, a username, a password) about a chat fixed when asked.
    case prompt(PromptState)
    /// One message in full: times, delivery, who read it and when. Any key closes it.
    case details(ChatID, localId: String)
    /// Full-text search of the cache.
    case search(SearchState)
    /// The quick switcher: chats and people by a few letters.
    case switcher(SwitcherState)
    /// The web addresses of a message, numbered; `selected` is the one Enter opens.
    case links(addresses: [String], selected: Int)
}

/// The overlays' keys. Each overlay is its own state: the reducer replaces or closes it.
enum OverlayReducer {
    static func key(_ overlay: inout Overlay?, _ key: Key, keys: KeyMap, me: UserID) -> [PaneEvent] {
        switch overlay {
        case .confirm(let confirmation)?:
            overlay = nil
            guard Confirmation.confirms(key) else { return [.notice(Said.cancelledNothingChanged, isError: false)] }
            return .effects(confirmation.effects) + (confirmation.clearsCompose ? [.clearCompose] : [])
        case .prompt(var prompt)?:
            switch key {
            case .escape:
                overlay = nil
                return [.notice(Said.cancelled, isError: false)]
            case .enter:
                overlay = nil
                return answer(prompt.purpose, prompt.input.text, &overlay)
            case _ where prompt.input.applyEditingKey(key):
                overlay = .prompt(prompt)
            case .paste(let text):
                prompt.input.insert(text.replacingOccurrences(of: "\n", with: " "))
                overlay = .prompt(prompt)
            case .tab:
                // A file's path completes as after /attach (the answer is pathCompletionsFound).
                if case .chatImage = prompt.purpose { return [.effect(.completePath(prompt.input.text))] }
            default:
                break
            }
            return []
        case .help(let offset)?:
            // Up and down scroll it; any other key closes it.
            switch key {
            case .down, .character(keys.down): overlay = .help(offset: min(HelpOverlay.lineCount - 1, offset + 1))
            case .pageDown, .character(" "): overlay = .help(offset: min(HelpOverlay.lineCount - 1, offset + 10))
            case .up, .character(keys.up): overlay = .help(offset: max(0, offset - 1))
            case .pageUp: overlay = .help(offset: max(0, offset - 10))
            default: overlay = nil
            }
            return []
        case .details?:
            overlay = nil
            return []
        case .links(let addresses, let selected)?:
            switch key {
            case .up, .character(keys.up): overlay = .links(addresses: addresses, selected: max(0, selected - 1))
            case .down, .character(keys.down): overlay = .links(addresses: addresses, selected: min(addresses.count - 1, selected + 1))
            case .enter:
                overlay = nil
                return [.effect(.openLink(addresses[selected]))]
            case .character(let digit) where digit.wholeNumberValue.map({ (1...addresses.count).contains($0) }) == true:
                overlay = nil
                return [.effect(.openLink(addresses[digit.wholeNumberValue! - 1]))]
            default:
                overlay = nil
            }
            return []
        case .search(var search)?:
            let (events, closes) = SearchReducer.key(&search, key)
            overlay = closes ? nil : .search(search)
            return events
        case .switcher(var switcher)?:
            let (events, closes) = SwitcherReducer.key(&switcher, key)
            overlay = closes ? nil : .switcher(switcher)
            return events
        case .newChat(var flow)?:
            let events = newChatKey(&flow, key, me: me)
            overlay = events.contains(where: Self.closesNewChat) ? nil : .newChat(flow)
            return events.filter { $0 != .focus(.chats) }
        case nil:
            return []
        }
    }

    /// The new-chat flow closes on Esc (a focus on the list, which is where it was opened
    /// from) and once the chat is asked for.
    private static func closesNewChat(_ event: PaneEvent) -> Bool {
        if case .focus(.chats) = event { return true }
        if case .effect(.createChat) = event { return true }
        return false
    }

    private static func newChatKey(_ flow: inout NewChatState, _ key: Key, me: UserID) -> [PaneEvent] {
        switch key {
        case .escape: return [.focus(.chats)]
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
                return [.notice(Said.groupNeedsTitle, isError: false)]
            }
            return [.effect(.createChat(usernames: picked.map(\.username), title: title.isEmpty ? nil : title))]
        case .backspace:
            if flow.isEditingTitle { _ = flow.title.popLast() } else {
                _ = flow.query.popLast()
                return flow.query.isEmpty ? [] : [.effect(.searchUsers(flow.query))]
            }
        case .character(let character):
            if flow.isEditingTitle {
                flow.title.append(character)
            } else {
                flow.query.append(character)
                flow.selected = 0
                return [.effect(.searchUsers(flow.query))]
            }
        default: break
        }
        return []
    }

    /// The people found for the query still typed.
    static func searchAnswered(_ overlay: inout Overlay?, query: String, users: [UserInfo], me: UserID) {
        guard case .newChat(var flow) = overlay, flow.query == query else { return }
        flow.results = users.filter { $0.id != me }
        flow.selected = min(flow.selected, max(0, flow.results.count - 1))
        overlay = .newChat(flow)
    }

    /// What an answered prompt does. Passwords are taken byte for byte; names and titles are
    /// trimmed, and usernames may be written with or without a leading @. A password change
    /// asks again, in the same overlay, until the new one is typed twice alike.
    static func answer(_ purpose: PromptPurpose, _ text: String, _ overlay: inout Overlay?) -> [PaneEvent] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let usernames = trimmed.split(separator: " ").map { $0.hasPrefix("@") ? String($0.dropFirst()) : String($0) }
        func needs(_ ok: Bool, _ effect: @autoclosure () -> Effect) -> [PaneEvent] {
            ok ? [.effect(effect())] : [.notice(Said.nothingTyped, isError: false)]
        }
        func ask(_ purpose: PromptPurpose, _ label: String) -> [PaneEvent] {
            overlay = .prompt(PromptState(purpose, label: label))
            return []
        }
        let newPassword = "New password (8 to 25 characters):"
        switch purpose {
        case .renameChat(let chat): return needs(!trimmed.isEmpty, .renameChat(chat, trimmed))
        case .addUsers(let chat): return needs(!usernames.isEmpty, .addUsers(chat, usernames: usernames))
        case .removeUsers(let chat): return needs(!usernames.isEmpty, .removeUsers(chat, usernames: usernames))
        case .blockUser(let chat): return needs(usernames.count == 1, .blockUser(chat, username: usernames.first ?? "", true))
        case .unblockUser(let chat): return needs(usernames.count == 1, .blockUser(chat, username: usernames.first ?? "", false))
        case .chatImage(let chat): return needs(!trimmed.isEmpty, .setChatImage(chat, path: CommandRunner.expandTilde(trimmed)))
        case .name: return needs(!trimmed.isEmpty, .updateProfile(name: trimmed, about: nil))
        case .about: return [.effect(.updateProfile(name: nil, about: text))]
        case .deviceName: return needs(!trimmed.isEmpty, .renameDevice(trimmed))
        case .currentPassword:
            guard !text.isEmpty else { return [.notice(Said.nothingTyped, isError: false)] }
            return ask(.newPassword(current: text), newPassword)
        case .newPassword(let current):
            if let problem = ProtocolLimits.passwordProblem(text) {
                return ask(.newPassword(current: current), newPassword) + [.notice(problem.dropLast() + "; try again.", isError: true)]
            }
            return ask(.repeatPassword(current: current, new: text), "The new password again:")
        case .repeatPassword(let current, let new):
            guard text == new else {
                return ask(.newPassword(current: current), newPassword) + [.notice(Said.passwordsDiffer, isError: true)]
            }
            return [.effect(.changePassword(old: current, new: new))]
        }
    }
}

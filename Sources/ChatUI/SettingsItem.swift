import ChatAPI
import ChatStore
import Foundation

/// One line of the settings pane: what it shows and what Enter does.
public struct SettingsItem: Equatable, Sendable {
    public enum Activation: Equatable, Sendable {
        /// Puts a command in the compose box for the user to finish.
        case prefill(String)
        case effect(Effect)
    }

    public var label: String
    public var value: String
    public var action: Activation

    /// The chat's settings (if a chat is selected), then the account's.
    public static func items(for state: AppState) -> [SettingsItem] {
        var items: [SettingsItem] = []
        if let chat = state.selectedChat {
            let id = chat.id
            if !chat.isPersonal {
                items.append(.init(label: "Title", value: chat.title ?? "", action: .prefill("/rename ")))
                items.append(.init(label: "Add members", value: "", action: .prefill("/add ")))
                items.append(.init(label: "Remove members", value: "", action: .prefill("/kick ")))
            }
            let members = chat.memberIds.map { state.name(of: $0) }.joined(separator: ", ")
            items.append(.init(label: "Members", value: members, action: .prefill("/add ")))
            items.append(.init(label: "Image", value: chat.images.isEmpty ? "none" : "\(chat.images.count)", action: .prefill("/image ")))
            items.append(.init(label: "Block a user", value: "", action: .prefill("/blockuser ")))
            items.append(.init(label: "Unblock a user", value: "", action: .prefill("/unblockuser ")))
            items.append(.init(label: "Blocked users", value: state.blockedUsers[id].map { $0.map(\.username).joined(separator: ", ") } ?? "(Enter to load)", action: .effect(.loadBlockedUsers(id))))
            items.append(.init(label: "Muted", value: chat.isMuted ? "yes" : "no", action: .effect(.chatSettings(id, ChatSettingsRequest(isMuted: !chat.isMuted)))))
            items.append(.init(label: "Archived", value: chat.isArchived ? "yes" : "no", action: .effect(.chatSettings(id, ChatSettingsRequest(isArchived: !chat.isArchived)))))
            items.append(.init(label: "Chat blocked", value: chat.isBlocked ? "yes" : "no", action: .effect(.blockChat(id, !chat.isBlocked))))
            items.append(.init(label: "Remove from this device", value: "", action: .effect(.chatSettings(id, ChatSettingsRequest(isRemovedOnDevice: true)))))
            items.append(.init(label: "Clear all messages", value: "", action: .prefill("/clear")))
            items.append(.init(label: "Delete chat", value: "", action: .prefill("/delete")))
            if !chat.isPersonal { items.append(.init(label: "Leave group", value: "", action: .prefill("/leave"))) }
        }
        items.append(.init(label: "Your name", value: state.me.name, action: .prefill("/name ")))
        items.append(.init(label: "About you", value: state.users[state.me.id]?.about ?? state.me.about ?? "", action: .prefill("/about ")))
        items.append(.init(label: "Password", value: "", action: .prefill("/password ")))
        items.append(.init(label: "Device name", value: "", action: .prefill("/device ")))
        items.append(.init(label: "Log out", value: "", action: .effect(.logout)))
        return items
    }
}

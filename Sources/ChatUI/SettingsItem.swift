import ChatAPI
import ChatStore
import Foundation

/// One line of the settings pane: what it shows and what Enter does.
public struct SettingsItem: Equatable, Sendable {
    public enum Activation: Equatable, Sendable {
        /// Asks one line (a title, usernames, a path, a password) in a prompt.
        case ask(PromptPurpose, String)
        /// Asks for a yes first.
        case confirm(DestructiveAction)
        case effect(Effect)
    }

    public var label: String
    public var value: String
    public var action: Activation

    /// The settings pane's chat (fixed when the pane opened), then the account's. Every item
    /// carries that chat's id: nothing here depends on which chat is open.
    public static func items(for state: AppState) -> [SettingsItem] {
        var items: [SettingsItem] = []
        if let chat = state.settingsChat {
            let id = chat.id
            if !chat.isPersonal {
                items.append(.init(label: "Title", value: chat.title ?? "", action: .ask(.renameChat(id), "New title:")))
                items.append(.init(label: "Add members", value: "", action: .ask(.addUsers(id), "Add (usernames):")))
                items.append(.init(label: "Remove members", value: "", action: .ask(.removeUsers(id), "Remove (usernames):")))
            }
            let members = chat.memberIds.map { state.name(of: $0) }.joined(separator: ", ")
            items.append(.init(label: "Members", value: members, action: chat.isPersonal ? .effect(.loadBlockedUsers(id)) : .ask(.addUsers(id), "Add (usernames):")))
            items.append(.init(label: "Image", value: chat.images.isEmpty ? "none" : chat.images.count.counted("image"), action: .ask(.chatImage(id), "Image file:")))
            if let image = chat.images.first {
                items.append(.init(label: "Remove image", value: "", action: .effect(.removeChatImage(id, image.id))))
            }
            items.append(.init(label: "Block a user", value: "", action: .ask(.blockUser(id), "Block (username):")))
            items.append(.init(label: "Unblock a user", value: "", action: .ask(.unblockUser(id), "Unblock (username):")))
            items.append(.init(label: "Blocked users", value: state.settings.blockedUsers[id].map { $0.map(\.username).joined(separator: ", ") } ?? "(Enter to load)", action: .effect(.loadBlockedUsers(id))))
            let cached = state.settings.cachedHistory[id].map { $0.messages.counted("message") + ($0.complete ? ", all of them" : "; older ones only on the server") }
            items.append(.init(label: "Cached here", value: cached ?? "…", action: .effect(.loadCachedHistory(id))))
            items.append(.init(label: "Muted", value: chat.isMuted ? "yes" : "no", action: .effect(.chatSettings(id, ChatSettingsRequest(isMuted: !chat.isMuted)))))
            items.append(.init(label: "Archived", value: chat.isArchived ? "yes" : "no", action: .effect(.chatSettings(id, ChatSettingsRequest(isArchived: !chat.isArchived)))))
            items.append(.init(label: "Chat blocked", value: chat.isBlocked ? "yes" : "no",
                               action: chat.isBlocked ? .effect(.blockChat(id, false)) : .confirm(.blockChat)))
            items.append(.init(label: "Remove from this device", value: "", action: .confirm(.removeFromDevice)))
            items.append(.init(label: "Clear all messages", value: "", action: .confirm(.clear)))
            items.append(.init(label: "Delete chat", value: "", action: .confirm(.deleteChat)))
            if !chat.isPersonal { items.append(.init(label: "Leave group", value: "", action: .confirm(.leave))) }
        }
        // Changes the server refused, whichever chat they were for: try again, or discard.
        for change in state.engine.refusedChanges {
            let place = state.chat(change.chatId).map { " in " + state.title(of: $0) } ?? ""
            items.append(.init(label: "Not done", value: change.what + place + ": " + change.reason + " · Enter: try again",
                               action: .effect(.retryChange(change.seq))))
            items.append(.init(label: "  Discard it", value: change.what + place,
                               action: .confirm(.discardChange(seq: change.seq, what: change.what))))
        }
        items.append(.init(label: "Your name", value: state.me.name, action: .ask(.name, "Your name:")))
        items.append(.init(label: "About you", value: state.users[state.me.id]?.about ?? state.me.about ?? "", action: .ask(.about, "About you:")))
        items.append(.init(label: "Password", value: "", action: .ask(.currentPassword, "Current password:")))
        items.append(.init(label: "Device name", value: "", action: .ask(.deviceName, "This device's name:")))
        let devices = state.settings.devices
        items.append(.init(label: "Devices", value: devices.map { "\($0.count) signed in (Enter: look again)" } ?? "(Enter to list)", action: .effect(.loadDevices)))
        for device in devices ?? [] {
            items.append(.init(
                label: "  " + device.name, value: device.shortId + " · " + device.use + (device.isThisDevice ? "" : " · Enter: sign out"),
                action: device.isThisDevice ? .effect(.loadDevices) : .confirm(.signOutDevice(id: device.shortId, name: device.name))
            ))
        }
        items.append(.init(label: "Log out", value: "", action: .confirm(.logout)))
        return items
    }
}

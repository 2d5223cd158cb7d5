import ChatAPI
import ChatModel
import Foundation

/// One line of the settings pane: what it shows and what Enter does.
public struct SettingsItem: Equatable, Sendable {
    public enum Activation: Equatable, Sendable {
        /// Asks one line (a title, usernames, a path, a password) in a prompt.
        case ask(PromptPurpose, String)
        /// Asks for a yes first.
        case confirm(DestructiveAction)
        case effect(Effect)
        /// Says something in the status line (a row that shows, rather than changes).
        case say(String)
    }

    public var label: String
    public var value: String
    public var action: Activation
    /// Only the chat's owner may do this on our server (others may allow it): said in the
    /// row, dimmed, for everyone else; still offered, since another server may take it.
    public var isOwnersOnly = false

    init(label: String, value: String, action: Activation) {
        self.label = label
        self.value = value
        self.action = action
    }

    /// The same row marked as the owner's.
    func ownersOnly(_ marked: Bool) -> SettingsItem {
        guard marked else { return self }
        var item = self
        item.isOwnersOnly = true
        item.value = value.isEmpty ? "the owner's; may be refused" : value + " · the owner's; may be refused"
        return item
    }

    /// The settings pane's chat (fixed when the pane opened), then the account's. Every item
    /// carries that chat's id: nothing here depends on which chat is open.
    public static func items(for state: AppState) -> [SettingsItem] {
        var items: [SettingsItem] = []
        if let chat = state.settingsChat {
            let id = chat.id
            // A group someone else owns: what only its owner may do is said so.
            let notMine = !chat.isPersonal && chat.ownerId != state.me.id
            if !chat.isPersonal {
                items.append(.init(label: "Title", value: chat.title ?? "", action: .ask(.renameChat(id), "New title:")))
                items.append(.init(label: "Add members", value: "", action: .ask(.addUsers(id), "Add (usernames):")))
                items.append(SettingsItem(label: "Remove members", value: "", action: .ask(.removeUsers(id), "Remove (usernames):")).ownersOnly(notMine))
            }
            let members = chat.memberIds.map { state.name(of: $0) }.joined(separator: ", ")
            let named = chat.memberIds.map { id in state.users[id].map { "\($0.name) (@\($0.username))" } ?? state.name(of: id) }
            items.append(.init(label: "Members", value: members, action: .say("Members: " + named.joined(separator: ", ") + ".")))
            items.append(SettingsItem(label: "Image", value: chat.images.isEmpty ? "none" : chat.images.count.counted("image"),
                                      action: .ask(.chatImage(id), "Image file:")).ownersOnly(notMine))
            if let image = chat.images.first {
                items.append(SettingsItem(label: "Remove image", value: "", action: .effect(.removeChatImage(id, image.id))).ownersOnly(notMine))
            }
            items.append(SettingsItem(label: "Block a user", value: "", action: .ask(.blockUser(id), "Block (username):")).ownersOnly(notMine))
            items.append(SettingsItem(label: "Unblock a user", value: "", action: .ask(.unblockUser(id), "Unblock (username):")).ownersOnly(notMine))
            items.append(.init(label: "Blocked users", value: state.settings.blockedUsers[id].map { $0.map(\.username).joined(separator: ", ") } ?? "(Enter to load)", action: .effect(.loadBlockedUsers(id))))
            let cached = state.settings.cachedHistory[id].map { $0.messages.counted("message") + ($0.complete ? ", all of them" : "; older ones only on the server") }
            items.append(.init(label: "Cached here", value: cached ?? "…", action: .effect(.loadCachedHistory(id))))
            items.append(.init(label: "Muted", value: chat.isMuted ? "yes" : "no", action: .effect(.chatSettings(id, ChatSettingsRequest(isMuted: !chat.isMuted)))))
            items.append(.init(label: "Archived", value: chat.isArchived ? "yes" : "no", action: .effect(.chatSettings(id, ChatSettingsRequest(isArchived: !chat.isArchived)))))
            items.append(.init(label: "Chat blocked", value: chat.isBlocked ? "yes" : "no",
                               action: chat.isBlocked ? .effect(.blockChat(id, false)) : .confirm(.blockChat)))
            items.append(.init(label: "Remove from this device", value: "", action: .confirm(.removeFromDevice)))
            items.append(SettingsItem(label: "Clear all messages", value: "", action: .confirm(.clear)).ownersOnly(notMine))
            items.append(SettingsItem(label: "Delete chat", value: "", action: .confirm(.deleteChat)).ownersOnly(notMine))
            if !chat.isPersonal { items.append(.init(label: "Leave group", value: "", action: .confirm(.leave))) }
        }
        // Changes the server refused, whichever chat they were for: try again, or discard.
        for change in state.engine.failedChanges {
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

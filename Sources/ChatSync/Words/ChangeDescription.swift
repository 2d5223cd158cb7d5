import ChatAPI
import ChatStore

/// A queued change in a few words, for the list of changes the server refused.
enum ChangeDescription {
    static func words(_ intent: Intent) -> String {
        switch intent {
        case .editMessage: "edit a message"
        case .deleteMessage: "delete a message"
        case .settings(let request):
            if request.isRemovedOnDevice == true { "remove the chat from this device" }
            else if let muted = request.isMuted { muted ? "mute" : "unmute" }
            else if let archived = request.isArchived { archived ? "archive" : "unarchive" }
            else { "change the chat's settings" }
        case .rename(let title): "rename to “\(title)”"
        case .setImage: "set the chat's image"
        case .removeImage: "remove the chat's image"
        case .addUsers(let users): "add \(users.count == 1 ? "a member" : "\(users.count) members")"
        case .removeUsers(let users): "remove \(users.count == 1 ? "a member" : "\(users.count) members")"
        case .blockChat(let blocked): blocked ? "block the chat" : "unblock the chat"
        case .blockUser(_, let blocked): blocked ? "block a user" : "unblock a user"
        case .leave: "leave the group"
        case .clear: "clear every message"
        case .deleteChat: "delete the chat"
        case .updateProfile: "change your profile"
        case .renameDevice(let name): "rename this device to “\(name)”"
        }
    }
}

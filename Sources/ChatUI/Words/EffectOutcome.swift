import ChatAPI

/// What an effect did, as the app reports it; the UI says it in words (`sentence(keys:)`), in
/// this one place, naming keys as the person bound them.
public enum EffectOutcome: Equatable, Sendable {
    case messageEdited
    case messageDeleted
    /// A personal chat with `username`, new or not, opened.
    case personalChatOpened(String)
    case groupCreated(String)
    /// The server answered a group with the same people: `known` when this cache had it;
    /// `keepsItsName` when another title was asked for.
    case groupAlreadyExists(String, known: Bool, keepsItsName: Bool)
    case settingsSaved(ChatSettingsRequest)
    case renamed(String)
    case added([String])
    case removed([String])
    case chatBlocked(Bool)
    case userBlocked(String, Bool)
    case deviceSignedOut(name: String, shortId: String)
    case changeRetried
    case changeDiscarded
    case chatCleared
    case chatDeleted
    case leftGroup
    case chatImageSet
    case chatImageRemoved
    case saved(to: String)
    case downloadCancelled
    /// A file (its name) or a link (its address) handed to the system's opener.
    case opened(String)
    case profileUpdated
    case passwordChanged
    case deviceRenamed(String)

    public func sentence(keys: KeyMap) -> String {
        switch self {
        case .messageEdited: "Message edited."
        case .messageDeleted: "Message deleted."
        case .personalChatOpened(let username): "Chat with \(username) opened."
        case .groupCreated(let title): "Group \(title) created."
        case .groupAlreadyExists(let title, let known, let keepsItsName):
            "You already \(known ? "have" : "had") a group with these people: \(title)\(keepsItsName ? " (opened; it keeps its name)" : "")."
        case .settingsSaved(let request):
            if let archived = request.isArchived {
                archived ? "Chat archived (\(keys.showArchive) shows the archive)." : "Chat back in the main list."
            } else if let muted = request.isMuted {
                muted ? "Chat muted." : "Chat unmuted."
            } else if request.isRemovedOnDevice == true {
                "Chat removed from this device."
            } else {
                "Settings saved."
            }
        case .renamed(let title): "Renamed to \(title)."
        case .added(let usernames): "Added \(usernames.joined(separator: ", "))."
        case .removed(let usernames): "Removed \(usernames.joined(separator: ", "))."
        case .chatBlocked(let blocked): blocked ? "Chat blocked." : "Chat unblocked."
        case .userBlocked(let username, let blocked): "\(username) \(blocked ? "blocked" : "unblocked") in this chat."
        case .deviceSignedOut(let name, let shortId): "Signed out \(name) (\(shortId)); it must sign in again."
        case .changeRetried: "Trying the change again."
        case .changeDiscarded: "Change discarded; the chat shows what the server has."
        case .chatCleared: "Every message in the chat was cleared."
        case .chatDeleted: "Chat deleted."
        case .leftGroup: "You left the group."
        case .chatImageSet: "Chat image set."
        case .chatImageRemoved: "Chat image removed."
        case .saved(let path): "Saved to \(path)."
        case .downloadCancelled: "Download cancelled."
        case .opened(let what): "Opened \(what)."
        case .profileUpdated: "Profile updated."
        case .passwordChanged: "Password changed."
        case .deviceRenamed(let name): "This device is now called \(name)."
        }
    }
}

/// What an effect could not do for a reason of its own (not an error from the network or the
/// cache, which says itself in words).
public enum EffectProblem: Equatable, Sendable {
    case noOwnMessageToEdit
    /// The attachment (its name) is neither on this device nor on the server yet.
    case notAvailable(String)
    case messageGone

    public var sentence: String {
        switch self {
        case .noOwnMessageToEdit: Said.noOwnMessageToEdit
        case .notAvailable(let name): "\(name) is not on this device or the server yet."
        case .messageGone: "That message is no longer in this chat."
        }
    }
}

import ChatAPI
import ChatModel
import TerminalUI

/// The settings pane's own state: the chat it shows, fixed when the pane opens (every item
/// acts on this chat, never on whichever chat happens to be open), and the selected item.
public struct SettingsState: Equatable, Sendable {
    public var chatId: ChatID?
    public var selection = 0
    /// Blocked users of a chat, once asked for.
    public var blockedUsers: [ChatID: [UserInfo]] = [:]
    /// How much of each chat the cache holds (messages, and whether from the start).
    public var cachedHistory: [ChatID: (messages: Int, complete: Bool)] = [:]
    /// The account's signed-in devices, once asked for.
    public var devices: [DeviceRow]?

    public static func == (a: SettingsState, b: SettingsState) -> Bool {
        a.chatId == b.chatId && a.selection == b.selection && a.blockedUsers == b.blockedUsers && a.devices == b.devices
            && a.cachedHistory.mapValues { "\($0.messages) \($0.complete)" } == b.cachedHistory.mapValues { "\($0.messages) \($0.complete)" }
    }

    public init() {}

    /// A block or unblock just asked for shows in the loaded list at once (it stayed until
    /// the list was asked for again); someone not known here makes the list ask again.
    mutating func anticipate(chat: ChatID, username: String, blocked: Bool, users: [UserID: UserInfo]) {
        guard var list = blockedUsers[chat] else { return }
        list.removeAll { $0.username.lowercased() == username.lowercased() }
        if blocked {
            guard let user = users.values.first(where: { $0.username.lowercased() == username.lowercased() }) else {
                blockedUsers[chat] = nil
                return
            }
            list.append(user)
        }
        blockedUsers[chat] = list
    }

    /// How much of `chat` the cache holds, as read for "Cached here".
    mutating func cachedHistoryLoaded(_ chat: ChatID, messages: Int, complete: Bool) {
        cachedHistory[chat] = (messages, complete)
    }

    mutating func blockedUsersLoaded(_ chat: ChatID, _ users: [UserInfo]) {
        blockedUsers[chat] = users
    }

    mutating func devicesLoaded(_ rows: [DeviceRow]) {
        devices = rows
    }

    /// Opens the pane on `chat` (nil: the account only), at its first item.
    mutating func show(_ chat: ChatID?) {
        chatId = chat
        selection = 0
    }
}

/// The settings pane's keys: choose an item, change it.
enum SettingsReducer {
    static func key(_ pane: inout SettingsState, _ key: Key, items: [SettingsItem], keys: KeyMap) -> [PaneEvent] {
        switch key {
        case .up, .character(keys.up): pane.selection = max(0, pane.selection - 1)
        case .down, .character(keys.down): pane.selection = max(0, min(items.count - 1, pane.selection + 1))
        case .escape, .character(keys.quit), .character(keys.back), .left: return [.leaveSettings]
        // A command from the settings pane, as from the list: the pane closes, the line opens.
        case .character(keys.command): return [.leaveSettings, .compose(prefill: "/")]
        case .enter, .character(" "):
            guard items.indices.contains(pane.selection) else { return [] }
            return activate(items[pane.selection], chat: pane.chatId)
        default: break
        }
        return []
    }

    static func activate(_ item: SettingsItem, chat: ChatID?) -> [PaneEvent] {
        switch item.action {
        case .ask(let purpose, let label):
            // A title or a name is changed from what it is; the rest starts empty.
            let current: String = switch purpose {
            case .renameChat, .name: item.value
            default: ""
            }
            return [.ask(purpose, label, text: current)]
        case .confirm(let action):
            return [.confirm(action, chat: chat)]
        case .effect(let effect):
            return [.effect(effect)]
        case .say(let sentence):
            return [.notice(sentence, isError: false)]
        }
    }
}

/// One signed-in device of the account, as the settings pane lists it.
public struct DeviceRow: Equatable, Sendable {
    public var name: String
    /// The start of its session id: tells two devices of one name apart.
    public var shortId: String
    /// "this device", or "last used 3 days ago".
    public var use: String
    public var isThisDevice: Bool

    public init(name: String, shortId: String, use: String, isThisDevice: Bool) {
        self.name = name
        self.shortId = shortId
        self.use = use
        self.isThisDevice = isThisDevice
    }
}

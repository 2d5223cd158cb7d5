import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// Which part of the screen takes the keys.
public enum Pane: Equatable, Sendable {
    case chats
    case conversation
    case compose
    case settings
}

/// A line in the status bar: news or an error, in words.
public struct Notice: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}

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

public enum Overlay: Equatable, Sendable {
    case help
    case newChat(NewChatState)
    /// A destructive action waits for `y` or Enter.
    case confirm(Confirmation)
    /// A one-line question (a title, a username, a password) about a chat fixed when asked.
    case prompt(PromptState)
}

/// Everything the screen shows. Changed only by `reduce`.
public struct AppState: Equatable, Sendable {
    public var me: UserInfo
    /// How far the help overlay is scrolled (it is longer than a small terminal).
    public var helpOffset = 0
    public var server: String
    public var rows: Int
    public var columns: Int
    public var focus: Pane = .chats
    public var showArchived = false
    public var chats: [ChatSummary] = []
    public var users: [UserID: UserInfo] = [:]
    public var selectedChatId: ChatID?
    public var openChatId: ChatID?
    public var messages: [CachedMessage] = []
    /// Server-id ranges of the open chat known to be complete: between them are gaps.
    public var knownHistory: [HistoryRange] = []
    /// Lines scrolled up from the newest message.
    public var scrollOffset = 0
    /// Messages that arrived below the view while scrolled up.
    public var newBelow = 0
    public var compose = ComposeBuffer()
    public var drafts: [ChatID: String] = [:]
    /// What was sent or run in each chat, oldest first, for Up/Down in an empty compose box.
    public var inputHistory: [ChatID: [String]] = [:]
    /// Which entry of the history the compose box shows, while browsing it.
    public var historyIndex: Int?
    public var engine = SyncStatus()
    public var notice: Notice?
    /// The notice is an upload's "Sending…", to end when the upload has.
    public var uploadNotice = false
    public var overlay: Overlay?
    public var settingsSelection = 0
    /// The chat the settings pane shows and acts on, fixed when the pane opens: every item
    /// acts on this chat, never on whichever chat happens to be open.
    public var settingsChatId: ChatID?
    public var reachedStart: Set<ChatID> = []
    /// Messages the cache held for a chat when history was last loaded.
    public var cachedCount: [ChatID: Int] = [:]
    public var loadingOlder = false
    public var blockedUsers: [ChatID: [UserInfo]] = [:]
    public var completions: [String] = []
    public var now: Date
    /// Times are shown in this zone (the local one; tests pin it).
    public var timeZone: TimeZone = .current
    public var keys = KeyMap()
    public var wantsQuit = false
    /// Logging out ends the program instead of showing sign-in (`termchat demo`).
    public var logoutEndsTheProgram = false
    /// Set when quitting because the account signed out: the shell shows sign-in next.
    public var signedOutMessage: String?

    public init(me: UserInfo, server: String, rows: Int, columns: Int, now: Date = Date()) {
        self.me = me
        self.server = server
        self.rows = rows
        self.columns = columns
        self.now = now
    }

    public var selectedChat: ChatSummary? { chats.first { $0.id == selectedChatId } }
    public var openChat: ChatSummary? { chats.first { $0.id == openChatId } }
    public var settingsChat: ChatSummary? { chats.first { $0.id == settingsChatId } }

    /// A chat's name as people see it: a group's title, or the other person in a personal chat.
    public func title(of chat: ChatSummary) -> String {
        Self.oneLine(chat.displayTitle(me: me.id) { users[$0]?.name })
    }

    public func name(of user: UserID) -> String {
        Self.oneLine(user == me.id ? me.name : (users[user]?.name ?? "user \(user)"))
    }

    /// Names and titles come from other people: one line, with control characters visible.
    static func oneLine(_ text: String) -> String {
        DisplayableText.make(text).replacingOccurrences(of: "\n", with: " ")
    }

    public var queuedTotal: Int { chats.reduce(0) { $0 + $1.queuedCount } }
}

import ChatAPI
import ChatModel
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
/// Where a notice was said (the chat open then) and when.
public struct NoticeOrigin: Equatable, Sendable {
    public var chat: ChatID?
    public var at: Date
}

public struct Notice: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}

/// Everything the screen shows. Changed only by `reduce`. What the whole app shares (the
/// account, the chats, the people, the engine's status, the terminal) is here; each pane's
/// own state is its own value, changed by its own reducer.
public struct AppState: Equatable, Sendable {
    public var me: UserInfo
    public var server: String
    public var rows: Int
    public var columns: Int
    public var focus: Pane = .chats
    public var chats: [ChatSummary] = []
    public var users: [UserID: UserInfo] = [:]
    public var engine = EngineStatus()
    public var notice: Notice? {
        // Where and when it was said: a notice belongs to the chat open then, and fades.
        didSet { if notice != oldValue { noticeShown = NoticeOrigin(chat: openChatId, at: now) } }
    }
    /// The chat open and the time when the notice was set.
    public private(set) var noticeShown: NoticeOrigin?
    /// How long a notice stays: an error longer, to be read; information briefly.
    public static let noticeLifetime = (error: 30.0, information: 15.0)
    /// The notice is an upload's "Sending…", to end when the upload has.
    public var uploadNotice = false
    public var now: Date
    /// Times are shown in this zone (the local one; tests pin it).
    public var timeZone: LocalZone = .system
    public var keys = KeyMap()
    public var wantsQuit = false
    /// Logging out ends the program instead of showing sign-in (`termchat demo`).
    public var logoutEndsTheProgram = false
    /// Set when quitting because the account signed out: the shell shows sign-in next.
    public var signedOutMessage: String?
    /// When to ring and notify.
    public var alerts = AlertRules()
    /// The `[hooks]` that are set: only their events are produced.
    public var hooks: Set<HookEvent.Kind> = []
    /// Chats with an unread mention of you, marked in the list until opened.
    public var mentionedChats: Set<ChatID> = []
    /// Picture previews by media id (`[images] protocol = "off"` turns them off).
    public var previews: [MediaID: PreviewState] = [:]
    public var showsPictures = true
    /// Screen-reader mode, when on (see `ScreenReaderMode`).
    public var screenReader: ScreenReaderMode?
    /// Screen-reader mode's bottom line: the newest news (a message elsewhere, a mention, the
    /// connection) or the answer to F2.
    public var announcement: String?
    /// How far back F3 has read (0: it starts from the newest).
    public var rereadStep = 0

    // The panes.
    public var list = ChatListState()
    public var conversation = ConversationState()
    public var composer = ComposeState()
    public var settings = SettingsState()
    public var overlay: Overlay?

    public init(me: UserInfo, server: String, rows: Int, columns: Int, now: Date = Date()) {
        self.me = me
        self.server = server
        self.rows = rows
        self.columns = columns
        self.now = now
    }

    public var selectedChatId: ChatID? { list.selectedChatId }
    public var openChatId: ChatID? { conversation.chatId }
    public var selectedChat: ChatSummary? { chat(list.selectedChatId) }
    public var openChat: ChatSummary? { chat(conversation.chatId) }
    public var settingsChat: ChatSummary? { chat(settings.chatId) }
    public var visibleChats: [ChatSummary] { list.visible(chats, title: title(of:)) }

    func chat(_ id: ChatID?) -> ChatSummary? {
        guard let id else { return nil }
        return chats.first { $0.id == id }
    }

    /// What laying out messages needs of the rest: who is who, and the time zone.
    public var layoutContext: LayoutContext {
        LayoutContext(me: me, users: users, timeZone: timeZone, now: now, isPersonalChat: openChat?.isPersonal ?? false, previews: previews,
                      spoken: screenReader != nil)
    }

    /// A chat's name as people see it: a group's title, or the other person in a personal chat.
    public func title(of chat: ChatSummary) -> String {
        LayoutContext.oneLine(chat.displayTitle(me: me.id) { users[$0]?.name })
    }

    public func name(of user: UserID) -> String { layoutContext.name(of: user) }

    public var queuedTotal: Int { chats.reduce(0) { $0 + $1.queuedCount } }

    /// Unread messages in every chat, and how many chats hold them.
    public var unreadTotals: (messages: Int, chats: Int) {
        chats.reduce((0, 0)) { total, chat in chat.unreadCount > 0 ? (total.0 + chat.unreadCount, total.1 + 1) : total }
    }
}

/// When a new message rings and notifies.
public struct AlertRules: Equatable, Sendable {
    /// Silences everything but mentions.
    public var doNotDisturb = false
    /// A mention of you rings even in a muted chat.
    public var mentionsInMutedChats = true

    public init(doNotDisturb: Bool = false, mentionsInMutedChats: Bool = true) {
        self.doNotDisturb = doNotDisturb
        self.mentionsInMutedChats = mentionsInMutedChats
    }
}

/// Who is who, and the time zone: what the conversation's layout needs beyond its messages.
public struct LayoutContext: Equatable, Sendable {
    public var me: UserInfo
    public var users: [UserID: UserInfo]
    public var timeZone: LocalZone
    /// Times not today are shown with their date.
    public var now: Date
    /// A personal chat's reader is the other person: ✓✓ says it all.
    public var isPersonalChat: Bool
    public var previews: [MediaID: PreviewState] = [:]
    /// Screen-reader mode: every message a labelled line of words.
    public var spoken = false

    public func name(of user: UserID) -> String {
        Self.oneLine(user == me.id ? me.name : (users[user]?.name ?? "user \(user)"))
    }

    /// Names and titles come from other people: one line, with control characters visible.
    static func oneLine(_ text: String) -> String {
        let shown = DisplayableText.make(text)
        // Every header of every frame asks for a name: most have no line break to replace,
        // and Foundation's replacement (through NSString) was a tenth of a frame.
        guard shown.utf8.contains(UInt8(ascii: "\n")) else { return shown }
        return shown.replacingOccurrences(of: "\n", with: " ")
    }
}

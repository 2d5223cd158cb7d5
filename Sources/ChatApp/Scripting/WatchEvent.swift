import ChatAPI
import ChatStore
import Foundation

/// One line of `termchat watch --json` (and one `event` notification of `termchat rpc`): what
/// happened, with every field named. The schema is the README's "Scripting" table; fields
/// that do not apply to a type are left out, never renamed.
public struct WatchEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case message, edit, delete, read, typing
        case chatCreated = "chat_created", chatRenamed = "chat_renamed", members
        case chatLeft = "chat_left", chatDeleted = "chat_deleted", chatRemoved = "chat_removed"
        case connection
    }

    /// A person named in an event.
    public struct Person: Codable, Equatable, Sendable {
        public var id: UserID
        public var username: String?
        public var name: String?
    }

    /// Resume after this with `--since`: the journal entry this line is, or for `typing` and
    /// `connection` (not kept) the last entry before it.
    public var cursor: Int64
    public var type: Kind
    public var at: Date
    public var chatId: ChatID?
    /// The chat's name as the client shows it (its title, or the other person's name).
    public var chat: String?
    public var messageId: MessageID?
    public var localId: String?
    /// The author (message, edit, delete), the reader (read), who types (typing).
    public var user: Person?
    /// The message's text (message, edit).
    public var text: String?
    /// The chat's title (chat_created, chat_renamed; the last one for chat_left, chat_deleted, chat_removed).
    public var title: String?
    public var added: [Person]?
    public var removed: [Person]?
    /// typing: true when they start, false when they stop.
    public var typing: Bool?
    /// connection: offline, connecting, online, retrying or signed_out.
    public var state: String?

    public init(cursor: Int64, type: Kind, at: Date, chatId: ChatID? = nil, chat: String? = nil, messageId: MessageID? = nil,
                localId: String? = nil, user: Person? = nil, text: String? = nil, title: String? = nil, added: [Person]? = nil,
                removed: [Person]? = nil, typing: Bool? = nil, state: String? = nil) {
        self.cursor = cursor
        self.type = type
        self.at = at
        self.chatId = chatId
        self.chat = chat
        self.messageId = messageId
        self.localId = localId
        self.user = user
        self.text = text
        self.title = title
        self.added = added
        self.removed = removed
        self.typing = typing
        self.state = state
    }

    /// Names for the ids an event holds, looked up in the cache when the event is written.
    public struct Names: Sendable {
        public var chat: @Sendable (ChatID) -> String?
        public var person: @Sendable (UserID) -> Person

        public init(chat: @escaping @Sendable (ChatID) -> String?, person: @escaping @Sendable (UserID) -> Person) {
            self.chat = chat
            self.person = person
        }
    }

    public init(_ entry: JournalEntry, names: Names) {
        let type: Kind = switch entry.kind {
        case .message: .message
        case .edit: .edit
        case .delete: .delete
        case .read: .read
        case .chatCreated: .chatCreated
        case .chatRenamed: .chatRenamed
        case .members: .members
        case .chatLeft: .chatLeft
        case .chatDeleted: .chatDeleted
        case .chatRemoved: .chatRemoved
        }
        let isMessage = [.message, .edit, .delete, .read].contains(type)
        self.init(
            cursor: entry.cursor, type: type, at: entry.at, chatId: entry.chatId, chat: names.chat(entry.chatId) ?? (isMessage ? nil : entry.text),
            messageId: entry.messageId, localId: entry.localId, user: entry.userId.map(names.person),
            text: isMessage ? entry.text : nil, title: isMessage ? nil : entry.text,
            added: entry.kind == .members || entry.kind == .chatCreated ? entry.added.map(names.person) : nil,
            removed: entry.kind == .members ? entry.removed.map(names.person) : nil
        )
    }

    /// The JSON line (keys sorted, no spaces).
    public var json: String {
        (try? JSONEncoder.chatAPI().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The line without `--json`: the local time, the chat in brackets, what happened. Text is
    /// as received; the caller makes it safe for a terminal.
    public func readable(timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: at)
        let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        let who = user.map { $0.name ?? $0.username ?? "user \($0.id)" } ?? "Someone"
        let place = chat.map { "[\($0)] " } ?? ""
        func people(_ list: [Person]?) -> String { (list ?? []).map { $0.name ?? $0.username ?? "user \($0.id)" }.joined(separator: ", ") }
        let what: String = switch type {
        case .message: "\(who): \(text ?? "")"
        case .edit: "\(who) edited: \(text ?? "")"
        case .delete: "\(who) deleted a message"
        case .read: "read by \(who)"
        case .typing: typing == true ? "\(who) is typing" : "\(who) stopped typing"
        case .chatCreated: "new chat" + (title.map { $0.isEmpty ? "" : " “\($0)”" } ?? "") + " with \(people(added))"
        case .chatRenamed: "renamed to \(title ?? "")"
        case .members:
            [(added ?? []).isEmpty ? nil : "added \(people(added))", (removed ?? []).isEmpty ? nil : "removed \(people(removed))"]
                .compactMap { $0 }.joined(separator: "; ")
        case .chatLeft: "you left the chat"
        case .chatDeleted: "the chat was deleted"
        case .chatRemoved: "you are no longer in the chat"
        case .connection: "connection: \(state ?? "")"
        }
        return "\(time) \(place)\(what)"
    }
}

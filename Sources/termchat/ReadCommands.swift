import ArgumentParser
import ChatAPI
import ChatStore
import ChatSync
import Foundation
import TerminalUI

/// One chat in `termchat chats --json`.
struct ChatListEntry: Codable {
    var id: ChatID
    var title: String
    var isPersonal: Bool
    var isMuted: Bool
    var isArchived: Bool
    var isBlocked: Bool
    var unread: Int
    var queued: Int
    var failed: Int
    var lastMessage: String?
    var lastActivity: Date
}

extension ChatListEntry {
    /// The cached chats (archived ones with `archived`), newest activity first.
    static func list(_ session: Session, archived: Bool) throws -> [ChatListEntry] {
        let chats = try session.store.chatList(archived: archived)
        let users = try session.store.users(chats.flatMap(\.memberIds))
        return chats.map { chat in
            ChatListEntry(
                id: chat.id, title: chat.displayTitle(me: session.credentials.userId) { users[$0]?.name }, isPersonal: chat.isPersonal, isMuted: chat.isMuted,
                isArchived: chat.isArchived, isBlocked: chat.isBlocked, unread: chat.unreadCount, queued: chat.queuedCount,
                failed: chat.failedCount, lastMessage: chat.lastMessage?.text, lastActivity: chat.lastActivity
            )
        }
    }
}

/// One message in `termchat messages --json`.
struct MessageEntry: Codable {
    var id: MessageID?
    var localId: String
    var author: String
    var text: String?
    var createdAt: Date
    var state: String
    var edited: Bool
    var deleted: Bool
    var attachments: [String]
}

extension MessageEntry {
    /// The newest `count` cached messages of a chat, oldest first.
    static func list(_ session: Session, chat: ChatID, count: Int) throws -> [MessageEntry] {
        let messages = try session.store.messages(chat, limit: max(1, count))
        let users = try session.store.users(messages.map(\.authorId))
        return messages.map { message in
            MessageEntry(
                id: message.serverId, localId: message.localId, author: users[message.authorId]?.username ?? "user \(message.authorId)",
                text: message.text, createdAt: message.createdAt, state: message.state.rawValue, edited: message.editedAt != nil,
                deleted: message.isDeleted, attachments: message.attachments.map { "\($0.fileType), \($0.fileSize) bytes" }
            )
        }
    }
}

struct ChatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chats", abstract: "List chats, newest activity first.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "List archived chats instead.") var archived = false
    @Flag(help: "Print JSON.") var json = false
    @Flag(name: .customLong("offline"), help: "Print the cache without asking the server.") var offline = false

    func run() async throws {
        let session = try Session.open(options)
        let problem = offline ? nil : CacheOnlyNote.problem(await session.engine.syncOnce())
        let entries = try ChatListEntry.list(session, archived: archived)
        if json {
            print(String(decoding: try JSONEncoder.chatAPI().encode(entries), as: UTF8.self))
            try CacheOnlyNote.finish(problem)
            return
        }
        for entry in entries {
            var marks = ""
            if entry.unread > 0 { marks += " [\(entry.unread) new]" }
            if entry.isMuted { marks += " [muted]" }
            if entry.isBlocked { marks += " [blocked]" }
            if entry.queued > 0 { marks += " [\(entry.queued) queued]" }
            if entry.failed > 0 { marks += " [\(entry.failed) failed]" }
            print("\(entry.id.uuidString)  \(CLIText.line(entry.title))\(marks)")
        }
        try CacheOnlyNote.finish(problem)
    }
}

struct MessagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "messages", abstract: "Print the newest messages of a chat.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A chat id, or the username of the other person of a personal chat.") var chat: String
    @Option(help: "How many messages.") var count = 20
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let session = try Session.open(options)
        let problem = CacheOnlyNote.problem(await session.engine.syncOnce())
        let chatId: ChatID
        do { chatId = try await session.resolveChat(chat) } catch { throw CLIError(error.userMessage) }
        let entries = try MessageEntry.list(session, chat: chatId, count: count)
        if json {
            print(String(decoding: try JSONEncoder.chatAPI().encode(entries), as: UTF8.self))
            try CacheOnlyNote.finish(problem)
            return
        }
        for entry in entries {
            let text = entry.deleted ? "(deleted)" : CLIText.block(entry.text ?? "")
            var line = "\(WireDate.format(entry.createdAt)) \(CLIText.line(entry.author)): \(text)"
            if entry.edited { line += " (edited)" }
            if !entry.attachments.isEmpty { line += " [" + entry.attachments.joined(separator: "; ") + "]" }
            if entry.state != "sent" { line += " [\(entry.state)]" }
            print(line)
        }
        try CacheOnlyNote.finish(problem)
    }
}

/// Other people's text for a terminal: control characters shown as visible escapes (`^[`),
/// so no message can move the cursor, clear the screen, set the title or write the clipboard.
/// `--json` output stays exact.
enum CLIText {
    /// One line (names, titles).
    static func line(_ text: String) -> String {
        DisplayableText.make(text).replacingOccurrences(of: "\n", with: " ")
    }

    /// A message: its own lines indented, so no line of it can pass for another message.
    static func block(_ text: String) -> String {
        DisplayableText.make(text).replacingOccurrences(of: "\n", with: "\n    ")
    }
}

/// When the server could not be asked, the output is the cache's: say so and why (on
/// standard error), and exit non-zero, as `termchat sync` does.
enum CacheOnlyNote {
    static func problem(_ report: SyncReport) -> String? { report.errors.first }

    static func finish(_ problem: String?) throws {
        guard let problem else { return }
        FileHandle.standardError.write(Data(Said.shownFromCache(problem).utf8))
        throw ExitCode(1)
    }
}

import ChatAPI
import Foundation
import GRDB

extension ChatStore {
    /// Notes kept per chat; older ones go first.
    static let notesKeptPerChat = 500

    public func addNotes(_ notes: [ChatNote]) throws {
        guard !notes.isEmpty else { return }
        try write { db in
            for note in notes {
                // A chat the cache does not hold (left, removed) keeps no notes.
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM chats WHERE id = ?", arguments: [note.chatId.uuidString]) == true else { continue }
                // Our own change is noted when the server accepts it, and again when its event
                // comes back: one note for both.
                let users = note.userIds.map(String.init).joined(separator: ",")
                let twin = try Bool.fetchOne(
                    db, sql: """
                        SELECT 1 FROM chatNotes WHERE chatId = ? AND kind = ? AND userIds = ? AND detail IS ? AND abs(createdAt - ?) < 120
                        """,
                    arguments: [note.chatId.uuidString, note.kind.rawValue, users, note.detail, note.createdAt.timeIntervalSince1970]
                )
                if twin == true { continue }
                try db.execute(
                    sql: "INSERT INTO chatNotes (chatId, kind, actorId, userIds, detail, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [note.chatId.uuidString, note.kind.rawValue, note.actorId, users, note.detail, note.createdAt.timeIntervalSince1970]
                )
                try db.execute(
                    sql: """
                        DELETE FROM chatNotes WHERE chatId = ? AND id NOT IN
                            (SELECT id FROM chatNotes WHERE chatId = ? ORDER BY id DESC LIMIT ?)
                        """,
                    arguments: [note.chatId.uuidString, note.chatId.uuidString, Self.notesKeptPerChat]
                )
            }
        }
    }

    public func notes(_ chat: ChatID) throws -> [ChatNote] {
        try pool.read { db in try Self.notes(db, chat) }
    }

    static func notes(_ db: Database, _ chat: ChatID) throws -> [ChatNote] {
        try Row.fetchAll(db, sql: "SELECT * FROM chatNotes WHERE chatId = ? ORDER BY createdAt, id", arguments: [chat.uuidString]).compactMap { row in
            guard let kind = ChatNote.Kind(rawValue: row["kind"]) else { return nil }
            let users: String = row["userIds"]
            return ChatNote(
                id: row["id"], chatId: chat, kind: kind, actorId: row["actorId"],
                userIds: users.split(separator: ",").compactMap { UserID($0) }, detail: row["detail"],
                createdAt: Date(timeIntervalSince1970: row["createdAt"])
            )
        }
    }
}

/// What a chat event is compared against to tell what happened: the chat as cached before.
public struct ChatFacts: Sendable, Equatable {
    public var title: String?
    public var memberIds: Set<UserID>
    public var imageIds: Set<MediaID>

    public init(title: String?, memberIds: Set<UserID>, imageIds: Set<MediaID>) {
        self.title = title
        self.memberIds = memberIds
        self.imageIds = imageIds
    }
}

extension ChatStore {
    public func facts(_ chat: ChatID) throws -> ChatFacts? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT title, imagesJSON FROM chats WHERE id = ?", arguments: [chat.uuidString]) else { return nil }
            let images = (row["imagesJSON"] as String?).flatMap { try? JSONDecoder.chatAPI().decode([MediaInfo].self, from: Data($0.utf8)) } ?? []
            let members = try UserID.fetchAll(db, sql: "SELECT userId FROM chatMembers WHERE chatId = ?", arguments: [chat.uuidString])
            return ChatFacts(title: row["title"], memberIds: Set(members), imageIds: Set(images.map(\.id)))
        }
    }
}

import ChatAPI
import Foundation
import GRDB

/// Where the person has read to in each chat, and what the server has been told of it.
extension ChatStore {
    /// Marks everything up to `serverId` read locally; the sync engine tells the server.
    public func markRead(_ chat: ChatID, upTo serverId: MessageID) throws {
        try write { db in
            try db.execute(sql: "UPDATE chats SET lastReadId = max(lastReadId, ?) WHERE id = ?", arguments: [serverId, chat.uuidString])
        }
    }

    /// Read marks to send: for each chat whose read position is ahead of what the server was
    /// told, the newest message of someone else up to that position. Chats where there is
    /// nothing of others to mark are settled on the spot.
    public func unsyncedReads() throws -> [(chat: ChatID, upTo: MessageID, position: MessageID)] {
        // Read first: the sender asks after every wake-up, and nearly always nothing is owed.
        let owed = try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT id, lastReadId, readSyncedId FROM chats WHERE lastReadId > readSyncedId")).map { row in
                let chat: String = row["id"]
                let position: MessageID = row["lastReadId"]
                let target = try MessageID.fetchOne(
                    db.cachedStatement(sql: "SELECT max(serverId) FROM messages WHERE chatId = ? AND authorId != ? AND serverId > ? AND serverId <= ?"),
                    arguments: [chat, me, row["readSyncedId"] as MessageID, position]
                )
                return (chat: chat, target: target, position: position)
            }
        }
        var result: [(chat: ChatID, upTo: MessageID, position: MessageID)] = []
        for read in owed {
            if let target = read.target, let id = UUID(uuidString: read.chat) {
                result.append((id, target, read.position))
            } else if let id = UUID(uuidString: read.chat) {
                try readSynced(id, upTo: read.position)
            }
        }
        return result
    }

    /// The server was told that everything up to `serverId` is read.
    public func readSynced(_ chat: ChatID, upTo serverId: MessageID) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE chats SET readSyncedId = ? WHERE id = ? AND readSyncedId < ?")
                .execute(arguments: [serverId, chat.uuidString, serverId])
        }
    }

    /// The localId of your newest message in `chat` that is not deleted: one still queued
    /// first, else the highest server id.
    public func newestOwnMessage(_ chat: ChatID) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: """
                SELECT localId FROM messages WHERE chatId = ? AND authorId = ? AND deletedAt IS NULL
                ORDER BY serverId IS NULL DESC, serverId DESC, rowId DESC LIMIT 1
                """, arguments: [chat.uuidString, me])
        }
    }

    /// The newest message of `chat` written by someone else: the one to mark read.
    public func newestIncoming(_ chat: ChatID) throws -> MessageID? {
        try pool.read { db in
            try MessageID.fetchOne(
                db, sql: "SELECT max(serverId) FROM messages WHERE chatId = ? AND authorId != ?", arguments: [chat.uuidString, me]
            )
        }
    }
}

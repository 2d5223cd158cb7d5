import ChatAPI
import Foundation
import Logging
import PostgresNIO

/// Turns PostgreSQL rows into stored values. Column names are `PostgresSchema`'s, folded to
/// lower case as PostgreSQL folds unquoted names.
enum PostgresRows {
    static func date(_ value: Double) -> Date { Date(timeIntervalSince1970: value) }
    static func date(_ value: Double?) -> Date? { value.map(Date.init(timeIntervalSince1970:)) }

    static func user(_ row: PostgresRandomAccessRow) throws -> StoredUser {
        StoredUser(
            id: try row["id"].decode(Int.self), name: try row["name"].decode(String.self),
            username: try row["username"].decode(String.self), passwordHash: try row["passwordhash"].decode(String.self),
            about: try row["about"].decode(String?.self), lastSeen: date(try row["lastseen"].decode(Double?.self)),
            createdAt: date(try row["createdat"].decode(Double.self))
        )
    }

    static func session(_ row: PostgresRandomAccessRow) throws -> StoredSession {
        StoredSession(
            id: try row["id"].decode(UUID.self), userId: try row["userid"].decode(Int.self),
            ipAddress: try row["ipaddress"].decode(String?.self),
            createdAt: date(try row["createdat"].decode(Double.self)), updatedAt: date(try row["updatedat"].decode(Double.self)),
            device: DeviceInfo(
                id: try row["deviceid"].decode(UUID.self), name: try row["devicename"].decode(String.self),
                model: try row["devicemodel"].decode(String.self), token: try row["devicetoken"].decode(String.self),
                transport: try row["transport"].decode(String.self)
            )
        )
    }

    static func chat(_ row: PostgresRandomAccessRow) throws -> StoredChat {
        StoredChat(
            id: try row["id"].decode(UUID.self), title: try row["title"].decode(String?.self),
            isPersonal: try row["ispersonal"].decode(Bool.self), ownerId: try row["ownerid"].decode(Int.self),
            createdAt: date(try row["createdat"].decode(Double.self)), updatedAt: date(try row["updatedat"].decode(Double.self))
        )
    }

    static func settings(_ row: PostgresRandomAccessRow) throws -> StoredChatSettings {
        StoredChatSettings(
            isMuted: try row["ismuted"].decode(Bool.self), isArchived: try row["isarchived"].decode(Bool.self),
            isRemovedOnDevice: try row["isremovedondevice"].decode(Bool.self), isBlocked: try row["isblocked"].decode(Bool.self)
        )
    }

    static func media(_ row: PostgresRandomAccessRow) throws -> StoredMedia {
        StoredMedia(
            id: try row["id"].decode(UUID.self), fileType: try row["filetype"].decode(String.self),
            fileSize: try row["filesize"].decode(Int.self),
            previewWidth: try row["previewwidth"].decode(Int?.self), previewHeight: try row["previewheight"].decode(Int?.self),
            createdAt: date(try row["createdat"].decode(Double.self)),
            fileExists: row.contains("fileexists") ? try row["fileexists"].decode(Bool.self) : false,
            previewExists: row.contains("previewexists") ? try row["previewexists"].decode(Bool.self) : false,
            fileName: row.contains("filename") ? try row["filename"].decode(String?.self) : nil
        )
    }

    /// A message row without its attachments and read marks (`PostgresRepository` adds them).
    static func message(_ row: PostgresRandomAccessRow) throws -> StoredMessage {
        StoredMessage(
            id: try row["id"].decode(Int.self), localId: try row["localid"].decode(String.self),
            chatId: try row["chatid"].decode(UUID.self), authorId: try row["authorid"].decode(Int.self),
            text: try row["text"].decode(String?.self), isVisible: try row["isvisible"].decode(Bool.self),
            createdAt: date(try row["createdat"].decode(Double.self)), updatedAt: date(try row["updatedat"].decode(Double.self)),
            editedAt: date(try row["editedat"].decode(Double?.self)), deletedAt: date(try row["deletedat"].decode(Double?.self)),
            attachments: [], readMarks: []
        )
    }
}

extension PostgresConnection {
    /// Every row of `query`, read before returning.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    func firstRow(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }

    /// The first column of every row.
    func column<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type, logger: Logger) async throws -> [T] {
        try await rows(query, logger: logger).map { try $0[0].decode(T.self) }
    }
}

import ChatAPI
import Foundation
import GRDB

/// Turns rows into stored values. Column names match `SQLiteSchema`.
enum RowDecoding {
    static func date(_ value: Double?) -> Date? { value.map(Date.init(timeIntervalSince1970:)) }
    static func date(_ value: Double) -> Date { Date(timeIntervalSince1970: value) }

    static func uuid(_ row: Row, _ column: String) throws -> UUID {
        let text: String = row[column]
        guard let id = UUID(uuidString: text) else { throw DatabaseError(message: "bad UUID in \(column): \(text)") }
        return id
    }

    static func user(_ row: Row) -> StoredUser {
        StoredUser(
            id: row["id"], name: row["name"], username: row["username"], passwordHash: row["passwordHash"],
            about: row["about"], lastSeen: date(row["lastSeen"] as Double?), createdAt: date(row["createdAt"] as Double)
        )
    }

    static func session(_ row: Row) throws -> StoredSession {
        StoredSession(
            id: try uuid(row, "id"), userId: row["userId"], ipAddress: row["ipAddress"],
            createdAt: date(row["createdAt"] as Double), updatedAt: date(row["updatedAt"] as Double),
            device: DeviceInfo(
                id: try uuid(row, "deviceId"), name: row["deviceName"], model: row["deviceModel"],
                token: row["deviceToken"], transport: row["transport"]
            )
        )
    }

    static func chat(_ row: Row) throws -> StoredChat {
        StoredChat(
            id: try uuid(row, "id"), title: row["title"], isPersonal: row["isPersonal"], ownerId: row["ownerId"],
            createdAt: date(row["createdAt"] as Double), updatedAt: date(row["updatedAt"] as Double)
        )
    }

    static func settings(_ row: Row) -> StoredChatSettings {
        StoredChatSettings(
            isMuted: row["isMuted"], isArchived: row["isArchived"],
            isRemovedOnDevice: row["isRemovedOnDevice"], isBlocked: row["isBlocked"]
        )
    }

    static func media(_ row: Row) throws -> StoredMedia {
        StoredMedia(
            id: try uuid(row, "id"), fileType: row["fileType"], fileSize: row["fileSize"],
            previewWidth: row["previewWidth"], previewHeight: row["previewHeight"],
            createdAt: date(row["createdAt"] as Double),
            fileExists: row["fileExists"] ?? false, previewExists: row["previewExists"] ?? false,
            fileName: row.hasColumn("fileName") ? row["fileName"] : nil
        )
    }

    /// A message row without its attachments and read marks (`SQLiteRepository` adds them).
    static func message(_ row: Row) throws -> StoredMessage {
        StoredMessage(
            id: row["id"], localId: row["localId"], chatId: try uuid(row, "chatId"), authorId: row["authorId"],
            text: row["text"], isVisible: row["isVisible"], createdAt: date(row["createdAt"] as Double),
            updatedAt: date(row["updatedAt"] as Double), editedAt: date(row["editedAt"] as Double?),
            deletedAt: date(row["deletedAt"] as Double?), attachments: [], readMarks: []
        )
    }
}

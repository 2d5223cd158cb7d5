import ChatAPI
import Foundation
import GRDB

/// The one durable queue: posts, uploads and changes in one table with one shape.
///
/// - `lane` orders jobs (`JobKind.lane`): the head of a lane is its oldest job that is not
///   failed, or failed and `failureHoldsLane`.
/// - `localId` is the job's own message (a post's, an upload's): deleting the message deletes
///   its jobs. A change names the message it acts on in `targetLocalId`, without a key, so a
///   change survives its message being dropped and becomes a no-op.
/// - `payload` is what the kind needs besides (JSON): a post's file, an upload's media id,
///   message id, file and stage, a change's `Intent`.
enum JobQueueSchema {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE jobs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                lane TEXT NOT NULL,
                chatId TEXT,
                localId TEXT,
                targetLocalId TEXT,
                payload TEXT,
                failureHoldsLane INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                nextAttemptAt REAL NOT NULL DEFAULT 0,
                lastError TEXT,
                isFailed INTEGER NOT NULL DEFAULT 0,
                createdAt REAL NOT NULL,
                FOREIGN KEY (chatId, localId) REFERENCES messages(chatId, localId) ON DELETE CASCADE
            );
            CREATE INDEX jobsByLane ON jobs(lane, seq);
            CREATE INDEX jobsByChat ON jobs(chatId, kind, isFailed);
            CREATE UNIQUE INDEX jobsByMessage ON jobs(chatId, localId, kind) WHERE localId IS NOT NULL;
            """)
    }

    /// Moves what the three queues of earlier versions hold (`outbox`, `uploadJobs`, `intents`)
    /// into `jobs`, keeping each queue's order and every item's attempts, backoff, last error
    /// and failure, then drops them. An upload whose message is gone from the cache is dropped
    /// (nothing shows it; its message's chat was deleted here).
    static func moveEarlierQueues(_ db: Database) throws {
        let now = Date().timeIntervalSince1970
        let encoder = JSONEncoder()
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let insert = try db.makeStatement(sql: """
            INSERT INTO jobs (kind, lane, chatId, localId, targetLocalId, payload, failureHoldsLane,
                              attempts, nextAttemptAt, lastError, isFailed, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in try Row.fetchAll(db, sql: """
            SELECT o.*, m.createdAt AS queuedAt FROM outbox AS o
            LEFT JOIN messages AS m ON m.chatId = o.chatId AND m.localId = o.localId ORDER BY o.seq
            """) {
            let chat: String = row["chatId"]
            let path: String? = row["filePath"]
            let file = try path.map { try json(OutgoingFile(path: $0, fileType: row["fileType"] ?? "bin", fileSize: row["fileSize"] ?? 0)) }
            try insert.execute(arguments: [
                JobKind.post.rawValue, JobKind.post.lane(chat: chat), chat, row["localId"], nil, file, true,
                row["attempts"], row["nextAttemptAt"], row["lastError"], row["isFailed"], row["queuedAt"] ?? now,
            ])
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT u.* FROM uploadJobs AS u
            WHERE EXISTS (SELECT 1 FROM messages AS m WHERE m.chatId = u.chatId AND m.localId = u.localId) ORDER BY u.rowid
            """) {
            guard let media = UUID(uuidString: row["mediaId"]), let stage = UploadJob.Stage(rawValue: row["stage"]) else { continue }
            let payload = UploadPayload(mediaId: media, serverId: row["serverId"], filePath: row["filePath"], fileType: row["fileType"], stage: stage)
            try insert.execute(arguments: [
                JobKind.upload.rawValue, JobKind.upload.lane(chat: nil, media: media.uuidString), row["chatId"], row["localId"], nil, try json(payload), false,
                row["attempts"], row["nextAttemptAt"], row["lastError"], false, now,
            ])
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM intents ORDER BY seq") {
            let chat: String? = row["chatId"]
            try insert.execute(arguments: [
                JobKind.change.rawValue, JobKind.change.lane(chat: chat), chat, nil, row["targetLocalId"],
                row["payload"], false, row["attempts"], row["nextAttemptAt"], row["lastError"], row["isFailed"], row["createdAt"],
            ])
        }
        try db.execute(sql: "DROP TABLE outbox; DROP TABLE uploadJobs; DROP TABLE intents")
    }
}

/// An upload job's payload.
struct UploadPayload: Codable {
    var mediaId: UUID
    var serverId: MessageID
    var filePath: String
    var fileType: String
    var stage: UploadJob.Stage
}

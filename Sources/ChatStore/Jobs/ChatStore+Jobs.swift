import ChatAPI
import Foundation
import GRDB

/// The one queue's bookkeeping, the same for every kind of job: what is due (the head of each
/// lane, once its time has come), retries, success, failure, and everything due at once after
/// a reconnect. What each kind does besides lives beside it (Outbox, Uploads, Intents).
extension ChatStore {
    /// Every queued job, failed ones included, in queue order.
    public func jobs() throws -> [QueuedJob] {
        try pool.read { db in try Row.fetchAll(db, sql: Self.jobSelection + " ORDER BY j.seq").compactMap(Self.queuedJob) }
    }

    /// The jobs to attempt now: the head of each lane whose retry time has come, in queue
    /// order, and not a change still waiting for its message to reach the server.
    public func dueJobs(now: Date = Date(), kinds: Set<JobKind> = Set(JobKind.allCases)) throws -> [QueuedJob] {
        try jobHeads().filter { head in
            kinds.contains(head.job.kind) && !head.waitsForItsMessage && head.nextAttemptAt <= now
        }.map(\.job)
    }

    /// When the next head (of the kinds asked, and not one of `running`) becomes due, if any
    /// waits. A change waiting for its message is not counted: the post's own time is.
    public func nextJobAttempt(kinds: Set<JobKind> = Set(JobKind.allCases), excluding running: Set<Int64> = []) throws -> Date? {
        try jobHeads().filter { head in
            kinds.contains(head.job.kind) && !head.waitsForItsMessage && !running.contains(head.job.seq)
        }.map(\.nextAttemptAt).min()
    }

    func jobHeads() throws -> [JobHead] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.jobSelection + """
                WHERE j.isFailed = 0 AND j.seq = (
                    SELECT min(k.seq) FROM jobs AS k WHERE k.lane = j.lane AND (k.isFailed = 0 OR k.failureHoldsLane))
                ORDER BY j.seq
                """)).compactMap { row in
                Self.queuedJob(row).map { job in
                    JobHead(job: job, nextAttemptAt: Date(timeIntervalSince1970: row["nextAttemptAt"]),
                            waitsForItsMessage: job.kind == .change && row["messageUnsent"] == true)
                }
            }
        }
    }

    /// A retryable failure (offline, 5xx, rate limited): the job goes again at `nextAttemptAt`.
    public func jobRetryLater(_ job: QueuedJob, error: String, nextAttemptAt: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE jobs SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE seq = ?",
                           arguments: [error, nextAttemptAt.timeIntervalSince1970, job.seq])
        }
    }

    /// The server has it (or it had nothing left to do): the job leaves the queue.
    public func jobDone(_ seq: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM jobs WHERE seq = ?", arguments: [seq]) }
    }

    /// A final refusal, shown where the job shows: a post waits for the person to retry, edit
    /// or discard it (and holds its chat's later posts); an upload ends with its attachment
    /// failed; a change waits for the person to retry or discard it.
    public func jobFailed(_ job: QueuedJob, reason: String) throws {
        try write { db in
            switch job {
            case .post(let item):
                try db.execute(sql: "UPDATE jobs SET isFailed = 1, lastError = ? WHERE seq = ?", arguments: [reason, item.seq])
                try db.execute(
                    sql: "UPDATE messages SET state = 'failed', failureReason = ? WHERE chatId = ? AND localId = ? AND serverId IS NULL",
                    arguments: [reason, item.chatId.uuidString, item.localId]
                )
            case .upload(let upload):
                try db.execute(sql: "DELETE FROM jobs WHERE seq = ?", arguments: [upload.seq])
                try db.execute(
                    sql: "UPDATE attachments SET transferState = 'failed' WHERE chatId = ? AND localId = ? AND position = 0",
                    arguments: [upload.chatId.uuidString, upload.localId]
                )
                try db.execute(
                    sql: "UPDATE messages SET failureReason = ? WHERE chatId = ? AND localId = ?",
                    arguments: [reason, upload.chatId.uuidString, upload.localId]
                )
            case .change(let pending):
                try db.execute(sql: "UPDATE jobs SET attempts = attempts + 1, isFailed = 1, lastError = ? WHERE seq = ?",
                               arguments: [reason, pending.seq])
            }
        }
    }

    /// After reconnecting: everything waiting on a backoff is due now.
    public func makeJobsDueNow() throws {
        try write { db in try db.execute(sql: "UPDATE jobs SET nextAttemptAt = 0 WHERE isFailed = 0 AND nextAttemptAt > 0") }
    }

    /// Puts failed jobs (chosen by `condition`) back in the queue as if just queued.
    static func requeueFailedJobs(_ db: Database, where condition: String, _ arguments: StatementArguments) throws {
        try db.execute(sql: "UPDATE jobs SET isFailed = 0, attempts = 0, nextAttemptAt = 0, lastError = NULL WHERE " + condition,
                       arguments: arguments)
    }

    // MARK: Writing a job

    /// Writes a job, with what goes with it (`alongside`), in one transaction synced to disk
    /// (synchronous = FULL) before anything says "queued": a crash or a power cut cannot lose
    /// it. The queue is the one thing the cache holds that the server does not; everything
    /// else commits with NORMAL.
    func writeDurably<T>(_ updates: (Database) throws -> T) throws -> T {
        let indexLater = searchIndexingWaits
        defer { if indexLater { indexSoon() } }
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var result: T?
            try db.inTransaction {
                result = try updates(db)
                if indexLater {
                    _ = try SearchIndex.indexPending(db, limit: LiveIndexer.batch)
                } else {
                    try SearchIndex.indexPending(db)
                }
                return .commit
            }
            guard let result else { throw DatabaseError(message: "a queued job vanished") }
            return result
        }
    }

    /// Appends a job to its lane; answers its place in the queue.
    @discardableResult
    static func insertJob(_ db: Database, _ kind: JobKind, chat: String?, localId: String? = nil, targetLocalId: String? = nil,
                          payload: String?, lane: String? = nil, now: Date) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO jobs (kind, lane, chatId, localId, targetLocalId, payload, failureHoldsLane, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                kind.rawValue, lane ?? kind.lane(chat: chat), chat, localId, targetLocalId, payload, kind.failureHoldsLane,
                now.timeIntervalSince1970,
            ])
        return db.lastInsertedRowID
    }

    static func payloadJSON<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    // MARK: Reading a job

    /// A job with its message (a post's text; whether a change's message has reached the server).
    static let jobSelection = """
        SELECT j.*, m.text AS messageText, m.isVisible AS messageIsVisible,
            (m.rowId IS NOT NULL AND m.serverId IS NULL) AS messageUnsent
        FROM jobs AS j
        LEFT JOIN messages AS m ON m.chatId = j.chatId AND m.localId = ifnull(j.localId, j.targetLocalId)

        """

    static func queuedJob(_ row: Row) -> QueuedJob? {
        guard let kind = JobKind(rawValue: row["kind"]) else { return nil }
        let seq: Int64 = row["seq"]
        let attempts: Int = row["attempts"]
        let nextAttemptAt = Date(timeIntervalSince1970: row["nextAttemptAt"])
        let chat = (row["chatId"] as String?).flatMap(UUID.init(uuidString:))
        let payload = (row["payload"] as String?).map { Data($0.utf8) }
        let decoder = JSONDecoder()
        switch kind {
        case .post:
            guard let chat, let localId: String = row["localId"] else { return nil }
            let file = payload.flatMap { try? decoder.decode(OutgoingFile.self, from: $0) }
            return .post(OutboxItem(
                seq: seq, chatId: chat, localId: localId, text: row["messageText"], isVisible: row["messageIsVisible"] ?? true,
                attempts: attempts, nextAttemptAt: nextAttemptAt, filePath: file?.path, fileType: file?.fileType,
                fileSize: file?.fileSize, lastError: row["lastError"], isFailed: row["isFailed"]
            ))
        case .upload:
            guard let chat, let localId: String = row["localId"],
                  let upload = payload.flatMap({ try? decoder.decode(UploadPayload.self, from: $0) }) else { return nil }
            return .upload(UploadJob(
                seq: seq, mediaId: upload.mediaId, chatId: chat, localId: localId, serverId: upload.serverId,
                filePath: upload.filePath, fileType: upload.fileType, stage: upload.stage, attempts: attempts,
                nextAttemptAt: nextAttemptAt, lastError: row["lastError"]
            ))
        case .change:
            guard let intent = payload.flatMap({ try? decoder.decode(Intent.self, from: $0) }) else { return nil }
            return .change(PendingIntent(
                seq: seq, chatId: chat, intent: intent, attempts: attempts, nextAttemptAt: nextAttemptAt,
                lastError: row["lastError"], isFailed: row["isFailed"]
            ))
        }
    }
}

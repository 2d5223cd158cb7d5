import ChatAPI
import Foundation
import GRDB

/// Upload jobs (a posted message's file) and the transfers' progress as the attachment shows it.
extension ChatStore {
    /// The files waiting to be uploaded, in queue order.
    public func uploadJobs() throws -> [UploadJob] { try jobs().compactMap(\.upload) }

    public func transferProgress(_ chat: ChatID, localId: String, done: Int64, total: Int64, state: TransferState) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE attachments SET transferDone = ?, transferTotal = ?, transferState = ?
                    WHERE chatId = ? AND localId = ? AND position = 0
                    """,
                arguments: [done, total, state.rawValue, chat.uuidString, localId]
            )
        }
    }

    /// The file is on the server: the job's next step (and a restart's) is to say it exists.
    public func uploadJobUploaded(_ job: UploadJob) throws {
        let payload = UploadPayload(mediaId: job.mediaId, serverId: job.serverId, filePath: job.filePath, fileType: job.fileType, stage: .markExists)
        let json = try Self.payloadJSON(payload)
        try write { db in
            try db.execute(sql: "UPDATE jobs SET payload = ?, attempts = 0 WHERE seq = ?", arguments: [json, job.seq])
            try db.execute(
                sql: "UPDATE attachments SET transferState = 'uploaded', transferDone = transferTotal WHERE chatId = ? AND localId = ? AND position = 0",
                arguments: [job.chatId.uuidString, job.localId]
            )
        }
    }

    /// The server knows the file exists: store its copy of the message and end the job.
    public func uploadJobFinished(_ job: UploadJob, message: MessageInfo) throws {
        try write { db in
            try Self.applyServerMessage(db, message, me: self.me)
            try db.execute(sql: "DELETE FROM jobs WHERE seq = ?", arguments: [job.seq])
        }
    }

    /// Records where a downloaded attachment was saved.
    public func attachmentDownloaded(_ chat: ChatID, localId: String, position: Int, path: String, size: Int64) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE attachments SET localPath = ?, transferDone = ?, transferTotal = ?, transferState = 'downloaded'
                    WHERE chatId = ? AND localId = ? AND position = ?
                    """,
                arguments: [path, size, size, chat.uuidString, localId, position]
            )
        }
    }
}

import ChatAPI
import ChatClient
import ChatStore
import Foundation
import Synchronization

extension SyncEngine {
    /// Uploads the file under its media id, then tells the server it exists. Each step is
    /// recorded, so a restart resumes where it stopped. Answers true when the job is done.
    func run(_ job: UploadJob) async -> Bool {
        let epoch = connectionEpoch
        var job = job
        do {
            if job.stage == .upload {
                guard FileManager.default.isReadableFile(atPath: job.filePath) else {
                    try store.jobFailed(.upload(job), reason: Said.fileGone(job.filePath))
                    return false
                }
                let reporter = ProgressThrottle(store: store, chat: job.chatId, localId: job.localId)
                _ = try await api.upload(file: job.filePath, name: job.mediaId.uuidString, fileType: job.fileType) { done, total in
                    reporter.report(done: done, total: total)
                }
                try store.uploadJobUploaded(job)
                job.stage = .markExists
            }
            let hasPreview = await uploadPreview(of: job)
            let message = try await api.editMessage(job.chatId, job.serverId, fileExists: true, previewExists: hasPreview)
            try store.uploadJobFinished(job, message: message)
            return true
        } catch let error as ClientError {
            handleDeliveryError(error, of: .upload(job), attempts: job.attempts, since: epoch)
            return false
        } catch {
            report(error)
            return false
        }
    }
}

extension SyncEngine {
    /// A picture also gets `<id>-preview.jpeg`, scaled to fit 300×200, so that others draw it
    /// without fetching the whole file. A preview that cannot be made or sent is no failure:
    /// the file itself is there. Sent again after a restart (the upload overwrites).
    func uploadPreview(of job: UploadJob) async -> Bool {
        await uploadPreview(media: job.mediaId, filePath: job.filePath, fileType: job.fileType)
    }

    /// The same for any stored picture (a group's image too).
    func uploadPreview(media: MediaID, filePath: String, fileType: String) async -> Bool {
        guard previews.fileTypes.contains(fileType.lowercased()), let preview = previews.make(filePath) else { return false }
        let path = NSTemporaryDirectory() + "termchat-preview-\(media.uuidString).jpeg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try preview.write(to: URL(fileURLWithPath: path))
            _ = try await api.upload(file: path, name: media.uuidString + "-preview", fileType: "jpeg")
            return true
        } catch {
            return false
        }
    }

    /// Downloads a stored file by name (a preview, or a picture to preview) without recording
    /// it as the attachment's download.
    public func fetchFile(_ name: String, to destination: String) async throws {
        try await api.download(name, to: destination)
    }
}

/// Writes transfer progress to the store at most every 2 % (and at the end), so a large file
/// does not turn into thousands of transactions.
final class ProgressThrottle: Sendable {
    let store: ChatStore
    let chat: ChatID
    let localId: String
    private let lastPercent = Mutex(-1)

    init(store: ChatStore, chat: ChatID, localId: String) {
        self.store = store
        self.chat = chat
        self.localId = localId
    }

    func report(done: Int64, total: Int64, state: TransferState = .uploading) {
        let percent = total > 0 ? Int(done * 100 / total) : 0
        let shouldWrite = lastPercent.withLock { last in
            guard percent >= last + 2 || (done == total && last != 100) else { return false }
            last = percent
            return true
        }
        if shouldWrite { try? store.transferProgress(chat, localId: localId, done: done, total: total, state: state) }
    }
}

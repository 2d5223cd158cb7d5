import ChatAPI
import Foundation

/// Work the server has not confirmed yet, as it waits in the cache's one queue (`jobs`): a post,
/// a file's upload or a change. Every kind has the same bookkeeping (order, attempts, next
/// attempt, last error, failed) and goes through the same delivery loop and retry policy.
public enum QueuedJob: Sendable, Equatable {
    case post(OutboxItem)
    case upload(UploadJob)
    case change(PendingIntent)

    /// Its place in the queue: jobs of one lane go in this order.
    public var seq: Int64 {
        switch self {
        case .post(let item): item.seq
        case .upload(let job): job.seq
        case .change(let pending): pending.seq
        }
    }

    public var kind: JobKind {
        switch self {
        case .post: .post
        case .upload: .upload
        case .change: .change
        }
    }

    public var post: OutboxItem? { if case .post(let item) = self { item } else { nil } }
    public var upload: UploadJob? { if case .upload(let job) = self { job } else { nil } }
    public var change: PendingIntent? { if case .change(let pending) = self { pending } else { nil } }
}

/// What a job does; stored in `jobs.kind`.
public enum JobKind: String, Sendable, CaseIterable {
    /// A message to post (its text is the `messages` row; a file to attach in the payload).
    case post
    /// A posted message's file to upload, then to mark as existing.
    case upload
    /// Any other change a person asked for (an `Intent`).
    case change

    /// Jobs go in order within a lane: a chat's posts, a chat's changes (or the account's),
    /// and each upload alone, so a large file holds up nothing else.
    /// (`chat` and `media` as stored: upper-case text.)
    func lane(chat: String?, media: String? = nil) -> String {
        switch self {
        case .post: "post " + (chat ?? "")
        case .change: "change " + (chat ?? "account")
        case .upload: "upload " + (media ?? UUID().uuidString)
        }
    }

    /// Whether a failed job keeps the later ones of its lane waiting. A failed post does (the
    /// chat's messages keep their order until the person retries or discards it); a failed
    /// change does not (the person reads why; the next change is unrelated).
    var failureHoldsLane: Bool { self == .post }
}

/// A queued outgoing message, as the delivery loop sees it.
public struct OutboxItem: Sendable, Hashable {
    public var seq: Int64
    public var chatId: ChatID
    public var localId: String
    public var text: String?
    public var isVisible: Bool
    public var attempts: Int
    public var nextAttemptAt: Date
    public var filePath: String?
    public var fileType: String?
    public var fileSize: Int?
    /// Why the last attempt did not deliver it (nil before one failed).
    public var lastError: String? = nil
    public var isFailed = false
}

/// A file to upload for a message that is already on the server.
public struct UploadJob: Sendable, Hashable {
    public enum Stage: String, Sendable, Codable { case upload, markExists }
    public var seq: Int64
    public var mediaId: MediaID
    public var chatId: ChatID
    public var localId: String
    public var serverId: MessageID
    public var filePath: String
    public var fileType: String
    public var stage: Stage
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String? = nil
}

/// A queued change (an `Intent`), as stored.
public struct PendingIntent: Equatable, Sendable {
    public var seq: Int64
    public var chatId: ChatID?
    public var intent: Intent
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var isFailed: Bool
}

/// A job at the head of its lane, with whether it must wait for its message to reach the
/// server first (an edit or delete of a message still queued).
struct JobHead {
    var job: QueuedJob
    var nextAttemptAt: Date
    var waitsForItsMessage: Bool
}

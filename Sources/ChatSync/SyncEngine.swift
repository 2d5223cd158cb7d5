import ChatAPI
import ChatClient
import ChatStore
import Foundation
import Logging

/// The sync engine: mirrors the server into the cache, delivers the queue, applies events.
///
/// The UI never waits on it for the network: intents write to the store and wake a worker.
/// `run()` owns every task it starts (one task group), so cancelling it stops everything.
public actor SyncEngine {
    public let store: ChatStore
    let api: APIClient
    let sessionId: UUID
    let stream: EventStream
    let logger: Logger
    let now: @Sendable () -> Date
    let retryPolicy: RetryPolicy

    /// Messages per page when catching up; pages fetched per chat before leaving a gap.
    public static let pageSize = 100
    /// A catch-up over more chats than this shows its progress.
    static let progressThreshold = 100
    static let maxCatchUpPages = 20

    /// How a picture's preview is made before it is uploaded.
    let previews: PicturePreviews

    var status = EngineStatus() {
        didSet { if status != oldValue { statusContinuation.yield(status) } }
    }
    var typing = TypingTracker()
    /// Caught up since the last connect: live events extend the known history.
    var isLive = false
    /// Caught up once, and every event since applied: a resumed stream (which sends only what
    /// came after the last frame) leaves the cache as current as a catch-up would. A catch-up
    /// that failed, or an event that could not be stored, makes the next connect catch up.
    var resumeKeepsCurrent = false
    var openChat: ChatID?
    var pendingTyping: [ChatID: String] = [:]
    /// Counts connects. A delivery attempt that started before the latest connect and failed
    /// must not push its retry into a backoff: the server is back.
    var connectionEpoch = 0
    /// Asks again for a catch-up the server failed, while the connection lasts.
    var catchUpRetry: Task<Void, Never>?
    /// Posts being sent right now (`flightKey`): an edit or delete of one waits for its answer
    /// instead of changing the outbox under it.
    var postsInFlight: Set<String> = []

    /// Wakes the delivery loop: something was queued, or became due.
    let deliverySignal = WakeSignal()
    /// Uploads the delivery loop has started and not seen end (by their place in the queue).
    var transfersRunning: Set<Int64> = []
    /// When read marks last went to the server (they go at most once a second).
    var readsSentAt: Date?
    let typingSignal = WakeSignal()

    /// Status changes, for one consumer (the UI).
    public nonisolated let statusUpdates: AsyncStream<EngineStatus>
    let statusContinuation: AsyncStream<EngineStatus>.Continuation

    public init(store: ChatStore, api: APIClient, sessionId: UUID, streamConfiguration: EventStream.Configuration = .init(),
                retryPolicy: RetryPolicy = RetryPolicy(), previews: PicturePreviews = .none,
                logger: Logger = Logger(label: "termchat.sync"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.previews = previews
        self.retryPolicy = retryPolicy
        self.api = api
        self.sessionId = sessionId
        self.stream = EventStream(api: api, sessionId: sessionId, configuration: streamConfiguration, logger: logger)
        self.logger = logger
        self.now = now
        (statusUpdates, statusContinuation) = AsyncStream.makeStream(of: EngineStatus.self, bufferingPolicy: .bufferingNewest(8))
    }

    public var me: UserID { store.me }

    /// Drops the event stream's connection (if any) and connects again without waiting.
    public nonisolated func reconnectNow() { stream.reconnectNow() }
    public var currentStatus: EngineStatus { status }

    /// Runs until cancelled: the event stream, the delivery of the queue and typing expiry.
    public func run() async {
        countPendingChanges()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.eventLoop() }
            group.addTask { await self.deliveryLoop() }
            group.addTask { await self.typingLoop() }
            await group.waitForAll()
        }
        statusContinuation.finish()
    }

    func report(_ error: ClientError) {
        status.lastError = error.userMessage
        if error.isUnauthorized { status.connection = .signedOut }
    }

    func report(_ error: any Error) {
        if let error = error as? ClientError { return report(error) }
        status.lastError = error.userMessage
        logger.error("sync error", metadata: ["error": "\(error)"])
    }
}

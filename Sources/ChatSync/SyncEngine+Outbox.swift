import ChatAPI
import ChatClient
import ChatStore
import Foundation

extension SyncEngine {
    // MARK: Intents (the UI calls these; none waits on the network)

    /// Queues a text message; it is in SQLite before any network byte is sent.
    @discardableResult
    public func send(_ text: String, to chat: ChatID) throws -> CachedMessage {
        let message = try store.queueMessage(chat, localId: LocalID.make(author: me), text: text, now: now())
        LatencyTrace.shared?.record("send", message.localId)
        composeEnded(in: chat)
        senderSignal.wake()
        return message
    }

    /// Queues a file from disk as an attachment, with an optional caption.
    @discardableResult
    public func sendFile(at path: String, caption: String? = nil, to chat: ChatID) throws -> CachedMessage {
        let file = try OutgoingFileInspector.inspect(path)
        let message = try store.queueMessage(chat, localId: LocalID.make(author: me), text: caption, file: file, now: now())
        senderSignal.wake()
        return message
    }

    public func retry(_ chat: ChatID, localId: String) throws {
        try store.retryOutbox(chat, localId: localId)
        senderSignal.wake()
    }

    public func discard(_ chat: ChatID, localId: String) throws {
        try store.discardQueued(chat, localId: localId)
    }

    public func editQueued(_ chat: ChatID, localId: String, text: String) throws {
        try store.editQueued(chat, localId: localId, text: text)
    }

    /// Marks the newest incoming message of `chat` read, locally at once and on the server soon.
    public func markChatRead(_ chat: ChatID) throws {
        guard let newest = try store.newestIncoming(chat) else { return }
        try store.markRead(chat, upTo: newest)
        wakeForReads()
    }

    // MARK: The sender: read marks and the outbox

    func senderLoop() async {
        while !Task.isCancelled {
            // Read marks go at most once a second, the newest per chat: a busy open chat
            // otherwise sent one for every few messages that arrived. After marks went, the
            // loop looks again a second later (what arrives meanwhile does not wake it).
            var readsDue: Date?
            if readsHeldBack, let sent = readsSentAt {
                readsDue = sent.addingTimeInterval(Self.readMarkInterval)
            } else if await flushReads() {
                readsSentAt = now()
                readsDue = now().addingTimeInterval(Self.readMarkInterval)
            }
            await deliverDueMessages()
            await deliverDueIntents()
            let next = [(try? store.nextOutboxAttempt()) ?? nil, (try? store.nextIntentAttempt()) ?? nil, readsDue].compactMap { $0 }.min()
            await senderSignal.wait(upTo: next.map { .seconds(max(0.05, $0.timeIntervalSince(now()))) })
        }
    }

    static let readMarkInterval: TimeInterval = 1

    /// Wakes the sender for read marks, unless marks went less than a second ago (then it
    /// is due to look anyway).
    func wakeForReads() {
        if !readsHeldBack { senderSignal.wake() }
    }

    /// Marks went less than a second ago (a clock set back does not hold them).
    var readsHeldBack: Bool {
        guard let sent = readsSentAt else { return false }
        let elapsed = now().timeIntervalSince(sent)
        return elapsed >= 0 && elapsed < Self.readMarkInterval
    }

    /// Sends the read marks owed; answers whether any was sent.
    @discardableResult
    func flushReads() async -> Bool {
        guard let reads = try? store.unsyncedReads(), !reads.isEmpty else { return false }
        for read in reads {
            do {
                try await api.markRead(read.chat, read.upTo)
                try store.readSynced(read.chat, upTo: read.position)
            } catch let error as ClientError where !error.isRetryable {
                try? store.readSynced(read.chat, upTo: read.upTo)  // refused (message gone): do not insist
            } catch {
                return true  // offline: try again later
            }
        }
        return true
    }

    /// Delivers every due item, chat heads first, until none is due. Answers how many went.
    @discardableResult
    func deliverDueMessages() async -> Int {
        await drainDue({ try self.store.dueOutboxItems(now: self.now()) }, attempt: { await self.deliver($0) })
    }

    /// Attempts every due item, again and again while attempts succeed (a success can make the
    /// next item due), until nothing is due or a whole round made no progress. Answers how
    /// many succeeded.
    func drainDue<Item>(_ due: () throws -> [Item], attempt: (Item) async -> Bool) async -> Int {
        var succeeded = 0
        while !Task.isCancelled, status.connection != .signedOut {
            guard let items = try? due(), !items.isEmpty else { break }
            var progressed = false
            for item in items where await attempt(item) {
                succeeded += 1
                progressed = true
            }
            if !progressed { break }
        }
        return succeeded
    }

    /// One attempt at one item. Answers true if the server has it now.
    func deliver(_ item: OutboxItem) async -> Bool {
        let epoch = connectionEpoch
        var attachment: AttachmentRequest?
        if let path = item.filePath, let type = item.fileType {
            guard FileManager.default.isReadableFile(atPath: path) else {
                try? store.outboxFailed(item.chatId, localId: item.localId, reason: Said.fileGone(path))
                return false
            }
            // [ours] the file's name travels with it; a server that drops it loses nothing else.
            attachment = AttachmentRequest(fileType: type, fileSize: item.fileSize ?? 0, fileName: SafeFileName.make((path as NSString).lastPathComponent))
        }
        let request = PostMessageRequest(localId: item.localId, text: item.text, isVisible: item.isVisible, attachment: attachment)
        let flight = Self.flightKey(item.chatId, item.localId)
        postsInFlight.insert(flight)
        defer { postsInFlight.remove(flight) }
        do {
            LatencyTrace.shared?.record("posting", item.localId)
            let message = try await api.postMessage(item.chatId, request)
            LatencyTrace.shared?.record("posted", item.localId)
            try store.outboxDelivered(item, as: message)
            clearRateLimitNotice()
            if item.filePath != nil { uploadSignal.wake() }
            return true
        } catch let error as ClientError {
            handleDeliveryError(
                error, attempts: item.attempts, since: epoch,
                retryLater: { try self.store.outboxRetryLater(item, error: error.userMessage, nextAttemptAt: $0) },
                fail: { try self.store.outboxFailed(item.chatId, localId: item.localId, reason: $0) }
            )
            // Refused because of the chat itself (not in it any more, gone): read it again.
            if case .server(let code, _) = error, code == 403 || code == 404 { await refreshChat(item.chatId) }
            return false
        } catch {
            report(error)
            return false
        }
    }

    /// Once work goes through again, "rate limited, retrying" is no longer true.
    func clearRateLimitNotice() {
        if status.lastError?.hasPrefix(Said.rateLimitedPrefix) == true { status.lastError = nil }
    }

    static func flightKey(_ chat: ChatID, _ localId: String) -> String { chat.uuidString + " " + localId }

    /// Decides what a failed attempt means and records it: a later retry, a final failure
    /// (its reason shown), or signed out (nothing recorded; the user must sign in).
    /// An attempt that began before the latest reconnect (`since` is the epoch it began in)
    /// retries at once: its failure says nothing about the server now.
    func handleDeliveryError(_ error: ClientError, attempts: Int, since epoch: Int, retryLater: (Date) throws -> Void,
                             fail: (String) throws -> Void) {
        do {
            switch retryPolicy.decide(error, attempts: attempts) {
            case .retry(let delay):
                if case .rateLimited(let seconds, _) = error { status.lastError = Said.rateLimitedRetrying(seconds) }
                let reconnectedSince = epoch != connectionEpoch
                try retryLater(reconnectedSince ? now() : now().addingTimeInterval(delay.inSeconds))
                if reconnectedSince { senderSignal.wake(); uploadSignal.wake() }
            case .fail(let reason):
                status.lastError = error.userMessage
                try fail(reason)
            case .signedOut:
                report(error)
            }
        } catch {
            report(error)
        }
    }
}

/// Checks a file chosen for sending and derives its type from the extension.
public enum OutgoingFileInspector {
    public static func inspect(_ path: String) throws(ClientError) -> OutgoingFile {
        let expanded = (path as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: expanded)
        else { throw .localFile(Said.cannotRead(path)) }
        let size = ((try? FileManager.default.attributesOfItem(atPath: expanded))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= ProtocolLimits.maxUploadBytes else {
            throw .localFile("\((path as NSString).lastPathComponent) is over the 50 MB limit.")
        }
        var type = (expanded as NSString).pathExtension.lowercased()
        if type.isEmpty || type.count > 10 || !type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { type = "bin" }
        return OutgoingFile(path: expanded, fileType: type, fileSize: size)
    }
}

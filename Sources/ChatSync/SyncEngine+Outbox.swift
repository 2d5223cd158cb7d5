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
        deliverySignal.wake()
        return message
    }

    /// Queues a file from disk as an attachment, with an optional caption.
    @discardableResult
    public func sendFile(at path: String, caption: String? = nil, to chat: ChatID) throws -> CachedMessage {
        let file = try OutgoingFileInspector.inspect(path)
        let message = try store.queueMessage(chat, localId: LocalID.make(author: me), text: caption, file: file, now: now())
        deliverySignal.wake()
        return message
    }

    public func retry(_ chat: ChatID, localId: String) throws {
        try store.retryOutbox(chat, localId: localId)
        deliverySignal.wake()
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

    // MARK: Delivering (the delivery loop runs this)

    /// One attempt at one post. Answers true if the server has it now.
    func deliver(_ item: OutboxItem) async -> Bool {
        let epoch = connectionEpoch
        var attachment: AttachmentRequest?
        if let path = item.filePath, let type = item.fileType {
            guard FileManager.default.isReadableFile(atPath: path) else {
                try? store.jobFailed(.post(item), reason: Said.fileGone(path))
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
            try store.outboxDelivered(item, as: message)  // a file's upload is queued with it
            clearRateLimitNotice()
            return true
        } catch let error as ClientError {
            handleDeliveryError(error, of: .post(item), attempts: item.attempts, since: epoch)
            // Refused because of the chat itself (not in it any more, gone): read it again.
            if case .server(let code, _) = error, code == 403 || code == 404 { await refreshChat(item.chatId) }
            return false
        } catch {
            report(error)
            return false
        }
    }

    static func flightKey(_ chat: ChatID, _ localId: String) -> String { chat.uuidString + " " + localId }
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

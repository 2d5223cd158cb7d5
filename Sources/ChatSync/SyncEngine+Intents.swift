import ChatAPI
import ChatClient
import ChatStore
import Foundation

/// Every change besides sending: written to SQLite before any network byte (like a post),
/// shown at once where the cache can show it, delivered in order per chat by the delivery loop, and
/// failed with the server's reason when refused. None of these waits on the network.
extension SyncEngine {
    // MARK: Queueing (the UI calls these)

    /// Edits a message. One still in the outbox takes the new text before it is posted; one
    /// on its way waits for its post.
    public func editMessage(_ chat: ChatID, localId: String, text: String) async throws {
        await settleFlight(Self.flightKey(chat, localId))
        if try store.isQueuedAndWaiting(chat, localId: localId) && !postsInFlight.contains(Self.flightKey(chat, localId)) {
            try store.editQueued(chat, localId: localId, text: text)
            return
        }
        try store.queueIntent(.editMessage(localId: localId, text: text), chat: chat, now: now())
        try store.showEdit(chat, localId: localId, text: text, at: now())
        countPendingChanges()
        deliverySignal.wake()
    }

    /// Deletes a message. One still in the outbox is simply not sent.
    public func deleteMessage(_ chat: ChatID, localId: String) async throws {
        await settleFlight(Self.flightKey(chat, localId))
        if try store.isQueuedAndWaiting(chat, localId: localId) && !postsInFlight.contains(Self.flightKey(chat, localId)) {
            try store.discardQueued(chat, localId: localId)
            return
        }
        try store.queueIntent(.deleteMessage(localId: localId), chat: chat, now: now())
        try store.showDeleted(chat, localId: localId, at: now())
        countPendingChanges()
        deliverySignal.wake()
    }

    /// A post on its way usually ends within milliseconds (sent, or refused by a server that
    /// is down): waiting that long lets an edit or delete change the queued post itself
    /// instead of becoming a change of its own. A post held longer (a slow server) is not
    /// waited for: the change is queued behind it.
    func settleFlight(_ key: String, within limit: Duration = .milliseconds(500)) async {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while postsInFlight.contains(key), clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    public func renameChat(_ chat: ChatID, title: String) throws {
        try queue(.rename(title), chat: chat) { try $0.showTitle(chat, title) }
    }

    public func updateSettings(_ chat: ChatID, _ request: ChatSettingsRequest) throws {
        try queue(.settings(request), chat: chat) { store in
            if request.isRemovedOnDevice == true {
                try store.deleteChat(chat, because: .left)
            } else {
                try store.setFlags(chat, isMuted: request.isMuted, isArchived: request.isArchived)
            }
        }
    }

    public func addUsers(_ chat: ChatID, _ users: [UserID]) throws { try queue(.addUsers(users), chat: chat) }
    public func removeUsers(_ chat: ChatID, _ users: [UserID]) throws { try queue(.removeUsers(users), chat: chat) }
    public func leaveChat(_ chat: ChatID) throws { try queue(.leave, chat: chat) { try $0.deleteChat(chat, because: .left) } }
    public func deleteChat(_ chat: ChatID) throws { try queue(.deleteChat, chat: chat) { try $0.deleteChat(chat, because: .deleted) } }
    public func clearMessages(_ chat: ChatID) throws { try queue(.clear, chat: chat) { try $0.clearMessages(chat) } }

    public func blockChat(_ chat: ChatID, blocked: Bool) throws {
        try queue(.blockChat(blocked), chat: chat) { try $0.setFlags(chat, isBlocked: blocked) }
    }

    public func blockUser(_ chat: ChatID, _ user: UserID, blocked: Bool) throws { try queue(.blockUser(user, blocked), chat: chat) }

    /// Sets a group's image from a file: the file is checked now, uploaded when the intent goes.
    public func setChatImage(_ chat: ChatID, path: String) throws {
        let file = try OutgoingFileInspector.inspect(path)
        try queue(.setImage(media: UUID(), path: file.path, fileType: file.fileType, fileSize: file.fileSize), chat: chat)
    }

    public func removeChatImage(_ chat: ChatID, media: MediaID) throws { try queue(.removeImage(media), chat: chat) }

    public func updateProfile(_ request: UpdateProfileRequest) throws {
        try queue(.updateProfile(name: request.name, about: request.about), chat: nil)
    }

    public func renameDevice(_ name: String) throws { try queue(.renameDevice(name), chat: nil) }

    /// Intents not yet confirmed, for the status line.
    public func pendingIntentCount() throws -> Int { try store.pendingIntentCount() }

    private func queue(_ intent: Intent, chat: ChatID?, showing show: (ChatStore) throws -> Void = { _ in }) throws {
        try store.queueIntent(intent, chat: chat, now: now())
        try show(store)
        countPendingChanges()
        deliverySignal.wake()
    }

    func countPendingChanges() {
        status.pendingChanges = (try? store.pendingIntentCount()) ?? status.pendingChanges
        if let failed = try? store.failedIntents() {
            let changes = failed.map {
                FailedChange(seq: $0.seq, chatId: $0.chatId, what: ChangeDescription.words($0.intent), reason: $0.lastError ?? "refused")
            }
            if changes != status.failedChanges { status.failedChanges = changes }
        }
    }

    /// Tries a failed change again, from its first attempt.
    public func retryChange(_ seq: Int64) throws {
        try store.retryIntent(seq)
        countPendingChanges()
        deliverySignal.wake()
    }

    /// Forgets a failed change; its chat is read again from the server, so that what the
    /// change showed in advance (a title, a mute) gives way to what the server has.
    public func discardChange(_ seq: Int64) async throws {
        let chat = try store.intents().first { $0.seq == seq }?.chatId
        try store.discardIntent(seq)
        countPendingChanges()
        if let chat { await restoreFromServer(chat) }
    }

    // MARK: Delivering (the delivery loop runs this)

    /// One attempt at one intent. Answers true once the server has it (or it has nothing to do).
    func deliver(_ pending: PendingIntent) async -> Bool {
        let epoch = connectionEpoch
        defer { countPendingChanges() }
        do {
            try await perform(pending)
            try store.jobDone(pending.seq)
            clearRateLimitNotice()
            if let chat = pending.chatId, let note = ChatNoteRules.note(for: pending.intent, in: chat, me: me, at: now()) {
                try? store.addNotes([note])
            }
            return true
        } catch let error as ClientError {
            // A retry after a lost answer may find the change already made: a delete of what is
            // gone, a leave of a chat left. That is done, not refused.
            if pending.attempts > 0, Self.isAlreadyDone(error, pending.intent) {
                try? store.jobDone(pending.seq)
                return true
            }
            let decision = handleDeliveryError(error, of: .change(pending), attempts: pending.attempts, since: epoch)
            if case .fail = decision, let chat = pending.chatId {
                await restoreFromServer(chat)
            }
            return false
        } catch {
            report(error)
            return false
        }
    }

    private func perform(_ pending: PendingIntent) async throws {
        guard let chat = pending.chatId else {
            switch pending.intent {
            case .updateProfile(let name, let about):
                try store.upsertUsers([try await api.updateProfile(UpdateProfileRequest(name: name, about: about))])
            case .renameDevice(let name):
                try await api.updateDevice(name: name)
            default:
                break
            }
            return
        }
        switch pending.intent {
        case .editMessage(let localId, let text):
            guard let message = try store.message(chat, localId: localId), let id = message.serverId else { return }  // discarded meanwhile
            // The edit names the file's state too (the upstream wants both keys): as it is, or a
            // caption edit would tell everyone the file is gone.
            let file = message.attachments.first
            let fileExists = file.map { $0.fileExists || $0.transferState == .uploaded } ?? false
            try store.applyServerMessages([try await api.editMessage(chat, id, text: text, fileExists: fileExists,
                                                                     previewExists: file?.previewExists ?? false)])
        case .deleteMessage(let localId):
            guard let id = try store.message(chat, localId: localId)?.serverId else { return }
            try store.applyServerMessages([try await api.deleteMessage(chat, id)])
        case .settings(let request):
            try await api.updateSettings(chat, request)
        case .rename(let title):
            try store.upsertChat(try await api.renameChat(chat, title: title))
        case .setImage(let media, let path, let fileType, let fileSize):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ClientError.localFile(Said.imageGone(path))
            }
            _ = try await api.upload(file: path, name: media.uuidString, fileType: fileType)
            // With its preview, as a message's picture: others draw it without the whole file,
            // and a server that deletes `<id>-preview` with the image finds one.
            let hasPreview = await uploadPreview(media: media, filePath: path, fileType: fileType)
            let image = MediaInfo(id: media, fileType: fileType, fileSize: fileSize, fileExists: true, previewExists: hasPreview)
            try store.upsertChat(try await api.addChatImage(chat, image: image))
        case .removeImage(let media):
            try await api.removeChatImage(chat, media: media)
            try store.upsertChat(try await api.chat(chat))
        case .addUsers(let users):
            try store.upsertChat(try await api.addUsers(chat, users))
        case .removeUsers(let users):
            try store.upsertChat(try await api.removeUsers(chat, users))
        case .blockChat(let blocked):
            if blocked { try await api.blockChat(chat) } else { try await api.unblockChat(chat) }
        case .blockUser(let user, let blocked):
            if blocked { try await api.blockUser(chat, user) } else { try await api.unblockUser(chat, user) }
        case .leave:
            try await api.leaveChat(chat)
        case .clear:
            try await api.clearMessages(chat)
        case .deleteChat:
            try await api.deleteChat(chat)
        case .updateProfile, .renameDevice:
            break
        }
    }

    /// The answer a retried intent gets when its first attempt did reach the server.
    static func isAlreadyDone(_ error: ClientError, _ intent: Intent) -> Bool {
        guard case .server(let status, _) = error, status == 400 || status == 404 else { return false }
        switch intent {
        case .deleteMessage, .leave, .deleteChat, .addUsers, .removeUsers, .removeImage: return true
        default: return false
        }
    }

    /// A refused intent leaves what the cache showed in advance wrong: read the chat again.
    func restoreFromServer(_ chat: ChatID) async {
        guard await refreshChat(chat) else { return }
        try? await catchUpChat(chat, recheckingHistory: true)
    }

    /// Reads a chat again from the server: its title, members and flags (a server that sends
    /// no event when someone is removed or leaves leaves them stale). A chat the server no
    /// longer shows this user (403 or 404: removed, left elsewhere, deleted) is dropped from
    /// the cache, and the status line says so. Answers whether the chat is still there; a
    /// server that cannot be asked now changes nothing.
    @discardableResult
    public func refreshChat(_ chat: ChatID) async -> Bool {
        do {
            try store.upsertChat(try await api.chat(chat))
            return true
        } catch let error as ClientError {
            guard case .server(let code, _) = error, code == 403 || code == 404 else { return true }
            let title = (try? store.chat(chat))?.flatMap { cached in
                cached.displayTitle(me: me) { (try? store.users([$0]))?[$0]?.name }
            }
            try? store.deleteChat(chat, because: .removed)
            status.lastError = Said.noLongerIn(title)
            return false
        } catch {
            return true
        }
    }
}

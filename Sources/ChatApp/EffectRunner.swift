import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// Performs the reducer's effects and reports back with actions.
public struct EffectRunner: Sendable {
    let engine: SyncEngine
    let store: ChatStore
    let shell: Shell
    let alerts: Alerts
    /// `[hooks]` programs.
    let hooks: HookRunner
    let conversation: ConversationWatcher
    /// History work beside the effects (`g`, the first unread).
    let history: HistoryLoader
    /// Picture previews; nil where pictures are off.
    let previews: PreviewLoader?
    let send: @Sendable (Action) -> Void
    /// Signs out here; the argument says why when it was not the person's choice.
    let signOut: @Sendable (_ reason: String?) async -> Void

    public init(engine: SyncEngine, store: ChatStore, shell: Shell, conversation: ConversationWatcher, previews: PreviewLoader? = nil,
                hooks: HookRules = HookRules(),
                send: @escaping @Sendable (Action) -> Void, signOut: @escaping @Sendable (_ reason: String?) async -> Void) {
        self.hooks = HookRunner(rules: hooks) { send(.effectFailed($0)) }
        self.previews = previews
        self.engine = engine
        self.store = store
        self.shell = shell
        self.alerts = Alerts(shell: shell)
        self.conversation = conversation
        self.history = HistoryLoader(engine: engine, store: store, send: send)
        self.send = send
        self.signOut = signOut
    }

    public func run(_ effect: Effect) async {
        do {
            try await perform(effect)
        } catch {
            // Cancelled work (a download asked for again) says so where it was cancelled.
            if Task.isCancelled { return }
            send(.effectFailed(error.userMessage))
        }
    }

    private func perform(_ effect: Effect) async throws {
        switch effect {
        case .openChat(let chat):
            await history.stopAll()
            await engine.setOpenChat(chat)
            await conversation.watch(chat)
            if let chat, let draft = try store.draft(chat) { send(.draftLoaded(chat, draft)) }
        case .send(let chat, let text): try await engine.send(text, to: chat)
        case .sendFile(let chat, let path, let caption):
            try await engine.sendFile(at: path, caption: caption, to: chat)
            send(.uploadStarted((path as NSString).lastPathComponent))
        case .sendTextAsFile(let chat, let text):
            let path = try LongText.file(for: text, in: (store.path as NSString).deletingLastPathComponent)
            try await engine.sendFile(at: path, caption: nil, to: chat)
            send(.uploadStarted((path as NSString).lastPathComponent))
        case .composing(let chat): await engine.composing(in: chat)
        case .composeEnded(let chat): await engine.composeEnded(in: chat)
        case .markRead(let chat): try await engine.markChatRead(chat)
        case .saveDraft(let chat, let text): try store.saveDraft(chat, text: text)
        case .loadOlder(let chat):
            // The window reached the cache's oldest message: a page from the server (the
            // window's observation shows it as it lands).
            send(.olderMessagesLoaded(chat, reachedStart: try await engine.loadOlder(chat)))
        case .moveWindow(let chat, let position):
            await conversation.move(chat, to: position)
        case .loadHistory(let chat):
            await history.loadAll(chat)
        case .stopLoadingHistory(let chat):
            await history.stop(chat)
        case .findUnread(let chat, let count):
            await history.findUnread(chat, count: count)
        case .retry(let chat, let localId): try await engine.retry(chat, localId: localId)
        case .discard(let chat, let localId): try await engine.discard(chat, localId: localId)
        case .editLastMessage(let chat, let text):
            guard let localId = try store.newestOwnMessage(chat) else {
                send(.effectCouldNot(.noOwnMessageToEdit))
                return
            }
            try await engine.editMessage(chat, localId: localId, text: text)
            send(.effectSucceeded(.messageEdited))
        case .editMessage(let chat, let localId, let text):
            try await engine.editMessage(chat, localId: localId, text: text)
            send(.effectSucceeded(.messageEdited))
        case .deleteMessage(let chat, let localId):
            try await engine.deleteMessage(chat, localId: localId)
            send(.effectSucceeded(.messageDeleted))
        case .createChat(let usernames, let title):
            let ids = try await engine.resolve(usernames)
            let isPersonal = ids.count == 1 && title == nil
            let known = Set(try store.chatList(archived: nil).map(\.id))
            let chat = try await engine.createChat(CreateChatRequest(title: title, participants: ids, isPersonal: isPersonal))
            // The server answers an existing chat with the same people instead of a new one,
            // also one this cache no longer holds: then its other title gives it away.
            let existing = chat.title ?? ""
            let renamedAway = title != nil && title != chat.title
            let outcome: EffectOutcome = switch (isPersonal, known.contains(chat.id)) {
            case (true, _): .personalChatOpened(usernames.joined())
            case (false, false) where renamedAway: .groupAlreadyExists(existing, known: false, keepsItsName: true)
            case (false, false): .groupCreated(existing)
            case (false, true): .groupAlreadyExists(existing, known: true, keepsItsName: renamedAway)
            }
            send(.effectSucceeded(outcome))
            send(.chatCreated(chat.id))
        case .searchUsers(let query):
            send(.userSearchAnswered(query: query, try await engine.searchUsers(query)))
        case .chatSettings(let chat, let request):
            try await engine.updateSettings(chat, request)
            send(.effectSucceeded(.settingsSaved(request)))
        case .renameChat(let chat, let title):
            try await engine.renameChat(chat, title: title)
            send(.effectSucceeded(.renamed(title)))
        case .addUsers(let chat, let usernames):
            try await engine.addUsers(chat, try await engine.resolve(usernames))
            send(.effectSucceeded(.added(usernames)))
        case .removeUsers(let chat, let usernames):
            try await engine.removeUsers(chat, try await engine.resolve(usernames))
            send(.effectSucceeded(.removed(usernames)))
        case .blockChat(let chat, let blocked):
            try await engine.blockChat(chat, blocked: blocked)
            send(.effectSucceeded(.chatBlocked(blocked)))
        case .blockUser(let chat, let username, let blocked):
            try await engine.blockUser(chat, try await engine.resolve([username])[0], blocked: blocked)
            send(.effectSucceeded(.userBlocked(username, blocked)))
        case .loadCachedHistory(let chat):
            let (messages, complete) = try await engine.cachedHistory(chat)
            send(.cachedHistoryLoaded(chat, messages: messages, complete: complete))
        case .loadBlockedUsers(let chat): send(.blockedUsersLoaded(chat, try await engine.blockedUsers(chat)))
        case .refreshChat(let chat): await engine.refreshChat(chat)
        case .loadDevices: send(.devicesLoaded(try await deviceRows()))
        case .signOutDevice(let text):
            let ended = try await engine.signOutDevice(text)
            send(.devicesLoaded(try await deviceRows()))
            send(.effectSucceeded(.deviceSignedOut(name: ended.name, shortId: ended.shortId)))
        case .retryChange(let seq):
            try await engine.retryChange(seq)
            send(.effectSucceeded(.changeRetried))
        case .discardChange(let seq):
            try await engine.discardChange(seq)
            send(.effectSucceeded(.changeDiscarded))
        case .clearChat(let chat):
            try await engine.clearMessages(chat)
            send(.effectSucceeded(.chatCleared))
        case .deleteChat(let chat):
            try await engine.deleteChat(chat)
            send(.effectSucceeded(.chatDeleted))
        case .leaveChat(let chat):
            try await engine.leaveChat(chat)
            send(.effectSucceeded(.leftGroup))
        case .setChatImage(let chat, let path):
            try await engine.setChatImage(chat, path: path)
            send(.effectSucceeded(.chatImageSet))
        case .removeChatImage(let chat, let media):
            try await engine.removeChatImage(chat, media: media)
            send(.effectSucceeded(.chatImageRemoved))
        case .download(let chat, let localId, let destination):
            guard let message = try store.message(chat, localId: localId), let attachment = message.attachments.first else { return }
            let target = SaveLocation.target(for: attachment.displayName(caption: message.text), requested: destination)
            try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try await engine.download(chat, localId: localId, to: target)
            send(.effectSucceeded(.saved(to: target)))
        case .openAttachment(let chat, let localId):
            guard let message = try store.message(chat, localId: localId), let attachment = message.attachments.first else { return }
            let name = attachment.displayName(caption: message.text)
            var path = attachment.localPath.flatMap { FileManager.default.isReadableFile(atPath: $0) ? $0 : nil }
            if path == nil, let media = attachment.mediaId {
                let target = SaveLocation.openTarget(for: name, media: media)
                if !FileManager.default.isReadableFile(atPath: target) { try await engine.download(chat, localId: localId, to: target) }
                path = target
            }
            guard let path else { return send(.effectCouldNot(.notAvailable(name))) }
            if let problem = shell.open(path) { return send(.effectFailed(problem)) }
            send(.effectSucceeded(.opened((path as NSString).lastPathComponent)))  // its own name: "x (1).png" when saved beside an x.png
        case .search(let text):
            switch SearchQuery.parse(text) {
            case .failure(let error):
                send(.searchAnswered(query: text, hits: [], progress: nil, problem: error.message))
            case .success(let query):
                do {
                    let results = try store.search(query)
                    send(.searchAnswered(query: text, hits: results.hits, progress: results.indexProgress, problem: nil,
                                         partlyCached: results.partlyCachedChats))
                } catch let error as SearchQueryError {
                    send(.searchAnswered(query: text, hits: [], progress: nil, problem: error.message))
                } catch let error as SearchUnavailable {
                    send(.searchAnswered(query: text, hits: [], progress: nil, problem: error.message))
                }
            }
        case .showMessage(let chat, let localId):
            guard let message = try store.message(chat, localId: localId), let serverId = message.serverId else {
                return send(.effectCouldNot(.messageGone))
            }
            send(.messageLocated(chat, localId: localId, serverId: serverId))
        case .loadPreview(let chat, let localId, let position):
            await previews?.enqueue(chat, localId: localId, position: position)
        case .openLink(let address):
            if let problem = shell.open(address) { return send(.effectFailed(problem)) }
            send(.effectSucceeded(.opened(address)))
        case .copyToClipboard(let text):
            shell.copy(text)
        case .updateProfile(let name, let about):
            try await engine.updateProfile(UpdateProfileRequest(name: name, about: about))
            send(.effectSucceeded(.profileUpdated))
        case .changePassword(let old, let new):
            try await engine.changePassword(old: old, new: new)
            send(.effectSucceeded(.passwordChanged))
        case .renameDevice(let name):
            try await engine.renameDevice(name)
            send(.effectSucceeded(.deviceRenamed(name)))
        case .reconnect:
            engine.reconnectNow()
        case .logout:
            await signOut(nil)
        case .sessionEnded(let reason):
            // A server that says why (our idle limit: "Signed out: this device was idle for 90
            // days…") is quoted; a bare 401's reason says less than this sentence.
            let said = reason.flatMap { $0.hasPrefix("Signed out") ? $0 : nil }
            await signOut(said ?? Said.sessionEndedByServer)
        case .completePath(let prefix):
            send(.pathCompletionsFound(prefix: prefix, shell.completePath(prefix)))
        case .openEditor(let chat, let text):
            send(.editorFinished(chat, await shell.editText(text)))
        case .hook(let event):
            await hooks.run(event)
        case .notifyNewMessage(let chat, let title, let body, let count):
            await alerts.arrived(chat, title: title, body: body, count: count)
        case .quit:
            break
        }
    }

    /// The account's devices as the settings pane lists them.
    private func deviceRows() async throws -> [DeviceRow] {
        try await engine.devices().map { DeviceRow(name: $0.name, shortId: $0.shortId, use: $0.use(), isThisDevice: $0.isThisDevice) }
    }
}

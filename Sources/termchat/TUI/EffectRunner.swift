import ChatAPI
import ChatClient
import ChatStore
import ChatSync
import ChatUI
import Foundation
import Terminal

/// Performs the reducer's effects and reports back with actions.
struct EffectRunner: Sendable {
    let engine: SyncEngine
    let store: ChatStore
    let api: APIClient
    let terminal: Terminal
    let conversation: ConversationWatcher
    let send: @Sendable (Action) -> Void
    /// Signs out here; the argument says why when it was not the person's choice.
    let signOut: @Sendable (_ reason: String?) async -> Void

    func run(_ effect: Effect) async {
        do {
            try await perform(effect)
        } catch {
            send(.effectFailed(error.userMessage))
        }
    }

    private func perform(_ effect: Effect) async throws {
        switch effect {
        case .openChat(let chat):
            await engine.setOpenChat(chat)
            await conversation.watch(chat)
            if let chat, let draft = try store.draft(chat) { send(.draftLoaded(chat, draft)) }
        case .send(let chat, let text): try await engine.send(text, to: chat)
        case .sendFile(let chat, let path, let caption):
            try await engine.sendFile(at: path, caption: caption, to: chat)
            send(.effectSucceeded("Sending \((path as NSString).lastPathComponent)…"))
        case .composing(let chat): await engine.composing(in: chat)
        case .composeEnded(let chat): await engine.composeEnded(in: chat)
        case .markRead(let chat): try await engine.markChatRead(chat)
        case .saveDraft(let chat, let text): try store.saveDraft(chat, text: text)
        case .loadOlder(let chat):
            await conversation.grow()
            let reachedStart = try await engine.loadOlder(chat)
            send(.olderMessagesLoaded(chat, reachedStart: reachedStart))
        case .retry(let chat, let localId): try await engine.retry(chat, localId: localId)
        case .discard(let chat, let localId): try await engine.discard(chat, localId: localId)
        case .editMessage(let chat, let serverId, let text): try await engine.editMessage(chat, serverId: serverId, text: text)
        case .deleteMessage(let chat, let serverId): try await engine.deleteMessage(chat, serverId: serverId)
        case .createChat(let usernames, let title):
            let ids = try await resolve(usernames)
            let isPersonal = ids.count == 1 && title == nil
            let chat = try await engine.createChat(CreateChatRequest(title: title, participants: ids, isPersonal: isPersonal))
            send(.effectSucceeded(isPersonal ? "Chat opened." : "Group \(title ?? "") created."))
            send(.chatCreated(chat.id))
        case .searchUsers(let query):
            send(.userSearchAnswered(query: query, try await api.searchUsers(query)))
        case .chatSettings(let chat, let request):
            try await engine.updateSettings(chat, request)
            send(.effectSucceeded(Self.describe(request)))
        case .renameChat(let chat, let title): try await engine.renameChat(chat, title: title)
        case .addUsers(let chat, let usernames): try await engine.addUsers(chat, try await resolve(usernames))
        case .removeUsers(let chat, let usernames): try await engine.removeUsers(chat, try await resolve(usernames))
        case .blockChat(let chat, let blocked):
            try await engine.blockChat(chat, blocked: blocked)
            send(.effectSucceeded(blocked ? "Chat blocked." : "Chat unblocked."))
        case .blockUser(let chat, let username, let blocked):
            let id = try await resolve([username])[0]
            if blocked { try await api.blockUser(chat, id) } else { try await api.unblockUser(chat, id) }
            send(.effectSucceeded("\(username) \(blocked ? "blocked" : "unblocked") in this chat."))
        case .loadBlockedUsers(let chat): send(.blockedUsersLoaded(chat, try await api.blockedUsers(chat)))
        case .clearChat(let chat): try await engine.clearMessages(chat)
        case .deleteChat(let chat): try await engine.deleteChat(chat)
        case .leaveChat(let chat): try await engine.leaveChat(chat)
        case .setChatImage(let chat, let path):
            let file = try OutgoingFileInspector.inspect(path)
            let media = UUID()
            _ = try await api.upload(file: file.path, name: media.uuidString, fileType: file.fileType)
            try store.upsertChat(try await api.addChatImage(chat, image: MediaInfo(id: media, fileType: file.fileType, fileSize: file.fileSize)))
            send(.effectSucceeded("Chat image set."))
        case .removeChatImage(let chat, let media):
            try await api.removeChatImage(chat, media: media)
            try store.upsertChat(try await api.chat(chat))
        case .download(let chat, let localId, let destination):
            var target = destination
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue,
               let name = try store.message(chat, localId: localId)?.attachments.first?.remoteFileName {
                target += "/" + name
            }
            try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try await engine.download(chat, localId: localId, to: target)
            send(.effectSucceeded("Saved to \(target)."))
        case .updateProfile(let name, let about):
            try await engine.updateProfile(UpdateProfileRequest(name: name, about: about))
            send(.effectSucceeded("Profile updated."))
        case .changePassword(let old, let new):
            try await api.changePassword(old: old, new: new)
            send(.effectSucceeded("Password changed."))
        case .renameDevice(let name):
            try await api.updateDevice(name: name)
            send(.effectSucceeded("This device is now called \(name)."))
        case .logout:
            await signOut(nil)
        case .sessionEnded:
            await signOut("The server ended this session (signed out elsewhere, or the password changed); sign in again.")
        case .completePath(let prefix):
            send(.pathCompletionsFound(prefix: prefix, PathCompleter.candidates(for: prefix)))
        case .openEditor(let chat, let text):
            send(.editorFinished(chat, await ExternalEditor.edit(text, terminal: terminal)))
        case .notifyNewMessage(let title, let body):
            terminal.bell()
            DesktopNotifier.show(title: title, body: body)
        case .quit:
            break
        }
    }

    /// Usernames to user ids, asking the server.
    private func resolve(_ usernames: [String]) async throws -> [UserID] {
        var ids: [UserID] = []
        for username in usernames {
            let found = try await api.searchUsers(username)
            guard let user = found.first(where: { $0.username.lowercased() == username.lowercased() }) else {
                throw CLIError("No user named \(username).")
            }
            ids.append(user.id)
        }
        return ids
    }

    static func describe(_ request: ChatSettingsRequest) -> String {
        if let archived = request.isArchived { return archived ? "Chat archived (A shows the archive)." : "Chat back in the main list." }
        if let muted = request.isMuted { return muted ? "Chat muted." : "Chat unmuted." }
        if request.isRemovedOnDevice == true { return "Chat removed from this device." }
        return "Settings saved."
    }
}

/// Keeps one observation of the open conversation, replaced when another chat opens.
actor ConversationWatcher {
    private var task: Task<Void, Never>?
    private var chat: ChatID?
    private var limit = Reducer.windowPage
    let store: ChatStore
    let send: @Sendable (Action) -> Void

    init(store: ChatStore, send: @escaping @Sendable (Action) -> Void) {
        self.store = store
        self.send = send
    }

    func watch(_ chat: ChatID?) {
        if chat != self.chat { limit = Reducer.windowPage }
        self.chat = chat
        restart()
    }

    /// Shows one more page of history (after scrolling back).
    func grow() {
        limit += Reducer.windowPage
        restart()
    }

    func stop() {
        task?.cancel()
        task = nil
    }

    private func restart() {
        task?.cancel()
        guard let chat else { return }
        let observation = store.observeMessages(chat, limit: limit)
        let ranges = store.observeKnownRanges(chat)
        let send = self.send
        // One task at a time, cancelled before the next starts: bounded.
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await messages in observation { send(.conversationChanged(chat, messages)) }
                    } catch {
                        send(.effectFailed("The cache could not be read: \(error)"))
                    }
                }
                group.addTask {
                    do {
                        for try await known in ranges { send(.knownHistoryChanged(chat, known)) }
                    } catch {}
                }
            }
        }
    }
}

/// `notify-send`, where it exists: a desktop notification next to the terminal bell.
enum DesktopNotifier {
    static let path: String? = ["/usr/bin/notify-send", "/usr/local/bin/notify-send"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func show(title: String, body: String) {
        guard let path else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--app-name=termchat", title, String(body.prefix(200))]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()  // not waited for: notify-send exits by itself at once
    }
}

import ChatAPI
import ChatClient
import ChatStore
import Foundation
import Logging

/// Events: the stream's signals handled in turns, live messages stored together, catch-up
/// after each connect.
extension SyncEngine {
    /// Signals are taken from the stream as they come and handled in turns: all that queued
    /// up while the last turn ran are handled together, and a run of new messages among them
    /// is stored in one transaction. A burst then costs a commit (and a frame) per turn, not
    /// per message; see `StorePacer` for how often.
    func eventLoop() async {
        defer { catchUpRetry?.cancel() }
        let inbox = SignalInbox()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.stream.run { signal in
                    if case .event(let envelope) = signal, case .message(let message) = envelope.event {
                        LatencyTrace.shared?.record("event", message.localId)
                    }
                    inbox.put(signal)
                }
                inbox.finish()
            }
            var pacer = StorePacer()
            for await _ in inbox.wakeUps {
                // Only new messages wait for the budget: a typing notice, a read mark or an
                // edit is handled at once (a typing notice just before each message had the
                // message wait behind its pause).
                if inbox.holdsMessages(), case let wait = pacer.wait(at: .now), wait > .zero {
                    try? await Task.sleep(for: wait)
                }
                var pending = inbox.takeAll()[...]
                while !pending.isEmpty {
                    let messages = pending.prefix(while: \.isNewMessage)
                    if !messages.isEmpty { pacer.stored(at: .now) }
                    if messages.count > 1, isLive {
                        await applyLive(messages.compactMap(\.envelope))
                        pending = pending.dropFirst(messages.count)
                    } else {
                        await handle(pending.removeFirst())
                    }
                }
            }
        }
    }

    /// New messages that arrived together, stored at once; then each author stops typing.
    private func applyLive(_ envelopes: [EventEnvelope]) async {
        let messages = envelopes.compactMap { envelope -> MessageInfo? in
            if case .message(let message) = envelope.event { return message }
            return nil
        }
        do {
            try await applyMessages(messages, live: true)
            if let last = messages.last { LatencyTrace.shared?.record("stored", "\(messages.count) \(last.localId)") }
        } catch {
            resumeKeepsCurrent = false
            report(error)
        }
        for (envelope, message) in zip(envelopes, messages) {
            if case .user(let author) = envelope.source { clearTyping(author, in: message.chatId) }
        }
    }

    /// Catches up after a connect. A server that fails it (the upstream answered 500 to
    /// `GET /chats` for minutes) is asked again, with a growing pause, for as long as this
    /// connection lasts; the status line says why meanwhile, and the cache stays shown.
    private func catchUpAfterConnecting() async {
        catchUpRetry?.cancel()
        do {
            try await catchUp()
            caughtUp()
        } catch {
            reportCatchUpFailure(error)
            guard let failure = error as? ClientError, failure.isRetryable, !failure.isUnauthorized else { return }
            let epoch = connectionEpoch
            catchUpRetry = Task { await self.retryCatchUp(epoch: epoch) }
        }
    }

    private func retryCatchUp(epoch: Int) async {
        var backoff = Backoff(base: retryPolicy.backoff.base, cap: max(retryPolicy.backoff.cap, .seconds(300)))
        while !Task.isCancelled, connectionEpoch == epoch {
            try? await Task.sleep(for: backoff.nextDelay())
            guard !Task.isCancelled, connectionEpoch == epoch else { return }
            do {
                try await catchUp()
                caughtUp()
                return
            } catch {
                reportCatchUpFailure(error)
            }
        }
    }

    private func caughtUp() {
        resumeKeepsCurrent = true
        isLive = true
        status.isCaughtUp = true
        status.lastError = nil
    }

    private func reportCatchUpFailure(_ error: any Error) {
        report(error)
        if let failure = error as? ClientError, case .server(let code, let reason) = failure, code >= 500 {
            status.lastError = Said.chatListFailed(reason)
        }
    }

    private func handle(_ signal: EventStreamSignal) async {
            switch signal {
            case .connecting:
                status.connection = .connecting
            case .connected,
                 .resumed where !resumeKeepsCurrent:
                resumeKeepsCurrent = false
                status.connection = .online
                isLive = false
                connectionEpoch += 1
                await catchUpAfterConnecting()
                try? store.makeJobsDueNow()
                deliverySignal.wake()
            case .resumed:
                // The server sends what was missed, in order, before anything new: the cache is
                // as current as a catch-up would make it once those frames are applied (it was
                // current before the drop: `resumeKeepsCurrent`).
                catchUpRetry?.cancel()
                status.connection = .online
                connectionEpoch += 1
                caughtUp()
                try? store.makeJobsDueNow()
                deliverySignal.wake()
            case .event(let envelope):
                await apply(envelope)
            case .skipped(let reason):
                logger.warning("skipped an event", metadata: ["reason": "\(reason)"])
            case .problem(let sentence):
                status.lastError = sentence
            case .disconnected(_, let retryIn):
                catchUpRetry?.cancel()
                isLive = false
                status.isCaughtUp = false
                status.connection = .retrying(at: now().addingTimeInterval(retryIn.inSeconds))
                typing.clearIncoming()
                status.typing = [:]
            case .signedOut(let reason):
                // The reason first: the UI acts on the change to signed out, with what it says.
                status.lastError = reason
                status.connection = .signedOut
            }
    }

    /// Applies one event to the cache. Every event is idempotent: applying it twice changes nothing.
    func apply(_ envelope: EventEnvelope) async {
        do {
            switch envelope.event {
            case .message(let message):
                try await applyMessages([message], live: true)
                LatencyTrace.shared?.record("stored", "1 \(message.localId)")
                if case .user(let author) = envelope.source { clearTyping(author, in: message.chatId) }
            case .messageUpdate(var message):
                // [upstream] its update for a read carries the marks from before the read, with the
                // reader as source: a source who is not the author (and did not delete it) read it.
                if case .user(let reader) = envelope.source, reader != message.authorId, message.deletedAt == nil,
                   message.readMarks?.contains(where: { $0.user.id == reader }) != true, let user = try store.user(reader) {
                    message.readMarks = (message.readMarks ?? []) + [ReadMark(id: UUID(), user: user, createdAt: now())]
                }
                try await applyMessages([message], live: false)
            case .chatUpdate(let chat), .addedUsers(let chat), .removedUsers(let chat):
                let before = try store.facts(chat.id)
                // The echo of my own change to a chat this device does not hold (removed here,
                // left): not news of the chat. Removing it brought it back.
                if case .chatUpdate = envelope.event, before == nil, envelope.source == .user(me) { break }
                let title = cachedTitle(chat.id)
                try applyChat(chat, event: envelope.event)
                if case .removedUsers = envelope.event, chat.removedUsers?.contains(where: { $0.id == me }) == true,
                   let who = otherPerson(envelope.source) {
                    status.announcement = "\(who) removed you from \(title ?? chat.title ?? "a group")."
                }
                try store.addNotes(ChatNoteRules.notes(for: envelope.event, source: envelope.source, before: before, at: now()))
                if case .addedUsers = envelope.event, chat.addedUsers?.contains(where: { $0.id == me }) == true {
                    try await catchUpChat(chat.id)
                }
            case .chatCleared(let id?):
                try store.clearMessages(id)
                try store.addNotes(ChatNoteRules.notes(for: envelope.event, source: envelope.source, before: nil, at: now()))
            case .chatCleared(nil):
                try await catchUp(recheckingHistory: true)
            case .chatDeleted(let id?):
                let title = cachedTitle(id)
                try store.deleteChat(id, because: .deleted)
                if let title, let who = otherPerson(envelope.source) { status.announcement = "\(who) deleted the chat \(title)." }
            case .chatDeleted(nil):
                try store.upsertChats(try await api.chats(full: true), replacingAll: true)
            case .auxiliary(let payload):
                try applyAuxiliary(payload, source: envelope.source)
            case .userUpdate(let user):
                try store.upsertUsers([user])
            }
        } catch {
            resumeKeepsCurrent = false
            report(error)
        }
    }

    /// A chat's name as the person knows it, before it goes from the cache.
    private func cachedTitle(_ chat: ChatID) -> String? {
        (try? store.chat(chat))?.flatMap { cached in cached.displayTitle(me: me) { (try? store.users([$0]))?[$0]?.name } }
    }

    /// The name of the person an event came from, when it is someone else.
    private func otherPerson(_ source: EventSource) -> String? {
        guard case .user(let id) = source, id != me else { return nil }
        return (try? store.user(id))??.name ?? "Someone"
    }

    private func applyChat(_ chat: ChatInfo, event: ChatEvent) throws {
        if case .removedUsers = event, chat.removedUsers?.contains(where: { $0.id == me }) == true {
            try store.deleteChat(chat.id, because: .removed)
        } else {
            try store.upsertChat(chat)
        }
    }

    /// Stores messages; a chat the cache does not know yet is fetched first. `live` messages
    /// arrive in order while connected and caught up, so they extend the known history.
    func applyMessages(_ messages: [MessageInfo], live: Bool) async throws {
        if live, isLive {
            let unknown = try store.applyLiveMessages(messages, reading: openChat)
            for chat in unknown { try store.upsertChat(try await api.chat(chat)) }
            if !unknown.isEmpty { try store.applyLiveMessages(messages.filter { unknown.contains($0.chatId) }, reading: openChat) }
            if let openChat, messages.contains(where: { $0.chatId == openChat && $0.authorId != me }) { wakeForReads() }
            return
        }
        let unknown = try store.applyServerMessages(messages)
        for chat in unknown {
            try store.upsertChat(try await api.chat(chat))
        }
        if !unknown.isEmpty { try store.applyServerMessages(messages.filter { unknown.contains($0.chatId) }) }
        guard live, isLive else { return }
        for message in messages {
            let top = try store.knownRanges(message.chatId).first
            try store.addKnownRange(message.chatId, low: top.map { min($0.high, message.id) } ?? message.id, high: message.id)
        }
    }
}

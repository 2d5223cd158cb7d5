import ChatAPI
import ChatClient
import ChatStore
import Foundation

extension SyncEngine {
    /// The chat on screen, to attribute upstream typing notifications that carry no chat id.
    public func setOpenChat(_ chat: ChatID?) { openChat = chat }

    /// The user typed in the compose box of `chat`: tell the others, at most every 3 s.
    public func composing(in chat: ChatID) {
        guard typing.shouldSendStarted(in: chat, at: now()) else { return }
        pendingTyping[chat] = TypingNotification.started
        typingSignal.wake()
    }

    /// The compose box was sent or cleared: tell the others we stopped, if we said we typed.
    public func composeEnded(in chat: ChatID) {
        guard typing.shouldSendStopped(in: chat) else { return }
        pendingTyping[chat] = TypingNotification.stopped
        typingSignal.wake()
    }

    func applyAuxiliary(_ payload: AuxiliaryPayload, source: EventSource) throws {
        guard case .user(let user) = source, user != me,
              payload.name == TypingNotification.started || payload.name == TypingNotification.stopped
        else { return }
        guard let chat = try payload.chatId ?? attributeTyping(from: user) else { return }
        if payload.name == TypingNotification.started {
            typing.started(user, in: chat, at: now())
        } else {
            typing.stopped(user, in: chat)
        }
        status.typing = typing.typing(at: now())
        typingSignal.wake()
    }

    private func attributeTyping(from user: UserID) throws -> ChatID? {
        let chats = try store.chatList(archived: nil)
        let open = openChat.flatMap { id in chats.first { $0.id == id } }.map { (id: $0.id, members: $0.memberIds) }
        let personal = chats.filter(\.isPersonal).map { (id: $0.id, members: $0.memberIds) }
        return TypingTracker.attribute(from: user, openChat: open, personalChats: personal)
    }

    func clearTyping(_ user: UserID, in chat: ChatID) {
        typing.stopped(user, in: chat)
        status.typing = typing.typing(at: now())
    }

    /// Sends pending typing notifications and expires incoming ones on time.
    func typingLoop() async {
        while !Task.isCancelled {
            let pending = pendingTyping
            pendingTyping = [:]
            for (chat, name) in pending {
                try? await api.notify(chat, name: name)  // best effort: typing is never queued
            }
            typing.removeExpired(at: now())
            status.typing = typing.typing(at: now())
            let next = typing.nextExpiry.map { Duration.seconds(max(0.05, $0.timeIntervalSince(now()))) }
            await typingSignal.wait(upTo: next)
        }
    }
}

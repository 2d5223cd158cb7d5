import ChatAPI
import Foundation

/// Who is typing where, from `auxiliary` events, and when to tell others that we type.
/// A value type driven by the caller's clock: no timers inside.
public struct TypingTracker: Sendable, Equatable {
    /// Incoming: chat -> user -> when their typing state expires.
    private var expiries: [ChatID: [UserID: Date]] = [:]
    /// Outgoing: when we last sent `typing_started` to each chat.
    private var lastSent: [ChatID: Date] = [:]

    public static let expiry: TimeInterval = TypingNotification.expirySeconds
    /// We renew `typing_started` at most this often while composing.
    public static let renewInterval: TimeInterval = 3

    public init() {}

    // MARK: Incoming

    public mutating func started(_ user: UserID, in chat: ChatID, at now: Date) {
        expiries[chat, default: [:]][user] = now.addingTimeInterval(Self.expiry)
    }

    public mutating func stopped(_ user: UserID, in chat: ChatID) {
        expiries[chat]?[user] = nil
        if expiries[chat]?.isEmpty == true { expiries[chat] = nil }
    }

    /// Forget everyone (after a disconnect: typing is never replayed).
    public mutating func clearIncoming() { expiries = [:] }

    /// Users typing in each chat at `now`, expired states left out.
    public func typing(at now: Date) -> [ChatID: Set<UserID>] {
        expiries.compactMapValues { users in
            let active = Set(users.filter { $0.value > now }.keys)
            return active.isEmpty ? nil : active
        }
    }

    public mutating func removeExpired(at now: Date) {
        expiries = expiries.compactMapValues { users in
            let active = users.filter { $0.value > now }
            return active.isEmpty ? nil : active
        }
    }

    /// When the next typing state runs out, to redraw then.
    public var nextExpiry: Date? { expiries.values.flatMap(\.values).min() }

    // MARK: Outgoing

    /// Whether to send `typing_started` now; records it if so.
    public mutating func shouldSendStarted(in chat: ChatID, at now: Date) -> Bool {
        if let last = lastSent[chat], now.timeIntervalSince(last) < Self.renewInterval { return false }
        lastSent[chat] = now
        return true
    }

    /// Whether to send `typing_stopped` (only if we said we were typing); forgets it.
    public mutating func shouldSendStopped(in chat: ChatID) -> Bool {
        lastSent.removeValue(forKey: chat) != nil
    }

    /// Which chat an `auxiliary` without `chatId` (upstream) is about: the open chat if the
    /// sender is in it, else the personal chat with the sender.
    public static func attribute(from user: UserID, openChat: (id: ChatID, members: [UserID])?,
                                 personalChats: [(id: ChatID, members: [UserID])]) -> ChatID? {
        if let openChat, openChat.members.contains(user) { return openChat.id }
        return personalChats.first { $0.members.contains(user) }?.id
    }
}

import ChatAPI
import Foundation

/// One bell per burst: decides, for each batch of new messages, whether to ring and notify now
/// or to hold them for one summary. At most one alert per `window` overall (and so per chat);
/// what arrives in between is counted, and `flush` turns it into "12 new messages in 3 chats".
/// Pure: the caller passes the time and performs the alert.
public struct NotificationCoalescer: Sendable {
    public struct Alert: Equatable, Sendable {
        public var title: String
        public var body: String
    }

    public let window: TimeInterval
    private var lastAlert: Date?
    private var heldCount = 0
    private var heldChats: Set<ChatID> = []
    private var heldSingle: Alert?

    public init(window: TimeInterval = 10) {
        self.window = window
    }

    /// `count` new messages in `chat`: an alert to show now, or nil when it is held.
    public mutating func arrived(_ chat: ChatID, title: String, body: String, count: Int, at now: Date) -> Alert? {
        if let last = lastAlert, now.timeIntervalSince(last) < window {
            heldCount += max(1, count)
            heldChats.insert(chat)
            heldSingle = Alert(title: title, body: body)
            return nil
        }
        lastAlert = now
        return Alert(title: title, body: body)
    }

    /// When the next `flush` may alert, if anything is held.
    public var nextFlush: Date? {
        guard heldCount > 0, let lastAlert else { return nil }
        return lastAlert.addingTimeInterval(window)
    }

    /// The summary of what was held, once the window has passed.
    public mutating func flush(at now: Date) -> Alert? {
        guard heldCount > 0, let last = lastAlert, now.timeIntervalSince(last) >= window else { return nil }
        defer {
            heldCount = 0
            heldChats = []
            heldSingle = nil
            lastAlert = now
        }
        if heldCount == 1, let single = heldSingle { return single }
        let chats = heldChats.count == 1 ? "1 chat" : "\(heldChats.count) chats"
        return Alert(title: "TermChat", body: "\(heldCount) new messages in \(chats)")
    }
}

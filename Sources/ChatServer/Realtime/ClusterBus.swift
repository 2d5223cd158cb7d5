import ChatAPI
import Foundation

/// Carries what one instance tells the others that serve the same database.
protocol ClusterBus: Sendable {
    /// Sends `message` to every other instance; returns once it is on its way. A failure is
    /// logged, not thrown: the change it reports has committed and stays committed.
    func broadcast(_ message: ClusterMessage) async
    /// Whether messages from the other instances reach this one now.
    var hearsOtherInstances: Bool { get }
    /// What to send for `message` from inside the statement that commits its change, when the
    /// bus can (PostgreSQL: a NOTIFY in that transaction goes out at its commit, and only
    /// then). Nil: `broadcast` it after the commit.
    func notification(for message: ClusterMessage) -> ClusterNotification?
    /// Whether the bus can send from inside the change's own transaction
    /// (`sendWithinTransaction`), so that `EventPublisher.committing` opens one.
    var sendsWithinTransactions: Bool { get }
    /// Sends `message` from inside the transaction `ChatRepository.atomically` holds open for
    /// this task: it goes out at that commit, and never without it. Throws if it cannot (the
    /// change then rolls back).
    func sendWithinTransaction(_ message: ClusterMessage) async throws
}

extension ClusterBus {
    func notification(for message: ClusterMessage) -> ClusterNotification? { nil }
    var sendsWithinTransactions: Bool { false }
    func sendWithinTransaction(_ message: ClusterMessage) async throws { await broadcast(message) }
}

/// A notification to send from the statement that commits the change: on `channel`, `body`
/// with the marks replaced by what the statement learns (a new message's id, its audience).
struct ClusterNotification: Sendable {
    var channel: String
    var body: String
    /// Over this, NOTIFY refuses it: the statement sends nothing and the caller broadcasts.
    var limit: Int

    /// Stands for the new message's id in an event: `"id":` and this, inside the frame (a
    /// string in the body, so its quotes are escaped; a quote in the text is escaped twice and
    /// cannot look like it).
    static let messageIdMark: MessageID = 9_223_372_036_854_775_800
    static let messageIdPrefix = "\\\"id\\\":"
    static var messageIdPattern: String { messageIdPrefix + String(messageIdMark) }
    /// Stands for the list of recipients: `"users":[` and this (quotes bare, so no text can
    /// look like it: a text's quotes are escaped in the body).
    static let usersMark: UserID = 9_223_372_036_854_775_801
    static let usersPrefix = "\"users\":["
    static var usersPattern: String { usersPrefix + String(usersMark) + "]" }
}

/// A frame and the users it is for.
struct Delivery: Codable, Sendable, Equatable {
    var frame: String
    var users: [UserID]
}

/// One message between instances, as JSON.
enum ClusterMessage: Codable, Sendable, Equatable {
    /// An encoded event envelope (the WebSocket frame's text) and the users it is for.
    case event(frame: String, users: [UserID])
    /// Several at once: what one change tells its recipients when each sees it differently
    /// (a group update, each member with their own flags), in one message, not one each.
    case events([Delivery])
    /// Sessions that ended; every token cache must forget what it knew.
    case sessionsChanged(ended: [UUID])
}

import ChatAPI
import Foundation

/// Carries what one instance tells the others that serve the same database.
protocol ClusterBus: Sendable {
    /// Sends `message` to every other instance; returns once it is on its way. A failure is
    /// logged, not thrown: the change it reports has committed and stays committed.
    func broadcast(_ message: ClusterMessage) async
    /// Whether messages from the other instances reach this one now.
    var hearsOtherInstances: Bool { get }
}

/// One message between instances, as JSON.
enum ClusterMessage: Codable, Sendable, Equatable {
    /// An encoded event envelope (the WebSocket frame's text) and the users it is for.
    case event(frame: String, users: [UserID])
    /// Sessions that ended; every token cache must forget what it knew.
    case sessionsChanged(ended: [UUID])
}

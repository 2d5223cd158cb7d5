import Foundation

/// How long a session lives unused, and how many one user may hold.
public struct SessionPolicy: Sendable, Equatable {
    /// A token unused this long is refused and its session ended; nil keeps sessions forever.
    public var idleLimit: TimeInterval?
    /// Past this many sessions, a sign-in ends the user's sessions used longest ago.
    public var maxPerUser: Int

    public init(idleLimit: TimeInterval? = 90 * 86_400, maxPerUser: Int = 30) {
        self.idleLimit = idleLimit
        self.maxPerUser = maxPerUser
    }

    /// A session's use is written at most this often (a day, or a quarter of the idle limit
    /// when that is shorter), so that an authenticated request rarely writes.
    var touchInterval: TimeInterval { min(86_400, (idleLimit ?? 4 * 86_400) / 4) }

    /// What a client is told when its token was idle too long.
    var idleReason: String {
        let days = (idleLimit ?? 0) / 86_400
        let amount = days >= 1 ? "\(Int(days.rounded())) day\(days.rounded() == 1 ? "" : "s")" : "\(max(1, Int(((idleLimit ?? 0) / 3600).rounded()))) hours"
        return "Signed out: this device was idle for \(amount); sign in again."
    }
}

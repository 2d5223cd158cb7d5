import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Counts open connections and refuses those past the cap, so that one peer (or many idle
/// sockets) cannot use up the process's file descriptors and starve everyone else.
final class ConnectionLimiter: Sendable {
    let capacity: Int
    private let open = Atomic<Int>(0)
    /// When the cap was last logged, in seconds since 1970, so a flood logs once a minute.
    private let lastLogged = Atomic<Int>(0)
    private let logger: Logger

    init(capacity: Int, logger: Logger) {
        self.capacity = capacity
        self.logger = logger
    }

    /// Takes a place; false when every place is taken.
    func acquire() -> Bool {
        let now = open.add(1, ordering: .relaxed).newValue
        guard now > capacity else { return true }
        open.subtract(1, ordering: .relaxed)
        let second = Int(Date().timeIntervalSince1970)
        let last = lastLogged.load(ordering: .relaxed)
        if second - last >= 60, lastLogged.compareExchange(expected: last, desired: second, ordering: .relaxed).exchanged {
            logger.warning("connection cap reached: refusing new connections", metadata: ["cap": "\(capacity)"])
        }
        return false
    }

    func release() {
        open.subtract(1, ordering: .relaxed)
    }

    var openConnections: Int { open.load(ordering: .relaxed) }
}

/// The process's open-file limit, raised to its hard maximum at start.
enum OpenFileLimit {
    /// Raises the soft limit to the hard one and answers the limit now in force.
    @discardableResult
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > UInt(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// Connections the server accepts: the limit less a reserve for the database, uploads and logs.
    static func connectionCap(openFiles: Int) -> Int {
        max(64, openFiles - 128)
    }
}

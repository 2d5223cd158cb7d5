import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A connect timeout of the person's choosing (the shared HTTP client has one for every
/// server): before a request to a server not reached in the last 30 s, one TCP connect with
/// its own deadline. A host that drops connection attempts is then "unreachable" in seconds,
/// not after the request timeout.
enum ConnectProbe {
    enum Outcome: Equatable { case connected, refused, timedOut, unknownHost }

    private static let reached = Mutex<[String: ContinuousClock.Instant]>([:])
    static let freshness: Duration = .seconds(30)

    static func ensure(_ url: URL, within seconds: Double) async throws(ClientError) {
        guard let host = url.host else { return }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        let key = "\(host):\(port)"
        if let last = reached.withLock({ $0[key] }), last.duration(to: .now) < freshness { return }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            // Blocking work (name lookup, poll) off the cooperative pool.
            Thread { continuation.resume(returning: connect(host: host, port: port, within: seconds)) }.start()
        }
        switch outcome {
        case .connected: reached.withLock { $0[key] = .now }
        case .refused: throw .unreachable("connection refused")
        case .unknownHost: throw .unreachable("unknown host")
        case .timedOut: throw .unreachable("no connection within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s")
        }
    }

    /// Forgets that a server was reached (after a failure, the next request probes again).
    static func forget(_ url: URL) {
        guard let host = url.host else { return }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        _ = reached.withLock { $0.removeValue(forKey: "\(host):\(port)") }
    }

    static func connect(host: String, port: Int, within seconds: Double) -> Outcome {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return .unknownHost }
        defer { freeaddrinfo(list) }
        var outcome = Outcome.refused
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            outcome = attempt(address.pointee, within: seconds)
            if outcome == .connected { return .connected }
            entry = address.pointee.ai_next
        }
        return outcome
    }

    private static func attempt(_ address: addrinfo, within seconds: Double) -> Outcome {
        let fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard fd >= 0 else { return .refused }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return .connected }
        guard errno == EINPROGRESS else { return .refused }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&poller, 1, Int32(max(1, seconds * 1000)))
        guard ready > 0 else { return .timedOut }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0 ? .connected : .refused
    }
}

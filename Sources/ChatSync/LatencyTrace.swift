import Foundation

/// Timestamps for measuring the real binary from outside (the benchmark suite): with
/// `TERMCHAT_TRACE=<file>`, one line per moment that matters is appended to that file:
/// `<CLOCK_REALTIME ns> <kind> <detail>`. Kinds, in the order a message meets them:
/// - `key` (Enter read), `send` (the message queued here; its localId), `posting` and
///   `posted` (its POST leaves, and is answered);
/// - on the other side: `event` (its event reached the engine), `stored` (a batch of them is
///   in the cache; its size and last localId), `window` and `reduced` (a new window of the
///   open chat reached the drawing loop, and was reduced; its newest localId), `rendered` (a
///   frame was laid out), `frame` (it reached the terminal; the chats listed and the newest
///   message shown).
/// Unset, it costs nothing: `shared` is nil.
public final class LatencyTrace: Sendable {
    public static let shared: LatencyTrace? = ProcessInfo.processInfo.environment["TERMCHAT_TRACE"].flatMap(LatencyTrace.init(path:))

    /// The file, opened for appending; one `write` per line keeps lines whole between threads.
    private let fd: Int32

    init?(path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
    }

    deinit { close(fd) }

    public func record(_ kind: String, _ detail: String) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let line = "\(Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)) \(kind) \(detail)\n"
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }
}

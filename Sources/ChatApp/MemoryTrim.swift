import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Gives memory freed by a burst of work back to the system once the work has settled.
/// Paging through a long chat allocates and frees windows, layouts and SQLite pages by the
/// megabyte; glibc keeps what was freed in its arenas, so the resident size stayed ~11 MB up
/// after the person had scrolled back (`malloc_trim` returns the free pages).
public final class MemoryTrim: Sendable {
    private struct Pending {
        var lastTouch: ContinuousClock.Instant
        var scheduled: Bool
    }
    private let pending = Mutex(Pending(lastTouch: .now, scheduled: false))
    /// How long nothing must happen before the trim (it costs a few milliseconds).
    let quiet: Duration

    public init(quiet: Duration = .milliseconds(400)) { self.quiet = quiet }

    /// Notes heavy work (a window of messages replaced): a trim follows once it is quiet.
    public func touch() {
        let schedule = pending.withLock { state -> Bool in
            state.lastTouch = .now
            defer { state.scheduled = true }
            return !state.scheduled
        }
        guard schedule else { return }
        Task.detached(priority: .background) { [self] in
            while true {
                let wait = pending.withLock { $0.lastTouch + quiet - .now }
                if wait <= .zero { break }
                try? await Task.sleep(for: wait)
            }
            pending.withLock { $0.scheduled = false }
            Self.trimNow()
        }
    }

    static func trimNow() {
        _ = mallocTrim?(0)
    }

    /// glibc's defaults suit a busy server: an arena per thread that allocates (up to 8 per
    /// core), each keeping what was freed in it, and an mmap threshold that grows with the
    /// largest block freed (up to 32 MB), after which a freed window or chat list stays in the
    /// heap. termchat is one person's client with a dozen mostly idle threads: two arenas, and
    /// blocks of 64 KB or more mapped on their own (returned when freed), held the resident
    /// size on the 1,000,000-message cache 1.3 MB lower (six runs each, 43.2 → 42.0 MB) at no
    /// cost a frame budget shows. Call first thing in `main`, before threads allocate.
    public static func tuneAllocator() {
        guard let mallopt = glibc("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self) else { return }
        let (trimThreshold, mmapThreshold, arenaMax): (Int32, Int32, Int32) = (-1, -3, -8)  // malloc.h's M_*
        _ = mallopt(arenaMax, 2)
        _ = mallopt(mmapThreshold, 64 << 10)
        _ = mallopt(trimThreshold, 128 << 10)
    }

    private static let mallocTrim = glibc("malloc_trim", as: (@convention(c) (Int) -> Int32).self)

    /// A glibc function looked up at run time: Swift's Glibc module declares neither
    /// `malloc_trim` nor `mallopt`, and a C library without them (musl) simply does without.
    private static func glibc<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }
}

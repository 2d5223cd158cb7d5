import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database on a utility thread, through a connection of its
/// own, instead of inside whichever commit crosses SQLite's auto-checkpoint threshold: that
/// commit (often an incoming event) used to wait for the copy and an fsync, ~5 ms.
///
/// It replaces the writer's WAL hook (which is how SQLite auto-checkpoints): after each
/// commit the hook only looks at the WAL's size and, past `threshold` pages, wakes this
/// thread. A passive checkpoint neither blocks nor waits for the writer or readers.
///
/// A passive checkpoint does not restart the WAL: the next writer does, if its transaction
/// began after the checkpoint ended. Under back-to-back writes (a burst, a catch-up) none does,
/// the WAL keeps its frames, and a hook that looked only at the WAL's size checkpointed after
/// every commit: a copy and an fsync per live message on the other core, and now and then an
/// append to the WAL waiting behind that fsync (1.5–2 ms events). So a checkpoint is due when
/// `threshold` frames were added since the last one began, however long the WAL is.
final class BackgroundCheckpointer: Sendable {
    static let threshold: Int32 = 1000

    private let path: String
    private let queue = DispatchQueue(label: "termchat.store.checkpoint", qos: .utility)
    private let scheduled = Atomic(false)
    /// The WAL's length when the last checkpoint was scheduled; set by the writer's hook only.
    private let checkpointedUpTo = Atomic<Int32>(0)
    /// How many checkpoints ran (what the tests count).
    private let runs = Atomic(0)
    var checkpointsRun: Int { runs.load(ordering: .relaxed) }
    /// Touched only on `queue`.
    private nonisolated(unsafe) var connection: OpaquePointer?

    init(path: String) {
        self.path = path
    }

    deinit {
        if let connection { sqlite3_close_v2(connection) }
    }

    /// Installs the hook on the writer connection. The hook holds the checkpointer weakly (a
    /// store that is gone checkpoints nothing; SQLite checkpoints on the last close anyway).
    func install(on db: Database) {
        let box = Unmanaged.passRetained(WeakBox(self)).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            let box = Unmanaged<WeakBox>.fromOpaque(context).takeUnretainedValue()
            box.checkpointer?.walGrew(to: pages)
            return SQLITE_OK
        }, box)
    }

    /// Called by the writer after each commit with the WAL's length in frames.
    private func walGrew(to pages: Int32) {
        var since = checkpointedUpTo.load(ordering: .relaxed)
        if pages < since {  // the WAL was restarted
            since = 0
            checkpointedUpTo.store(0, ordering: .relaxed)
        }
        guard pages - since >= Self.threshold else { return }
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        checkpointedUpTo.store(pages, ordering: .relaxed)
        queue.async { [self] in
            scheduled.store(false, ordering: .releasing)
            if connection == nil {
                var opened: OpaquePointer?
                guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
                    sqlite3_close_v2(opened)
                    return
                }
                sqlite3_busy_timeout(opened, 1000)
                sqlite3_exec(opened, "PRAGMA synchronous = NORMAL", nil, nil, nil)
                connection = opened
            }
            sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            runs.add(1, ordering: .relaxed)
        }
    }

    /// Waits for a checkpoint under way or scheduled to end.
    func settle() {
        queue.sync {}
    }

    /// The hook's context: a retained box holding the checkpointer weakly. One box leaks per
    /// writer connection opened (one per store), which is a few bytes.
    private final class WeakBox: Sendable {
        weak let checkpointer: BackgroundCheckpointer?
        init(_ checkpointer: BackgroundCheckpointer) { self.checkpointer = checkpointer }
    }
}

import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The upload folder on disk: where a stored name lives, removing the files of what was
/// deleted, and the start-up sweep of orphans. Removal always follows the commit that made a
/// file unreferenced, so the database never points at a missing file; a crash between the two
/// leaves an orphan, which the next start removes.
struct StoredFiles: Sendable {
    let directory: String
    /// Prefix of uploads still being written.
    static let incomingPrefix = ".incoming-"

    func path(of fileName: String) -> String { directory + "/" + fileName }

    /// Removes the named files (stored names only, never paths); missing ones are fine.
    func remove(_ fileNames: [String]) {
        for name in fileNames where !name.contains("/") && !name.isEmpty {
            unlink(path(of: name))
        }
    }

    /// Removes half-written uploads and files whose media id nothing refers to any more.
    /// Answers how many files it removed.
    ///
    /// `sharedSince` is for a folder other instances write to while this one starts: the time
    /// just before `referenced` was read. Then only files last written before it can be
    /// orphans (a newer one may belong to an upload claimed since), and only uploads idle for
    /// an hour are taken for abandoned.
    @discardableResult
    func sweepOrphans(referenced: Set<String>, sharedSince: Date? = nil, logger: Logger) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names {
            let mediaId = String(name.prefix(36)).uppercased()
            let incoming = name.hasPrefix(Self.incomingPrefix)
            var orphan = incoming || UUID(uuidString: mediaId) == nil || !referenced.contains(mediaId)
            if orphan, let sharedSince {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path(of: name))[.modificationDate] as? Date) ?? Date()
                orphan = modified < (incoming ? sharedSince.addingTimeInterval(-3600) : sharedSince.addingTimeInterval(-60))
            }
            if orphan, unlink(path(of: name)) == 0 { removed += 1 }
        }
        if removed > 0 { logger.info("removed orphaned upload files", metadata: ["count": "\(removed)"]) }
        return removed
    }
}

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
    @discardableResult
    func sweepOrphans(referenced: Set<String>, logger: Logger) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names {
            let mediaId = String(name.prefix(36)).uppercased()
            let orphan = name.hasPrefix(Self.incomingPrefix) || UUID(uuidString: mediaId) == nil || !referenced.contains(mediaId)
            if orphan, unlink(path(of: name)) == 0 { removed += 1 }
        }
        if removed > 0 { logger.info("removed orphaned upload files", metadata: ["count": "\(removed)"]) }
        return removed
    }
}

import Foundation
import Logging
import ServiceLifecycle

/// Removes uploads nothing refers to once they are older than `lifetime`: a file uploaded for
/// a message that was never posted, or by a client that went away, stayed forever.
struct UploadSweeper: Service {
    let repository: any ChatRepository
    let files: StoredFiles
    let lifetime: TimeInterval
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                await sweepOnce()
            }
        }
    }

    /// One sweep; answers how many files it removed. A database that does not answer now is
    /// tried again at the next interval.
    @discardableResult
    func sweepOnce() async -> Int {
        do {
            let names = try await repository.sweepUnreferencedUploads(claimedBefore: now().addingTimeInterval(-lifetime))
            files.remove(names)
            if !names.isEmpty { logger.info("removed unreferenced uploads", metadata: ["files": "\(names.count)"]) }
            return names.count
        } catch {
            logger.warning("could not sweep unreferenced uploads", metadata: ["error": "\(error)"])
            return 0
        }
    }
}

import ChatAPI
import ChatClient
import ChatStore
import Foundation

extension SyncEngine {
    /// One pass for scripts (`termchat sync`): catch up over REST, deliver the queue (posts,
    /// uploads and changes, each tried once, whatever its backoff), send read marks, and report.
    public func syncOnce() async -> SyncReport {
        var report = SyncReport()
        do {
            try await catchUp()
        } catch {
            report.errors.append(error.userMessage)
        }
        try? store.makeJobsDueNow()
        let done = await attemptDueJobsOnce()
        report.delivered = (done[.post] ?? 0) + (done[.change] ?? 0)
        report.uploaded = done[.upload] ?? 0
        await flushReads()
        let remaining = (try? store.outboxItems()) ?? []
        let failedLocalIds = Set(((try? store.chatList(archived: nil)) ?? []).filter { $0.failedCount > 0 }.map(\.id))
        for item in remaining {
            if failedLocalIds.contains(item.chatId), let message = try? store.message(item.chatId, localId: item.localId), message.state == .failed {
                report.failed.append(message.failureReason ?? "refused")
            } else {
                report.stillQueued += 1
            }
        }
        report.stillQueued += ((try? store.uploadJobs()) ?? []).count
        for intent in (try? store.intents()) ?? [] {
            if intent.isFailed { report.failed.append(intent.lastError ?? "refused") } else { report.stillQueued += 1 }
        }
        if let error = status.lastError, report.errors.isEmpty, !report.succeeded { report.errors.append(error) }
        return report
    }

    /// Posts what is due, trying each post once. By default every queued post is due (no
    /// waiting out a backoff); `waitingAsTold` keeps the times set in this run, such as a
    /// server's `Retry-After`.
    public func deliverOnce(waitingAsTold: Bool = false) async -> Int {
        if !waitingAsTold { try? store.makeJobsDueNow() }
        return await attemptDueJobsOnce([.post])[.post] ?? 0
    }

    /// How long until the next queued post is due (zero when one is due now); nil when none waits.
    public func untilNextDelivery() -> Duration? {
        guard let next = (try? store.nextJobAttempt(kinds: [.post])) ?? nil else { return nil }
        return .seconds(max(0, next.timeIntervalSince(now())))
    }
}

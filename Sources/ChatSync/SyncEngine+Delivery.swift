import ChatAPI
import ChatClient
import ChatStore
import Foundation

/// The one delivery loop: read marks, then the head of every lane of the cache's queue (a
/// chat's posts, a chat's changes, each upload) in queue order, with one retry policy for
/// every kind. Uploads run beside the loop, so a large file holds up no message or change.
extension SyncEngine {
    func deliveryLoop() async {
        await withDiscardingTaskGroup { transfers in
            while !Task.isCancelled {
                let readsDue = await sendReadsIfDue()
                for upload in await deliverDueJobs() {
                    transfersRunning.insert(upload.seq)
                    transfers.addTask { await self.transfer(upload) }
                }
                let nextJob = (try? store.nextJobAttempt(excluding: transfersRunning)) ?? nil
                let next = [nextJob, readsDue].compactMap { $0 }.min()
                await deliverySignal.wait(upTo: next.map { .seconds(max(0.05, $0.timeIntervalSince(now()))) })
            }
        }
    }

    /// Attempts the due posts and changes, round after round while attempts succeed (a success
    /// can make the next job of its lane due, or queue an upload), until nothing is due or a
    /// round made no progress. Answers the due uploads not running yet, for the loop to start.
    func deliverDueJobs() async -> [UploadJob] {
        var uploads: [Int64: UploadJob] = [:]
        while !Task.isCancelled, status.connection != .signedOut {
            guard let due = try? store.dueJobs(now: now()), !due.isEmpty else { break }
            var progressed = false
            for job in due {
                if let upload = job.upload {
                    if !transfersRunning.contains(upload.seq) { uploads[upload.seq] = upload }
                } else if await attempt(job) {
                    progressed = true
                }
            }
            if !progressed { break }
        }
        return uploads.values.sorted { $0.seq < $1.seq }
    }

    private func transfer(_ upload: UploadJob) async {
        _ = await attempt(.upload(upload))
        transfersRunning.remove(upload.seq)
        deliverySignal.wake()
    }

    /// For scripts: attempts each due job of `kinds` at most once (uploads too, in turn), again
    /// as earlier attempts make later jobs due. Answers how many of each kind the server took.
    func attemptDueJobsOnce(_ kinds: Set<JobKind> = Set(JobKind.allCases)) async -> [JobKind: Int] {
        var attempted: Set<Int64> = []
        var done: [JobKind: Int] = [:]
        while !Task.isCancelled, let due = try? store.dueJobs(now: now(), kinds: kinds) {
            let fresh = due.filter { !attempted.contains($0.seq) && !transfersRunning.contains($0.seq) }
            if fresh.isEmpty { break }
            for job in fresh {
                attempted.insert(job.seq)
                if await attempt(job) { done[job.kind, default: 0] += 1 }
            }
        }
        return done
    }

    /// One attempt at one job. Answers true once the server has it.
    func attempt(_ job: QueuedJob) async -> Bool {
        switch job {
        case .post(let item): await deliver(item)
        case .upload(let upload): await run(upload)
        case .change(let pending): await deliver(pending)
        }
    }

    /// Decides what a failed attempt means and records it: a later retry, a final failure
    /// (its reason shown), or signed out (nothing recorded; the user must sign in).
    /// An attempt that began before the latest reconnect (`since` is the epoch it began in)
    /// retries at once: its failure says nothing about the server now. Answers the decision.
    @discardableResult
    func handleDeliveryError(_ error: ClientError, of job: QueuedJob, attempts: Int, since epoch: Int) -> RetryDecision {
        let decision = retryPolicy.decide(error, attempts: attempts)
        do {
            switch decision {
            case .retry(let delay):
                if case .rateLimited(let seconds, _) = error { status.lastError = Said.rateLimitedRetrying(seconds) }
                let reconnectedSince = epoch != connectionEpoch
                try store.jobRetryLater(job, error: error.userMessage, nextAttemptAt: reconnectedSince ? now() : now().addingTimeInterval(delay.inSeconds))
                if reconnectedSince { deliverySignal.wake() }
            case .fail(let reason):
                status.lastError = reason
                try store.jobFailed(job, reason: reason)
            case .signedOut:
                report(error)
            }
        } catch {
            report(error)
        }
        return decision
    }

    /// Once work goes through again, "rate limited, retrying" is no longer true.
    func clearRateLimitNotice() {
        if status.lastError?.hasPrefix(Said.rateLimitedPrefix) == true { status.lastError = nil }
    }

    // MARK: Read marks

    static let readMarkInterval: TimeInterval = 1

    /// Read marks go at most once a second, the newest per chat: a busy open chat otherwise
    /// sent one for every few messages that arrived. After marks went, the loop looks again a
    /// second later (what arrives meanwhile does not wake it). Answers when to look again.
    func sendReadsIfDue() async -> Date? {
        if readsHeldBack, let sent = readsSentAt { return sent.addingTimeInterval(Self.readMarkInterval) }
        guard await flushReads() else { return nil }
        readsSentAt = now()
        return now().addingTimeInterval(Self.readMarkInterval)
    }

    /// Wakes the loop for read marks, unless marks went less than a second ago (then it is
    /// due to look anyway).
    func wakeForReads() {
        if !readsHeldBack { deliverySignal.wake() }
    }

    /// Marks went less than a second ago (a clock set back does not hold them).
    var readsHeldBack: Bool {
        guard let sent = readsSentAt else { return false }
        let elapsed = now().timeIntervalSince(sent)
        return elapsed >= 0 && elapsed < Self.readMarkInterval
    }

    /// Sends the read marks owed; answers whether any was sent.
    @discardableResult
    func flushReads() async -> Bool {
        guard let reads = try? store.unsyncedReads(), !reads.isEmpty else { return false }
        for read in reads {
            do {
                try await api.markRead(read.chat, read.upTo)
                try store.readSynced(read.chat, upTo: read.position)
            } catch let error as ClientError where !error.isRetryable {
                try? store.readSynced(read.chat, upTo: read.upTo)  // refused (message gone): do not insist
            } catch {
                return true  // offline: try again later
            }
        }
        return true
    }
}

import ArgumentParser
import ChatAPI
import ChatStore
import ChatSync
import Foundation

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Queue a message (or a file) and try to deliver it; exits 0 once it is queued."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A chat id, or the username of the other person of a personal chat (created if missing).") var chat: String
    @Argument(help: "The text; with --file, a caption.") var text: String?
    @Option(help: "A file to send as an attachment.") var file: String?
    @Option(name: .customLong("wait"), help: "Seconds to try delivering before leaving it queued (default 10).")
    var deliveryWait: Double = 10

    func validate() throws {
        if (text ?? "").isEmpty && file == nil { throw ValidationError("Give a text, a --file, or both.") }
        if let text, text.utf8.count > ProtocolLimits.maxMessageTextBytes {
            throw ValidationError("A message is at most \(ProtocolLimits.maxMessageTextBytes) bytes of UTF-8.")
        }
    }

    func run() async throws {
        let session = try Session.open(options)
        let chatId: ChatID
        do { chatId = try await session.resolveChat(chat) } catch { throw CLIError(error.userMessage) }
        let queued: CachedMessage
        do {
            if let file {
                queued = try await session.engine.sendFile(at: file, caption: text, to: chatId)
            } else {
                queued = try await session.engine.send(text ?? "", to: chatId)
            }
        } catch {
            throw CLIError(error.userMessage)
        }
        // Safely on disk now: say so at once. The delivery attempt that follows is bounded, and
        // leaving while it is under way loses nothing (the next run sends it again under the
        // same localId, which a server that already has it answers without storing it twice).
        print("Queued.")
        let engine = session.engine
        let store = session.store
        let hasFile = file != nil
        // Tried again and again within the wait (a failed attempt used to end it at once),
        // until the server has it or refuses it.
        let delivery = Task {
            var pause: Duration = .milliseconds(200)
            while !Task.isCancelled {
                _ = await engine.deliverOnce()
                if hasFile { _ = await engine.syncOnce() }
                let state = (try? store.message(chatId, localId: queued.localId))??.state
                if state == .sent || state == .failed { return }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(2))
            }
        }
        await Deadline.wait(for: delivery, atMost: .seconds(hasFile ? 600 : deliveryWait))
        delivery.cancel()
        let now = try session.store.message(chatId, localId: queued.localId)
        switch now?.state {
        case .sent?: print("Sent.")
        case .failed?: print("Queued, but the server refused it: \(now?.failureReason ?? "no reason given"). Retry or discard it in termchat.")
        default: print("Queued; it will be delivered by the next `termchat sync` or `termchat` run.")
        }
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Deliver the outbox and catch up, then exit (non-zero if anything failed)."
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "all: also fetch every chat's whole history, so that offline search covers it.") var history: HistoryScope = .recent

    enum HistoryScope: String, ExpressibleByArgument {
        case recent, all
    }

    func run() async throws {
        let session = try Session.open(options)
        let report = await session.engine.syncOnce()
        print("Delivered \(report.delivered), uploaded \(report.uploaded), still queued \(report.stillQueued), failed \(report.failed.count).")
        if history == .all, report.errors.isEmpty {
            do {
                let pages = try await session.engine.fetchAllHistory()
                print("Fetched \(pages) more page\(pages == 1 ? "" : "s") of history; every chat is cached from its start.")
            } catch {
                print("error: fetching the history: \(error.userMessage)")
                throw ExitCode(1)
            }
        }
        for reason in report.failed { print("failed: \(reason)") }
        for error in report.errors { print("error: \(error)") }
        if !report.succeeded { throw ExitCode(1) }
    }
}

/// Waits for a task, or until a deadline, whichever comes first (the task is left running;
/// the process ends soon after).
enum Deadline {
    static func wait(for task: Task<Void, Never>, atMost limit: Duration) async {
        let (done, signal) = AsyncStream.makeStream(of: Void.self)
        let watcher = Task {
            await task.value
            signal.yield()
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            signal.yield()
        }
        for await _ in done { break }
        watcher.cancel()
        timer.cancel()
    }
}

import ArgumentParser
import ChatAPI
import ChatApp
import ChatStore
import ChatSync
import Foundation
import TerminalUI

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Queue a message (or a file) and try to deliver it; exits 0 once it is queued.",
        discussion: "With --lines, each line of standard input is one message, queued in order (e.g. `tail -f log | termchat send ops --lines`)."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A chat id, or the username of the other person of a personal chat (created if missing).") var chat: String
    @Argument(help: "The text; with --file, a caption.") var text: String?
    @Option(help: "A file to send as an attachment.") var file: String?
    @Flag(help: "Send each line of standard input as a message of its own (empty lines are skipped).") var lines = false
    @Option(name: .customLong("wait"), help: "Seconds to try delivering before leaving it queued (default 10).")
    var deliveryWait: Double = 10

    func validate() throws {
        if lines {
            if text != nil || file != nil { throw ValidationError(Said.linesTakeNoText) }
            return
        }
        if (text ?? "").isEmpty && file == nil { throw ValidationError(Said.giveTextOrFile) }
        if let text { try Self.checkLength(text) }
    }

    static func checkLength(_ text: String) throws {
        if text.utf8.count > ProtocolLimits.maxMessageTextBytes {
            throw ValidationError("A message is at most \(ProtocolLimits.maxMessageTextBytes) bytes of UTF-8.")
        }
    }

    func run() async throws {
        let texts = lines ? try Self.standardInputLines() : []
        let session = try Session.open(options)
        let chatId: ChatID
        do { chatId = try await session.resolveChat(chat) } catch { throw CLIError(error.userMessage) }
        var queued: [CachedMessage] = []
        do {
            if lines {
                for line in texts { queued.append(try await session.engine.send(line, to: chatId)) }
            } else if let file {
                queued.append(try await session.engine.sendFile(at: file, caption: text, to: chatId))
            } else {
                queued.append(try await session.engine.send(text ?? "", to: chatId))
            }
        } catch {
            if !queued.isEmpty { print(Said.queuedLines(queued.count, of: texts.count)) }
            throw CLIError(error.userMessage)
        }
        // Safely on disk now: say so at once. The delivery attempt that follows is bounded, and
        // leaving while it is under way loses nothing (the next run sends it again under the
        // same localId, which a server that already has it answers without storing it twice).
        print(Said.queued(queued.count, lines: lines))
        let engine = session.engine
        let store = session.store
        let hasFile = file != nil
        let localIds = queued.map(\.localId)
        // Tried again and again within the wait (a failed attempt used to end it at once),
        // until the server has each or refuses it. A server that says when to come back
        // (429 Retry-After) is waited for: the engine holds the item until then.
        let delivery = Task {
            var pause: Duration = .milliseconds(200)
            var first = true
            while !Task.isCancelled {
                let sent = await engine.deliverOnce(waitingAsTold: !first)
                first = false
                if hasFile { _ = await engine.syncOnce() }
                if Self.states(localIds, in: chatId, store: store).allSatisfy({ $0 == .sent || $0 == .failed }) { return }
                if sent > 0 { pause = .milliseconds(200); continue }
                // Not before the next item is due (a 429's Retry-After), nor much later.
                let due = await engine.untilNextDelivery() ?? pause
                try? await Task.sleep(for: max(due, min(pause, .milliseconds(200))))
                pause = min(pause * 2, .seconds(2))
            }
        }
        await Deadline.wait(for: delivery, atMost: .seconds(hasFile ? 600 : deliveryWait))
        delivery.cancel()
        if lines {
            let states = Self.states(localIds, in: chatId, store: store)
            let sent = states.filter { $0 == .sent }.count, failed = states.filter { $0 == .failed }.count
            print(Said.sentLines(sent, of: states.count, refused: failed))
            return
        }
        let now = try session.store.message(chatId, localId: queued[0].localId)
        switch now?.state {
        case .sent?: print("Sent.")
        case .failed?: print("Queued, but the server refused it: \(now?.failureReason ?? "no reason given"). Retry or discard it in termchat.")
        default:
            // Why it is still queued, when an attempt failed (an untrusted certificate, say):
            // its own, or that of an earlier message of the chat, which goes first.
            let lastError = try session.store.outboxItems().filter { $0.chatId == chatId }.compactMap(\.lastError).first
            let why = lastError.map { " Not delivered yet: \($0)" } ?? ""
            print("Queued; it will be delivered by the next `termchat sync` or `termchat` run.\(why)")
        }
    }

    static func states(_ localIds: [String], in chat: ChatID, store: ChatStore) -> [DeliveryState?] {
        localIds.map { (try? store.message(chat, localId: $0))??.state }
    }

    /// Standard input's lines, empty ones left out; each checked before anything is queued.
    static func standardInputLines() throws -> [String] {
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) {
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            try checkLength(text)
            lines.append(text)
        }
        guard !lines.isEmpty else { throw ValidationError(Said.noLineToSend) }
        return lines
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Deliver what is queued and catch up, then exit (non-zero if anything failed)."
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "How much of each chat to fetch, so that offline search covers it: a number of its newest messages, all, or recent (none ahead). Default: [sync] history, else 10000.")
    var history: HistoryDepth?

    func run() async throws {
        let session = try Session.open(options)
        let report = await session.engine.syncOnce()
        print(Said.synced(SyncReportWords(delivered: report.delivered, uploaded: report.uploaded, stillQueued: report.stillQueued, failed: report.failed.count)))
        let depth = history ?? AppConfig.load(path: options.paths.configFile).history
        if depth.fetchesAhead, report.errors.isEmpty {
            do {
                let pages = try await session.engine.fetchHistory(newest: depth.limit)
                let extent = depth.limit.map { "its newest \($0.counted("message")) or from its start" } ?? "from its start"
                print("Fetched \(pages.counted("more page")) of history; every chat is cached \(extent).")
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

extension HistoryDepth: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
